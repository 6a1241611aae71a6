import type { Handlers } from "@/framework/mod.ts";
import { redirect } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

/** /admin/iot has no page of its own: the device list is where the IoT screens start. */
export const handler: Handlers<unknown, State> = {
  GET(ctx) {
    requirePermission(ctx, "iot.view");
    throw redirect("/admin/iot/devices");
  },
};
