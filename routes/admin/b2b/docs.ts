import type { Handlers } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { pdfDownload } from "../../b2b/(_lib)/docs.ts";

/** Staff: any account's delivery notes, invoices and statements (`account` for statements). */
export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    requirePermission(ctx, "b2b.accounts.manage");
    const a = Number(ctx.url.searchParams.get("account"));
    if (ctx.url.searchParams.get("month")) {
      if (!Number.isSafeInteger(a) || !(await ctx.state.deps.b2b.account(a))) {
        throw new HttpError(404, "No such account");
      }
      return await pdfDownload(ctx, a);
    }
    return await pdfDownload(ctx, null);
  },
};
