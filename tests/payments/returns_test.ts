/**
 * Browser returns from the providers (bKash and Nagad callbacks, SSLCommerz success/fail/cancel)
 * as an anonymous outsider would send them (issue 9, finding 2): they never change a payment on
 * their own say-so, only prompt a server-side question to the provider. The customer's real
 * return still confirms the order. Merchant references sent to providers are unguessable, and
 * hostile parameters answer 400, never 500.
 */
import { equal, match, notEqual, ok } from "node:assert/strict";
import { createTopup, retryOrderPayment, startPayment } from "@/services/payments/payments.ts";
import { newMerchantRef } from "@/services/payments/records.ts";
import { offeredMethods } from "@/services/payments/settings.ts";
import type { PaymentMethod } from "@/services/payments/types.ts";
import { guestGheeOrder, type ShopTest, sslcommerzReturn, withShop } from "../shop/_helpers.ts";
import { approveAndReturn, startedOrder } from "./_fakes.ts";

/** What the victim (and support) would notice: payment, order and open findings. */
async function snapshot(s: ShopTest, paymentId: string) {
  const [p] = await s.sql`
    select p.status, p.failure_reason, o.status as order_status, o.paid_minor::int as paid
    from shop_payments p join shop_orders o on o.id = p.order_id where p.id = ${paymentId}`;
  const [{ issues }] = await s.sql`
    select count(*)::int as issues from shop_reconciliation_issues where payment_id = ${paymentId}`;
  return {
    status: p.status as string,
    order_status: p.order_status as string,
    paid: p.paid as number,
    issues: issues as number,
  };
}

const form = sslcommerzReturn;

async function get(s: ShopTest, path: string) {
  const res = await s.fetch(path, { redirect: "manual" });
  await res.body?.cancel();
  return res;
}

Deno.test("returns: an outsider's SSLCommerz fail/cancel/success posts leave the victim's payment alone", async () => {
  await withShop(async (s) => {
    const victim = await startedOrder(s, "sslcommerz");
    const before = await snapshot(s, victim.payment.id);
    equal(before.status, "pending");
    const tran = victim.payment.merchant_ref as string;
    // fail and cancel with the victim's tran_id (with and without an invented val_id)
    for (const result of ["fail", "cancel"]) {
      for (
        const extra of [{}, { val_id: "INVENTED123", status: "FAILED" }] as Record<string, string>[]
      ) {
        const res = await s.fetch(
          `/webhooks/sslcommerz/${result}`,
          form({ tran_id: tran, ...extra }),
        );
        await res.body?.cancel();
        equal(res.status, 303);
        ok(res.headers.get("location")!.includes("pay=pending"), res.headers.get("location")!);
      }
    }
    // A success with an invented val_id.
    await (await s.fetch(
      "/webhooks/sslcommerz/success",
      form({ tran_id: tran, val_id: "INVENTED123", status: "VALID" }),
    )).body?.cancel();
    // The attacker pays their own (cheaper or equal) order and offers its val_id for the victim.
    const fake = s.fakes!.sslcommerz;
    fake.faults.noIpn = true;
    const mine = await startedOrder(s, "sslcommerz");
    const paid = await fake.complete(fake.byTranId(mine.payment.merchant_ref)!.sessionkey, "pay");
    ok(paid.fields.val_id);
    const res = await s.fetch(
      "/webhooks/sslcommerz/success",
      form({ ...paid.fields, tran_id: tran }),
    );
    await res.body?.cancel();
    equal(res.status, 303);
    const after = await snapshot(s, victim.payment.id);
    equal(after.status, "pending", "not failed, cancelled or held");
    equal(after.order_status, "pending_payment");
    equal(after.paid, 0);
    equal(after.issues, 0, "nothing flagged against the victim");
    // The victim then pays for real and comes back: confirmed.
    const back = await fake.complete(fake.byTranId(tran)!.sessionkey, "pay");
    const ret = await s.fetch("/webhooks/sslcommerz/success", form(back.fields));
    await ret.body?.cancel();
    ok(ret.headers.get("location")!.includes("pay=ok"));
    equal((await snapshot(s, victim.payment.id)).order_status, "confirmed");
  }, { fakes: true });
});

Deno.test("returns: SSLCommerz declines and cancels the provider reports still count", async () => {
  await withShop(async (s) => {
    const fake = s.fakes!.sslcommerz;
    fake.faults.noIpn = true;
    const a = await startedOrder(s, "sslcommerz");
    const failed = await fake.complete(fake.byTranId(a.payment.merchant_ref)!.sessionkey, "fail");
    const r1 = await s.fetch("/webhooks/sslcommerz/fail", form(failed.fields));
    await r1.body?.cancel();
    ok(r1.headers.get("location")!.includes("pay=failed"));
    equal((await snapshot(s, a.payment.id)).status, "failed");
    const b = await startedOrder(s, "sslcommerz");
    const cancelled = await fake.complete(
      fake.byTranId(b.payment.merchant_ref)!.sessionkey,
      "cancel",
    );
    const r2 = await s.fetch("/webhooks/sslcommerz/cancel", form(cancelled.fields));
    await r2.body?.cancel();
    ok(r2.headers.get("location")!.includes("pay=cancelled"));
    equal((await snapshot(s, b.payment.id)).status, "cancelled");
  }, { fakes: true });
});

Deno.test("returns: an outsider's bKash cancel/failure callbacks leave the victim's payment alone", async () => {
  await withShop(async (s) => {
    const victim = await startedOrder(s, "bkash");
    const id = victim.payment.provider_ref as string;
    for (const status of ["cancel", "failure", "success"]) {
      const res = await get(s, `/webhooks/bkash/callback?paymentID=${id}&status=${status}`);
      equal(res.status, 303);
      ok(res.headers.get("location")!.includes("pay=pending"));
    }
    const after = await snapshot(s, victim.payment.id);
    equal(after.status, "pending");
    equal(after.order_status, "pending_payment");
    equal(after.issues, 0);
    // The customer then approves in bKash and comes back: confirmed through execute.
    const res = await approveAndReturn(s, "bkash", id);
    ok(res.headers.get("location")!.includes("pay=ok"));
    equal((await snapshot(s, victim.payment.id)).order_status, "confirmed");
  }, { fakes: true });
});

Deno.test("returns: a bKash cancel the customer really made is applied from bKash's answer", async () => {
  await withShop(async (s) => {
    const { payment } = await startedOrder(s, "bkash");
    const cb = new URL(s.fakes!.bkash.cancel(payment.provider_ref));
    const res = await get(s, cb.pathname + cb.search);
    ok(res.headers.get("location")!.includes("pay=cancelled"));
    equal((await snapshot(s, payment.id)).status, "cancelled");
    const f = await startedOrder(s, "bkash");
    const fcb = new URL(s.fakes!.bkash.fail(f.payment.provider_ref));
    const fres = await get(s, fcb.pathname + fcb.search);
    ok(fres.headers.get("location")!.includes("pay=failed"));
    equal((await snapshot(s, f.payment.id)).status, "failed");
  }, { fakes: true });
});

Deno.test("returns: an outsider's Nagad callback changes nothing; the real one confirms", async () => {
  await withShop(async (s) => {
    const { payment } = await startedOrder(s, "nagad");
    const ref = encodeURIComponent(payment.provider_ref);
    for (const status of ["Aborted", "Failed", "Success"]) {
      const res = await get(s, `/webhooks/nagad/callback?payment_ref_id=${ref}&status=${status}`);
      ok(res.headers.get("location")!.includes("pay=pending"));
    }
    equal((await snapshot(s, payment.id)).status, "pending");
    const res = await approveAndReturn(s, "nagad", payment.provider_ref);
    ok(res.headers.get("location")!.includes("pay=ok"));
    equal((await snapshot(s, payment.id)).order_status, "confirmed");
  }, { fakes: true });
});

const TAIL = /-([A-Z2-7]{16})$/;

Deno.test("returns: merchant references are not guessable from the order number", async () => {
  await withShop(async (s) => {
    const a = await startedOrder(s, "sslcommerz");
    const b = await startedOrder(s, "bkash");
    const c = await startedOrder(s, "nagad");
    const refs = [a, b, c].map((x) => x.payment.merchant_ref as string);
    for (const [i, x] of [a, b, c].entries()) {
      const ref = refs[i];
      match(ref, TAIL, "16 base32 characters of randomness (80 bits)");
      ok(ref.length <= 30, "fits SSLCommerz's tran_id (30)");
      // The order number is still recognisable for support, but does not make the reference.
      ok(ref.startsWith(x.placed.number.replaceAll("-", "")), ref);
      notEqual(ref, `${x.placed.number}-1`);
    }
    const tails = refs.map((r) => r.match(TAIL)![1]);
    equal(new Set(tails).size, 3);
    // Consecutive orders' tails share no more characters in place than chance allows.
    const same = [...tails[0]].filter((ch, i) => ch === tails[1][i]).length;
    ok(same < 8, `${tails[0]} vs ${tails[1]}`);
    // What the providers were sent is the random reference.
    ok(s.fakes!.sslcommerz.byTranId(refs[0]));
    equal(s.fakes!.bkash.payments.get(b.payment.provider_ref)!.merchantInvoiceNumber, refs[1]);
    const nagadOrder = s.fakes!.nagad.payments.get(c.payment.provider_ref)!.orderId;
    equal(nagadOrder, `SD${tails[2]}`, "Nagad's orderId: letters and digits, under 20");
    // A retry is a fresh random reference too.
    const r = await retryOrderPayment(
      s.pay,
      a.placed.id,
      "bkash",
      null,
      offeredMethods(s.pay.providers, false),
    );
    const [p2] = await s.sql`select merchant_ref from shop_payments where id = ${r.paymentId}`;
    match(p2.merchant_ref, TAIL);
    notEqual(p2.merchant_ref.match(TAIL)![1], tails[0]);
    // Top-ups likewise.
    const user = await s.user();
    const t = await createTopup(s.pay, user.user.id, "bkash", 50_000);
    const [tp] = await s.sql`select merchant_ref from shop_payments where id = ${t}`;
    match(tp.merchant_ref, TAIL);
    ok(tp.merchant_ref.length <= 30);
    ok((await startPayment(s.pay, t, { origin: "http://localhost" })).ok, "bKash takes it");
    for (const method of ["nagad", "sslcommerz"] as const) {
      const id = await createTopup(s.pay, user.user.id, method, 50_000);
      ok((await startPayment(s.pay, id, { origin: "http://localhost" })).ok, method);
    }
  }, { fakes: true });
});

Deno.test("returns: references carry 80 random bits in every position", () => {
  const tails = Array.from({ length: 400 }, () => newMerchantRef("SD-2026-000008").match(TAIL)![1]);
  equal(new Set(tails).size, tails.length);
  for (let i = 0; i < 16; i++) {
    const seen = new Set(tails.map((t) => t[i]));
    ok(seen.size >= 24, `position ${i} takes many values (${seen.size})`);
  }
  match(newMerchantRef("SD-2026-0000001"), /^[A-Z0-9][A-Z0-9-]{3,29}$/);
  ok(newMerchantRef("SD-2026-12345678901").length <= 30);
});

Deno.test("returns: NUL bytes and over-long values in return and webhook parameters are 400", async () => {
  await withShop(async (s) => {
    const long = "A".repeat(5000);
    for (
      const path of [
        "/webhooks/bkash/callback?paymentID=TR%00X&status=success",
        `/webhooks/bkash/callback?paymentID=${long}&status=success`,
        "/webhooks/bkash/callback?paymentID=TR0011X&status=succ%00ess",
        "/webhooks/nagad/callback?payment_ref_id=%00&status=Success",
        `/webhooks/nagad/callback?payment_ref_id=${long}`,
        "/webhooks/sslcommerz/success?tran_id=SD%00",
      ]
    ) {
      const res = await get(s, path);
      equal(res.status, 400, path);
    }
    for (
      const [path, fields] of [
        ["/webhooks/sslcommerz/success", { tran_id: "SD-2026\u0000-1", val_id: "X" }],
        ["/webhooks/sslcommerz/success", { tran_id: "SD-2026-000001-1", val_id: "V\u0000" }],
        ["/webhooks/sslcommerz/fail", { tran_id: long }],
        ["/webhooks/sslcommerz/cancel", { tran_id: "SD1", val_id: long }],
        ["/webhooks/sslcommerz/ipn", { tran_id: "SD\u00001", verify_sign: "x", verify_key: "" }],
        ["/webhooks/sslcommerz/ipn", { tran_id: long, verify_sign: "x", verify_key: "" }],
      ] as const
    ) {
      const res = await s.fetch(path, form(fields));
      await res.body?.cancel();
      equal(res.status, 400, `${path} ${JSON.stringify(fields).slice(0, 60)}`);
    }
  }, { fakes: true });
});

Deno.test("returns: payments made before the change (order-number references) still work", async () => {
  await withShop(async (s) => {
    const legacy = async (method: PaymentMethod) => {
      const placed = await guestGheeOrder(s, method);
      const ref = `${placed.number}-1`;
      await s.sql`update shop_payments set merchant_ref = ${ref} where id = ${placed.paymentId}`;
      ok((await startPayment(s.pay, placed.paymentId!, { origin: "http://localhost" })).ok);
      const [p] = await s.sql`select * from shop_payments where id = ${placed.paymentId}`;
      return { placed, payment: p, ref };
    };
    const ssl = await legacy("sslcommerz");
    equal(ssl.payment.provider_ref, ssl.ref);
    // The old reference is guessable, but a forged fail still changes nothing.
    await (await s.fetch("/webhooks/sslcommerz/fail", form({ tran_id: ssl.ref }))).body?.cancel();
    equal((await snapshot(s, ssl.payment.id)).status, "pending");
    const fake = s.fakes!.sslcommerz;
    fake.faults.noIpn = true;
    const back = await fake.complete(fake.byTranId(ssl.ref)!.sessionkey, "pay");
    await (await s.fetch("/webhooks/sslcommerz/success", form(back.fields))).body?.cancel();
    equal((await snapshot(s, ssl.payment.id)).order_status, "confirmed");

    const nagad = await legacy("nagad");
    await approveAndReturn(s, "nagad", nagad.payment.provider_ref);
    equal((await snapshot(s, nagad.payment.id)).order_status, "confirmed");
  }, { fakes: true });
});
