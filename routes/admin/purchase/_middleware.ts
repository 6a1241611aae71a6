import type { Middleware } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

/** Every purchasing screen needs purchase.manage (warehouse, accountant and admin hold it). */
export const handler: Middleware<State> = async (ctx) => {
  requirePermission(ctx, "purchase.manage");
  return await ctx.next();
};
