/**
 * B2B ordering under load (issue 14): 20 buyers, each of their own business account, place
 * 50-line quick orders at once for the measuring window (contract prices, FEFO reservation of 50
 * lots, credit exposure, numbering, lines, audit): orders per second and p99, against the p99 of
 * the same order placed by one buyer alone. On the embedded database every query shares one
 * connection; set TEST_DATABASE_URL for PostgreSQL (the goal, p99 < 300 ms, is for PostgreSQL).
 */
import { type Figure, figure, percentile } from "./harness.ts";
import { stockLots, withShop } from "../shop/_helpers.ts";
import { doorAccount } from "../b2b/_helpers.ts";
import { seedShop } from "@/scripts/seed_shop.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";

export interface B2bBenchOptions {
  buyers?: number;
  lines?: number;
  seconds?: number;
}

export async function benchB2b(opts: B2bBenchOptions = {}): Promise<Figure[]> {
  const buyers = opts.buyers ?? 20;
  const lineCount = opts.lines ?? 50;
  return await withShop(async (s) => {
    const b2b = s.deps.b2b;
    const staff = { id: null, name: "bench" };
    await seedShop(s.sql, { extraProducts: lineCount });
    const skus = [...(await s.deps.shop.packsBySku(null)).keys()].slice(0, lineCount);
    for (const sku of skus) await stockLots(s, sku, [{ qty: 1_000_000 }]);
    const today = dhakaDate(s.clock.now());
    const accounts: { id: number; userId: string; outletId: number }[] = [];
    for (let i = 0; i < buyers; i++) {
      const { id, user, outletId } = await doorAccount(s, `Bench Hotel ${i}`, {
        limit: 1_000_000_000_000,
      });
      // Contract prices for half the lines, a quantity break on a few.
      for (const [k, sku] of skus.entries()) {
        if (k % 2) continue;
        await b2b.savePrice({
          accountId: id,
          customerGroup: null,
          sku,
          minQty: k % 10 === 0 ? 3 : 1,
          priceMinor: 5_000 + k,
          validFrom: "2020-01-01",
          validTo: null,
        }, staff);
      }
      accounts.push({ id, userId: user.id, outletId });
    }
    await s.sql`analyze b2b_prices`;
    const on = addDays(today, 1);
    const order = (a: typeof accounts[number]) =>
      b2b.placeOrder(a.userId, a.id, {
        outletId: a.outletId,
        deliveryDate: on,
        lines: skus.map((sku, k) => ({ sku, qty: 1 + (k % 4) })),
      });

    // Baseline: one buyer alone.
    const alone: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await order(accounts[0]);
      alone.push(performance.now() - t);
    }

    const lat: number[] = [];
    let failed = 0;
    const until = performance.now() + (opts.seconds ?? 8) * 1000;
    const started = performance.now();
    await Promise.all(accounts.map(async (a) => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await order(a);
          lat.push(performance.now() - t);
        } catch (e) {
          failed++;
          if (failed === 1) console.error("b2b bench order failed:", e);
        }
      }
    }));
    const elapsed = (performance.now() - started) / 1000;
    const name = `b2b.order_${lineCount}_lines_${buyers}_buyers`;
    const figures = [
      figure(`${name}.p99_latency`, percentile(lat, 99), "ms", percentile(alone, 99)),
      figure(`${name}.p50_latency`, percentile(lat, 50), "ms", percentile(alone, 50)),
      figure(`${name}.per_second`, lat.length / elapsed, "orders/s"),
    ];
    if (failed) figures.push(figure(`${name}.failed`, failed, "count"));
    return figures;
  }, { stock: 10 });
}
