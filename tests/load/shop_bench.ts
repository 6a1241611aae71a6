/**
 * The shop under load, each figure against a baseline from the same run:
 * - catalogue and product pages through the full stack vs a bare Deno.serve answering the same
 *   bytes, plain and with a browser's Accept-Encoding (requests per second, p50, p99);
 * - search p95 over 10,000 products (typos, Bangla, filters);
 * - order placement (stock reservation, numbering, lines, payment row, outbox, audit) with 100
 *   customers checking out at once: orders per second and p99;
 * - compressed first-load weight of the shop pages (budget 60 KB, 15 KB of it script).
 * On the embedded database every query shares one connection; set TEST_DATABASE_URL for a server.
 */
import {
  bareTwin,
  compareWithBare,
  comparisonFigures,
  type Figure,
  figure,
  pageWeight,
  percentile,
} from "./harness.ts";
import { withShop } from "../shop/_helpers.ts";
import { seedShop } from "@/scripts/seed_shop.ts";
import { searchQuerySchema } from "@/services/shop/search.ts";
import { placeOrder } from "@/services/shop/orders.ts";
import { checkoutFor, stockLots } from "../shop/_helpers.ts";

export interface ShopBenchOptions {
  /** Seconds of load per page (split in rounds). */
  seconds?: number;
  products?: number;
  customers?: number;
  orderSeconds?: number;
}

const SEARCHES = [
  "milk",
  "ghee",
  "yogart",
  "mozarela",
  "saffron kulfi",
  "দই",
  "honey lassi",
  "paneer 120",
  "organic buttermilk",
  "crem",
  "rose shake",
  "village curd",
];

export async function benchShop(opts: ShopBenchOptions = {}): Promise<Figure[]> {
  const seconds = opts.seconds ?? 6;
  const customers = opts.customers ?? 100;
  return await withShop(async (s) => {
    const figures: Figure[] = [];
    await seedShop(s.sql, { extraProducts: opts.products ?? 10_000 });
    await s.sql`analyze shop_products`;
    await s.sql`analyze shop_variants`;

    const ac = new AbortController();
    const full = Deno.serve({
      port: 0,
      hostname: "127.0.0.1",
      signal: ac.signal,
      onListen: () => {},
    }, s.app.fetch);
    const base = `http://127.0.0.1:${full.addr.port}`;
    const pages: [string, string][] = [["catalog", "/shop?category=milk"], [
      "product",
      "/shop/products/fresh-milk",
    ]];
    const bare = await bareTwin(s.app, base, pages.map(([, path]) => path), ac.signal);
    try {
      for (const [name, path] of pages) {
        const r = await compareWithBare(`${base}${path}`, `${bare.base}${path}`, seconds);
        figures.push(...comparisonFigures(`shop.${name}`, r));
      }

      // Search: a baseline of the same number of primary-key lookups, then the real searches.
      const times: number[] = [];
      const baseTimes: number[] = [];
      for (let i = 0; i < 120; i++) {
        let t = performance.now();
        await s.sql`select id, name_en from shop_products where id = ${1 + (i % 100)}`;
        baseTimes.push(performance.now() - t);
        const q = searchQuerySchema.parse({
          q: SEARCHES[i % SEARCHES.length],
          ...(i % 3 === 0 ? { stock: "1" } : {}),
          ...(i % 4 === 0 ? { sort: "price_asc" } : {}),
        });
        t = performance.now();
        await s.deps.shop.search(q);
        times.push(performance.now() - t);
      }
      figures.push(
        figure(
          "shop.search_10k.p95_latency",
          percentile(times, 95),
          "ms",
          percentile(baseTimes, 95),
        ),
      );
      figures.push(figure("shop.search_10k.p50_latency", percentile(times, 50), "ms"));

      // Order placement: `customers` concurrent checkouts for the whole measuring window.
      // Enough stock for the whole window (one big lot each, inventory).
      for (const sku of ["GHEE-500", "MILK-1000"]) await stockLots(s, sku, [{ qty: 1_000_000 }]);
      const [v1] = await s.sql`select id from shop_variants where sku = 'GHEE-500'`;
      const [v2] = await s.sql`select id from shop_variants where sku = 'MILK-1000'`;
      const checkout = await checkoutFor(s.sql);
      const lat: number[] = [];
      let failed = 0;
      const until = performance.now() + (opts.orderSeconds ?? 8) * 1000;
      const started = performance.now();
      await Promise.all(Array.from({ length: customers }, async () => {
        while (performance.now() < until) {
          const t = performance.now();
          try {
            await placeOrder(s.sql, s.od, {
              userId: null,
              locale: "en",
              items: [{ variantId: Number(v1.id), qty: 1 }, { variantId: Number(v2.id), qty: 2 }],
              checkout,
              allowedMethods: ["cod"],
            });
            lat.push(performance.now() - t);
          } catch {
            failed++;
          }
        }
      }));
      const elapsed = (performance.now() - started) / 1000;
      figures.push(
        figure(`shop.orders_${customers}_customers.per_second`, lat.length / elapsed, "orders/s"),
      );
      figures.push(
        figure(`shop.orders_${customers}_customers.p99_latency`, percentile(lat, 99), "ms"),
      );
      if (failed) {
        figures.push(figure(`shop.orders_${customers}_customers.failed`, failed, "count"));
      }

      // First-load weights (anonymous visitor).
      for (
        const [name, path] of [
          ["catalog", "/shop"],
          ["product", "/shop/products/pure-ghee"],
          ["faq", "/shop/faq"],
          ["cart", "/shop/cart"],
          ["subscriptions", "/shop/subscriptions"],
        ]
      ) {
        const w = await pageWeight(fetch, `${base}${path}`);
        figures.push(
          figure(`page_weight.shop_${name}`, w.html + w.css + w.js, "bytes gz", 60 * 1024),
        );
        figures.push(figure(`page_weight.shop_${name}.js`, w.js, "bytes gz", 15 * 1024));
      }
    } finally {
      ac.abort();
      await full.finished;
      await bare.server.finished;
    }
    return figures;
  });
}

if (import.meta.main) {
  for (const f of await benchShop()) console.log(JSON.stringify(f));
}
