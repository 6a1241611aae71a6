/**
 * The posting rules of stock and milk operations (pure): production's output split (by-products at
 * their cost, the product at the expected yield, the variance either way), count differences both
 * ways, farm use of medicine, milk per farmer and own milk, a payout in cash with deductions.
 */
import { deepStrictEqual as equal } from "node:assert/strict";
import {
  countEntry,
  issueEntry,
  milkEntry,
  outputCosts,
  payoutEntry,
  productionOutputEntry,
} from "@/services/accounting/rules/operations.ts";
import type { Posting } from "@/services/accounting/mod.ts";

const D = "2026-12-07";
const lines = (p: Posting | null) =>
  p?.lines.map((l) => [l.account, l.debitMinor ?? 0, l.creditMinor ?? 0]) ?? null;

Deno.test("production output: by-products at their cost, the product at the expected yield, the variance both ways", () => {
  // ৳1,000.00 of inputs; cream at its cost ৳100; 98 of 100 expected: 2 % of ৳900 is the variance.
  equal(outputCosts(100_000, { qty: 98, expectedQty: 100 }, [10_000]), {
    product: 88_200,
    byproducts: [10_000],
    variance: 1_800,
  });
  // More than expected: the product carries more than the inputs, the variance is a credit.
  const over = outputCosts(100_000, { qty: 105, expectedQty: 100 }, []);
  equal(over, { product: 105_000, byproducts: [], variance: -5_000 });
  equal(
    lines(productionOutputEntry({
      orderNumber: "PO-1",
      wipMinor: 100_000,
      outputs: [{ kind: "finished", valueMinor: 105_000 }],
    }, D)),
    [["1340", 105_000, 0], ["5110", 0, 5_000], ["1370", 0, 100_000]],
  );
  // A by-product worth more than the order cost is capped at it; nothing made: all variance.
  equal(outputCosts(5_000, { qty: 10, expectedQty: 10 }, [9_000]), {
    product: 0,
    byproducts: [5_000],
    variance: 0,
  });
  equal(outputCosts(7_000, null, []), { product: 0, byproducts: [], variance: 7_000 });
  // No main input to expect from: the product takes the whole cost.
  equal(outputCosts(7_000, { qty: 3, expectedQty: 0 }, []).product, 7_000);
  // Nothing to post when nothing was valued.
  equal(productionOutputEntry({ orderNumber: "PO-2", wipMinor: 0, outputs: [] }, D), null);
});

Deno.test("count differences net per account; farm medicine to veterinary costs", () => {
  equal(
    lines(countEntry({
      countId: 4,
      locationCode: "PLANT-DRY",
      lines: [
        { kind: "packaging", valueMinor: -1_200 },
        { kind: "ingredient", valueMinor: 500 },
        { kind: "packaging", valueMinor: 200 },
      ],
    }, D)),
    [["1320", 500, 0], ["1330", 0, 1_000], ["5120", 500, 0]],
  );
  equal(
    lines(issueEntry({
      ref: "farm:treatment:9:3",
      purpose: "farm_use",
      lines: [{ kind: "medicine", valueMinor: 4_400 }, { kind: "feed", valueMinor: 600 }],
    }, D)),
    [["5600", 600, 0], ["5610", 4_400, 0], ["1350", 0, 600], ["1360", 0, 4_400]],
  );
});

Deno.test("milk per farmer and own milk; a cash payout with deductions", () => {
  const m = milkEntry({
    ref: "point-CP1-2026-12-07",
    lines: [
      { farmerId: 7, valueMinor: 300 },
      { farmerId: 3, valueMinor: 200 },
      { farmerId: 7, valueMinor: 100 },
    ],
  }, D);
  equal(m?.lines.map((l) => [l.account, l.debitMinor ?? 0, l.creditMinor ?? 0, l.partnerRef]), [
    ["1310", 600, 0, undefined],
    ["2120", 0, 200, "farmer:3"],
    ["2120", 0, 400, "farmer:7"],
  ]);
  equal(milkEntry({ ref: "tank-1", lines: [{ farmerId: null, valueMinor: 0 }] }, D), null);
  const p = payoutEntry({
    statementId: 12,
    farmerId: 7,
    periodStart: "2026-11-21",
    grossMinor: 10_000,
    deductionsMinor: 2_500,
    via: "cash",
  }, D);
  equal(p?.journal, "CASH");
  equal(lines(p), [["2120", 10_000, 0], ["1110", 0, 7_500], ["1230", 0, 2_500]]);
});
