import type { Handlers } from "@/framework/mod.ts";
import { handleCallback } from "@/services/payments/payments.ts";
import { verifySign } from "@/services/payments/sslcommerz.ts";
import { paymentSettings } from "@/services/payments/settings.ts";
import { paymentContext } from "../../shop/_lib/web.ts";
import { callbackFields } from "../_lib/landing.ts";

/**
 * SSLCommerz's server-to-server IPN. A wrong verify_sign is refused outright; a right one is
 * still only a cue: the validation API decides (and a val_id counts only for its own tran_id).
 * Malformed fields (NUL, over-long) are 400. Answers 200 so the gateway stops retrying.
 */
export const handler: Handlers = {
  async POST(ctx) {
    const form = await ctx.req.formData().catch(() => null);
    const fields = callbackFields(form);
    const settings = paymentSettings(ctx.state.deps.config).sslcommerz;
    if (!settings || !(await verifySign(fields, settings.storePassword))) {
      return new Response("invalid signature", { status: 400 });
    }
    const r = await handleCallback(paymentContext(ctx), "sslcommerz", fields);
    return new Response(r.payment ? `OK ${r.outcome}` : "unknown transaction", { status: 200 });
  },
};
