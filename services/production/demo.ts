/**
 * Demo data of production: the items it needs (ingredients, packaging, by-products and the
 * finished goods `FG-<sku>` of the seeded shop when inventory has not made them), a bill of
 * materials for every seeded shop product (pasteurised milk in two versions), and a few orders —
 * finished ones (one of them flagged for its loss), one started, one planned — so that lineage
 * and the yield pages have something to show. Skips itself when BoMs exist.
 */
import type { Sql } from "@/services/platform/db.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import { saveBomVersion } from "./boms.ts";
import type { Base, InvActor, ItemKind, ProductionInventory } from "./inventory_port.ts";
import { createOrder, finishOrder, startOrder } from "./orders.ts";

type ItemDef = [code: string, en: string, bn: string, kind: ItemKind, base: Base, shelf: number];

const ITEMS: ItemDef[] = [
  ["RAW-MILK", "Raw milk", "কাঁচা দুধ", "raw_milk", "ml", 3],
  ["CREAM", "Cream (40 % fat)", "ক্রিম (৪০ % ফ্যাট)", "ingredient", "ml", 5],
  ["BULK-BUTTER", "Butter for ghee (bulk)", "ঘিয়ের জন্য মাখন (বাল্ক)", "ingredient", "g", 60],
  ["ING-CULTURE", "Yogurt culture", "দইয়ের কালচার", "ingredient", "g", 180],
  ["ING-SUGAR", "Sugar", "চিনি", "ingredient", "g", 365],
  ["ING-SALT", "Salt", "লবণ", "ingredient", "g", 730],
  ["ING-CITRIC", "Citric acid", "সাইট্রিক অ্যাসিড", "ingredient", "g", 730],
  ["ING-RENNET", "Rennet", "রেনেট", "ingredient", "g", 365],
  ["ING-MANGO", "Mango pulp", "আমের পাল্প", "ingredient", "g", 180],
  ["ING-COCOA", "Cocoa powder", "কোকো পাউডার", "ingredient", "g", 365],
  ["ING-SPICE", "Borhani spice mix", "বোরহানির মসলা", "ingredient", "g", 180],
  ["ING-SMP", "Skim milk powder", "স্কিম মিল্ক পাউডার", "ingredient", "g", 365],
  ["PKG-POUCH-500", "Milk pouch 500 ml", "দুধের পাউচ ৫০০ মিলি", "packaging", "pc", 730],
  ["PKG-POUCH-1L", "Milk pouch 1 L", "দুধের পাউচ ১ লিটার", "packaging", "pc", 730],
  ["PKG-CUP-200", "Cup 200 g", "কাপ ২০০ গ্রাম", "packaging", "pc", 730],
  ["PKG-CUP-500", "Cup 500 g", "কাপ ৫০০ গ্রাম", "packaging", "pc", 730],
  ["PKG-CUP-1000", "Cup 1 kg", "কাপ ১ কেজি", "packaging", "pc", 730],
  ["PKG-WRAP-200", "Butter wrap 200 g", "মাখনের মোড়ক ২০০ গ্রাম", "packaging", "pc", 730],
  ["PKG-JAR-250", "Ghee jar 250 g", "ঘিয়ের জার ২৫০ গ্রাম", "packaging", "pc", 730],
  ["PKG-JAR-500", "Ghee jar 500 g", "ঘিয়ের জার ৫০০ গ্রাম", "packaging", "pc", 730],
  ["PKG-JAR-1000", "Ghee jar 1 kg", "ঘিয়ের জার ১ কেজি", "packaging", "pc", 730],
  ["PKG-VAC-200", "Vacuum pack 200 g", "ভ্যাকুয়াম প্যাক ২০০ গ্রাম", "packaging", "pc", 730],
  ["PKG-BOTTLE-200", "Bottle 200 ml", "বোতল ২০০ মিলি", "packaging", "pc", 730],
  ["PKG-BOTTLE-250", "Bottle 250 ml", "বোতল ২৫০ মিলি", "packaging", "pc", 730],
  ["BYP-BUTTERMILK", "Buttermilk", "ঘোল", "byproduct", "ml", 2],
  ["BYP-WHEY", "Whey", "ছানার পানি", "byproduct", "ml", 2],
  ["BYP-SKIM", "Skim milk", "ননী তোলা দুধ", "byproduct", "ml", 2],
];

/** Finished goods of the seeded shop: sku, names, shelf life (days). */
const FINISHED: [sku: string, en: string, bn: string, shelf: number][] = [
  ["MILK-500", "Fresh milk 500 ml", "তাজা দুধ ৫০০ মিলি", 3],
  ["MILK-1000", "Fresh milk 1 L", "তাজা দুধ ১ লিটার", 3],
  ["FCMILK-1000", "Full cream milk 1 L", "ফুল ক্রিম দুধ ১ লিটার", 3],
  ["LFMILK-1000", "Low fat milk 1 L", "লো ফ্যাট দুধ ১ লিটার", 3],
  ["SDOI-500", "Sweet doi 500 g", "মিষ্টি দই ৫০০ গ্রাম", 7],
  ["SDOI-1000", "Sweet doi 1 kg", "মিষ্টি দই ১ কেজি", 7],
  ["PDOI-500", "Plain doi 500 g", "টক দই ৫০০ গ্রাম", 7],
  ["GYOG-200", "Greek yogurt 200 g", "গ্রিক দই ২০০ গ্রাম", 14],
  ["BUTS-200", "Salted butter 200 g", "লবণযুক্ত মাখন ২০০ গ্রাম", 60],
  ["BUTU-200", "Unsalted butter 200 g", "লবণ ছাড়া মাখন ২০০ গ্রাম", 60],
  ["GHEE-250", "Pure ghee 250 g", "খাঁটি ঘি ২৫০ গ্রাম", 365],
  ["GHEE-500", "Pure ghee 500 g", "খাঁটি ঘি ৫০০ গ্রাম", 365],
  ["GHEE-1000", "Pure ghee 1 kg", "খাঁটি ঘি ১ কেজি", 365],
  ["PANEER-200", "Paneer 200 g", "পনির ২০০ গ্রাম", 7],
  ["MOZZ-200", "Mozzarella 200 g", "মোজারেলা ২০০ গ্রাম", 30],
  ["CREAM-200", "Fresh cream 200 ml", "তাজা ক্রিম ২০০ মিলি", 7],
  ["LASSI-250", "Mango lassi 250 ml", "ম্যাঙ্গো লাচ্ছি ২৫০ মিলি", 7],
  ["CHOCO-250", "Chocolate milk 250 ml", "চকলেট দুধ ২৫০ মিলি", 7],
  ["BORHANI-250", "Borhani 250 ml", "বোরহানি ২৫০ মিলি", 5],
];

type Line = [code: string, qty: number, wastagePct?: number];
interface BomDef {
  item: string;
  hs: string;
  out: number;
  loss: number;
  tol: number;
  main: Line;
  ingredients?: Line[];
  packaging?: Line[];
  byproducts?: [string, number][];
  fat?: number;
  snf?: number;
}

/**
 * A BoM per batch of `out` (pieces for packs, base units for bulk); loss and tolerance in percent.
 * The main input is wasted as the batch loses; a finished good takes one pack a piece (1 % spoiled).
 */
function bom(
  item: string,
  hs: string,
  [out, loss, tol]: [number, number, number],
  [main, mainQty]: [string, number],
  rest: Omit<Partial<BomDef>, "item" | "hs" | "out" | "loss" | "tol" | "main"> = {},
): BomDef {
  return { item, hs, out, loss, tol, main: [main, mainQty, loss], ...rest };
}
const fg = (
  sku: string,
  hs: string,
  [loss, tol]: [number, number],
  main: [string, number],
  pack: string,
  rest: Parameters<typeof bom>[4] = {},
) => bom(`FG-${sku}`, hs, [1000, loss, tol], main, { packaging: [[pack, 1010, 1]], ...rest });

const BOMS: BomDef[] = [
  bom("CREAM", "0401.50", [100_000, 0.5, 1], ["RAW-MILK", 1_000_000], {
    byproducts: [["BYP-SKIM", 895_000]],
  }),
  bom("BULK-BUTTER", "0405.10", [100_000, 2, 1.5], ["CREAM", 215_000], {
    byproducts: [["BYP-BUTTERMILK", 110_000]],
  }),
  fg("MILK-500", "0401.20", [1.5, 1], ["RAW-MILK", 507_500], "PKG-POUCH-500", {
    fat: 3.5,
    snf: 8.5,
  }),
  fg("MILK-1000", "0401.20", [1.5, 1], ["RAW-MILK", 1_015_000], "PKG-POUCH-1L", {
    fat: 3.5,
    snf: 8.5,
  }),
  fg("FCMILK-1000", "0401.40", [1.5, 1], ["RAW-MILK", 1_015_000], "PKG-POUCH-1L", {
    fat: 6,
    snf: 9,
  }),
  fg("LFMILK-1000", "0401.10", [1.5, 1], ["RAW-MILK", 1_090_000], "PKG-POUCH-1L", {
    byproducts: [["CREAM", 70_000]],
    fat: 1.5,
    snf: 8.7,
  }),
  ...([["SDOI-500", 500], ["SDOI-1000", 1000]] as const).map(([sku, g]) =>
    fg(sku, "0403.20", [3, 2], ["RAW-MILK", g * 1120], `PKG-CUP-${g}`, {
      ingredients: [["ING-SUGAR", g * 100], ["ING-CULTURE", g / 5]],
      fat: 4,
      snf: 9.5,
    })
  ),
  fg("PDOI-500", "0403.20", [3, 2], ["RAW-MILK", 530_000], "PKG-CUP-500", {
    ingredients: [["ING-CULTURE", 100]],
  }),
  fg("GYOG-200", "0403.20", [2, 2], ["RAW-MILK", 600_000], "PKG-CUP-200", {
    ingredients: [["ING-CULTURE", 50]],
    byproducts: [["BYP-WHEY", 390_000]],
  }),
  ...([["BUTS-200", true], ["BUTU-200", false]] as const).map(([sku, salted]) =>
    fg(sku, "0405.10", [2, 1.5], ["CREAM", 430_000], "PKG-WRAP-200", {
      ingredients: salted ? [["ING-SALT", 3000]] : [],
      byproducts: [["BYP-BUTTERMILK", 220_000]],
    })
  ),
  ...([250, 500, 1000] as const).map((g) =>
    fg(`GHEE-${g}`, "0405.90", [2, 2], ["BULK-BUTTER", g * 1280], `PKG-JAR-${g}`, {
      packaging: [[`PKG-JAR-${g}`, 1005, 0.5]],
    })
  ),
  fg("PANEER-200", "0406.10", [3, 2], ["RAW-MILK", 1_300_000], "PKG-VAC-200", {
    ingredients: [["ING-CITRIC", 2600]],
    byproducts: [["BYP-WHEY", 1_050_000]],
  }),
  fg("MOZZ-200", "0406.10", [3, 2], ["RAW-MILK", 2_000_000], "PKG-VAC-200", {
    ingredients: [["ING-RENNET", 40], ["ING-SALT", 4000]],
    byproducts: [["BYP-WHEY", 1_750_000]],
  }),
  fg("CREAM-200", "0401.50", [1, 1], ["CREAM", 202_000], "PKG-BOTTLE-200"),
  fg("LASSI-250", "0403.90", [2, 2], ["RAW-MILK", 200_000], "PKG-BOTTLE-250", {
    ingredients: [["ING-MANGO", 60_000], ["ING-SUGAR", 25_000], ["ING-CULTURE", 40]],
  }),
  fg("CHOCO-250", "0402.99", [2, 2], ["RAW-MILK", 235_000], "PKG-BOTTLE-250", {
    ingredients: [["ING-COCOA", 5000], ["ING-SUGAR", 20_000]],
  }),
  fg("BORHANI-250", "0403.90", [2, 2], ["RAW-MILK", 180_000], "PKG-BOTTLE-250", {
    ingredients: [["ING-SPICE", 3000], ["ING-SALT", 2000], ["ING-CULTURE", 40]],
  }),
];

const DEMO: InvActor = { id: null, name: "Demo production" };

function bomForm(d: BomDef, names: Map<string, [string, string]>, validFrom: string) {
  const [en, bn] = names.get(d.item) ?? [d.item, d.item];
  const line = (role: string) => ([itemCode, qty, w]: Line) => ({
    itemCode,
    role,
    qty,
    wastagePct: String(w ?? 0),
  });
  return {
    outputItemCode: d.item,
    nameEn: en,
    nameBn: bn,
    hsCode: d.hs,
    outputQty: d.out,
    lossPct: String(d.loss),
    tolerancePct: String(d.tol),
    targetFatPct: d.fat === undefined ? "" : String(d.fat),
    targetSnfPct: d.snf === undefined ? "" : String(d.snf),
    validFrom,
    inputs: [
      line("main")(d.main),
      ...(d.ingredients ?? []).map(line("ingredient")),
      ...(d.packaging ?? []).map(line("packaging")),
    ],
    byproducts: (d.byproducts ?? []).map(([itemCode, qty]) => ({ itemCode, qty })),
  };
}

/** Makes sure production's items exist (finished goods only when inventory has not made them). */
export async function ensureProductionItems(sql: Sql, inventory: ProductionInventory) {
  await sql.begin(async (tx) => {
    for (const [code, nameEn, nameBn, kind, base, shelf] of ITEMS) {
      if (!(await inventory.item(tx, code))) {
        await inventory.ensureItem(tx, { code, nameEn, nameBn, kind, base, shelfLifeDays: shelf });
      }
    }
    for (const [sku, nameEn, nameBn, shelf] of FINISHED) {
      if (!(await inventory.item(tx, `FG-${sku}`))) {
        await inventory.ensureItem(tx, {
          code: `FG-${sku}`,
          nameEn,
          nameBn,
          kind: "finished",
          base: "pc",
          shelfLifeDays: shelf,
          shopSku: sku,
        });
      }
    }
  });
}

/** The BoMs of the seeded products (pasteurised milk 1 L in two versions). */
export async function seedBoms(sql: Sql, inventory: ProductionInventory, today: string) {
  const names = new Map<string, [string, string]>([
    ...ITEMS.map(([c, en, bn]) => [c, [en, bn]] as [string, [string, string]]),
    ...FINISHED.map(([s, en, bn]) => [`FG-${s}`, [en, bn]] as [string, [string, string]]),
  ]);
  const from = addDays(today, -730);
  for (const d of BOMS) {
    if (d.item === "FG-MILK-1000") {
      // the first declaration lost 2 %; the new homogeniser brought it to 1.5 % (version 2)
      const v1 = { ...d, loss: 2, main: ["RAW-MILK", 1_020_000, 2] as Line };
      await saveBomVersion(sql, inventory, bomForm(v1, names, from), DEMO);
      await saveBomVersion(sql, inventory, bomForm(d, names, addDays(today, -120)), DEMO);
    } else {
      await saveBomVersion(sql, inventory, bomForm(d, names, from), DEMO);
    }
  }
}

/** Opening stock of ingredients and packaging (released), and raw milk when none is released. */
async function openingStock(sql: Sql, inventory: ProductionInventory, today: string) {
  await sql.begin(async (tx) => {
    for (const [code, , , kind, base] of ITEMS) {
      if (kind !== "ingredient" && kind !== "packaging") continue;
      if (code === "CREAM" || code === "BULK-BUTTER") continue;
      const qty = base === "pc" ? 20_000 : 200_000;
      await inventory.receive(tx, {
        itemCode: code,
        locationCode: "PLANT-DRY",
        qty,
        producedOn: addDays(today, -20),
        status: "released",
        ref: { kind: "opening", id: `demo-${code}` },
        actor: DEMO,
      });
    }
    // Raw milk for the demo orders, with its test results (intake seeds its own lots too).
    for (const [n, [fat, snf]] of [[4.3, 8.4], [4.0, 8.6]].entries()) {
      await inventory.receive(tx, {
        itemCode: "RAW-MILK",
        locationCode: "PLANT-SILO",
        qty: 3_000_000,
        producedOn: addDays(today, -1 + n),
        status: "released",
        ref: { kind: "opening", id: `demo-raw-${n + 1}` },
        actor: DEMO,
        attrs: { fat, snf },
      });
    }
  });
}

export interface SeedProductionResult {
  skipped: boolean;
  boms: number;
  orders: number;
}

/**
 * The demo's production: items, BoMs, opening stock and five orders (three finished — one of
 * them over its loss tolerance — one started, one planned). Runs once.
 */
export async function seedProduction(
  sql: Sql,
  inventory: ProductionInventory,
  opts: { now?: Date } = {},
): Promise<SeedProductionResult> {
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from prod_boms`;
  if (n > 0) return { skipped: true, boms: 0, orders: 0 };
  const now = opts.now ?? new Date();
  const today = dhakaDate(now);
  await ensureProductionItems(sql, inventory);
  await seedBoms(sql, inventory, today);
  await openingStock(sql, inventory, today);
  const run = async (
    item: string,
    qty: number,
    finish: null | "start" | { actual: number; byproducts?: [string, number][] },
  ) => {
    const o = await createOrder(sql, {
      outputItemCode: item,
      plannedQty: qty,
      plannedOn: today,
    }, DEMO);
    if (finish === null) return o;
    const change = { db: sql, inventory, actor: DEMO, at: now };
    await startOrder(change, o.id, { mode: "fefo", on: today });
    if (finish === "start") return o;
    await finishOrder(change, o.id, {
      actualQty: finish.actual,
      producedOn: today,
      byproducts: (finish.byproducts ?? []).map(([itemCode, q]) => ({ itemCode, qty: q })),
    });
    return o;
  };
  await run("FG-MILK-1000", 1000, { actual: 1000 });
  await run("FG-SDOI-500", 500, { actual: 497 });
  await run("FG-PANEER-200", 500, { actual: 455, byproducts: [["BYP-WHEY", 520_000]] });
  await run("FG-PDOI-500", 400, "start");
  await run("FG-MILK-500", 2000, null);
  return { skipped: false, boms: BOMS.length + 1, orders: 5 };
}
