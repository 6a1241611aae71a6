/**
 * Demo data into the books (issue 13 §8): the seeded purchase history (receipts and approved
 * bills) posts through the same rules as the live ledger port, batched at the end, and the books
 * come out exactly as if the operations had posted one by one through `accounting.ledger`.
 */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import type { Sql, Tx } from "@/services/platform/db.ts";
import { createAccounting, createDemoBooks } from "@/services/accounting/mod.ts";
import { seedPurchase } from "@/services/purchase/seed.ts";

const NOW = new Date("2026-12-07T06:00:00Z");
const clock = { now: () => NOW };
/** The demo books record only; they never touch the operation's transaction. */
const noTx = null as unknown as Tx;

/** Every entry as (source, reference, date, journal, lines) in a stable order. */
async function books(sql: Sql) {
  const rows = await sql<
    { source: string; source_ref: string; entry_date: string; journal: string; lines: string }[]
  >`
    select e.source, e.source_ref, to_char(e.entry_date, 'YYYY-MM-DD') as entry_date, e.journal,
           (select string_agg(a.code || ':' || l.debit_minor || ':' || l.credit_minor || ':' ||
                              coalesce(l.partner_ref, ''), ' ' order by l.line_no)
              from acc_entry_lines l join acc_accounts a on a.id = l.account_id
             where l.entry_id = e.id) as lines
      from acc_entries e order by e.source, e.source_ref`;
  return rows.map((r) => ({ ...r }));
}

Deno.test("demo books: the seeded receipts and bills post as the live port would post them", async () => {
  // The live port, one posting per operation inside the operation's transaction.
  const live = await withTestDb(async (db) => {
    const accounting = createAccounting({ sql: db.sql, clock });
    await seedPurchase(db.sql, { clock, ledger: accounting.ledger });
    return await books(db.sql);
  });
  ok(live.some((e) => e.source === "purchase.receipt"), "the seed receives goods");
  ok(live.some((e) => e.source === "purchase.bill"), "the seed approves a bill");

  await withTestDb(async (db) => {
    const sql = db.sql;
    const demo = createDemoBooks(clock);
    await seedPurchase(sql, { clock, ledger: demo.port });
    // Nothing in the books until the flush; then the same entries as the live port's.
    equal((await books(sql)).length, 0);
    equal(demo.pending(), live.length);
    const first = await demo.flush(sql);
    equal(first.created, live.length);
    equal(await books(sql), live);
    equal(demo.pending(), 0);

    // A second run of the seeds skips (suppliers exist) and a second flush posts nothing.
    await seedPurchase(sql, { clock, ledger: demo.port });
    equal((await demo.flush(sql)).created, 0);
    equal((await books(sql)).length, live.length);

    // The books balance and show the purchases.
    const a = createAccounting({ sql, clock });
    const tb = await a.trialBalance({ from: "2026-07-01", to: "2026-12-31" });
    equal(tb.totals.closingMinor, 0);
    const closing = (c: string) => tb.rows.find((r) => r.account.code === c)?.closingMinor ?? 0;
    ok(closing("2110") < 0, "owed to suppliers");
    // Feed received and billed (owed to the supplier); medicine received, its bill not approved
    // yet (goods received not invoiced).
    ok(closing("1350") > 0 && closing("1360") > 0, "feed and medicine in stock");
    equal(closing("2110"), -closing("1350"));
    equal(closing("2140"), -closing("1360"));
  });
});

Deno.test("demo books: a thousand events post in one batch, each once", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const demo = createDemoBooks(clock);
    for (let i = 0; i < 1_200; i++) {
      await demo.port.payment(noTx, {
        paymentId: `pay-${i}`,
        method: (["bkash", "nagad", "cod"] as const)[i % 3],
        amountMinor: 10_000 + i,
        purpose: "order",
        orderNumber: `SD-${1000 + i}`,
      });
    }
    // The same event twice (a retried operation): once in the books.
    await demo.port.payment(noTx, {
      paymentId: "pay-7",
      method: "nagad",
      amountMinor: 10_007,
      purpose: "order",
      orderNumber: "SD-1007",
    });
    const t0 = performance.now();
    const r = await demo.flush(sql);
    const ms = performance.now() - t0;
    equal(r.created, 1_200);
    const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from acc_entries`;
    equal(n, 1_200);
    console.log(`demo books: 1,200 payments posted in ${ms.toFixed(0)} ms`);
  });
});
