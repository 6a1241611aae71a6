import type { Handlers } from "@/framework/mod.ts";
import { redirect } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

/** /admin/inventory has no page of its own: the warehouse screens start with the stock. */
export const handler: Handlers<unknown, State> = {
  GET(ctx) {
    requirePermission(ctx, "inventory.manage");
    throw redirect("/admin/inventory/stock");
  },
};
