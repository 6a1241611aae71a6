import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { reconcile, sweepPayments } from "@/services/payments/reconciliation.ts";
import { staffSetStatus } from "@/services/shop/staff_orders.ts";
import { recordHandin } from "@/services/payments/cod.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { type ShopTest, stockOf, withShop } from "../shop/_helpers.ts";
import { startedOrder } from "./_fakes.ts";

const ago = (s: ShopTest, id: string, minutes: number) =>
  s.sql`update shop_payments set created_at = now() - ${minutes + " minutes"}::interval,
    updated_at = now() - ${minutes + " minutes"}::interval where id = ${id}`;

Deno.test("sweep: a payment whose customer never came back is confirmed by asking bKash", async () => {
  await withShop(async (s) => {
    const { placed, payment } = await startedOrder(s, "bkash");
    // Paid at bKash (executed), but our callback never arrived.
    const fp = s.fakes!.bkash.payments.get(payment.provider_ref)!;
    fp.state = "Completed";
    fp.trxID = "LOSTCALLBK";
    await ago(s, payment.id, 15);
    const r = await sweepPayments({ ...s.pay, keyring: s.deps.keyring });
    equal(r.confirmed, 1);
    const [o] = await s.sql`select status from shop_orders where id = ${placed.id}`;
    equal(o.status, "confirmed");
  }, { fakes: true });
});

Deno.test("sweep: abandoned payments expire and their orders are cancelled with stock returned", async () => {
  await withShop(async (s) => {
    const before = await stockOf(s.sql, "GHEE-500");
    const { placed, payment } = await startedOrder(s, "sslcommerz");
    equal(await stockOf(s.sql, "GHEE-500"), before - 1);
    await ago(s, payment.id, 90);
    await s
      .sql`update shop_orders set placed_at = now() - interval '90 minutes' where id = ${placed.id}`;
    const r = await sweepPayments({ ...s.pay, keyring: s.deps.keyring });
    equal(r.expired, 1);
    equal(r.ordersCancelled, 1);
    const [o] = await s.sql`select status from shop_orders where id = ${placed.id}`;
    equal(o.status, "cancelled");
    equal(await stockOf(s.sql, "GHEE-500"), before);
  }, { fakes: true });
});

Deno.test("reconcile: every difference with the provider becomes a finding", async () => {
  await withShop(async (s) => {
    const a = await startedOrder(s, "bkash");
    const b = await startedOrder(s, "bkash");
    // A paid properly, then bKash's record says otherwise (e.g. reversed).
    s.fakes!.bkash.approve(a.payment.provider_ref);
    await s.fetch(`/webhooks/bkash/callback?paymentID=${a.payment.provider_ref}&status=success`);
    s.fakes!.bkash.payments.get(a.payment.provider_ref)!.state = "Failed";
    // B cancelled on our side (the customer cancelled in bKash), but later completed at bKash.
    const cancelled = new URL(s.fakes!.bkash.cancel(b.payment.provider_ref));
    await s.fetch(cancelled.pathname + cancelled.search);
    const fb = s.fakes!.bkash.payments.get(b.payment.provider_ref)!;
    fb.state = "Completed";
    fb.trxID = "LATE000001";
    const r = await reconcile(s.pay);
    equal(r.flagged, 2);
    const kinds =
      (await s.sql`select kind from shop_reconciliation_issues where status = 'open' order by kind`)
        .map((x) => x.kind);
    equal(kinds.join(","), "provider_paid_we_did_not,we_paid_provider_did_not");
    await reconcile(s.pay);
    const [{ n }] = await s.sql`select count(*)::int as n from shop_reconciliation_issues`;
    equal(n, 2, "flagging again does not duplicate");
  }, { fakes: true });
});

Deno.test("reconcile: cash on delivery short-collected and rider hand-ins that differ are flagged", async () => {
  await withShop(async (s) => {
    const staff = await s.user(["sales"]);
    const ctx = { ...s.pay, keyring: s.deps.keyring };
    const a = await startedOrder(s, "cod");
    const b = await startedOrder(s, "cod");
    for (const o of [a, b]) {
      for (const to of ["packed", "out_for_delivery"] as const) {
        await staffSetStatus(ctx, { orderId: o.placed.id, to, actorId: staff.user.id });
      }
    }
    await staffSetStatus(ctx, {
      orderId: a.placed.id,
      to: "delivered",
      actorId: staff.user.id,
      cod: { riderId: staff.user.id, rider: "Karim", amountMinor: a.placed.totalMinor },
    });
    await staffSetStatus(ctx, {
      orderId: b.placed.id,
      to: "delivered",
      actorId: staff.user.id,
      cod: { riderId: staff.user.id, rider: "Karim", amountMinor: b.placed.totalMinor - 5000 },
    });
    const [pa] = await s.sql`select status from shop_payments where order_id = ${a.placed.id}`;
    equal(pa.status, "succeeded");
    const [pb] = await s.sql`select status from shop_payments where order_id = ${b.placed.id}`;
    equal(pb.status, "pending", "short cash does not settle the order");
    // Yesterday's collections against a short hand-in.
    await s.sql`update shop_cod_collections set collected_on = current_date - 1`;
    const yesterday = (await s.sql`select (current_date - 1)::text as d`)[0].d;
    await s.sql.begin((tx) =>
      recordHandin(tx, {
        riderId: staff.user.id,
        rider: "Karim",
        handedOn: yesterday,
        amountMinor: 1000,
        actorId: staff.user.id,
      })
    );
    await reconcile(s.pay);
    const kinds =
      (await s.sql`select kind from shop_reconciliation_issues where status = 'open' order by kind`)
        .map((x) => x.kind);
    ok(kinds.includes("cod_not_collected"));
    ok(kinds.includes("cod_rider_difference"));
    void dhakaDate;
  });
});

Deno.test("bank statement: credits naming the order with the exact amount are applied once", async () => {
  await withShop(async (s) => {
    // One import for every bank account: the books' (accounting), matching through payments.
    const bank = s.deps.accounting.bank;
    const dbbl = (await bank.listAccounts()).find((a) => a.code === "1151")!;
    await bank.saveAccount(dbbl.id, {
      code: "1151",
      bankName: dbbl.bankName,
      format: { preset: "generic" },
    });
    const { placed } = await startedOrder(s, "bank_transfer");
    const other = await startedOrder(s, "bank_transfer");
    const number = placed.number.replaceAll("-", " ").toLowerCase();
    const csv = `date,amount,reference,description
2026-03-01,${(placed.totalMinor / 100).toFixed(2)},"${number}",Transfer from R. Begum
2026-03-01,100.00,${other.placed.number},Part payment
2026-03-01,-50.00,FEE,Bank charge
2026-03-01,250.00,HELLO,Unknown`;
    const actor = { id: null, name: "test" };
    const r1 = await bank.importFile({ bankAccountId: dbbl.id, text: csv }, actor);
    equal(r1.matched, 1);
    equal(r1.review, 3);
    const r2 = await bank.importFile({ bankAccountId: dbbl.id, text: csv }, actor);
    equal(r2.duplicates, 4, "the same lines again count once");
    const [o] = await s
      .sql`select status, paid_minor::int as paid from shop_orders where id = ${placed.id}`;
    equal(o.status, "confirmed");
    equal(o.paid, placed.totalMinor);
    const [o2] = await s.sql`select status from shop_orders where id = ${other.placed.id}`;
    equal(o2.status, "pending_payment", "a partial credit waits for review");
    deepStrictEqual((await bank.queue(dbbl.id)).map((l) => l.reference), [
      other.placed.number,
      "FEE",
      "HELLO",
    ]);
  });
});
