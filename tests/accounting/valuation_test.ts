/**
 * Stock valuation (issue 13 §2): FIFO and moving average on a hand-computed sequence of
 * receipts, scrap and a found count, through the ledger port the operations call; the inventory
 * account equals what the valuation holds; a repeated event values and posts once; the method is
 * chosen per item, per kind or by default, and bad settings are refused on their field.
 */
import { deepStrictEqual as equal, rejects } from "node:assert/strict";
import type { Sql } from "@/services/platform/db.ts";
import { AccountingError, type StockLine } from "@/services/accounting/mod.ts";
import { withTestDb } from "../helpers/db.ts";
import { actor, balanceOf, ledgerOn, receiptBooked } from "./_helpers.ts";

async function held(sql: Sql, item: string): Promise<{ qty: number; value: number }> {
  const [r] = await sql`select qty::int, value_minor::int as value from acc_stock_items
                        where item_code = ${item}`;
  return r ? { qty: r.qty, value: r.value } : { qty: 0, value: 0 };
}

/** The sequence: in 10 kg at ৳10/kg, in 10 kg at ৳13/kg, scrap 15 kg, in 5 kg at ৳12/kg,
 * scrap 8 kg, then 1 kg found by a count. Returns the costs seen. */
async function run(sql: Sql, item: string, tag: string) {
  const a = ledgerOn(sql);
  const line = (qty: number): StockLine => ({ itemCode: item, kind: "ingredient", qty });
  const receipt = (n: number, qty: number, valueMinor: number) =>
    receiptBooked(a, sql, { receiptNumber: `GRN-${tag}-${n}`, orderNumber: `PO-${tag}` }, {
      itemCode: item,
      kind: "ingredient",
      valueMinor,
      qty,
    });
  const scrap = (id: number, qty: number) =>
    sql.begin((tx) =>
      a.ledger.stockScrapped(tx, {
        scrapId: id,
        lotCode: `LOT-${tag}`,
        reason: "damaged",
        line: line(qty),
      })
    );
  await receipt(1, 10_000, 100_000);
  await receipt(2, 10_000, 130_000);
  await scrap(1, 15_000);
  await receipt(3, 5_000, 60_000);
  await scrap(2, 8_000);
  const afterScraps = await held(sql, item);
  await sql.begin((tx) =>
    a.ledger.stockCounted(tx, {
      countId: 1,
      locationCode: "PLANT-DRY",
      lines: [{ itemCode: item, kind: "ingredient", diff: 1_000 }],
    })
  );
  return { afterScraps, end: await held(sql, item) };
}

Deno.test("FIFO: the oldest cost leaves first; the inventory account equals the layers", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const r = await run(sql, "ING-SUGAR", "F");
    // Scrap 15 kg: 10 kg at ৳10 + 5 kg at ৳13 = ৳1,650.00 left stock.
    const [s1] = await sql`select debit_total_minor::int as v from acc_entries
                           where source = 'inventory.scrap' and source_ref = '1'`;
    equal(s1.v, 100_000 + 65_000);
    // Then in 5 kg at ৳12; scrap 8 kg: 5 kg at ৳13 + 3 kg at ৳12 = ৳1,010.00.
    const [s2] = await sql`select debit_total_minor::int as v from acc_entries
                           where source = 'inventory.scrap' and source_ref = '2'`;
    equal(s2.v, 65_000 + 36_000);
    equal(r.afterScraps, { qty: 2_000, value: 24_000 });
    // 1 kg found at the newest layer's cost (৳12/kg).
    equal(r.end, { qty: 3_000, value: 36_000 });
    equal(await balanceOf(sql, "1320"), 36_000);
    equal(await balanceOf(sql, "5120"), 165_000 + 101_000 - 12_000);
    equal(await balanceOf(sql, "2140"), -(100_000 + 130_000 + 60_000));
    // The layers left: 2 kg at ৳12 and the 1 kg found at ৳12.
    const layers = await sql`select qty_left::int as q, value_left::int as v from acc_cost_layers
                             where item_code = 'ING-SUGAR' order by id`;
    equal(layers.map((l) => [l.q, l.v]), [[2_000, 24_000], [1_000, 12_000]]);
  });
});

Deno.test("moving average: each issue at the average held; a repeated event posts once", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    await a.setValuationMethod({ scope: "item:ING-SALT", method: "average" }, actor);
    const r = await run(sql, "ING-SALT", "A");
    // Scrap 15 kg of 20 kg worth ৳2,300: ৳1,725.00.
    const [s1] = await sql`select debit_total_minor::int as v from acc_entries
                           where source = 'inventory.scrap' and source_ref = '1'`;
    equal(s1.v, 172_500);
    // 5 kg worth ৳575 + 5 kg at ৳600 = 10 kg worth ৳1,175; scrap 8 kg: ৳940.00.
    const [s2] = await sql`select debit_total_minor::int as v from acc_entries
                           where source = 'inventory.scrap' and source_ref = '2'`;
    equal(s2.v, 94_000);
    equal(r.afterScraps, { qty: 2_000, value: 23_500 });
    // Found 1 kg at the average ৳11.75/kg.
    equal(r.end, { qty: 3_000, value: 35_250 });
    equal(await balanceOf(sql, "1320"), 35_250);
    // One layer only.
    const layers = await sql`select qty_left::int as q, value_left::int as v from acc_cost_layers
                             where item_code = 'ING-SALT'`;
    equal(layers.map((l) => [l.q, l.v]), [[3_000, 35_250]]);

    // The same scrap and count once more: nothing moves, nothing posts.
    const before = await sql`select count(*)::int as n from acc_entries`;
    await sql.begin((tx) =>
      a.ledger.stockScrapped(tx, {
        scrapId: 2,
        lotCode: "LOT-A",
        reason: "damaged",
        line: { itemCode: "ING-SALT", kind: "ingredient", qty: 8_000 },
      })
    );
    await receiptBooked(a, sql, { receiptNumber: "GRN-A-3", orderNumber: "PO-A" }, {
      itemCode: "ING-SALT",
      kind: "ingredient",
      valueMinor: 60_000,
      qty: 5_000,
    });
    equal((await sql`select count(*)::int as n from acc_entries`)[0].n, before[0].n);
    equal(await held(sql, "ING-SALT"), { qty: 3_000, value: 35_250 });
  });
});

Deno.test("moving average never loses a poisha to rounding; the last unit takes what is left", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    await a.setValuationMethod({ scope: "kind:packaging", method: "average" }, actor);
    await receiptBooked(a, sql, { receiptNumber: "GRN-P", orderNumber: "PO-P" }, {
      itemCode: "PKG-CUP",
      kind: "packaging",
      valueMinor: 100,
      qty: 3,
    });
    const costs: number[] = [];
    for (let i = 1; i <= 3; i++) {
      await sql.begin((tx) =>
        a.ledger.stockIssued(tx, {
          ref: `shop_order:o-${i}:1`,
          purpose: "sale",
          lines: [{ itemCode: "PKG-CUP", kind: "packaging", qty: 1 }],
        })
      );
      const [e] = await sql`select debit_total_minor::int as v from acc_entries
                            where source = 'inventory.cogs' and source_ref = ${`shop_order:o-${i}:1`}`;
      costs.push(e.v);
    }
    equal(costs, [33, 34, 33]);
    equal(await balanceOf(sql, "5100"), 100);
    equal(await balanceOf(sql, "1330"), 0);
    equal(await held(sql, "PKG-CUP"), { qty: 0, value: 0 });
  });
});

Deno.test("the method applies per item, else per kind, else the default; FIFO → average folds the layers", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    const methods = await a.valuationMethods();
    equal(methods.map((m) => [m.scope, m.method]), [["*", "fifo"]]);
    const rec = (n: number, qty: number, v: number) =>
      receiptBooked(a, sql, { receiptNumber: `GRN-M-${n}`, orderNumber: "PO-M" }, {
        itemCode: "FEED-CONC",
        kind: "feed",
        valueMinor: v,
        qty,
      });
    await rec(1, 100, 1_000);
    await rec(2, 100, 2_000);
    equal((await a.stockValuation()).rows.map((r) => [r.itemCode, r.method, r.layers]), [
      ["FEED-CONC", "fifo", 2],
    ]);
    await a.setValuationMethod({ scope: "kind:feed", method: "average" }, actor);
    // The farm uses 50: at the average ৳0.15 (the layers fold at their total).
    await sql.begin((tx) =>
      a.ledger.stockIssued(tx, {
        ref: "farm:feeding:1:7",
        purpose: "farm_use",
        lines: [{ itemCode: "FEED-CONC", kind: "feed", qty: 50 }],
      })
    );
    equal(await balanceOf(sql, "5600"), 750);
    equal(await balanceOf(sql, "1350"), 2_250);
    const report = await a.stockValuation();
    equal(report.rows.map((r) => [r.itemCode, r.method, r.qty, r.valueMinor, r.layers]), [
      ["FEED-CONC", "average", 150, 2_250, 1],
    ]);
    equal(report.totalValuedMinor, report.totalLedgerMinor);
    // An item's own setting wins over its kind's; removing it gives the kind's back.
    await a.setValuationMethod({ scope: "item:FEED-CONC", method: "fifo" }, actor);
    equal((await a.stockValuation()).rows[0].method, "fifo");
    await a.setValuationMethod({ scope: "item:FEED-CONC", method: null }, actor);
    equal((await a.stockValuation()).rows[0].method, "average");

    for (
      const [input, field] of [
        [{ scope: "kind:cheese", method: "fifo" }, "scope"],
        [{ scope: "item:bad code", method: "fifo" }, "scope"],
        [{ scope: "*", method: "lifo" }, "method"],
        [{ scope: "*", method: null }, "method"],
      ] as const
    ) {
      await rejects(
        () => a.setValuationMethod(input as never, actor),
        (e) => e instanceof AccountingError && e.status === 422 && e.field === field,
      );
    }
  });
});
