/**
 * bKash's webhook, delivered through AWS SNS. The SNS signature is verified (certificate from an
 * amazonaws.com SNS host); a subscription is confirmed; a notification only names a payment,
 * which is then queried from bKash and applied like any other answer. Genuine messages answer
 * 200 so that SNS stops retrying; anything not signed by SNS answers 400.
 */
import { trustedSnsUrl, verifySnsMessage } from "./sns.ts";
import { applyVerification, CALLBACK_REF, type PaymentContext } from "./payments.ts";
import { findByMerchantRef, paymentEvent, paymentRef } from "./records.ts";

export interface WebhookAnswer {
  status: number;
  body: string;
}

export async function bkashWebhook(
  ctx: PaymentContext,
  rawBody: string,
  trustedPrefix: string | undefined,
): Promise<WebhookAnswer> {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { status: 400, body: "not an SNS message" };
  }
  const msg = await verifySnsMessage(body, { trustedPrefix });
  if (!msg) return { status: 400, body: "invalid signature" };
  if (msg.Type === "SubscriptionConfirmation" && msg.SubscribeURL) {
    if (trustedSnsUrl(msg.SubscribeURL, trustedPrefix)) {
      await fetch(msg.SubscribeURL, { signal: AbortSignal.timeout(10_000) })
        .then((r) => r.body?.cancel()).catch(() => {});
    }
    return { status: 200, body: "confirmed" };
  }
  if (msg.Type !== "Notification") return { status: 200, body: "ok" };
  let note: Record<string, unknown>;
  try {
    note = JSON.parse(msg.Message);
  } catch {
    return { status: 200, body: "ignored" };
  }
  const ref = typeof note.merchantInvoiceNumber === "string" &&
      CALLBACK_REF.test(note.merchantInvoiceNumber)
    ? note.merchantInvoiceNumber
    : "";
  const payment = ref ? await findByMerchantRef(ctx.sql, ref) : null;
  const bkash = ctx.providers.bkash;
  if (!payment || payment.method !== "bkash" || !bkash || !payment.providerRef) {
    return { status: 200, body: "unknown payment" };
  }
  await paymentEvent(ctx.sql, payment.id, "webhook", {
    trxID: note.trxID ?? null,
    transactionStatus: note.transactionStatus ?? null,
    amount: note.amount ?? null,
  });
  try {
    const v = await bkash.query(paymentRef(payment));
    return { status: 200, body: `ok ${await applyVerification(ctx, payment.id, v)}` };
  } catch {
    return { status: 503, body: "will retry" };
  }
}
