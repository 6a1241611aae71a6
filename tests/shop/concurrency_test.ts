import { deepStrictEqual as same, equal } from "node:assert/strict";
import { placeOrder } from "@/services/shop/orders.ts";
import { ShopError } from "@/services/shop/errors.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import { checkoutFor, stockLots, stockOf, variantId, withShop } from "./_helpers.ts";

Deno.test("concurrency: 50 simultaneous checkouts for the last 10 units, in 3 lots, sell exactly 10", async () => {
  await withShop(async (s) => {
    const ghee = await variantId(s.sql, "GHEE-1000");
    const today = dhakaDate(s.clock.now());
    // The last 10 units: three lots at two locations, expiring on different days.
    const lots = await stockLots(s, "GHEE-1000", [
      { qty: 4, location: "DEPOT-DHK", expiresOn: addDays(today, 90) },
      { qty: 3, location: "PLANT-COLD1", expiresOn: addDays(today, 40) },
      { qty: 3, location: "PLANT-DRY", expiresOn: addDays(today, 200) },
    ]);
    equal(await stockOf(s.sql, "GHEE-1000"), 10);
    const checkout = await checkoutFor(s.sql);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        placeOrder(s.sql, s.od, {
          userId: null,
          locale: "en",
          items: [{ variantId: ghee, qty: 1 }],
          checkout,
          allowedMethods: ["cod"],
        })),
    );
    const sold = results.filter((r) => r.status === "fulfilled").length;
    const refused = results.filter((r) =>
      r.status === "rejected" && r.reason instanceof ShopError && r.reason.code === "out_of_stock"
    ).length;
    equal(sold, 10);
    equal(refused, 40, "every other checkout is told it sold out");
    equal(await stockOf(s.sql, "GHEE-1000"), 0);
    const [{ n }] = await s
      .sql`select coalesce(sum(qty), 0)::int as n from shop_order_lines where variant_id = ${ghee}`;
    equal(n, 10);
    const [{ orders }] = await s.sql`select count(distinct number)::int as orders from shop_orders`;
    equal(orders, 10, "each order has its own number");
    // Every lot is fully reserved, none beyond what it holds, and the ledger agrees.
    for (const l of lots) {
      const lot = (await s.deps.inventory.port.lot(s.sql, l.lotId))!;
      same([lot.onHand, lot.reserved], [lot.receivedQty, lot.receivedQty]);
    }
    same(await s.deps.inventory.ledgerMismatches(), []);
  }, { config: { DATABASE_POOL_SIZE: 10 } });
});
