import type { Middleware } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

/** The B2B back office: sales staff (and admins) with b2b.accounts.manage. */
export const handler: Middleware<State> = (ctx) => {
  requirePermission(ctx, "b2b.accounts.manage");
  return ctx.next();
};
