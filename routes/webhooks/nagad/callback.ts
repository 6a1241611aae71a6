import type { Handlers } from "@/framework/mod.ts";
import { callbackFields } from "../(_lib)/fields.ts";

/**
 * Nagad sends the customer back with ?payment_ref_id=…&status=…; the payment is decided by
 * Nagad's verify API, not by these parameters.
 */
export const handler: Handlers = {
  async GET(ctx) {
    const fields = callbackFields(ctx.url.searchParams);
    return ctx.redirect(await ctx.state.deps.payments.callback("nagad", fields));
  },
};
