/**
 * Sales by product, channel and area through the shop's door, and the margin per product where
 * the cost is known (issue 13 §7); the sales register (Mushak 6.2) of a real delivered order
 * agrees with the order and with the shop's figures.
 */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { deliverAsAdmin, guestGheeOrder, withShop } from "../shop/_helpers.ts";

Deno.test("sales report: a delivered order by product, channel and area; margin where the cost is known", async () => {
  await withShop(async (s) => {
    const placed = await guestGheeOrder(s, "cod");
    const [o] = await s.sql`
      select number, total_minor::int as total, vat_minor::int as vat,
             delivery_fee_minor::int as fee, z.code as zone
        from shop_orders join delivery_zones z on z.id = zone_id where shop_orders.id = ${placed.id}`;
    // Not delivered yet: no sale anywhere.
    const today = dhakaDate(s.clock.now());
    const range = { from: today, to: today };
    const books = s.deps.accounting;
    equal((await books.salesReport("product", range)).rows, []);
    await deliverAsAdmin(s, placed.id, { rider: "Karim", amountMinor: o.total });

    const byProduct = await books.salesReport("product", range);
    ok(byProduct.connected);
    equal(byProduct.rows.map((r) => [r.key, r.itemCode, r.qty, r.netMinor, r.vatMinor]), [
      ["GHEE-500", "FG-GHEE-500", 1, o.total - o.fee - o.vat, o.vat],
    ]);
    // No cost of goods sold in the books for it: no margin, said so.
    equal([byProduct.rows[0].costMinor, byProduct.rows[0].marginMinor], [null, null]);
    equal(
      (await books.salesReport("channel", range)).rows.map((r) => [r.key, r.orders, r.netMinor]),
      [["shop", 1, o.total - o.fee - o.vat]],
    );
    equal((await books.salesReport("area", range)).rows.map((r) => r.key), [o.zone]);
    // Comparison: yesterday sold nothing.
    const cmp = await books.salesReport("product", range, { from: "2020-01-01", to: "2020-01-31" });
    equal(cmp.rows[0].compareNetMinor, 0);

    // The 6.2 register's line for the order agrees with the order and the shop's figures.
    const reg = await books.salesRegister(today, today);
    const goods = reg.rows.filter((r) => r.docNo === o.number && r.vatMinor > 0);
    equal(goods.reduce((a, r) => a + r.vatMinor, 0), o.vat);
    equal(goods.reduce((a, r) => a + r.valueMinor, 0), byProduct.totals.netMinor);
    equal(reg.totals.valueMinor + reg.totals.vatMinor, o.total);

    // With the cost known, the margin.
    books.connectSalesSources({
      productCosts: (items) =>
        Promise.resolve(new Map(items.map((i) => [i, 40_000] as [string, number]))),
    });
    const withCost = (await books.salesReport("product", range)).rows[0];
    equal(withCost.costMinor, 40_000);
    equal(withCost.marginMinor, withCost.netMinor - 40_000);
    equal(
      withCost.marginBp,
      Math.round(((withCost.netMinor - 40_000) * 10000) / withCost.netMinor),
    );
  });
});
