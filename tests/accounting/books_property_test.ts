/**
 * The books as a consequence of operations, under random sequences (issue 13, done-when): fast-check
 * generates runs of shop orders paid by bKash (some refunded after delivery), cash-on-delivery
 * orders (riders sometimes short at hand-in), purchase receipts with their bills (sometimes at a
 * changed price) and production orders (over or under the expected yield), all through the real
 * use cases as contexts.ts wires them. After every operation: each entry balances, the trial
 * balance sums to zero, receivables and payables equal their open items, each inventory account
 * equals the stock valued by the chosen method, and the month's VAT payable (Mushak 9.1) equals
 * output minus input VAT as the VAT accounts moved.
 */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import fc from "fast-check";
import type { Sql } from "@/services/platform/db.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { deliverOrder, guestGheeOrder, type ShopTest, withShop } from "../shop/_helpers.ts";
import { approveAndReturn, startedOrder } from "../payments/_fakes.ts";
import { purchaseOn, sentOrder } from "../purchase/_helpers.ts";
import { milkBom, milkItems } from "../production/_helpers.ts";
import { boughtLot } from "./_helpers.ts";

const actor = { id: null, name: "property test" };

type Op =
  | { kind: "bkash"; refund: boolean }
  | { kind: "cod"; shortMinor: number }
  | { kind: "purchase"; kg: number; newPriceMinor: number | null }
  | { kind: "production"; planned: number; off: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("bkash" as const), refund: fc.boolean() }),
  fc.record({ kind: fc.constant("cod" as const), shortMinor: fc.constantFrom(0, 0, 500, 2_000) }),
  fc.record({
    kind: fc.constant("purchase" as const),
    kg: fc.integer({ min: 1, max: 100 }),
    newPriceMinor: fc.option(fc.integer({ min: 4_000, max: 5_000 }), { nil: null }),
  }),
  fc.record({
    kind: fc.constant("production" as const),
    planned: fc.integer({ min: 10, max: 40 }),
    off: fc.integer({ min: -3, max: 2 }),
  }),
);

async function sumOf(sql: Sql, codes: string[], from?: string, to?: string): Promise<number> {
  const [r] = await sql`
    select coalesce(sum(l.debit_minor - l.credit_minor), 0)::bigint as v
      from acc_entry_lines l join acc_accounts a on a.id = l.account_id
      join acc_entries e on e.id = l.entry_id
     where a.code = any(${codes}::text[])
       and (${from ?? null}::date is null or e.entry_date between ${from ?? null}::date and ${
    to ?? null
  }::date)`;
  return Number(r.v);
}

async function invariants(s: ShopTest, after: string) {
  const sql = s.sql;
  const acc = s.deps.accounting;
  const unbalanced = await sql`
    select entry_id from acc_entry_lines group by entry_id
    having sum(debit_minor) <> sum(credit_minor)`;
  equal(unbalanced.length, 0, `unbalanced entries after ${after}`);
  const tb = await acc.trialBalance({ from: "2020-01-01", to: "2035-12-31" });
  equal(tb.totals.closingMinor, 0, `trial balance after ${after}`);
  equal(await sumOf(sql, ["1210", "1220"]), await acc.openTotal("receivable"), `AR ${after}`);
  equal(0 - (await sumOf(sql, ["2110"])), await acc.openTotal("payable"), `AP ${after}`);
  const valuation = await acc.stockValuation();
  for (const a of valuation.accounts) {
    equal([a.code, a.valuedMinor], [a.code, a.ledgerMinor], `inventory ${a.code} after ${after}`);
  }
  const month = dhakaDate(s.clock.now()).slice(0, 7);
  const r = await acc.vatReturn(month);
  const output = 0 - (await sumOf(sql, ["2310"], r.from, r.to));
  const input = await sumOf(sql, ["1410"], r.from, r.to);
  equal(r.netPayableMinor, output - input, `VAT payable after ${after}`);
}

Deno.test("property: random operations keep the books balanced and equal to receivables, stock and VAT", async () => {
  await withShop(async (s) => {
    const sql = s.sql;
    const day = dhakaDate(s.clock.now());
    const { user: staff } = await s.user(["admin"]);
    const totalOf = async (id: string) =>
      (await sql`select total_minor::int as t from shop_orders where id = ${id}`)[0].t as number;

    // Purchasing's items, and production's: raw milk and pouches bought at a price, so that
    // everything production consumes has a cost.
    await purchaseOn(sql);
    const purchase = { sql, inventory: s.deps.inventory, purchase: s.deps.purchase };
    await milkItems(s.deps, sql);
    await s.deps.production.saveBomVersion(milkBom(), actor);
    for (
      const [itemCode, kind, qty, locationCode, valueMinor] of [
        ["RAW-MILK", "raw_milk", 4_000_000, "PLANT-SILO", 20_000_000],
        ["PKG-POUCH-1L", "packaging", 4_000, "PLANT-DRY", 800_000],
      ] as const
    ) {
      await boughtLot(s.deps, sql, {
        itemCode,
        kind,
        locationCode,
        qty,
        valueMinor,
        producedOn: day,
        receiptNumber: `GRN-P-${itemCode}`,
        orderNumber: "PO-P-1",
        attrs: itemCode === "RAW-MILK" ? { fat: 4.2, snf: 8.3 } : undefined,
      });
    }
    await invariants(s, "the set-up");

    let n = 0;
    const run = async (op: Op) => {
      n++;
      if (op.kind === "bkash") {
        const { placed, payment } = await startedOrder(s, "bkash");
        await approveAndReturn(s, "bkash", payment.provider_ref);
        await deliverOrder(s, placed.id, staff.id);
        if (op.refund) {
          await s.deps.payments.refund({
            paymentId: payment.id,
            amountMinor: await totalOf(placed.id),
            reason: "returned",
            actorId: null,
          });
        }
      } else if (op.kind === "cod") {
        const placed = await guestGheeOrder(s, "cod");
        const total = await totalOf(placed.id);
        const rider = `Rider ${n}`;
        const riderId = (await s.user(["rider"])).user.id;
        await deliverOrder(s, placed.id, staff.id, { riderId, rider, amountMinor: total });
        await s.deps.payments.recordHandin({
          riderId,
          rider,
          handedOn: day,
          amountMinor: total - op.shortMinor,
          actorId: staff.id,
        });
      } else if (op.kind === "purchase") {
        const { order, feed } = await sentOrder(purchase);
        await s.deps.purchase.receiveGoods(order.id, {
          receivedOn: day,
          locationCode: "PLANT-DRY",
          lines: [{ orderLineId: feed.id, qty: String(op.kg) }],
        }, actor);
        const bill = await s.deps.purchase.enterBill({
          orderId: order.id,
          billNumber: `INV-${n}`,
          billDate: day,
          lines: [{
            orderLineId: feed.id,
            qty: String(op.kg),
            ...(op.newPriceMinor ? { unitPriceMinor: op.newPriceMinor } : {}),
          }],
        }, actor);
        await s.deps.purchase.approveBill(bill.id, { reason: "price agreed" }, actor);
      } else {
        const o = await s.deps.production.createOrder({
          outputItemCode: "FG-TMILK-1000",
          plannedQty: String(op.planned),
          plannedOn: day,
          outputLocation: "PLANT-COLD1",
        }, actor);
        await s.deps.production.startOrder(o.id, { mode: "fefo", on: day }, actor);
        await s.deps.production.finishOrder(o.id, {
          actualQty: op.planned + op.off,
          producedOn: day,
        }, actor);
      }
      await invariants(s, `${op.kind} #${n}`);
    };

    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 2, maxLength: 6 }), async (ops) => {
        for (const op of ops) await run(op);
      }),
      { numRuns: 6, endOnFailure: true },
    );
    // The runs did operate: orders, bills and production orders all reached the books.
    const sources = new Set(
      (await sql`select distinct source from acc_entries`).map((r) => r.source as string),
    );
    ok(n >= 8, `${n} operations`);
    console.log(`${n} operations; sources: ${[...sources].sort().join(", ")}`);
  }, { fakes: true });
});
