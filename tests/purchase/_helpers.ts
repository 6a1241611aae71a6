/** Purchasing on a test database: the real inventory door behind the port, items, suppliers. */
import type { Sql } from "@/services/platform/db.ts";
import { createInventory, type Inventory } from "@/services/inventory/mod.ts";
import { createPurchase, inventoryForPurchase, type Purchase } from "@/services/purchase/mod.ts";

export const actor = { id: null, name: "Rahim (purchasing)" };
/** A fixed noon in Dhaka: tests pass at any hour. */
export const NOW = new Date("2026-03-10T06:00:00Z");
export const TODAY = "2026-03-10";

export interface Ctx {
  sql: Sql;
  inventory: Inventory;
  purchase: Purchase;
}

export async function purchaseOn(sql: Sql): Promise<Ctx> {
  const clock = { now: () => NOW };
  const inventory = createInventory({ sql, clock });
  const purchase = createPurchase({ sql, clock, inventory: inventoryForPurchase(inventory) });
  await inventory.port.ensureItem(sql, {
    code: "FEED-DAIRY-MIX",
    nameEn: "Dairy concentrate mix",
    nameBn: "দুগ্ধ দানাদার মিশ্রণ",
    kind: "feed",
    base: "g",
    shelfLifeDays: 90,
    reorderPoint: 500_000,
    reorderQty: 1_000_000,
  });
  await inventory.port.ensureItem(sql, {
    code: "MED-OXYTET",
    nameEn: "Oxytetracycline 100 ml",
    nameBn: "অক্সিটেট্রাসাইক্লিন ১০০ মিলি",
    kind: "medicine",
    base: "pc",
    shelfLifeDays: 365,
  });
  await inventory.port.ensureItem(sql, {
    code: "PKG-POUCH-1L",
    nameEn: "Milk pouch 1 L",
    nameBn: "দুধের পাউচ ১ লি",
    kind: "packaging",
    base: "pc",
    reorderPoint: 5000,
    reorderQty: 20_000,
  });
  return { sql, inventory, purchase };
}

let n = 0;
export async function supplier(
  c: Ctx,
  over: Partial<Parameters<Purchase["createSupplier"]>[0]> = {},
) {
  n++;
  return await c.purchase.createSupplier({
    name: `Supplier ${n} ${crypto.randomUUID().slice(0, 4)}`,
    bin: String(1000000000000 + n * 7919 + Math.floor(Math.random() * 1e6)),
    category: "feed",
    paymentTermsDays: 30,
    ...over,
  }, actor);
}

/** A sent order of 100 kg of feed at ৳45.00/kg (5 % VAT) and 10 medicine bottles at ৳120.00. */
export async function sentOrder(c: Ctx) {
  const s = await supplier(c);
  const o = await c.purchase.createOrder({
    supplierId: s.id,
    deliverTo: "PLANT-DRY",
    lines: [
      { itemCode: "FEED-DAIRY-MIX", unit: "kg", qty: "100", unitPriceMinor: 4500, vatRateBp: 500 },
      { itemCode: "MED-OXYTET", unit: "pc", qty: "10", unitPriceMinor: 12000, vatRateBp: 1500 },
    ],
  }, actor);
  await c.purchase.sendOrder(o.id, actor);
  const order = (await c.purchase.getOrder(o.id))!;
  return { supplier: s, order, feed: order.lines[0], med: order.lines[1] };
}

type ReceiptLines = Parameters<Purchase["receiveGoods"]>[1]["lines"];

/** Goods of an order received today into the dry store. */
export function receiveToday(c: Ctx, orderId: number, lines: ReceiptLines) {
  return c.purchase.receiveGoods(orderId, {
    receivedOn: TODAY,
    locationCode: "PLANT-DRY",
    lines,
  }, actor);
}
