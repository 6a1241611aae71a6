/**
 * Inventory: FEFO reservations per second with 100 orders reserving at once (each a transaction
 * that locks its items and lots and reserves two lines from the earliest-expiring lots), against
 * the old way as baseline in the same run — one conditional counter UPDATE per line
 * (`… set n = n - q where n >= q`), no lots. On PostgreSQL (pool of 20): TEST_DATABASE_URL, else a
 * server on 127.0.0.1:5432 if one answers; without a server the figure is left out.
 * The recall figure of the same group is in lineage_bench.ts.
 */
import { withTestDb } from "../helpers/db.ts";
import { createInventory } from "@/services/inventory/mod.ts";
import { addDays } from "@/services/platform/dhaka.ts";
import { type Figure, figure } from "./harness.ts";
import { serverUrl, widerPool } from "./pg_server.ts";

const ITEMS = 20;
const LOTS_PER_ITEM = 8;
const ORDERS = 100;
const TODAY = "2026-06-01";

/** Rounds of ORDERS concurrent transactions for `seconds`; returns transactions per second. */
async function rate(seconds: number, one: (i: number) => Promise<unknown>): Promise<number> {
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < until) {
    await Promise.all(Array.from({ length: ORDERS }, (_, i) => one(done + i)));
    done += ORDERS;
  }
  return done / ((performance.now() - started) / 1000);
}

export async function benchInventory(opts: { seconds?: number } = {}): Promise<Figure[]> {
  const seconds = opts.seconds ?? 6;
  // The figure is about concurrent transactions on PostgreSQL (the embedded database has one
  // connection: 100 orders at once would only queue).
  const url = await serverUrl();
  if (!url) {
    console.error("inventory: the FEFO figure needs PostgreSQL (set TEST_DATABASE_URL)");
    return [];
  }
  Deno.env.set("TEST_DATABASE_URL", url);
  return await withTestDb(async (db) => {
    const pool = widerPool(db.sql, 20);
    const sql = pool ?? db.sql;
    try {
      const inv = createInventory({ sql, clock: { now: () => new Date(`${TODAY}T04:00:00Z`) } });
      const actor = { id: null, name: "bench" };
      const items = Array.from({ length: ITEMS }, (_, i) => ({
        code: `FG-BENCH-${i}`,
        nameEn: `Bench item ${i}`,
        nameBn: `বেঞ্চ ${i}`,
        kind: "finished" as const,
        base: "pc" as const,
        shelfLifeDays: 30,
        minShelfDays: 3,
        shopSku: `BENCH-${i}`,
      }));
      // Lots of every age (some too short-dated to pick), at two sellable locations.
      const lines = items.flatMap((it) =>
        Array.from({ length: LOTS_PER_ITEM }, (_, k) => ({
          itemCode: it.code,
          locationCode: k % 2 ? "DEPOT-DHK" : "PLANT-COLD1",
          qty: 1_000_000,
          producedOn: addDays(TODAY, -3 * k),
        }))
      );
      await inv.openingStock(items, lines, actor);
      await sql`create table bench_counter (sku text primary key, n int not null check (n >= 0))`;
      await sql`insert into bench_counter select 'BENCH-' || i, 100000000 from generate_series(0, ${
        ITEMS - 1
      }) i`;

      const pick = (i: number) => {
        const a = (i * 7) % ITEMS, b = (i * 13 + 5) % ITEMS;
        return [{ sku: `BENCH-${a}`, qty: 1 + (i % 3) }, {
          sku: `BENCH-${b === a ? (b + 1) % ITEMS : b}`,
          qty: 1,
        }];
      };
      const reserveOne = (i: number) =>
        sql.begin(async (tx) => {
          const r = await inv.port.reserve(tx, {
            ref: { kind: "shop_order", id: `bench-${i}-${crypto.randomUUID().slice(0, 8)}` },
            lines: pick(i).map((l) => ({ shopSku: l.sku, qty: l.qty })),
            on: addDays(TODAY, 1),
          });
          if (!r.ok) throw new Error("bench ran out of stock");
        });
      const counterOne = (i: number) =>
        sql.begin(async (tx) => {
          // Sorted like the old checkout, so concurrent orders never deadlock.
          for (const l of pick(i).sort((x, y) => x.sku.localeCompare(y.sku))) {
            await tx`update bench_counter set n = n - ${l.qty} where sku = ${l.sku} and n >= ${l.qty}`;
          }
        });
      await rate(0.5, reserveOne); // warm up
      await rate(0.5, counterOne);
      const base = await rate(seconds / 2, counterOne);
      const fefo = await rate(seconds / 2, reserveOne);
      const mismatches = await inv.ledgerMismatches();
      if (mismatches.length) throw new Error(`ledger and balances differ: ${mismatches.length}`);
      return [
        figure(
          `inventory.fefo_reservations_${ORDERS}_concurrent`,
          fefo,
          "orders/s",
          base,
        ),
      ];
    } finally {
      await pool?.end({ timeout: 5 });
    }
  });
}

if (import.meta.main) {
  for (const f of await benchInventory()) console.log(JSON.stringify(f));
}
