/** The posting rules (services/accounting/rules): pure, balanced, amounts as the source has them. */
import { deepStrictEqual as equal, ok, throws } from "node:assert/strict";
import { checkPosting, type Posting } from "@/services/accounting/mod.ts";
import { saleEntry, saleReturnEntry } from "@/services/accounting/rules/shop.ts";
import {
  codCollectedEntry,
  codHandinEntry,
  paymentEntry,
  refundEntry,
} from "@/services/accounting/rules/payments.ts";
import { billEntry, receiptEntry } from "@/services/accounting/rules/purchase.ts";
import { priceOrder } from "@/services/shop/pricing.ts";

const D = "2026-12-07";
/** Net per account code: debit − credit. */
function net(p: Posting | null): Record<string, number> {
  ok(p, "a posting");
  checkPosting(p);
  const out: Record<string, number> = {};
  for (const l of p.lines) {
    out[l.account] = (out[l.account] ?? 0) + (l.debitMinor ?? 0) - (l.creditMinor ?? 0);
  }
  return out;
}

Deno.test("sale: receivable = order total, VAT output = order VAT, discount and fee apart", () => {
  // Two ghee at ৳560 (15 %), one milk at ৳90 (exempt), 10 % off, ৳60 delivery.
  const priced = priceOrder([
    { qty: 2, unitPriceMinor: 56_000, vatRateBp: 1500 },
    { qty: 1, unitPriceMinor: 9_000, vatRateBp: 0 },
  ], { discount: { kind: "percent", value: 1000 }, deliveryFeeMinor: 6_000 });
  const sold = {
    orderId: "o1",
    orderNumber: "SD-2026-000001",
    totalMinor: priced.totalMinor,
    discountMinor: priced.discountMinor,
    deliveryFeeMinor: priced.deliveryFeeMinor,
    vatMinor: priced.vatMinor,
    lines: priced.lines,
  };
  const p = saleEntry(sold, D);
  const n = net(p);
  equal(n["1220"], priced.totalMinor);
  equal(n["2310"], -priced.vatMinor);
  equal(n["4200"], -6_000);
  equal(n["4300"], priced.discountMinor);
  // Income after the discount, without VAT: what the customer pays for goods less VAT.
  equal(-(n["4110"] + n["4300"]), priced.totalMinor - 6_000 - priced.vatMinor);
  equal(p!.lines.filter((l) => l.account === "4110").map((l) => l.memo), [
    "Sales at VAT 15 %",
    "Sales, VAT exempt",
  ]);
  equal([p!.source, p!.sourceRef, p!.journal, p!.date], ["shop.sale", "o1", "SALES", D]);
  // Refunded in full after delivery: every line reversed, the goods to sales returns.
  const r = net(saleReturnEntry(sold, D));
  equal(r["1220"], -priced.totalMinor);
  equal(r["2310"], priced.vatMinor);
  equal(r["4400"], -n["4110"]);
  equal(r["4110"], undefined);
});

Deno.test("sale: no discount, no fee → no zero lines; a VAT mismatch is refused", () => {
  const p = saleEntry({
    orderId: "o2",
    orderNumber: "N",
    totalMinor: 11_500,
    discountMinor: 0,
    deliveryFeeMinor: 0,
    vatMinor: 1_500,
    lines: [{ vatRateBp: 1500, lineTotalMinor: 11_500, discountMinor: 0, vatMinor: 1_500 }],
  }, D);
  equal(p!.lines.length, 3);
  throws(() =>
    saleEntry({
      orderId: "o3",
      orderNumber: "N",
      totalMinor: 11_500,
      discountMinor: 0,
      deliveryFeeMinor: 0,
      vatMinor: 1_499,
      lines: [{ vatRateBp: 1500, lineTotalMinor: 11_500, discountMinor: 0, vatMinor: 1_500 }],
    }, D)
  );
});

Deno.test("payments: each provider into its wallet; top-ups and balance payments via 2200", () => {
  const base = { purpose: "order" as const, amountMinor: 50_000, orderNumber: "SD-1" };
  equal(net(paymentEntry({ ...base, paymentId: "p1", method: "bkash" }, D)), {
    "1160": 50_000,
    "1220": -50_000,
  });
  equal(net(paymentEntry({ ...base, paymentId: "p2", method: "nagad" }, D))["1161"], 50_000);
  equal(net(paymentEntry({ ...base, paymentId: "p3", method: "sslcommerz" }, D))["1162"], 50_000);
  equal(
    net(paymentEntry({ ...base, paymentId: "p4", method: "bank_transfer" }, D))["1151"],
    50_000,
  );
  equal(net(paymentEntry({ ...base, paymentId: "p5", method: "balance" }, D)), {
    "2200": 50_000,
    "1220": -50_000,
  });
  equal(
    net(
      paymentEntry({
        ...base,
        purpose: "topup",
        orderNumber: null,
        paymentId: "p6",
        method: "bkash",
      }, D),
    ),
    { "1160": 50_000, "2200": -50_000 },
  );
  equal(paymentEntry({ ...base, paymentId: "p7", method: "bkash", amountMinor: 0 }, D), null);
  // A refund is the reverse, out of the same account.
  equal(
    net(
      refundEntry({
        ...base,
        refundId: "r1",
        paymentId: "p1",
        method: "bkash",
        amountMinor: 10_000,
      }, D),
    ),
    {
      "1220": 10_000,
      "1160": -10_000,
    },
  );
  equal(net(refundEntry({ ...base, refundId: "r2", paymentId: "p5", method: "balance" }, D)), {
    "1220": 50_000,
    "2200": -50_000,
  });
});

Deno.test("cash on delivery: collected to the rider, handed in to cash; corrections post the difference", () => {
  equal(
    net(
      codCollectedEntry({
        orderId: "o",
        orderNumber: "SD-2",
        rider: "Karim",
        deltaMinor: 30_000,
        key: "t1",
      }, D),
    ),
    {
      "1120": 30_000,
      "1220": -30_000,
    },
  );
  equal(
    net(
      codCollectedEntry({
        orderId: "o",
        orderNumber: "SD-2",
        rider: "Karim",
        deltaMinor: -5_000,
        key: "t2",
      }, D),
    ),
    {
      "1120": -5_000,
      "1220": 5_000,
    },
  );
  equal(
    codCollectedEntry({
      orderId: "o",
      orderNumber: "SD-2",
      rider: "Karim",
      deltaMinor: 0,
      key: "t3",
    }, D),
    null,
  );
  equal(net(codHandinEntry({ rider: "Karim", day: D, deltaMinor: 25_000, key: "t4" }, D)), {
    "1110": 25_000,
    "1120": -25_000,
  });
});

Deno.test("purchase: receipt by item kind to GRNI; bill clears GRNI with price difference and VAT input", () => {
  const r = receiptEntry({
    receiptNumber: "GRN-1",
    supplierId: 3,
    orderNumber: "PO-1",
    lines: [
      { itemCode: "FEED", kind: "feed", valueMinor: 270_000 },
      { itemCode: "MED", kind: "medicine", valueMinor: 120_000 },
      { itemCode: "POUCH", kind: "packaging", valueMinor: 5_000 },
    ],
  }, D);
  equal(net(r), { "1330": 5_000, "1350": 270_000, "1360": 120_000, "2140": -395_000 });
  // Billed dearer than ordered: the difference is an expense.
  const b = billEntry({
    billId: 9,
    billNumber: "INV-9",
    supplierId: 3,
    lines: [{ receivedValueMinor: 270_000, netMinor: 280_000, vatMinor: 14_000 }],
  }, D);
  equal(net(b), { "2140": 270_000, "5130": 10_000, "1410": 14_000, "2110": -294_000 });
  // Cheaper: a credit to the price difference.
  equal(
    net(billEntry({
      billId: 10,
      billNumber: "INV-10",
      supplierId: 3,
      lines: [{ receivedValueMinor: 120_000, netMinor: 110_000, vatMinor: 0 }],
    }, D)),
    { "2140": 120_000, "5130": -10_000, "2110": -110_000 },
  );
});
