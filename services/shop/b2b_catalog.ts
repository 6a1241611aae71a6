/**
 * What the B2B context may read of the shop's catalogue (through the shop's door): the packs by
 * SKU with their names, public price (VAT included) and VAT rate.
 */
import type { Sql } from "@/services/platform/db.ts";
import { packLabel, type Unit } from "./catalog.ts";

export interface CataloguePack {
  sku: string;
  nameEn: string;
  nameBn: string;
  /** "500 ml" / "৫০০ মিলি". */
  packEn: string;
  packBn: string;
  /** The public shop price of one pack, VAT included (poisha). */
  priceMinor: number;
  vatRateBp: number;
  sellable: boolean;
}

/** Packs by SKU (case as stored); all sellable packs when `skus` is null. */
export async function packsBySku(
  sql: Sql,
  skus: readonly string[] | null,
): Promise<Map<string, CataloguePack>> {
  const rows = await sql`
    select v.sku, v.pack_qty, v.unit, v.price_minor, p.name_en, p.name_bn, t.rate_bp,
      (v.active and p.active and c.active) as sellable
    from shop_variants v
    join shop_products p on p.id = v.product_id
    join shop_categories c on c.id = p.category_id
    join shop_tax_classes t on t.code = p.tax_class
    where (${skus === null} or v.sku = any(${skus ?? []}::text[]))
    order by p.name_en, v.sort_order`;
  const out = new Map<string, CataloguePack>();
  for (const r of rows) {
    if (skus === null && !r.sellable) continue;
    out.set(r.sku, {
      sku: r.sku,
      nameEn: r.name_en,
      nameBn: r.name_bn,
      packEn: packLabel(r.pack_qty, r.unit as Unit, "en"),
      packBn: packLabel(r.pack_qty, r.unit as Unit, "bn"),
      priceMinor: Number(r.price_minor),
      vatRateBp: Number(r.rate_bp),
      sellable: r.sellable,
    });
  }
  return out;
}
