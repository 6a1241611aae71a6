/** Quality test helpers: the inventory, IoT and quality doors on one database, lots to judge. */
import { createInventory, type Inventory } from "@/services/inventory/mod.ts";
import { createIot } from "@/services/iot/mod.ts";
import { createQuality } from "@/services/quality/mod.ts";
import type { Sql } from "@/services/platform/db.ts";
import { emptyBatch } from "@/services/iot/mod.ts";

export const actor = { id: null, name: "QC tester" };
/** Lot dates (inventory's availability is asked for this day; lots keep 10 days of shelf life). */
export const DAY = "2026-03-10";

export function doors(sql: Sql) {
  const clock = { now: () => new Date() };
  const inventory = createInventory({ sql, clock });
  const iot = createIot({ sql, clock });
  const quality = createQuality({ sql, clock, inventory, iot: iot.forQuality() });
  return { inventory, iot, quality };
}
export type Doors = ReturnType<typeof doors>;

/** Raw milk received into the silo (quarantine until quality releases it). */
export async function rawMilkLot(d: { inventory: Inventory }, sql: Sql, litres = 500) {
  await d.inventory.port.ensureItem(sql, {
    code: "RAW-MILK",
    nameEn: "Raw milk",
    nameBn: "কাঁচা দুধ",
    kind: "raw_milk",
    base: "ml",
  });
  return await d.inventory.port.receive(sql, {
    itemCode: "RAW-MILK",
    locationCode: "PLANT-SILO",
    qty: litres * 1000,
    producedOn: DAY,
    ref: { kind: "intake", id: `in-${crypto.randomUUID().slice(0, 8)}` },
    actor,
  });
}

/** A finished good (shop SKU MILK-1L, pieces) received as a lot at `location` in `status`. */
export async function milkPackLot(
  d: { inventory: Inventory },
  sql: Sql,
  opts: { qty?: number; location?: string; status?: "quarantine" | "released" } = {},
) {
  await d.inventory.port.ensureItem(sql, {
    code: "FG-MILK-1L",
    nameEn: "Pasteurised milk 1 L",
    nameBn: "পাস্তুরিত দুধ ১ লি",
    kind: "finished",
    base: "pc",
    shelfLifeDays: 10,
    shopSku: "MILK-1L",
  });
  return await d.inventory.port.receive(sql, {
    itemCode: "FG-MILK-1L",
    locationCode: opts.location ?? "PLANT-COLD1",
    qty: opts.qty ?? 40,
    producedOn: DAY,
    status: opts.status ?? "quarantine",
    ref: { kind: "production", id: `po-${crypto.randomUUID().slice(0, 8)}` },
    actor,
  });
}

export const RAW_OK = {
  fat_pct: "4.1",
  snf_pct: "8.4",
  temp_c: "4.5",
  antibiotic: "negative",
  added_water: "negative",
  starch: "negative",
  neutraliser: "negative",
  formalin: "negative",
  urea: "negative",
  alcohol_test: "negative",
};

export const FINISHED_OK = {
  tpc: "12000",
  coliform: "2",
  e_coli: "absent",
  temp_c: "4",
  sensory: "good",
  pack_seal: "intact",
};

/** One temperature reading through IoT's ingest write (the same batch write the MQTT ingest uses). */
export async function reading(d: Doors, deviceId: string, value: number, at: Date) {
  const w = emptyBatch();
  w.rows.push(deviceId, "temperature_c", at.getTime(), value, null, null);
  w.seen.set(deviceId, { seenAt: at.getTime(), readingAt: at.getTime() });
  w.dirty.deviceId.push(deviceId);
  w.dirty.bucket.push(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
  await d.iot.writeBatch(w);
}
