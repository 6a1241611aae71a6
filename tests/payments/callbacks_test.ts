/**
 * Payment callbacks through the web app against the local fake providers: a callback is only a
 * cue. Forged, replayed and mismatched callbacks never confirm an order or fulfil it twice.
 */
import { equal, ok } from "node:assert/strict";
import { applyVerification, startPayment } from "@/services/payments/payments.ts";
import type { PaymentMethod } from "@/services/payments/types.ts";
import { guestGheeOrder, type ShopTest, sslcommerzReturn, withShop } from "../shop/_helpers.ts";

async function order(s: ShopTest, method: PaymentMethod) {
  const placed = await guestGheeOrder(s, method);
  const started = await startPayment(s.pay, placed.paymentId!, { origin: "http://localhost" });
  ok(started.ok, "payment started");
  const [p] = await s.sql`select * from shop_payments where id = ${placed.paymentId}`;
  return { placed, payment: p, redirect: started.redirectUrl! };
}

async function state(s: ShopTest, orderId: string) {
  const [o] = await s
    .sql`select status, paid_minor::int as paid from shop_orders where id = ${orderId}`;
  const [{ confirmations }] = await s.sql`
    select count(*)::int as confirmations from shop_order_events
    where order_id = ${orderId} and to_status = 'confirmed'`;
  const [{ messages }] = await s.sql`
    select count(*)::int as messages from outbox_messages where template = 'shop.payment_received'
      and dedupe_key like ${"shop:" + orderId + "%"}`;
  // Stock is reserved by lot (inventory): one pick per lot the order takes from.
  const moved = (await s.deps.inventory.port.picksOf(s.sql, [{ kind: "shop_order", id: orderId }]))
    .length;
  return { status: o.status, paid: o.paid, confirmations, messages, moved };
}

Deno.test("callbacks: a forged bKash success before the customer paid confirms nothing", async () => {
  await withShop(async (s) => {
    const { placed, payment } = await order(s, "bkash");
    const res = await s.fetch(
      `/webhooks/bkash/callback?paymentID=${payment.provider_ref}&status=success&signature=x`,
      { redirect: "manual" },
    );
    equal(res.status, 303);
    ok(res.headers.get("location")!.includes("pay=pending"));
    const st = await state(s, placed.id);
    equal(st.status, "pending_payment");
    equal(st.paid, 0);
    equal(st.messages, 0);
    // An unknown paymentID changes nothing at all.
    const unknown = await s.fetch(
      `/webhooks/bkash/callback?paymentID=TR0011FORGED&status=success`,
      { redirect: "manual" },
    );
    equal(unknown.headers.get("location"), "/shop/orders");
  }, { fakes: true });
});

Deno.test("callbacks: bKash paid once, replayed callbacks fulfil once", async () => {
  await withShop(async (s) => {
    const { placed, payment } = await order(s, "bkash");
    const cb = s.fakes!.bkash.approve(payment.provider_ref);
    const path = new URL(cb).pathname + new URL(cb).search;
    const responses = await Promise.all([1, 2, 3].map(() => s.fetch(path, { redirect: "manual" })));
    for (const r of responses) equal(r.status, 303);
    ok(responses.some((r) => r.headers.get("location")!.includes("pay=ok")));
    const later = await s.fetch(path, { redirect: "manual" });
    ok(later.headers.get("location")!.includes("pay=ok"));
    const st = await state(s, placed.id);
    equal(st.status, "confirmed");
    equal(st.paid, placed.totalMinor);
    equal(st.confirmations, 1);
    equal(st.messages, 1, "one 'payment received' message");
    equal(st.moved, 1, "stock taken once");
    equal(s.fakes!.bkash.payments.get(payment.provider_ref)!.state, "Completed");
    const [{ n }] = await s
      .sql`select count(*)::int as n from shop_payments where status = 'succeeded'`;
    equal(n, 1);
  }, { fakes: true });
});

Deno.test("callbacks: an execute that times out after completing is confirmed by query", async () => {
  await withShop(async (s) => {
    const { placed, payment } = await order(s, "bkash");
    const cb = new URL(s.fakes!.bkash.approve(payment.provider_ref));
    s.fakes!.bkash.faults.execute = "complete_then_timeout";
    s.fakes!.bkash.hangMs = 3000;
    await s.fetch(cb.pathname + cb.search, { redirect: "manual" });
    equal((await state(s, placed.id)).status, "confirmed");
  }, { fakes: true });
});

Deno.test("callbacks: an amount that does not match holds the payment and flags it", async () => {
  await withShop(async (s) => {
    const { placed, payment } = await order(s, "bkash");
    const cb = new URL(s.fakes!.bkash.approve(payment.provider_ref));
    s.fakes!.bkash.faults.amountOverride = "1.00";
    await s.fetch(cb.pathname + cb.search, { redirect: "manual" });
    const st = await state(s, placed.id);
    equal(st.status, "pending_payment");
    equal(st.paid, 0);
    const [p] = await s.sql`select status from shop_payments where id = ${payment.id}`;
    equal(p.status, "held");
    const issues = await s.sql`select kind from shop_reconciliation_issues where status = 'open'`;
    equal(issues[0].kind, "amount_mismatch");
  }, { fakes: true });
});

Deno.test("callbacks: a provider transaction offered for a second payment is refused", async () => {
  await withShop(async (s) => {
    const a = await order(s, "bkash");
    const b = await order(s, "bkash");
    const ok1 = await applyVerification(s.pay, a.payment.id, {
      outcome: "succeeded",
      amountMinor: a.placed.totalMinor,
      currency: "BDT",
      merchantRef: a.payment.merchant_ref,
      trxId: "TRX1",
      raw: {},
    });
    equal(ok1, "succeeded");
    // Same trxID, right amount and reference of order B: a replay of A's transaction.
    const replay = await applyVerification(s.pay, b.payment.id, {
      outcome: "succeeded",
      amountMinor: b.placed.totalMinor,
      currency: "BDT",
      merchantRef: b.payment.merchant_ref,
      trxId: "TRX1",
      raw: {},
    });
    equal(replay, "mismatch");
    equal((await state(s, b.placed.id)).status, "pending_payment");
    // A's success answered for B's reference: refused too.
    const wrongRef = await applyVerification(s.pay, b.payment.id, {
      outcome: "succeeded",
      amountMinor: b.placed.totalMinor,
      currency: "BDT",
      merchantRef: a.payment.merchant_ref,
      trxId: "TRX2",
      raw: {},
    });
    equal(wrongRef, "mismatch");
    equal((await state(s, b.placed.id)).paid, 0);
  }, { fakes: true });
});

Deno.test("callbacks: Nagad pays through its hosted page and verify", async () => {
  await withShop(async (s) => {
    const { placed, payment } = await order(s, "nagad");
    const forged = await s.fetch(
      `/webhooks/nagad/callback?payment_ref_id=${payment.provider_ref}&status=Success&status_code=00_0000_000`,
      { redirect: "manual" },
    );
    ok(forged.headers.get("location")!.includes("pay=pending"));
    const cb = new URL(s.fakes!.nagad.approve(payment.provider_ref));
    const res = await s.fetch(cb.pathname + cb.search, { redirect: "manual" });
    ok(res.headers.get("location")!.includes("pay=ok"));
    const st = await state(s, placed.id);
    equal(st.status, "confirmed");
    equal(st.paid, placed.totalMinor);
  }, { fakes: true });
});

Deno.test("callbacks: SSLCommerz success page and IPN together confirm once; a bad IPN signature is refused", async () => {
  await withShop(async (s) => {
    const { placed, payment } = await order(s, "sslcommerz");
    const fake = s.fakes!.sslcommerz;
    fake.faults.noIpn = true;
    const back = await fake.complete(fake.byTranId(payment.merchant_ref)!.sessionkey, "pay");
    const form = sslcommerzReturn;
    const forgedIpn = await s.fetch(
      "/webhooks/sslcommerz/ipn",
      form({ ...back.fields, verify_sign: "0".repeat(32) }),
    );
    equal(forgedIpn.status, 400);
    equal((await state(s, placed.id)).status, "pending_payment");
    const [page, ipn] = await Promise.all([
      s.fetch("/webhooks/sslcommerz/success", form(back.fields)),
      s.fetch("/webhooks/sslcommerz/ipn", form(back.fields)),
    ]);
    equal(page.status, 303);
    equal(ipn.status, 200);
    const st = await state(s, placed.id);
    equal(st.status, "confirmed");
    equal(st.confirmations, 1);
    equal(st.messages, 1);
    // A forged success post with an invented val_id for a paid order changes nothing.
    await s.fetch("/webhooks/sslcommerz/success", form({ ...back.fields, val_id: "INVENTED" }));
    equal((await state(s, placed.id)).confirmations, 1);
  }, { fakes: true });
});

Deno.test("callbacks: bKash's SNS webhook is verified, then only prompts a query", async () => {
  await withShop(async (s) => {
    const { signSns } = await import("@/services/payments/fakes/sns_signer.ts");
    const { paymentRef, getPayment } = await import("@/services/payments/records.ts");
    const { placed, payment } = await order(s, "bkash");
    const fake = s.fakes!.bkash;
    fake.sendWebhooks = false;
    fake.approve(payment.provider_ref);
    // bKash completed the payment (our execute), but the customer never came back.
    await s.pay.providers.bkash!.confirm(paymentRef((await getPayment(s.sql, payment.id))!), {
      status: "success",
    });
    const fp = fake.payments.get(payment.provider_ref)!;
    const sns = (message: Record<string, unknown>, certUrl = `${fake.origin}/sns/cert.pem`) => {
      const m: Record<string, string> = {
        Type: "Notification",
        MessageId: crypto.randomUUID(),
        TopicArn: "arn:aws:sns:ap-southeast-1:000000000000:bkash",
        Message: JSON.stringify(message),
        Timestamp: new Date().toISOString(),
        SignatureVersion: "2",
        SigningCertURL: certUrl,
      };
      m.Signature = signSns(m);
      return m;
    };
    const post = (body: unknown) =>
      s.fetch("/webhooks/bkash/ipn", {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "text/plain" },
      });
    const genuine = sns({
      trxID: fp.trxID,
      transactionStatus: "Completed",
      amount: fp.amount,
      merchantInvoiceNumber: payment.merchant_ref,
    });
    const forged = {
      ...genuine,
      Message: JSON.stringify({ merchantInvoiceNumber: payment.merchant_ref, amount: "1.00" }),
    };
    equal((await post(forged)).status, 400, "a changed message breaks the signature");
    equal(
      (await post(
        sns({ merchantInvoiceNumber: payment.merchant_ref }, "https://evil.example/cert.pem"),
      )).status,
      400,
    );
    equal((await state(s, placed.id)).status, "pending_payment");
    const res = await post(genuine);
    equal(res.status, 200);
    equal(await res.text(), "ok succeeded");
    equal((await post(genuine)).status, 200, "a redelivery is harmless");
    const st = await state(s, placed.id);
    equal(st.status, "confirmed");
    equal(st.confirmations, 1);
  }, { fakes: true });
});
