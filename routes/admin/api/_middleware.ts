import type { Middleware } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

/** The public API's partner clients and keys: staff with api.manage (admins). */
export const handler: Middleware<State> = (ctx) => {
  requirePermission(ctx, "api.manage");
  return ctx.next();
};
