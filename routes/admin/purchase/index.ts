import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

/** Purchasing starts at its orders. */
export const handler: Handlers<unknown, State> = {
  GET: () => new Response(null, { status: 303, headers: { location: "/admin/purchase/orders" } }),
};
