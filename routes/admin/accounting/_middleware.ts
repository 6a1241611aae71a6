import type { Middleware } from "@/framework/mod.ts";
import { assertSignedIn, requirePermission } from "@/plugins/session.ts";
import { can } from "@/services/identity/mod.ts";
import type { State } from "@/state.ts";

/**
 * Accounting's screens need accounting.manage (accountant, admin); the reports (trial balance,
 * general ledger) may also be read with reports.view.
 */
export const handler: Middleware<State> = async (ctx) => {
  const user = assertSignedIn(ctx);
  const report = ctx.url.pathname.startsWith("/admin/accounting/reports/") &&
    (ctx.req.method === "GET" || ctx.req.method === "HEAD");
  if (!(report && can(user.roles, "reports.view"))) requirePermission(ctx, "accounting.manage");
  return await ctx.next();
};
