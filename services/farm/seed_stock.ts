/**
 * Demo: the farm's medicines and feeds drawn from stock. Links two medicines and two feeds to the
 * items purchasing buys (services/purchase/seed.ts creates them and receives feed and medicine at
 * the farm store, FARM-STORE; missing items are created here). The medicine purchasing received
 * waits in quarantine: the demo releases it (the vet checked it on arrival). An item with no
 * usable lot at the farm gets an opening lot, so the health and feed screens show stock and the
 * treatment form offers lots. Skips when a medicine is linked already. Called by
 * scripts/seed_demo.ts after the purchasing seed.
 */
import type { Sql } from "@/services/platform/db.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import { createInventory } from "@/services/inventory/mod.ts";
import { inventoryForFarm } from "./inventory_port.ts";
import { linkFeedItem, linkMedicine } from "./stock.ts";

const ACTOR = { id: null, name: "Demo farm store" };

const LINKS = [
  // farm name, stock item, en, bn, kind, unit per stock unit, lot qty (stock units), days to expiry
  {
    farm: "Oxytetracycline LA 20%",
    code: "MED-OXYTET",
    en: "Oxytetracycline 100 ml",
    bn: "অক্সিটেট্রাসাইক্লিন ১০০ মিলি",
    kind: "medicine",
    base: "pc",
    per: 100,
    qty: 24,
    days: 400,
  },
  {
    farm: "Calcium borogluconate 40%",
    code: "MED-CALCIUM",
    en: "Calcium borogluconate 450 ml",
    bn: "ক্যালসিয়াম বোরোগ্লুকোনেট ৪৫০ মিলি",
    kind: "medicine",
    base: "pc",
    per: 450,
    qty: 12,
    days: 300,
  },
  {
    farm: "Dairy concentrate mix",
    code: "FEED-DAIRY-MIX",
    en: "Dairy concentrate mix",
    bn: "দুগ্ধ দানাদার মিশ্রণ",
    kind: "feed",
    base: "g",
    per: 1,
    qty: 5_000_000,
    days: 90,
  },
  {
    farm: "Maize silage",
    code: "FEED-SILAGE",
    en: "Maize silage",
    bn: "ভুট্টার সাইলেজ",
    kind: "feed",
    base: "g",
    per: 1,
    qty: 20_000_000,
    days: 150,
  },
] as const;

export async function seedFarmStock(
  sql: Sql,
  opts: { clock?: { now(): Date } } = {},
): Promise<{ skipped: boolean; linked: number; lots: number }> {
  const clock = opts.clock ?? { now: () => new Date() };
  const [linked] = await sql`select 1 from medicines where stock_item_code is not null limit 1`;
  if (linked) return { skipped: true, linked: 0, lots: 0 };
  const inventory = createInventory({ sql, clock });
  const stock = inventoryForFarm(inventory);
  const today = dhakaDate(clock.now());
  let lots = 0;
  let links = 0;
  // What purchasing received at the farm store and left in quarantine (read before the
  // transaction: the embedded database has one connection).
  const waiting = new Map<string, number[]>();
  for (const l of LINKS) {
    const rows = await inventory.lots({
      itemCode: l.code,
      locationCode: "FARM-STORE",
      status: "quarantine",
    });
    waiting.set(l.code, rows.map((r) => r.id));
  }
  await sql.begin(async (tx) => {
    for (const l of LINKS) {
      const table = l.kind === "medicine" ? "medicines" : "feed_items";
      const [row] = await tx.unsafe(`select id from ${table} where name = $1`, [l.farm]);
      if (!row) continue;
      if (!(await inventory.port.item(tx, l.code))) {
        await inventory.port.ensureItem(tx, {
          code: l.code,
          nameEn: l.en,
          nameBn: l.bn,
          kind: l.kind,
          base: l.base,
        });
      }
      if (l.kind === "medicine") {
        await linkMedicine(tx, stock, row.id, { stockItemCode: l.code, unitsPerStock: l.per });
      } else await linkFeedItem(tx, stock, row.id, { stockItemCode: l.code });
      links++;
      // What purchasing received here in quarantine is released; else an opening lot.
      for (const lotId of waiting.get(l.code) ?? []) {
        await inventory.port.setLotStatus(tx, {
          lotId,
          status: "released",
          reason: "Demo: checked by the farm vet on arrival",
          actor: ACTOR,
        });
      }
      const free = await stock.freeLots(tx, {
        itemCodes: [l.code],
        locationCodes: ["FARM-STORE"],
        on: today,
      });
      if (free.length > 0) continue;
      await inventory.port.receive(tx, {
        itemCode: l.code,
        locationCode: "FARM-STORE",
        qty: l.qty,
        producedOn: addDays(today, -20),
        expiresOn: addDays(today, l.days),
        status: "released",
        ref: { kind: "opening", id: `demo-farm-store-${l.code}` },
        actor: ACTOR,
        attrs: { note: "Opening stock at the farm store (demo)" },
      });
      lots++;
    }
  });
  return { skipped: false, linked: links, lots };
}
