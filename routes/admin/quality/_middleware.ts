import type { Middleware } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

/** Every quality page and form needs quality.manage (quality staff, production, admin). */
export const handler: Middleware<State> = async (ctx) => {
  requirePermission(ctx, "quality.manage");
  return await ctx.next();
};
