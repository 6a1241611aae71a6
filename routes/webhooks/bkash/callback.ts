import type { Handlers } from "@/framework/mod.ts";
import { callbackFields } from "../(_lib)/fields.ts";

/**
 * bKash sends the customer back here with ?paymentID=…&status=success|failure|cancel. We execute
 * (or query) the payment with bKash's API; the callback's own status decides nothing.
 */
export const handler: Handlers = {
  async GET(ctx) {
    const fields = callbackFields(ctx.url.searchParams);
    return ctx.redirect(await ctx.state.deps.payments.callback("bkash", fields));
  },
};
