import type { Handlers } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { NotFoundError } from "@/services/b2b/mod.ts";
import { documentResponse } from "../(_lib)/web.tsx";

/** One paper of the signed-in person's own account (another account's: not found). */
export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    const user = assertSignedIn(ctx);
    const f = await ctx.state.deps.b2b.documentFile(Number(ctx.params.id), { userId: user.id });
    if (!f) throw new NotFoundError("b2b document");
    return documentResponse(f);
  },
};
