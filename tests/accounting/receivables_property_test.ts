/**
 * A property of receivables (issue 13, "done when"): whatever sequence of shop sales (with
 * advances, payments, cash on delivery, refunds and returns), invoices on account, bank receipts,
 * partial allocations, credit notes and reversals arrives, the receivable control accounts equal
 * the open customer items, every item's settled part equals its allocations, every document's
 * total is its item's amount, and the document numbers have no gaps.
 */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import fc from "fast-check";
import type { Sql } from "@/services/platform/db.ts";
import { withTestDb } from "../helpers/db.ts";
import { type Accounting, type SaleEvent, ValidationError } from "@/services/accounting/mod.ts";
import { includedVat } from "@/services/shop/pricing.ts";
import { actor, ledgerOn } from "./_helpers.ts";

type Step =
  | { kind: "sale"; gross: number[]; fee: number; advance: boolean; customer: number }
  | { kind: "pay"; order: number; pct: number; method: "bkash" | "cod" }
  | { kind: "refund"; payment: number; pct: number }
  | { kind: "return"; order: number }
  | { kind: "invoice"; party: number; qty: number; terms: "cash" | "7" | "15" | "30" }
  | { kind: "receipt"; party: number; amount: number }
  | { kind: "allocate"; party: number; pct: number }
  | { kind: "credit"; invoice: number; qty: number }
  | { kind: "reverse"; receipt: number };

const pct = fc.integer({ min: 1, max: 150 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("sale" as const),
    gross: fc.array(fc.integer({ min: 1, max: 500_000 }), { minLength: 1, maxLength: 3 }),
    fee: fc.constantFrom(0, 5_000),
    advance: fc.boolean(),
    customer: fc.nat(2),
  }),
  fc.record({
    kind: fc.constant("pay" as const),
    order: fc.nat(),
    pct,
    method: fc.constantFrom("bkash" as const, "cod" as const),
  }),
  fc.record({ kind: fc.constant("refund" as const), payment: fc.nat(), pct }),
  fc.record({ kind: fc.constant("return" as const), order: fc.nat() }),
  fc.record({
    kind: fc.constant("invoice" as const),
    party: fc.nat(2),
    qty: fc.integer({ min: 1, max: 50 }),
    terms: fc.constantFrom("cash" as const, "7" as const, "15" as const, "30" as const),
  }),
  fc.record({
    kind: fc.constant("receipt" as const),
    party: fc.nat(2),
    amount: fc.integer({ min: 1, max: 2_000_000 }),
  }),
  fc.record({ kind: fc.constant("allocate" as const), party: fc.nat(2), pct }),
  fc.record({
    kind: fc.constant("credit" as const),
    invoice: fc.nat(),
    qty: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({ kind: fc.constant("reverse" as const), receipt: fc.nat() }),
);

async function invariants(sql: Sql, acc: Accounting) {
  const [c] = await sql`
    select coalesce(sum(l.debit_minor - l.credit_minor), 0)::bigint as v
      from acc_entry_lines l join acc_accounts a on a.id = l.account_id
     where a.code in ('1210', '1220')`;
  equal(Number(c.v), await acc.openTotal("receivable"), "receivables = open customer items");
  const bad = await sql`
    select i.id from acc_open_items i
      left join (select charge_item_id as id, sum(amount_minor) as v from acc_allocations group by 1) ch
        on ch.id = i.id
      left join (select settle_item_id as id, sum(amount_minor) as v from acc_allocations group by 1) se
        on se.id = i.id
     where i.amount_minor - i.open_minor <> coalesce(ch.v, 0) - coalesce(se.v, 0)`;
  equal(bad.length, 0, "settled parts = allocations");
  const docs = await sql`
    select d.number from acc_sales_documents d join acc_open_items i on i.document_id = d.id
     where i.amount_minor <> case when d.kind = 'invoice' then d.total_minor else -d.total_minor end`;
  equal(docs.length, 0, "documents = their items");
  const gaps = await sql`
    select kind, location, fiscal_year from acc_sales_documents
     group by 1, 2, 3 having max(seq) <> count(*)`;
  equal(gaps.length, 0, "no gaps in the numbers");
  const ag = await acc.ageing({ side: "receivable", asOf: "2027-06-30" });
  equal(ag.totals.balanceMinor, await acc.openTotal("receivable"));
}

Deno.test("property: receivables equal the open customer items after any mix of sales, payments, refunds, invoices, allocations and credit notes", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const acc = ledgerOn(sql);
    const customers = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    let seq = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 20 }), async (steps) => {
        const orders: { e: SaleEvent; returned: boolean }[] = [];
        const payments: { id: string; amount: number; refunded: number; e: SaleEvent }[] = [];
        const invoices: string[] = [];
        const receipts: number[] = [];
        const pay = async (e: SaleEvent, amount: number, method: "bkash" | "cod") => {
          const id = `pay-${++seq}`;
          await sql.begin((tx) =>
            method === "cod"
              ? acc.ledger.codCollected(tx, {
                orderId: e.orderId,
                orderNumber: e.orderNumber,
                rider: "Karim",
                deltaMinor: amount,
                key: id,
              })
              : acc.ledger.payment(tx, {
                paymentId: id,
                method,
                purpose: "order",
                amountMinor: amount,
                orderNumber: e.orderNumber,
                userId: e.buyer?.userId,
              })
          );
          if (method === "bkash") payments.push({ id, amount, refunded: 0, e });
        };
        for (const s of steps) {
          if (s.kind === "sale") {
            const n = ++seq;
            const lines = s.gross.map((g) => ({
              vatRateBp: 1500,
              lineTotalMinor: g,
              discountMinor: 0,
              vatMinor: includedVat(g, 1500),
              description: { en: `Item ${n}`, bn: `পণ্য ${n}` },
              quantity: 1,
              unitPriceMinor: g,
            }));
            const total = s.gross.reduce((a, b) => a + b, 0) + s.fee;
            const e: SaleEvent = {
              orderId: crypto.randomUUID(),
              orderNumber: `SD-2026-${String(n).padStart(6, "0")}`,
              totalMinor: total,
              discountMinor: 0,
              deliveryFeeMinor: s.fee,
              vatMinor: lines.reduce((a, l) => a + l.vatMinor, 0),
              lines,
              buyer: {
                userId: customers[s.customer],
                name: `Customer ${s.customer}`,
                destinationEn: "Gulshan, Dhaka",
                destinationBn: "গুলশান, ঢাকা",
                lang: s.customer === 1 ? "bn" : "en",
              },
            };
            if (s.advance) await pay(e, total, "bkash");
            await sql.begin((tx) => acc.ledger.shopSale(tx, e));
            orders.push({ e, returned: false });
          } else if (s.kind === "pay" && orders.length) {
            const o = orders[s.order % orders.length];
            await pay(o.e, Math.max(1, Math.round(o.e.totalMinor * s.pct / 100)), s.method);
          } else if (s.kind === "refund" && payments.length) {
            const p = payments[s.payment % payments.length];
            const amount = Math.min(p.amount - p.refunded, Math.round(p.amount * s.pct / 100));
            if (amount <= 0) continue;
            p.refunded += amount;
            await sql.begin((tx) =>
              acc.ledger.refund(tx, {
                refundId: `ref-${++seq}`,
                paymentId: p.id,
                method: "bkash",
                purpose: "order",
                amountMinor: amount,
                orderNumber: p.e.orderNumber,
              })
            );
          } else if (s.kind === "return" && orders.length) {
            const o = orders[s.order % orders.length];
            if (o.returned) continue;
            o.returned = true;
            await sql.begin((tx) => acc.ledger.shopReturn(tx, o.e));
          } else if (s.kind === "invoice") {
            const inv = await sql.begin((tx) =>
              acc.issueInvoiceOnAccount(tx, {
                customer: { ref: `b2b:${s.party}`, name: `Hotel ${s.party}`, address: "Dhaka" },
                lines: [{
                  description: { en: "Mishti doi" },
                  unit: { en: "pcs" },
                  quantity: s.qty,
                  unitPriceMinor: 9_999,
                  sdRateBp: s.qty % 2 ? 500 : 0,
                  vatRateBp: 1500,
                }],
                terms: s.terms,
                sourceRef: `inv-${++seq}`,
              })
            );
            invoices.push(inv.number);
          } else if (s.kind === "receipt") {
            const e = await sql.begin((tx) =>
              acc.poster.post(tx, {
                source: "prop.receipt",
                sourceRef: `rcpt-${++seq}`,
                date: acc.today(),
                journal: "BANK",
                lines: [
                  { account: "1151", debitMinor: s.amount },
                  { account: "1210", creditMinor: s.amount, partnerRef: `b2b:${s.party}` },
                ],
              })
            );
            receipts.push(e.id);
          } else if (s.kind === "allocate") {
            const items = await acc.openItems({ side: "receivable", party: `b2b:${s.party}` });
            const c = items.find((i) => i.openMinor > 0);
            const st = items.find((i) => i.openMinor < 0);
            if (!c || !st) continue;
            const most = Math.min(c.openMinor, -st.openMinor);
            const amount = Math.max(1, Math.round(most * s.pct / 100));
            await acc.allocate(
              { side: "receivable", chargeId: c.id, settleId: st.id, amountMinor: amount },
              actor,
            ).then(
              (r) => ok(amount <= most && r.chargeOpenMinor === c.openMinor - amount),
              (e) => ok(amount > most && e instanceof ValidationError, String(e)),
            );
          } else if (s.kind === "credit" && invoices.length) {
            const number = invoices[s.invoice % invoices.length];
            await acc.issueCreditNote(
              {
                invoiceNumber: number,
                reason: { en: "Returned" },
                quantities: { 0: String(s.qty) },
              },
              actor,
            ).catch((e) => ok(e instanceof ValidationError, String(e)));
          } else if (s.kind === "reverse" && receipts.length) {
            const id = receipts[s.receipt % receipts.length];
            if ((await acc.getEntry(id))?.reversedBy) continue;
            await acc.reverseEntry(id, {}, actor);
          }
          await invariants(sql, acc);
        }
      }),
      { numRuns: 25, seed: 20261207 },
    );
  });
});
