/**
 * Mushak 4.3, the input-output coefficient declaration (VAT and SD Act 2012, rule 21): for one
 * product, from the bill of materials in force on a date, each raw and packing material per unit
 * of supply with the quantity including wastage, the wastage quantity and percentage, and the
 * by-products. A new BoM version needs a new declaration, so the page is printed per version.
 */
import type { Sql } from "@/services/platform/tx.ts";
import { NotFoundError } from "@/services/platform/errors.ts";
import { type Bom, bomInForce, bomItems } from "./boms.ts";
import type { Base, ProductionInventory } from "./inventory_port.ts";

export interface CoefficientLine {
  serial: number;
  itemCode: string;
  nameEn: string;
  nameBn: string;
  role: "main" | "ingredient" | "packaging" | "byproduct";
  /** The unit the quantity is in (ml, g, pc). */
  base: Base;
  /** Quantity per unit of supply, wastage included. */
  perUnit: number;
  /** Of which wastage, per unit of supply. */
  wastagePerUnit: number;
  wastageBp: number;
}

export interface Mushak43 {
  bom: Bom;
  on: string;
  product: { code: string; nameEn: string; nameBn: string; base: Base };
  /** The unit of supply: 1 piece, 1 kg (1000 g) or 1 litre (1000 ml). */
  unit: { en: string; bn: string; baseQty: number };
  inputs: CoefficientLine[];
  byproducts: CoefficientLine[];
}

const UNITS: Record<Base, { en: string; bn: string; baseQty: number }> = {
  pc: { en: "1 piece", bn: "১ পিস", baseQty: 1 },
  g: { en: "1 kg", bn: "১ কেজি", baseQty: 1000 },
  ml: { en: "1 litre", bn: "১ লিটার", baseQty: 1000 },
};

/** Rounds to 4 decimals: a coefficient, not a stock quantity. */
const coeff = (n: number) => Math.round(n * 10_000) / 10_000;

export async function mushak43(
  sql: Sql,
  inventory: ProductionInventory,
  outputItemCode: string,
  on: string,
): Promise<Mushak43> {
  const bom = await bomInForce(sql, outputItemCode, on);
  if (!bom) throw new NotFoundError(`No bill of materials for ${outputItemCode} on ${on}`);
  const items = await sql.begin((tx) =>
    bomItems(tx, inventory, [
      bom.outputItemCode,
      ...bom.inputs.map((i) => i.itemCode),
      ...bom.byproducts.map((b) => b.itemCode),
    ])
  );
  const named = (code: string) => {
    const it = items.get(code);
    return { nameEn: it?.nameEn ?? code, nameBn: it?.nameBn ?? code, base: it?.base ?? "pc" };
  };
  const out = named(bom.outputItemCode);
  const unit = UNITS[out.base as Base];
  const per = (qty: number) => coeff(qty * unit.baseQty / bom.outputQty);
  const inputs = bom.inputs.map((i, n): CoefficientLine => ({
    serial: n + 1,
    itemCode: i.itemCode,
    ...named(i.itemCode),
    role: i.role,
    perUnit: per(i.qty),
    wastagePerUnit: per(i.qty * i.wastageBp / 10_000),
    wastageBp: i.wastageBp,
  }));
  const byproducts = bom.byproducts.map((b, n): CoefficientLine => ({
    serial: n + 1,
    itemCode: b.itemCode,
    ...named(b.itemCode),
    role: "byproduct",
    perUnit: per(b.qty),
    wastagePerUnit: 0,
    wastageBp: 0,
  }));
  return {
    bom,
    on,
    product: { code: bom.outputItemCode, nameEn: out.nameEn, nameBn: out.nameBn, base: out.base },
    unit,
    inputs,
    byproducts,
  };
}
