/**
 * A property of the stock valuation: whatever sequence of receipts, issues (sales, scrap),
 * count differences and repeated events arrives, for a FIFO item and a moving-average item,
 * the books hold exactly what a plain model of the method says (quantity and value), no poisha
 * is created or lost (received = issued + held), every inventory account equals the stock valued,
 * and the trial balance sums to zero.
 */
import { deepStrictEqual as equal } from "node:assert/strict";
import fc from "fast-check";
import { withTestDb } from "../helpers/db.ts";
import { actor, ledgerOn } from "./_helpers.ts";

type Step =
  | { kind: "in"; item: number; qty: number; price: number; extra: number }
  | { kind: "out"; item: number; share: number; how: "sale" | "scrap" }
  | { kind: "count"; item: number; diff: number }
  | { kind: "repeat"; which: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("in" as const),
      item: fc.nat(1),
      qty: fc.integer({ min: 1, max: 5_000 }),
      price: fc.integer({ min: 1, max: 900 }),
      extra: fc.nat(999),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("out" as const),
      item: fc.nat(1),
      share: fc.double({ min: 0.01, max: 1, noNaN: true }),
      how: fc.constantFrom("sale" as const, "scrap" as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("count" as const),
      item: fc.nat(1),
      diff: fc.integer({ min: -300, max: 300 }).filter((d) => d !== 0),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("repeat" as const), which: fc.nat() }) },
);

/** Half up, in integers: value × part ÷ whole. */
const share = (value: number, part: number, whole: number) =>
  Number((BigInt(value) * BigInt(part) * 2n + BigInt(whole)) / (2n * BigInt(whole)));

/** The methods by hand: FIFO layers [qty, value], oldest first; average: one pool. */
class Model {
  layers: [number, number][] = [];
  constructor(readonly average: boolean) {}
  get qty() {
    return this.layers.reduce((s, l) => s + l[0], 0);
  }
  get value() {
    return this.layers.reduce((s, l) => s + l[1], 0);
  }
  in(qty: number, value: number) {
    if (this.average) this.layers = [[this.qty + qty, this.value + value]];
    else this.layers.push([qty, value]);
  }
  out(qty: number): number {
    const take = Math.min(qty, this.qty);
    if (take === 0) return 0;
    if (this.average) {
      const [q, v] = [this.qty, this.value];
      const cost = take === q ? v : share(v, take, q);
      this.layers = q - take > 0 ? [[q - take, v - cost]] : [];
      return cost;
    }
    let left = take;
    let cost = 0;
    while (left > 0) {
      const l = this.layers[0];
      const t = Math.min(left, l[0]);
      const v = t === l[0] ? l[1] : share(l[1], t, l[0]);
      cost += v;
      left -= t;
      if (t === l[0]) this.layers.shift();
      else this.layers[0] = [l[0] - t, l[1] - v];
    }
    return cost;
  }
  /** Found stock at the newest layer's cost (average: the pool's). */
  foundCost(qty: number): number {
    const l = this.layers.at(-1)!;
    return share(l[1], qty, l[0]);
  }
}

Deno.test("property: FIFO and moving average hold what the model says; no poisha is lost; the books equal the stock", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        run++;
        const codes = [`ING-P${run}-F`, `ING-P${run}-A`];
        await a.setValuationMethod({ scope: `item:${codes[1]}`, method: "average" }, actor);
        const models = [new Model(false), new Model(true)];
        let received = 0;
        let issued = 0;
        const done: (() => Promise<unknown>)[] = [];
        for (const [i, s] of steps.entries()) {
          if (s.kind === "in") {
            const value = s.qty * s.price + (s.extra % s.qty);
            const post = () =>
              sql.begin((tx) =>
                a.ledger.purchaseReceipt(tx, {
                  receiptNumber: `R-${run}-${i}`,
                  supplierId: 1,
                  orderNumber: `PO-${run}`,
                  lines: [{
                    itemCode: codes[s.item],
                    kind: "ingredient",
                    valueMinor: value,
                    qty: s.qty,
                  }],
                })
              );
            await post();
            done.push(post);
            models[s.item].in(s.qty, value);
            received += value;
          } else if (s.kind === "out") {
            const m = models[s.item];
            const qty = Math.max(1, Math.floor(m.qty * s.share));
            if (m.qty === 0) continue;
            const line = { itemCode: codes[s.item], kind: "ingredient" as const, qty };
            const post = () =>
              sql.begin((tx) =>
                s.how === "sale"
                  ? a.ledger.stockIssued(tx, {
                    ref: `shop_order:${run}-${i}:1`,
                    purpose: "sale",
                    lines: [line],
                  })
                  : a.ledger.stockScrapped(tx, {
                    scrapId: run * 1000 + i,
                    lotCode: "L",
                    reason: "damaged",
                    line,
                  })
              );
            await post();
            done.push(post);
            issued += m.out(qty);
          } else if (s.kind === "count") {
            const m = models[s.item];
            if (m.qty === 0 || m.qty + s.diff < 0) continue;
            const post = () =>
              sql.begin((tx) =>
                a.ledger.stockCounted(tx, {
                  countId: run * 1000 + i,
                  locationCode: "PLANT-DRY",
                  lines: [{ itemCode: codes[s.item], kind: "ingredient", diff: s.diff }],
                })
              );
            await post();
            done.push(post);
            if (s.diff < 0) issued += m.out(-s.diff);
            else {
              const v = m.foundCost(s.diff);
              m.in(s.diff, v);
              received += v;
            }
          } else if (s.kind === "repeat" && done.length > 0) {
            // The same event again: nothing moves.
            await done[s.which % done.length]();
          }
        }
        const held = await sql<{ item_code: string; qty: string; value_minor: string }[]>`
          select item_code, qty::text, value_minor::text from acc_stock_items
           where item_code = any(${codes}::text[]) order by item_code`;
        const got = new Map(held.map((h) => [h.item_code, [Number(h.qty), Number(h.value_minor)]]));
        for (const [k, m] of models.entries()) {
          equal([codes[k], got.get(codes[k]) ?? [0, 0]], [codes[k], [m.qty, m.value]]);
        }
        // Conservation: everything received was issued or is held.
        equal(received, issued + models[0].value + models[1].value);
        // The layers add up to the items' rows.
        const [layers] = await sql`
          select coalesce(sum(qty_left), 0)::bigint as q, coalesce(sum(value_left), 0)::bigint as v
            from acc_cost_layers where item_code = any(${codes}::text[])`;
        equal([Number(layers.q), Number(layers.v)], [
          models[0].qty + models[1].qty,
          models[0].value + models[1].value,
        ]);
        const report = await a.stockValuation();
        equal(report.totalValuedMinor, report.totalLedgerMinor);
        const tb = await a.trialBalance({ from: "2020-01-01", to: "2030-12-31" });
        equal(tb.totals.closingMinor, 0);
      }),
      { numRuns: 15 },
    );
  });
});
