import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { NotFoundError } from "@/services/b2b/mod.ts";
import { documentResponse } from "@/routes/b2b/(_lib)/web.tsx";

/** Staff (b2b.accounts.manage, see _middleware.ts): one paper of any account. */
export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    const f = await ctx.state.deps.b2b.documentFile(Number(ctx.params.id), { staff: true });
    if (!f) throw new NotFoundError("b2b document");
    return documentResponse(f);
  },
};
