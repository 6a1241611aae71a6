import type { Handlers } from "@/framework/mod.ts";
import { handleCallback } from "@/services/payments/payments.ts";
import { paymentContext } from "../../shop/_lib/web.ts";
import { callbackFields, landing, see } from "../_lib/landing.ts";

/**
 * bKash sends the customer back here with ?paymentID=…&status=success|failure|cancel. We execute
 * (or query) the payment with bKash's API; the callback's own status decides nothing.
 */
export const handler: Handlers = {
  async GET(ctx) {
    const fields = callbackFields(ctx.url.searchParams);
    const pctx = paymentContext(ctx);
    const r = await handleCallback(pctx, "bkash", fields);
    return see(await landing(pctx.sql, r));
  },
};
