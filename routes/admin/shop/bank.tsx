import type { Context } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

/**
 * Bank statements are imported and matched in the books now (one import, one review queue for
 * every bank and wallet account): the old address leads there.
 */
export const handler = {
  GET: (_ctx: Context<State>) =>
    new Response(null, { status: 303, headers: { location: "/admin/accounting/bank" } }),
};
