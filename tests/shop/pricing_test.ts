import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { allocate, discountFor, includedVat, priceOrder } from "@/services/shop/pricing.ts";

Deno.test("pricing: VAT inside a VAT-inclusive price rounds half up", () => {
  equal(includedVat(11500, 1500), 1500); // ৳115 at 15 % contains ৳15
  equal(includedVat(10000, 500), 476); // ৳100 at 5 %: 476.19 → 476
  equal(includedVat(9500, 0), 0);
  equal(includedVat(1, 1500), 0);
});

Deno.test("pricing: discounts never exceed the subtotal and respect a cap", () => {
  equal(discountFor({ kind: "percent", value: 1000 }, 50000), 5000);
  equal(discountFor({ kind: "percent", value: 1000, maxDiscountMinor: 3000 }, 50000), 3000);
  equal(discountFor({ kind: "fixed", value: 80000 }, 50000), 50000);
  equal(discountFor(null, 50000), 0);
});

Deno.test("pricing: allocation is proportional and sums exactly", () => {
  const parts = allocate(1000, [1, 1, 1]);
  equal(parts.reduce((a, b) => a + b, 0), 1000);
  deepStrictEqual(parts, [334, 333, 333]);
  deepStrictEqual(allocate(0, [5, 5]), [0, 0]);
});

Deno.test("pricing: an order's totals add up with the discount shared over the lines", () => {
  const o = priceOrder([
    { qty: 2, unitPriceMinor: 9500, vatRateBp: 0 },
    { qty: 1, unitPriceMinor: 45000, vatRateBp: 1500 },
  ], { discount: { kind: "percent", value: 1000 }, deliveryFeeMinor: 4000 });
  equal(o.subtotalMinor, 64000);
  equal(o.discountMinor, 6400);
  equal(o.totalMinor, 64000 - 6400 + 4000);
  equal(o.lines.reduce((a, l) => a + l.discountMinor, 0), 6400);
  equal(o.lines.reduce((a, l) => a + l.lineTotalMinor, 0), 64000 - 6400);
  // Only the ghee carries VAT: 15 % inside its discounted ৳405.
  equal(o.vatMinor, includedVat(45000 - o.lines[1].discountMinor, 1500));
  throws(() =>
    priceOrder([{ qty: 0, unitPriceMinor: 100, vatRateBp: 0 }], { deliveryFeeMinor: 0 })
  );
});
