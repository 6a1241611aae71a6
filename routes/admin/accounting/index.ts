import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

/** Accounting starts at its journal entries. */
export const handler: Handlers<unknown, State> = {
  GET: () =>
    new Response(null, { status: 303, headers: { location: "/admin/accounting/entries" } }),
};
