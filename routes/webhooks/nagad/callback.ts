import type { Handlers } from "@/framework/mod.ts";
import { handleCallback } from "@/services/payments/payments.ts";
import { paymentContext } from "../../shop/_lib/web.ts";
import { callbackFields, landing, see } from "../_lib/landing.ts";

/**
 * Nagad sends the customer back with ?payment_ref_id=…&status=…; the payment is decided by
 * Nagad's verify API, not by these parameters.
 */
export const handler: Handlers = {
  async GET(ctx) {
    const fields = callbackFields(ctx.url.searchParams);
    const pctx = paymentContext(ctx);
    const r = await handleCallback(pctx, "nagad", fields);
    return see(await landing(pctx.sql, r));
  },
};
