import type { Handlers } from "@/framework/mod.ts";
import { trustedSnsUrl, verifySnsMessage } from "@/services/payments/sns.ts";
import { applyVerification, CALLBACK_REF } from "@/services/payments/payments.ts";
import { findByMerchantRef, paymentEvent, paymentRef } from "@/services/payments/records.ts";
import { paymentContext } from "../../shop/_lib/web.ts";

/**
 * bKash's webhook, delivered through AWS SNS. The SNS signature is verified (certificate from an
 * amazonaws.com SNS host); a subscription is confirmed; a notification only names a payment,
 * which is then queried from bKash and applied like any other answer. Always 200 for genuine
 * messages so that SNS stops retrying; 400 for anything not signed by SNS.
 */
export const handler: Handlers = {
  async POST(ctx) {
    const config = ctx.state.deps.config;
    let body: unknown;
    try {
      body = JSON.parse(await ctx.req.text());
    } catch {
      return new Response("not an SNS message", { status: 400 });
    }
    const prefix = config.PAYMENT_BKASH_SNS_CERT_PREFIX;
    const msg = await verifySnsMessage(body, { trustedPrefix: prefix });
    if (!msg) return new Response("invalid signature", { status: 400 });
    if (msg.Type === "SubscriptionConfirmation" && msg.SubscribeURL) {
      if (trustedSnsUrl(msg.SubscribeURL, prefix)) {
        await fetch(msg.SubscribeURL, { signal: AbortSignal.timeout(10_000) })
          .then((r) => r.body?.cancel()).catch(() => {});
      }
      return new Response("confirmed");
    }
    if (msg.Type !== "Notification") return new Response("ok");
    let note: Record<string, unknown>;
    try {
      note = JSON.parse(msg.Message);
    } catch {
      return new Response("ignored");
    }
    const pctx = paymentContext(ctx);
    const ref = typeof note.merchantInvoiceNumber === "string" &&
        CALLBACK_REF.test(note.merchantInvoiceNumber)
      ? note.merchantInvoiceNumber
      : "";
    const payment = ref ? await findByMerchantRef(pctx.sql, ref) : null;
    const bkash = pctx.providers.bkash;
    if (!payment || payment.method !== "bkash" || !bkash || !payment.providerRef) {
      return new Response("unknown payment");
    }
    await paymentEvent(pctx.sql, payment.id, "webhook", {
      trxID: note.trxID ?? null,
      transactionStatus: note.transactionStatus ?? null,
      amount: note.amount ?? null,
    });
    try {
      const v = await bkash.query(paymentRef(payment));
      return new Response(`ok ${await applyVerification(pctx, payment.id, v)}`);
    } catch {
      return new Response("will retry", { status: 503 });
    }
  },
};
