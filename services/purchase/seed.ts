/**
 * Purchasing demo data: suppliers (one unregistered), their price lists with preferred suppliers,
 * the items they sell (created in inventory only when missing), and purchase orders in every
 * state — closed and billed, partially received with a bill that does not match, sent, draft —
 * plus an open request. Recent dates, from the clock. Skips everything when suppliers exist.
 * Called by scripts/seed_demo.ts.
 */
import type { Sql } from "@/services/platform/db.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import { createInventory } from "@/services/inventory/mod.ts";
import { inventoryForPurchase } from "./inventory_port.ts";
import { createPurchase } from "./mod.ts";
import type { ItemKind } from "./port.ts";
import type { PurchaseLedger } from "@/services/accounting/mod.ts";
import type { Base } from "./units.ts";

const ACTOR = { id: null, name: "Demo purchasing officer" };

const ITEMS: [
  string,
  string,
  string,
  ItemKind,
  Base,
  number | null,
  number | null,
  number | null,
][] = [
  // code, en, bn, kind, base, shelf life days, reorder point, reorder qty (base units)
  [
    "FEED-DAIRY-MIX",
    "Dairy concentrate mix",
    "দুগ্ধ দানাদার মিশ্রণ",
    "feed",
    "g",
    120,
    2_000_000,
    5_000_000,
  ],
  ["FEED-SILAGE", "Maize silage", "ভুট্টার সাইলেজ", "feed", "g", 180, null, null],
  [
    "MED-OXYTET",
    "Oxytetracycline 100 ml",
    "অক্সিটেট্রাসাইক্লিন ১০০ মিলি",
    "medicine",
    "pc",
    730,
    20,
    100,
  ],
  [
    "MED-CALCIUM",
    "Calcium borogluconate 450 ml",
    "ক্যালসিয়াম বোরোগ্লুকোনেট ৪৫০ মিলি",
    "medicine",
    "pc",
    730,
    10,
    50,
  ],
  ["PKG-POUCH-1L", "Milk pouch 1 L", "দুধের পাউচ ১ লি", "packaging", "pc", null, 20_000, 50_000],
  ["PKG-CUP-500G", "Yogurt cup 500 g", "দইয়ের কাপ ৫০০ গ্রা", "packaging", "pc", null, 5_000, 20_000],
  ["ING-SUGAR", "Sugar", "চিনি", "ingredient", "g", 365, 200_000, 500_000],
  ["ING-CULTURE", "Yogurt starter culture", "দইয়ের কালচার", "ingredient", "g", 180, 500, 2_000],
];

export async function seedPurchase(
  sql: Sql,
  opts: {
    clock?: { now(): Date };
    log?: (m: string) => void;
    /** The books the receipts and approved bills post to (the demo's: accounting/demo_books.ts). */
    ledger?: PurchaseLedger;
  } = {},
): Promise<{ skipped: boolean; orders: number }> {
  const clock = opts.clock ?? { now: () => new Date() };
  const inventory = createInventory({ sql, clock });
  const purchase = createPurchase({
    sql,
    clock,
    inventory: inventoryForPurchase(inventory),
    ledger: opts.ledger,
  });
  if ((await purchase.listSuppliers()).length > 0) return { skipped: true, orders: 0 };
  for (const [code, nameEn, nameBn, kind, base, shelf, point, qty] of ITEMS) {
    if (await inventory.port.item(sql, code)) continue;
    await inventory.port.ensureItem(sql, {
      code,
      nameEn,
      nameBn,
      kind,
      base,
      shelfLifeDays: shelf,
      reorderPoint: point,
      reorderQty: qty,
    });
  }
  const s = async (
    name: string,
    bin: string,
    category: "feed" | "medicine" | "packaging" | "ingredient" | "services",
    days: number,
    contact: string,
  ) =>
    (await purchase.createSupplier({
      name,
      bin,
      category,
      paymentTermsDays: days,
      contactName: contact,
      contactPhone: "+8801711000000",
      address: "Dhaka",
    }, ACTOR)).id;
  const feedCo = await s("Padma Feed Mills Ltd.", "0011223344556", "feed", 30, "Mr. Hasan");
  const grass = await s("Karim Green Fodder", "", "feed", 7, "Abdul Karim");
  const vet = await s("Meghna Vet Pharma Ltd.", "0022334455667", "medicine", 45, "Dr. Nasrin");
  const pack = await s("Jamuna Packaging Ltd.", "0033445566778", "packaging", 30, "Ms. Rupa");
  const ingr = await s(
    "Deshbandhu Sugar & Cultures",
    "0044556677889",
    "ingredient",
    15,
    "Mr. Alam",
  );
  await s("Shapla Cold Chain Services", "0055667788990", "services", 30, "Mr. Biplob");

  const price = (
    supplierId: number,
    itemCode: string,
    unit: string,
    unitPriceMinor: number,
    vatRateBp: number,
    preferred = true,
  ) =>
    purchase.setPrice(
      { supplierId, itemCode, unit, unitPriceMinor, vatRateBp, preferred },
      ACTOR,
    );
  await price(feedCo, "FEED-DAIRY-MIX", "bag_50kg", 2_250_00, 0);
  await price(grass, "FEED-SILAGE", "kg", 8_00, 0);
  await price(vet, "MED-OXYTET", "pc", 145_00, 0);
  await price(vet, "MED-CALCIUM", "pc", 210_00, 0);
  await price(pack, "PKG-POUCH-1L", "roll_1000", 1_450_00, 1500);
  await price(pack, "PKG-CUP-500G", "box_100", 980_00, 1500);
  await price(ingr, "ING-SUGAR", "kg", 135_00, 1500);
  await price(ingr, "ING-CULTURE", "g", 45_00, 1500);

  const today = purchase.today();
  const daysAgo = (n: number) => addDays(today, -n);
  const lines = (o: { id: number }) => purchase.getOrder(o.id).then((x) => x!.lines);

  // 1. Feed: ordered, fully received at the farm store, billed and approved, closed.
  const o1 = await purchase.createOrder({
    supplierId: feedCo,
    deliverTo: "FARM-STORE",
    lines: [{ itemCode: "FEED-DAIRY-MIX", unit: "bag_50kg", qty: "60" }],
  }, ACTOR);
  await purchase.sendOrder(o1.id, ACTOR);
  const [l1] = await lines(o1);
  await purchase.receiveGoods(o1.id, {
    receivedOn: daysAgo(12),
    locationCode: "FARM-STORE",
    lines: [{
      orderLineId: l1.id,
      qty: "60",
      supplierLot: "PFM-2411-07",
      expiresOn: addDays(daysAgo(12), 120),
    }],
  }, ACTOR);
  const b1 = await purchase.enterBill({
    orderId: o1.id,
    billNumber: "PFM-INV-5512",
    billDate: daysAgo(11),
    lines: [{ orderLineId: l1.id, qty: "60" }],
  }, ACTOR);
  await purchase.approveBill(b1.id, {}, ACTOR);
  await purchase.closeOrder(o1.id, ACTOR);

  // 2. Medicine for the farm: part received (quarantined), a bill at a higher price.
  const o2 = await purchase.createOrder({
    supplierId: vet,
    deliverTo: "FARM-STORE",
    lines: [
      { itemCode: "MED-OXYTET", unit: "pc", qty: "40" },
      { itemCode: "MED-CALCIUM", unit: "pc", qty: "24" },
    ],
  }, ACTOR);
  await purchase.sendOrder(o2.id, ACTOR);
  const [l2a, l2b] = await lines(o2);
  await purchase.receiveGoods(o2.id, {
    receivedOn: daysAgo(3),
    locationCode: "FARM-STORE",
    lines: [
      { orderLineId: l2a.id, qty: "40", supplierLot: "OXY-5531", expiresOn: addDays(today, 600) },
      { orderLineId: l2b.id, qty: "" },
    ],
  }, ACTOR);
  await purchase.enterBill({
    orderId: o2.id,
    billNumber: "MVP/26/0211",
    billDate: daysAgo(2),
    lines: [{ orderLineId: l2a.id, qty: "40", unitPriceMinor: 152_00 }],
  }, ACTOR);

  // 3. Sugar: sent, nothing arrived yet.
  const o3 = await purchase.createOrder({
    supplierId: ingr,
    deliverTo: "PLANT-DRY",
    expectedOn: addDays(today, 4),
    lines: [
      { itemCode: "ING-SUGAR", unit: "kg", qty: "500" },
      { itemCode: "ING-CULTURE", unit: "g", qty: "1500" },
    ],
  }, ACTOR);
  await purchase.sendOrder(o3.id, ACTOR);

  // 4. A request approved into a draft order; another still open.
  const r1 = await purchase.createRequest({
    itemCode: "FEED-SILAGE",
    unit: "kg",
    qty: "3000",
    neededBy: addDays(today, 7),
    reason: "Dry-season ration for the milking group",
  }, ACTOR);
  await purchase.decideRequest(r1.id, { approve: true }, ACTOR);
  await purchase.createRequest({
    itemCode: "MED-CALCIUM",
    unit: "pc",
    qty: "10",
    neededBy: addDays(today, 3),
    reason: "Milk fever cases after calving",
  }, ACTOR);
  opts.log?.(`demo purchasing: 6 suppliers, 4 purchase orders (${dhakaDate(clock.now())})`);
  return { skipped: false, orders: 4 };
}
