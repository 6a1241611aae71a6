import type { Handlers } from "@/framework/mod.ts";
import { callbackFields } from "../(_lib)/fields.ts";

/**
 * SSLCommerz's server-to-server IPN. A wrong verify_sign is refused outright; a right one is
 * still only a cue: the validation API decides (and a val_id counts only for its own tran_id).
 * Malformed fields (NUL, over-long) are 400. Answers 200 so the gateway stops retrying.
 */
export const handler: Handlers = {
  async POST(ctx) {
    const form = await ctx.req.formData().catch(() => null);
    const r = await ctx.state.deps.payments.sslcommerzIpn(callbackFields(form));
    return new Response(r.body, { status: r.status });
  },
};
