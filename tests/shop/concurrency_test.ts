import { equal } from "node:assert/strict";
import { placeOrder } from "@/services/shop/orders.ts";
import { ShopError } from "@/services/shop/errors.ts";
import { checkoutFor, stockOf, variantId, withShop } from "./_helpers.ts";

Deno.test("concurrency: 50 simultaneous checkouts for the last 10 units sell exactly 10", async () => {
  await withShop(async (s) => {
    const ghee = await variantId(s.sql, "GHEE-1000");
    await s.sql`update shop_variants set stock_available = 10 where id = ${ghee}`;
    const checkout = await checkoutFor(s.sql);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        placeOrder(s.sql, s.deps.keyring, {
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
  }, { config: { DATABASE_POOL_SIZE: 10 } });
});
