/**
 * The shop's stock comes from the inventory context (issue 12 §3): the shop keeps no counter. It
 * receives `ShopStock` (the part of inventory's port it uses, handed to createShop by
 * contexts.ts) and, through it, reserves FEFO lots at checkout (ref: the order), releases them on
 * cancellation, fulfils them when the goods leave, and shows what is available by SKU.
 *
 * Every shop variant is an inventory item `FG-<sku>` (pieces: one pack is one piece), kept in step
 * with the product by `syncItems` whenever staff save a product.
 */
import type { InventoryPort, ItemInput, MoveRef } from "@/services/inventory/mod.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import type { Db } from "@/services/platform/tx.ts";
import type { ShopLedger } from "@/services/accounting/port.ts";

export type ShopStock = Pick<
  InventoryPort,
  | "ensureItem"
  | "item"
  | "receive"
  | "reserve"
  | "releaseReservation"
  | "fulfil"
  | "returnAll"
  | "availableBySku"
  | "picksOf"
>;

/** What order changes need besides the transaction: the field keys and the stock. */
export interface OrderDeps {
  keyring: Keyring;
  stock: ShopStock;
  /** The books (accounting's port): the sale at delivery, a payment from the balance. */
  books?: ShopLedger;
  /** The customer's tracking link of an order (delivery's door), put into the order's messages. */
  track?: (orderNumber: string) => Promise<string> | string;
  /** The shop's clock (the day a rider's cash was collected). */
  now?: () => Date;
}

/** Available packs per SKU (for pages: today's stock). */
export type StockOf = (skus: string[]) => Promise<Map<string, number>>;

/** The stock reference of a shop order (subscription deliveries are shop orders too). */
export function orderRef(orderId: string): MoveRef {
  return { kind: "shop_order", id: orderId };
}

/** The inventory item of a shop variant. */
export function itemCodeOf(sku: string): string {
  return `FG-${sku}`;
}

/** Days of shelf life a customer's pack must still have: a third of it, at most 30. */
export function minShelfDaysFor(shelfLifeDays: number): number {
  return Math.min(Math.floor(shelfLifeDays / 3), 30);
}

/** Where a product's packs are received by default (by its storage). */
export function defaultLocation(storage: string): string {
  return storage === "frozen" ? "PLANT-COLD2" : storage === "ambient" ? "PLANT-DRY" : "PLANT-COLD1";
}

type ProductNames = { nameEn: string; nameBn: string; shelfLifeDays: number };
type Pack = { sku: string; packQty: string | number; unit: string };

/** The inventory item of a product's pack (finished goods, counted in packs). */
export function itemOfVariant(p: ProductNames, v: Pack): ItemInput {
  const pack = `${Number(v.packQty)} ${v.unit}`;
  return {
    code: itemCodeOf(v.sku),
    nameEn: `${p.nameEn} ${pack}`.slice(0, 120),
    nameBn: `${p.nameBn} ${pack}`.slice(0, 120),
    kind: "finished",
    base: "pc",
    shelfLifeDays: p.shelfLifeDays,
    minShelfDays: minShelfDaysFor(p.shelfLifeDays),
    shopSku: v.sku,
  };
}

/** Makes (or updates) the inventory items of a product's variants. */
export async function syncItems(
  stock: ShopStock,
  tx: Db,
  p: ProductNames,
  variants: Pack[],
): Promise<void> {
  for (const v of variants) await stock.ensureItem(tx, itemOfVariant(p, v));
}

/** Fills `stockAvailable` of variants from inventory (one query for all). */
export async function withStock<T extends { sku: string; stockAvailable: number }>(
  variants: T[],
  stockOf: StockOf,
): Promise<T[]> {
  if (variants.length === 0) return variants;
  const got = await stockOf([...new Set(variants.map((v) => v.sku))]);
  for (const v of variants) v.stockAvailable = got.get(v.sku) ?? 0;
  return variants;
}
