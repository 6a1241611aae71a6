import type { Context } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { PERMISSION } from "./(_intake)/screen.ts";

/** /admin/intake → the collection screen (the one used every day). */
export const handler = {
  GET(ctx: Context<State>) {
    requirePermission(ctx, PERMISSION);
    return ctx.redirect("/admin/intake/deliveries");
  },
};
