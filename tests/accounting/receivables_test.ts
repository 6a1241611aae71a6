/**
 * Receivables and payables (issue 13 §4): open items from invoices, bills and payments, partial
 * allocation and credit on account, ageing buckets as of a date, and the control accounts equal
 * to the open items after a mix of shop sales, payments, refunds, invoices on account,
 * allocations and credit notes.
 */
import { deepStrictEqual as equal, ok, rejects } from "node:assert/strict";
import type { Sql } from "@/services/platform/db.ts";
import { withTestDb } from "@/tests/helpers/db.ts";
import { type Accounting, NotFoundError, ValidationError } from "@/services/accounting/mod.ts";
import { dhakaInstant } from "@/services/platform/dhaka.ts";
import { deliverAsAdmin, guestGheeOrder, withShop } from "../shop/_helpers.ts";
import { approveAndReturn, startedOrder } from "../payments/_fakes.ts";
import { actor, ledgerOn, received } from "./_helpers.ts";

/** Balance (debit − credit) of accounts. */
async function bal(sql: Sql, codes: string[]): Promise<number> {
  const [r] = await sql`
    select coalesce(sum(l.debit_minor - l.credit_minor), 0)::bigint as v
    from acc_entry_lines l join acc_accounts a on a.id = l.account_id
    where a.code = any(${codes}::text[])`;
  return Number(r.v);
}

/** Receivables 1210 + 1220 = open customer items; payables 2110 = open supplier items. */
async function controlsMatch(sql: Sql, acc: Accounting, when: string) {
  equal(await bal(sql, ["1210", "1220"]), await acc.openTotal("receivable"), `AR ${when}`);
  equal(0 - (await bal(sql, ["2110"])), await acc.openTotal("payable"), `AP ${when}`);
}

const doi = (quantity: number, price = 10_000) => ({
  description: { en: "Mishti doi 500 g", bn: "মিষ্টি দই ৫০০ গ্রাম" },
  unit: { en: "pcs", bn: "টি" },
  quantity,
  unitPriceMinor: price,
  vatRateBp: 1500,
});

function customer(ref: string, name = "Hotel Sonargaon") {
  return { ref, name, address: "Karwan Bazar, Dhaka", lang: "en" as const };
}

async function onAccount(acc: Accounting, sql: Sql, party: string, qty: number, terms = "30") {
  return await sql.begin((tx) =>
    acc.issueInvoiceOnAccount(tx, {
      customer: customer(party),
      lines: [doi(qty)],
      terms: terms as "30",
      sourceRef: crypto.randomUUID(),
    })
  );
}

Deno.test("partial allocation leaves the right open amount; the rest of a payment is a credit on account", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const acc = ledgerOn(sql);
    const a = await onAccount(acc, sql, "b2b:1", 10); // ৳1,150
    const b = await onAccount(acc, sql, "b2b:1", 20); // ৳2,300
    await received(acc, sql, "b2b:1", 400_000, "2026-12-07"); // ৳4,000
    const items = await acc.openItems({ side: "receivable", party: "b2b:1" });
    const pay = items.find((i) => i.amountMinor < 0)!;
    const ia = items.find((i) => i.documentNumber === a.number)!;
    const ib = items.find((i) => i.documentNumber === b.number)!;
    // ৳500 of invoice A first.
    const r1 = await acc.allocate(
      { side: "receivable", chargeId: ia.id, settleId: pay.id, amountMinor: 50_000 },
      actor,
    );
    equal(r1, { chargeOpenMinor: 115_000 - 50_000, settleOpenMinor: -350_000 });
    // More than is open on A: refused, nothing changes.
    await rejects(
      acc.allocate(
        { side: "receivable", chargeId: ia.id, settleId: pay.id, amountMinor: 65_001 },
        actor,
      ),
      (e) => e instanceof ValidationError && "amount" in e.fieldErrors,
    );
    await acc.allocate({
      side: "receivable",
      chargeId: ia.id,
      settleId: pay.id,
      amountMinor: 65_000,
    }, actor);
    await acc.allocate({
      side: "receivable",
      chargeId: ib.id,
      settleId: pay.id,
      amountMinor: 230_000,
    }, actor);
    const left = await acc.openItems({ side: "receivable", party: "b2b:1" });
    // Both invoices settled; ৳4,000 − ৳3,450 = ৳550 stays as a credit on account.
    equal(left.map((i) => [i.id, i.openMinor]), [[pay.id, -55_000]]);
    // Another party's invoice cannot take this payment.
    const c = await onAccount(acc, sql, "b2b:2", 1);
    const ic = (await acc.openItems({ side: "receivable", party: "b2b:2" }))[0];
    await rejects(
      acc.allocate(
        { side: "receivable", chargeId: ic.id, settleId: pay.id, amountMinor: 100 },
        actor,
      ),
      (e) => e instanceof ValidationError && "settle" in e.fieldErrors,
    );
    await rejects(
      acc.allocate(
        { side: "receivable", chargeId: 999_999, settleId: pay.id, amountMinor: 1 },
        actor,
      ),
      NotFoundError,
    );
    ok(c.number);
    await controlsMatch(sql, acc, "after allocations");
  });
});

Deno.test("ageing puts open amounts in 0–30, 31–60, 61–90 and >90 days past due as of a date", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const issue = async (date: string, qty: number, terms: string) => {
      const acc = ledgerOn(sql, dhakaInstant(date, "12:00"));
      return await onAccount(acc, sql, "b2b:9", qty, terms);
    };
    await issue("2026-08-01", 1, "30"); // due 31 Aug: 98 days past due on 7 Dec
    await issue("2026-09-20", 2, "15"); // due 5 Oct: 63 days
    await issue("2026-10-10", 3, "7"); // due 17 Oct: 51 days
    await issue("2026-12-01", 4, "30"); // due 31 Dec: not yet due
    const acc = ledgerOn(sql);
    await received(acc, sql, "b2b:9", 20_000, "2026-12-05"); // unallocated: a credit
    const ag = await acc.ageing({ side: "receivable", asOf: "2026-12-07" });
    const row = ag.rows.find((r) => r.party === "b2b:9")!;
    equal(row.name, "Hotel Sonargaon");
    equal(row.buckets, { d0_30: 46_000, d31_60: 34_500, d61_90: 23_000, d90: 11_500 });
    equal(row.creditMinor, -20_000);
    equal(row.balanceMinor, 115_000 - 20_000);
    // As of an earlier date: only what existed then, aged from then.
    const before = await acc.ageing({ side: "receivable", asOf: "2026-10-20" });
    equal(before.rows.find((r) => r.party === "b2b:9")!.buckets, {
      d0_30: 23_000 + 34_500, // due 5 Oct (15 days) and 17 Oct (3 days)
      d31_60: 11_500, // due 31 Aug: 50 days
      d61_90: 0,
      d90: 0,
    });
    // An allocation made later settles as of the later of its two items' dates.
    const items = await acc.openItems({ side: "receivable", party: "b2b:9" });
    const oldest = items.find((i) => i.date === "2026-08-01")!;
    const pay = items.find((i) => i.amountMinor < 0)!;
    await acc.allocate(
      { side: "receivable", chargeId: oldest.id, settleId: pay.id, amountMinor: 5_000 },
      actor,
    );
    equal(
      (await acc.ageing({ side: "receivable", asOf: "2026-12-07" })).rows[0].buckets.d90,
      6_500,
    );
    equal(
      (await acc.ageing({ side: "receivable", asOf: "2026-12-04" })).rows[0].buckets.d90,
      11_500,
    );
  });
});

Deno.test("payables: supplier bills and payments are open items of the supplier, aged", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const acc = ledgerOn(sql);
    await acc.saveParty({ ref: "supplier:12", side: "payable", name: "Meghna Feeds" });
    const post = (date: string, lines: { account: string; d?: number; c?: number }[]) =>
      sql.begin((tx) =>
        acc.poster.post(tx, {
          source: "test.ap",
          sourceRef: crypto.randomUUID(),
          date,
          journal: "PURCHASE",
          lines: lines.map((l) => ({
            account: l.account,
            debitMinor: l.d,
            creditMinor: l.c,
            partnerRef: l.account === "2110" ? "supplier:12" : undefined,
          })),
        })
      );
    await post("2026-09-01", [{ account: "1350", d: 500_000 }, { account: "2110", c: 500_000 }]);
    await post("2026-11-20", [{ account: "1350", d: 300_000 }, { account: "2110", c: 300_000 }]);
    await post("2026-12-01", [{ account: "2110", d: 200_000 }, { account: "1151", c: 200_000 }]);
    const items = await acc.openItems({ side: "payable", party: "supplier:12" });
    equal(items.map((i) => i.amountMinor), [500_000, 300_000, -200_000]);
    await acc.allocate(
      { side: "payable", chargeId: items[0].id, settleId: items[2].id, amountMinor: 200_000 },
      actor,
    );
    const ag = await acc.ageing({ side: "payable", asOf: "2026-12-07" });
    equal(ag.rows.map((r) => [r.name, r.buckets, r.balanceMinor]), [[
      "Meghna Feeds",
      { d0_30: 300_000, d31_60: 0, d61_90: 0, d90: 300_000 },
      600_000,
    ]]);
    await controlsMatch(sql, acc, "payables");
  });
});

Deno.test("receivables equal the open customer items after sales, payments, refunds, allocations and credit notes", async () => {
  await withShop(async (s) => {
    const sql = s.sql;
    const acc = s.deps.accounting;
    await controlsMatch(sql, acc, "at the start");
    // A bKash order: paid (an advance), delivered (invoice settles against it), refunded (6.7).
    const { placed, payment } = await startedOrder(s, "bkash");
    await approveAndReturn(s, "bkash", payment.provider_ref);
    await controlsMatch(sql, acc, "after the advance");
    await deliverAsAdmin(s, placed.id);
    await controlsMatch(sql, acc, "after the delivery");
    const [{ total }] = await sql`select total_minor::int as total from shop_orders
                                   where id = ${placed.id}`;
    await s.deps.payments.refund({
      paymentId: payment.id,
      amountMinor: total,
      reason: "leak",
      actorId: null,
    });
    await controlsMatch(sql, acc, "after the refund");
    // A COD order delivered with the rider short by ৳10: ৳10 stays open on the order.
    const cod = await guestGheeOrder(s, "cod");
    const [{ total: codTotal, number }] = await sql`
      select total_minor::int as total, number from shop_orders where id = ${cod.id}`;
    await deliverAsAdmin(s, cod.id, { rider: "Karim", amountMinor: codTotal - 1_000 });
    await controlsMatch(sql, acc, "after COD");
    const codItems = (await acc.openItems({ side: "receivable" })).filter((i) =>
      i.partnerRef === `order:${number}`
    );
    equal(codItems.map((i) => i.openMinor), [1_000]);
    // B2B on account, a partial payment, a partial credit note.
    const inv = await onAccount(acc, sql, "b2b:5", 30);
    await received(acc, sql, "b2b:5", 100_000, "2026-12-07");
    const b2b = await acc.openItems({ side: "receivable", party: "b2b:5" });
    await acc.allocate({
      side: "receivable",
      chargeId: b2b.find((i) => i.amountMinor > 0)!.id,
      settleId: b2b.find((i) => i.amountMinor < 0)!.id,
      amountMinor: 60_000,
    }, actor);
    await controlsMatch(sql, acc, "after the allocation");
    await acc.issueCreditNote({
      invoiceNumber: inv.number,
      reason: { en: "5 returned" },
      quantities: { 0: "5" },
    }, actor);
    await controlsMatch(sql, acc, "after the credit note");
    const open = await acc.openItems({ side: "receivable", party: "b2b:5" });
    equal(open.reduce((a, i) => a + i.openMinor, 0), 345_000 - 100_000 - 57_500);
  }, { fakes: true });
});
