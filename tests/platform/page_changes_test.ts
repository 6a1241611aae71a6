/**
 * Shared page-cache invalidation: two web apps on one database (two instances, as behind a
 * balancer) each cache the product page; staff change a price (through the shop's door, on
 * whichever instance) and the new price shows on both within a second.
 */
import { ok } from "node:assert/strict";
import { createWebApp } from "@/server.ts";
import { withTestApp } from "@/tests/helpers/app.ts";
import { seedShop } from "@/scripts/seed_shop.ts";
import { listenPageChanges } from "@/services/platform/page_changes.ts";
import { productInputSchema } from "@/services/shop/catalog.ts";

Deno.test("page cache: a price change shows on every instance within a second", async () => {
  await withTestApp(async (t) => {
    await seedShop(t.db.sql);
    const second = await createWebApp(t.deps);
    const instances = [t.app, second];
    const listeners = await Promise.all(
      instances.map((app) => listenPageChanges(t.db, () => app.clearPageCache())),
    );
    try {
      const page = (i: number) =>
        instances[i].fetch(new Request("http://localhost/shop/products/fresh-milk"))
          .then((r) => r.text());
      for (const i of [0, 1]) {
        ok((await page(i)).includes("95"), "the seeded price");
        ok(!(await page(i)).includes("123.45"), "(served from the cache the second time)");
      }
      const [{ id }] = await t.db.sql`select id from shop_products where slug = 'fresh-milk'`;
      const p = (await t.deps.shop.productById(id))!;
      const input = productInputSchema.parse({
        ...p,
        variants: p.variants.map((v) => ({
          ...v,
          price: v.sku === "MILK-1000" ? "123.45" : (v.priceMinor / 100).toFixed(2),
        })),
      });
      await t.deps.shop.saveProduct(id, input, null as unknown as string);
      const deadline = performance.now() + 1000;
      const seen = [false, false];
      while (seen.includes(false) && performance.now() < deadline) {
        for (const i of [0, 1]) seen[i] ||= (await page(i)).includes("123.45");
        if (seen.includes(false)) await new Promise((r) => setTimeout(r, 20));
      }
      ok(seen[0] && seen[1], `the new price within a second on both instances: ${seen}`);
    } finally {
      await Promise.all(listeners.map((l) => l.stop()));
    }
  });
});
