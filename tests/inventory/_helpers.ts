/** Inventory test helpers: a door on a fresh database, an actor, and a finished good to stock. */
import { createInventory } from "@/services/inventory/mod.ts";
import type { Db } from "@/services/inventory/mod.ts";

export const actor = { id: null, name: "test" };
export const TODAY = "2026-03-10";

export function inventoryOn(sql: Parameters<typeof createInventory>[0]["sql"]) {
  return createInventory({ sql, clock: { now: () => new Date("2026-03-10T04:00:00Z") } });
}

/** Raw milk (ml) with a 2-day shelf life, as the item of a test. */
export const RAW_MILK = {
  code: "RAW-MILK",
  nameEn: "Raw milk",
  nameBn: "কাঁচা দুধ",
  kind: "raw_milk",
  base: "ml",
  shelfLifeDays: 2,
} as const;

/** A finished good (pc) with a 10-day shelf life and 2 minimum days. */
export async function yogurt(inv: ReturnType<typeof inventoryOn>, db: Db, sku = "YOG-TEST") {
  await inv.port.ensureItem(db, {
    code: `FG-${sku}`,
    nameEn: "Test yogurt",
    nameBn: "পরীক্ষার দই",
    kind: "finished",
    base: "pc",
    shelfLifeDays: 10,
    minShelfDays: 2,
    shopSku: sku,
  });
  return `FG-${sku}`;
}

/** Receives qty of an item as a released lot produced on a date (expiry = shelf life). */
export async function lotOf(
  inv: ReturnType<typeof inventoryOn>,
  db: Db,
  itemCode: string,
  qty: number,
  producedOn: string,
  opts: { location?: string; expiresOn?: string } = {},
) {
  return await inv.port.receive(db, {
    itemCode,
    locationCode: opts.location ?? "PLANT-COLD1",
    qty,
    producedOn,
    expiresOn: opts.expiresOn,
    status: "released",
    ref: { kind: "production", id: `po-${crypto.randomUUID().slice(0, 8)}` },
    actor,
  });
}

/** A farm feed kept in grams (30 days' shelf life): the item farm use draws from. */
export const FEED_MIX = {
  code: "FEED-MIX",
  nameEn: "Feed mix",
  nameBn: "খাদ্য মিশ্রণ",
  kind: "feed",
  base: "g",
  shelfLifeDays: 30,
} as const;
