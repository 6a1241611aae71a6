/**
 * Production test helpers: the inventory and production doors on a test database at a fixed
 * Dhaka time, a small pasteurised-milk bill of materials, and released stock to make it from.
 */
import { createInventory } from "@/services/inventory/mod.ts";
import { createProduction } from "@/services/production/mod.ts";
import type { Sql } from "@/services/platform/db.ts";
import type { InventoryPort } from "@/services/inventory/types.ts";
import type { TestApp } from "@/tests/helpers/app.ts";

export const NOW = new Date("2026-03-10T04:00:00Z"); // 10:00 in Dhaka
export const TODAY = "2026-03-10";
export const actor = { id: null, name: "test" };

export function doorsOn(sql: Sql, clock = { now: () => NOW }) {
  const inventory = createInventory({ sql, clock });
  const production = createProduction({ sql, clock, inventory: inventory.port });
  return { inventory, production };
}
export type Doors = ReturnType<typeof doorsOn>;

/** Raw milk, pouches and a 1 L milk pouch (3 days' shelf life), through any inventory door. */
export async function milkItems(d: { inventory: { port: InventoryPort } }, sql: Sql) {
  const port = d.inventory.port;
  await port.ensureItem(sql, {
    code: "RAW-MILK",
    nameEn: "Raw milk",
    nameBn: "কাঁচা দুধ",
    kind: "raw_milk",
    base: "ml",
    shelfLifeDays: 3,
  });
  await port.ensureItem(sql, {
    code: "PKG-POUCH-1L",
    nameEn: "Milk pouch 1 L",
    nameBn: "দুধের পাউচ ১ লিটার",
    kind: "packaging",
    base: "pc",
    shelfLifeDays: 365,
  });
  await port.ensureItem(sql, {
    code: "FG-TMILK-1000",
    nameEn: "Test milk 1 L",
    nameBn: "পরীক্ষার দুধ ১ লিটার",
    kind: "finished",
    base: "pc",
    shelfLifeDays: 3,
    shopSku: "TMILK-1000",
  });
}

/** The BoM form of the test milk: 1015 ml of raw milk and 1.01 pouches a pouch, 1.5 % loss. */
export function milkBom(over: Record<string, unknown> = {}) {
  return {
    outputItemCode: "FG-TMILK-1000",
    nameEn: "Test milk 1 L",
    nameBn: "পরীক্ষার দুধ ১ লিটার",
    hsCode: "0401.20",
    outputQty: 1000,
    lossPct: "1.5",
    tolerancePct: "1",
    targetFatPct: "3.5",
    targetSnfPct: "8.5",
    validFrom: "2026-01-01",
    inputs: [
      { itemCode: "RAW-MILK", role: "main", qty: 1_015_000, wastagePct: "1.5" },
      { itemCode: "PKG-POUCH-1L", role: "packaging", qty: 1010, wastagePct: "1" },
    ],
    byproducts: [],
    ...over,
  };
}

/** A lot received at a plant location (released unless told). */
export async function stock(
  d: Doors,
  sql: Sql,
  itemCode: string,
  qty: number,
  producedOn: string,
  opts: {
    status?: "released" | "quarantine" | "hold";
    attrs?: Record<string, unknown>;
    location?: string;
  } = {},
) {
  return await d.inventory.port.receive(sql, {
    itemCode,
    locationCode: opts.location ?? (itemCode === "RAW-MILK" ? "PLANT-SILO" : "PLANT-DRY"),
    qty,
    producedOn,
    status: opts.status ?? "released",
    ref: { kind: "opening", id: `t-${crypto.randomUUID().slice(0, 8)}` },
    actor,
    attrs: opts.attrs,
  });
}

/** On hand of a lot (all locations). */
export async function onHand(d: Doors, sql: Sql, lotId: number): Promise<number> {
  return (await d.inventory.port.lot(sql, lotId))?.onHand ?? -1;
}

/** The test app with the test milk's items, BoM, and released raw milk (with tests) and pouches. */
export async function arrange(t: TestApp) {
  const sql = t.db.sql;
  const port = t.deps.inventory.port;
  await milkItems(t.deps, sql);
  await t.deps.production.saveBomVersion(milkBom(), actor);
  for (
    const [itemCode, qty, loc] of [["RAW-MILK", 500_000, "PLANT-SILO"], [
      "PKG-POUCH-1L",
      1000,
      "PLANT-DRY",
    ]] as const
  ) {
    await port.receive(sql, {
      itemCode,
      locationCode: loc,
      qty,
      producedOn: "2026-03-09",
      status: "released",
      ref: { kind: "opening", id: `t-${itemCode}` },
      actor,
      attrs: itemCode === "RAW-MILK" ? { fat: 4.2, snf: 8.3 } : undefined,
    });
  }
}
