import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

/** VAT starts at the month's return figures. */
export const handler: Handlers<unknown, State> = {
  GET: () =>
    new Response(null, { status: 303, headers: { location: "/admin/accounting/vat/return" } }),
};
