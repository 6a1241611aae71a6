import type { Handlers } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { pdfDownload } from "./(_lib)/docs.ts";

/** A user's own account's delivery notes, invoices, credit notes and statements as PDF. */
export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    const user = assertSignedIn(ctx);
    const m = await ctx.state.deps.b2b.membershipOf(user.id);
    if (!m) throw new HttpError(404, "No such document");
    return await pdfDownload(ctx, m.account.id);
  },
};
