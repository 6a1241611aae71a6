/**
 * The catalogue: categories, products and their variants (packs), VAT classes. Public reads for
 * the shop pages; validated, audited writes for the back office (every price change and stock
 * receipt leaves an audit entry). Stock is inventory's (stock.ts): reads that show it take a
 * `StockOf`, product saves keep each variant's inventory item in step, and staff receive packs
 * into lots.
 */
import type { PhotoView } from "./photos.ts";
import { z } from "@/services/platform/schema.ts";
import type { Queryable, Tx } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { ShopError } from "./errors.ts";
import { isDate } from "@/services/platform/dhaka.ts";
import {
  defaultLocation,
  itemCodeOf,
  type ShopStock,
  type StockOf,
  syncItems,
  withStock,
} from "./stock.ts";

export const UNITS = ["ml", "l", "g", "kg", "pcs"] as const;
export type Unit = typeof UNITS[number];
export const STORAGE = ["chilled", "frozen", "ambient"] as const;
export const IMAGE_STYLES = ["bottle", "pouch", "cup", "tub", "block", "jar"] as const;
export type ImageStyle = typeof IMAGE_STYLES[number];

export interface Category {
  id: number;
  slug: string;
  nameEn: string;
  nameBn: string;
  sortOrder: number;
  active: boolean;
}

export interface Variant {
  id: number;
  productId: number;
  sku: string;
  /** Pack quantity as decimal text ("500", "1", "0.5"). */
  packQty: string;
  unit: Unit;
  priceMinor: number;
  /** Packs available (inventory: released, unexpired lots less reservations); 0 when not asked. */
  stockAvailable: number;
  sortOrder: number;
  active: boolean;
}

export interface Product {
  id: number;
  slug: string;
  categoryId: number;
  categorySlug: string;
  categoryNameEn: string;
  categoryNameBn: string;
  nameEn: string;
  nameBn: string;
  descriptionEn: string;
  descriptionBn: string;
  shelfLifeDays: number;
  storage: typeof STORAGE[number];
  taxClass: string;
  vatRateBp: number;
  imageStyle: ImageStyle;
  imageColor: string;
  subscribable: boolean;
  active: boolean;
  updatedAt: Date;
  variants: Variant[];
  /** The main photo (the door adds it for shop pages; null or absent: the drawing stands in). */
  photo?: PhotoView | null;
}

export interface TaxClass {
  code: string;
  nameEn: string;
  nameBn: string;
  rateBp: number;
}

// ---- labels ----------------------------------------------------------------------------------

const UNIT_LABEL: Record<"en" | "bn", Record<Unit, string>> = {
  en: { ml: "ml", l: "L", g: "g", kg: "kg", pcs: "pcs" },
  bn: { ml: "মি.লি.", l: "লিটার", g: "গ্রাম", kg: "কেজি", pcs: "টি" },
};

/** "500 ml", "1 L", "১ লিটার", with a no-break space: "৫০০ গ্রাম" never splits across lines. */
export function packLabel(packQty: string | number, unit: Unit, lang: "en" | "bn"): string {
  const n = String(Number(packQty));
  const num = lang === "bn" ? n.replace(/[0-9]/g, (d) => "০১২৩৪৫৬৭৮৯"[Number(d)]) : n;
  return `${num}\u00a0${UNIT_LABEL[lang][unit]}`;
}

// ---- reads -----------------------------------------------------------------------------------

function toVariant(r: Record<string, any>): Variant {
  return {
    id: Number(r.id),
    productId: Number(r.product_id),
    sku: r.sku,
    packQty: String(Number(r.pack_qty)),
    unit: r.unit,
    priceMinor: toMinor(r.price_minor),
    stockAvailable: 0,
    sortOrder: Number(r.sort_order),
    active: r.active,
  };
}

function toCategory(r: Record<string, any>): Category {
  return {
    id: Number(r.id),
    slug: r.slug,
    nameEn: r.name_en,
    nameBn: r.name_bn,
    sortOrder: r.sort_order,
    active: r.active,
  };
}

export async function listCategories(sql: Queryable, activeOnly = true): Promise<Category[]> {
  const rows = await sql`
    select * from shop_categories where ${!activeOnly} or active order by sort_order, name_en`;
  return rows.map(toCategory);
}

export async function getCategory(sql: Queryable, id: number): Promise<Category | null> {
  const [r] = await sql`select * from shop_categories where id = ${id}`;
  return r ? toCategory(r) : null;
}

export async function listTaxClasses(sql: Queryable): Promise<TaxClass[]> {
  const rows = await sql`select * from shop_tax_classes order by rate_bp, code`;
  return rows.map((r) => ({
    code: r.code,
    nameEn: r.name_en,
    nameBn: r.name_bn,
    rateBp: r.rate_bp,
  }));
}

const PRODUCT_SELECT = (sql: Queryable) =>
  sql`
  select p.*, c.slug as category_slug, c.name_en as category_name_en,
    c.name_bn as category_name_bn, t.rate_bp,
    coalesce((select json_agg(v order by v.sort_order, v.id) from shop_variants v
              where v.product_id = p.id), '[]'::json) as variants
  from shop_products p
  join shop_categories c on c.id = p.category_id
  join shop_tax_classes t on t.code = p.tax_class`;

function toProduct(r: Record<string, any>): Product {
  return {
    id: Number(r.id),
    slug: r.slug,
    categoryId: Number(r.category_id),
    categorySlug: r.category_slug,
    categoryNameEn: r.category_name_en,
    categoryNameBn: r.category_name_bn,
    nameEn: r.name_en,
    nameBn: r.name_bn,
    descriptionEn: r.description_en,
    descriptionBn: r.description_bn,
    shelfLifeDays: r.shelf_life_days,
    storage: r.storage,
    taxClass: r.tax_class,
    vatRateBp: r.rate_bp,
    imageStyle: r.image_style,
    imageColor: r.image_color,
    subscribable: r.subscribable,
    active: r.active,
    updatedAt: r.updated_at,
    variants: (r.variants as Record<string, any>[]).map(toVariant),
  };
}

/** An active product by slug, with its active variants; null when missing or withdrawn. */
export async function getProductBySlug(
  sql: Queryable,
  slug: string,
  stockOf: StockOf,
): Promise<Product | null> {
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) return null;
  const [r] = await sql`${PRODUCT_SELECT(sql)} where p.slug = ${slug} and p.active and c.active`;
  if (!r) return null;
  const p = toProduct(r);
  p.variants = await withStock(p.variants.filter((v) => v.active), stockOf);
  return p;
}

/** Any product by id (back office), with all its variants. */
export async function getProduct(
  sql: Queryable,
  id: number,
  stockOf: StockOf,
): Promise<Product | null> {
  const [r] = await sql`${PRODUCT_SELECT(sql)} where p.id = ${id}`;
  if (!r) return null;
  const p = toProduct(r);
  await withStock(p.variants, stockOf);
  return p;
}

/**
 * Active products in active categories by id after `afterId` (keyset pages for the public API),
 * each with its active variants and their stock today; `category` filters by slug.
 */
export async function listProductsPage(
  sql: Queryable,
  q: { afterId: number; limit: number; category?: string },
  stockOf: StockOf,
): Promise<Product[]> {
  const limit = Math.min(Math.max(q.limit, 1), 200);
  const rows = await sql`${PRODUCT_SELECT(sql)}
    where p.active and c.active and p.id > ${q.afterId}
      and (${q.category ?? null}::text is null or c.slug = ${q.category ?? null})
    order by p.id limit ${limit}`;
  const products = rows.map(toProduct);
  for (const p of products) p.variants = p.variants.filter((v) => v.active);
  await withStock(products.flatMap((p) => p.variants), stockOf);
  return products;
}

export interface VariantInfo extends Variant {
  productSlug: string;
  nameEn: string;
  nameBn: string;
  vatRateBp: number;
  imageStyle: ImageStyle;
  imageColor: string;
  sellable: boolean;
  subscribable: boolean;
}

/**
 * Variants with their product names and VAT rates, for carts and orders (one query); their
 * stock only when `stockOf` is given.
 */
export async function variantsByIds(
  sql: Queryable,
  ids: number[],
  stockOf?: StockOf,
): Promise<Map<number, VariantInfo>> {
  const out = new Map<number, VariantInfo>();
  if (ids.length === 0) return out;
  const rows = await sql`
    select v.*, p.slug as product_slug, p.name_en, p.name_bn, p.image_style, p.image_color,
      p.subscribable, t.rate_bp, (v.active and p.active and c.active) as sellable
    from shop_variants v
    join shop_products p on p.id = v.product_id
    join shop_categories c on c.id = p.category_id
    join shop_tax_classes t on t.code = p.tax_class
    where v.id = any(${ids.map(String)}::bigint[])`;
  for (const r of rows) {
    out.set(Number(r.id), {
      ...toVariant(r),
      productSlug: r.product_slug,
      nameEn: r.name_en,
      nameBn: r.name_bn,
      vatRateBp: r.rate_bp,
      imageStyle: r.image_style,
      imageColor: r.image_color,
      sellable: r.sellable,
      subscribable: r.subscribable,
    });
  }
  if (stockOf) await withStock([...out.values()], stockOf);
  return out;
}

/** Active subscribable variants (daily-milk subscription form). */
export async function subscribableVariants(
  sql: Queryable,
  stockOf?: StockOf,
): Promise<VariantInfo[]> {
  const rows = await sql`
    select v.id from shop_variants v join shop_products p on p.id = v.product_id
    where p.subscribable and p.active and v.active order by p.name_en, v.sort_order`;
  const map = await variantsByIds(sql, rows.map((r) => Number(r.id)), stockOf);
  return rows.map((r) => map.get(Number(r.id))!);
}

/** Slugs and change times of every sellable product, for the sitemap. */
export async function listProductSlugs(
  sql: Queryable,
): Promise<{ slug: string; updatedAt: Date }[]> {
  const rows = await sql`
    select p.slug, p.updated_at from shop_products p join shop_categories c on c.id = p.category_id
    where p.active and c.active order by p.id`;
  return rows.map((r) => ({ slug: r.slug, updatedAt: r.updated_at }));
}

// ---- back office writes ----------------------------------------------------------------------

/** A URL slug; `max` matches the column's check (categories 60, products 80). */
const slug = (max: number) =>
  z.string().trim().toLowerCase().max(max, `At most ${max} characters`).regex(
    /^[a-z0-9]+(-[a-z0-9]+)*$/,
    "Use lower-case letters, digits and single hyphens (e.g. fresh-milk)",
  );
const text = (min: number, max: number) =>
  z.string().trim().min(min, min === 1 ? "Required" : `At least ${min} characters`).max(
    max,
    `At most ${max} characters`,
  );

/** "120", "120.5", "1,250.00" → poisha. */
export const takaSchema = z.string().trim().transform((v, ctx) => {
  const clean = v.replace(/,/g, "").replace(/^৳/, "");
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(clean)) {
    ctx.addIssue({ code: "custom", message: "Enter an amount in taka, e.g. 95 or 95.50" });
    return z.NEVER;
  }
  const [t, p = ""] = clean.split(".");
  return Number(t) * 100 + Number(p.padEnd(2, "0"));
});

export const variantInputSchema = z.object({
  id: z.coerce.number().int().positive().optional(),
  sku: z.string().trim().toUpperCase().regex(
    /^[A-Z0-9][A-Z0-9-]{1,39}$/,
    "SKU: 2–40 capital letters, digits and hyphens",
  ),
  packQty: z.string().trim().regex(/^\d{1,6}(\.\d{1,3})?$/, "Enter the pack size, e.g. 500 or 0.5")
    .refine((v) => Number(v) > 0, "The pack size must be more than zero"),
  unit: z.enum(UNITS, "Choose a unit"),
  price: takaSchema.refine((v) => v > 0, "The price must be more than zero"),
  initialStock: z.coerce.number().int().min(0).max(1_000_000).default(0),
  sortOrder: z.coerce.number().int().min(0).max(1000).default(0),
  active: z.boolean().default(true),
});

export const productInputSchema = z.object({
  slug: slug(80),
  categoryId: z.coerce.number({ error: "Choose a category" }).int().positive("Choose a category"),
  nameEn: text(2, 120),
  nameBn: text(2, 120),
  descriptionEn: z.string().trim().max(4000, "At most 4000 characters").default(""),
  descriptionBn: z.string().trim().max(4000, "At most 4000 characters").default(""),
  shelfLifeDays: z.coerce.number({ error: "Enter the shelf life in days" }).int(
    "Whole days",
  ).min(1, "At least 1 day").max(3650, "At most 3650 days"),
  storage: z.enum(STORAGE),
  taxClass: z.string().min(1, "Choose a VAT class"),
  imageStyle: z.enum(IMAGE_STYLES),
  imageColor: z.string().trim().toLowerCase().regex(/^#[0-9a-f]{6}$/, "A colour like #1d5fbf"),
  subscribable: z.boolean().default(false),
  active: z.boolean().default(true),
  variants: z.array(variantInputSchema).min(1, "Add at least one pack size").max(12),
}).superRefine((p, ctx) => {
  const skus = new Set<string>();
  p.variants.forEach((v, i) => {
    if (skus.has(v.sku)) {
      ctx.addIssue({ code: "custom", path: ["variants", i, "sku"], message: "SKU used twice" });
    }
    skus.add(v.sku);
  });
});
export type ProductInput = z.output<typeof productInputSchema>;

function uniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint_name?: string };
  return err?.code === "23505" && (!constraint || err.constraint_name === constraint);
}

/** What product saves need of inventory: the stock port and today's date (for receipts). */
export interface StockCtx {
  stock: ShopStock;
  today: string;
}

/** Creates a product with its variants (and their inventory items); returns its id. */
export async function createProduct(
  tx: Tx,
  input: ProductInput,
  actorId: string | null,
  sc: StockCtx,
): Promise<number> {
  let id: number;
  try {
    const [r] = await tx`
      insert into shop_products (slug, category_id, name_en, name_bn, description_en,
        description_bn, shelf_life_days, storage, tax_class, image_style, image_color,
        subscribable, active)
      values (${input.slug}, ${input.categoryId}, ${input.nameEn}, ${input.nameBn},
        ${input.descriptionEn}, ${input.descriptionBn}, ${input.shelfLifeDays}, ${input.storage},
        ${input.taxClass}, ${input.imageStyle}, ${input.imageColor}, ${input.subscribable},
        ${input.active})
      returning id`;
    id = Number(r.id);
  } catch (e) {
    throw mapWriteError(e);
  }
  await syncItems(sc.stock, tx, input, input.variants);
  for (const v of input.variants) {
    const vid = await insertVariant(tx, id, v);
    if (v.initialStock > 0) await receiveInitial(tx, vid, v.initialStock, input, actorId, sc);
  }
  await appendAudit(tx, {
    actorId,
    action: "shop.product.created",
    entity: "shop_product",
    entityId: id,
    data: {
      slug: input.slug,
      prices: input.variants.map((v) => ({ sku: v.sku, priceMinor: v.price })),
    },
  });
  return id;
}

async function insertVariant(tx: Tx, productId: number, v: z.output<typeof variantInputSchema>) {
  try {
    const [r] = await tx`
      insert into shop_variants (product_id, sku, pack_qty, unit, price_minor, sort_order, active)
      values (${productId}, ${v.sku}, ${v.packQty}, ${v.unit}, ${v.price}, ${v.sortOrder},
        ${v.active})
      returning id`;
    return Number(r.id);
  } catch (e) {
    throw mapWriteError(e);
  }
}

/** A database refusal turned into a field error the form can show. */
export class CatalogFieldError extends Error {
  readonly status = 422;
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = "CatalogFieldError";
  }
}

function mapWriteError(e: unknown): unknown {
  if (uniqueViolation(e, "shop_products_slug_key")) {
    return new CatalogFieldError("slug", "Another product already uses this address");
  }
  if (uniqueViolation(e, "shop_variants_sku_key")) {
    return new CatalogFieldError("variants", "A SKU is already used by another product");
  }
  if (uniqueViolation(e, "shop_categories_slug_key")) {
    return new CatalogFieldError("slug", "Another category already uses this address");
  }
  const err = e as { code?: string; constraint_name?: string };
  if (err?.code === "23503") {
    if (String(err.constraint_name).includes("category")) {
      return new CatalogFieldError("categoryId", "Choose a category");
    }
    if (String(err.constraint_name).includes("tax_class")) {
      return new CatalogFieldError("taxClass", "Choose a VAT class");
    }
  }
  return e;
}

/**
 * Updates a product and its variants (new rows are added, missing ones deactivated rather than
 * deleted, since orders refer to them). Every price change gets its own audit entry.
 */
export async function updateProduct(
  tx: Tx,
  id: number,
  input: ProductInput,
  actorId: string | null,
  sc: StockCtx,
): Promise<void> {
  const [cur] = await tx`select id from shop_products where id = ${id} for update`;
  if (!cur) throw new ShopError("not_found");
  try {
    await tx`
      update shop_products set slug = ${input.slug}, category_id = ${input.categoryId},
        name_en = ${input.nameEn}, name_bn = ${input.nameBn},
        description_en = ${input.descriptionEn}, description_bn = ${input.descriptionBn},
        shelf_life_days = ${input.shelfLifeDays}, storage = ${input.storage},
        tax_class = ${input.taxClass}, image_style = ${input.imageStyle},
        image_color = ${input.imageColor}, subscribable = ${input.subscribable},
        active = ${input.active}, updated_at = now()
      where id = ${id}`;
  } catch (e) {
    throw mapWriteError(e);
  }
  const existing = await tx`
    select id, sku, price_minor from shop_variants where product_id = ${id} for update`;
  await syncItems(sc.stock, tx, input, input.variants);
  const byId = new Map(existing.map((r) => [Number(r.id), r]));
  const kept = new Set<number>();
  for (const v of input.variants) {
    if (v.id && byId.has(v.id)) {
      kept.add(v.id);
      const old = byId.get(v.id)!;
      try {
        await tx`
          update shop_variants set sku = ${v.sku}, pack_qty = ${v.packQty}, unit = ${v.unit},
            price_minor = ${v.price}, sort_order = ${v.sortOrder}, active = ${v.active},
            updated_at = now()
          where id = ${v.id}`;
      } catch (e) {
        throw mapWriteError(e);
      }
      const before = toMinor(old.price_minor);
      if (before !== v.price) {
        await appendAudit(tx, {
          actorId,
          action: "shop.price.changed",
          entity: "shop_variant",
          entityId: v.id,
          data: { sku: v.sku, fromMinor: before, toMinor: v.price },
        });
      }
    } else {
      const vid = await insertVariant(tx, id, v);
      kept.add(vid);
      await appendAudit(tx, {
        actorId,
        action: "shop.price.changed",
        entity: "shop_variant",
        entityId: vid,
        data: { sku: v.sku, fromMinor: null, toMinor: v.price },
      });
      if (v.initialStock > 0) await receiveInitial(tx, vid, v.initialStock, input, actorId, sc);
    }
  }
  const dropped = [...byId.keys()].filter((k) => !kept.has(k));
  if (dropped.length) {
    await tx`update shop_variants set active = false, updated_at = now()
      where id = any(${dropped.map(String)}::bigint[])`;
  }
  await appendAudit(tx, {
    actorId,
    action: "shop.product.updated",
    entity: "shop_product",
    entityId: id,
    data: { slug: input.slug, active: input.active, deactivatedVariants: dropped },
  });
}

/** Staff receiving packs of a variant into a new lot (back office "receive stock"). */
export const stockReceiptSchema = z.object({
  variantId: z.coerce.number().int().positive(),
  qty: z.coerce.number({ error: "Enter a whole number of packs, e.g. 20" }).int(
    "Enter a whole number of packs",
  ).min(1, "At least 1 pack").max(1_000_000, "Too large"),
  producedOn: z.string().trim().refine(isDate, "Enter the production date"),
  expiresOn: z.string().trim().optional().transform((v) => v || undefined).refine(
    (v) => v === undefined || isDate(v),
    "Enter the expiry date, or leave it empty",
  ),
  locationCode: z.string().trim().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, "Choose a location"),
  note: z.string().trim().max(300).optional(),
});
export type StockReceipt = z.output<typeof stockReceiptSchema>;

/**
 * Receives packs of a variant into a new lot at a location (inventory), audited; returns the
 * lot's code. Expiry defaults to production + the product's shelf life.
 */
export async function receiveStock(
  tx: Tx,
  stock: ShopStock,
  input: StockReceipt,
  actor: { id: string | null; name: string },
): Promise<{ lotId: number; lotCode: string }> {
  const [v] = await tx`
    select v.sku, v.pack_qty, v.unit, p.name_en, p.name_bn, p.shelf_life_days
    from shop_variants v join shop_products p on p.id = v.product_id
    where v.id = ${input.variantId}`;
  if (!v) throw new ShopError("not_found");
  if (input.expiresOn && input.expiresOn < input.producedOn) {
    throw new CatalogFieldError("expiresOn", "Expiry must be on or after production");
  }
  const product = { nameEn: v.name_en, nameBn: v.name_bn, shelfLifeDays: v.shelf_life_days };
  await syncItems(stock, tx, product, [{ sku: v.sku, packQty: v.pack_qty, unit: v.unit }]);
  const lot = await stock.receive(tx, {
    itemCode: itemCodeOf(v.sku),
    locationCode: input.locationCode,
    qty: input.qty,
    producedOn: input.producedOn,
    expiresOn: input.expiresOn,
    status: "released",
    ref: { kind: "opening", id: `shop-variant-${input.variantId}` },
    actor,
    attrs: input.note ? { note: input.note } : {},
  });
  await appendAudit(tx, {
    actorId: actor.id,
    action: "shop.stock.received",
    entity: "shop_variant",
    entityId: input.variantId,
    data: { sku: v.sku, qty: input.qty, lot: lot.lotCode, location: input.locationCode },
  });
  return lot;
}

/** A new variant's "initial stock": packs produced today, at the product's usual location. */
async function receiveInitial(
  tx: Tx,
  variantId: number,
  qty: number,
  p: ProductInput,
  actorId: string | null,
  sc: StockCtx,
): Promise<void> {
  await receiveStock(tx, sc.stock, {
    variantId,
    qty,
    producedOn: sc.today,
    expiresOn: undefined,
    locationCode: defaultLocation(p.storage),
  }, { id: actorId, name: "shop staff" });
}

export const categoryInputSchema = z.object({
  slug: slug(60),
  nameEn: text(1, 80),
  nameBn: text(1, 80),
  sortOrder: z.coerce.number().int().min(0).max(1000).default(0),
  active: z.boolean().default(true),
});

export async function saveCategory(
  tx: Tx,
  id: number | null,
  input: z.output<typeof categoryInputSchema>,
  actorId: string | null,
): Promise<number> {
  try {
    const [r] = id
      ? await tx`
        update shop_categories set slug = ${input.slug}, name_en = ${input.nameEn},
          name_bn = ${input.nameBn}, sort_order = ${input.sortOrder}, active = ${input.active}
        where id = ${id} returning id`
      : await tx`
        insert into shop_categories (slug, name_en, name_bn, sort_order, active)
        values (${input.slug}, ${input.nameEn}, ${input.nameBn}, ${input.sortOrder},
          ${input.active})
        returning id`;
    if (!r) throw new ShopError("not_found");
    await appendAudit(tx, {
      actorId,
      action: id ? "shop.category.updated" : "shop.category.created",
      entity: "shop_category",
      entityId: Number(r.id),
      data: input,
    });
    return Number(r.id);
  } catch (e) {
    throw mapWriteError(e);
  }
}

export const taxRateSchema = z.object({
  code: z.string().min(1),
  ratePercent: z.string().trim().regex(/^\d{1,3}(\.\d{1,2})?$/, "A percentage such as 15 or 7.5")
    .transform((v) => Math.round(Number(v) * 100)).refine((bp) => bp <= 10000, "At most 100%"),
});

/** Changes a VAT class's rate (affects prices' VAT split from now on); audited. */
export async function setTaxRate(
  tx: Tx,
  code: string,
  rateBp: number,
  actorId: string | null,
): Promise<void> {
  const [old] = await tx`select rate_bp from shop_tax_classes where code = ${code} for update`;
  if (!old) throw new ShopError("not_found");
  if (old.rate_bp === rateBp) return;
  await tx`update shop_tax_classes set rate_bp = ${rateBp}, updated_at = now() where code = ${code}`;
  await appendAudit(tx, {
    actorId,
    action: "shop.vat.changed",
    entity: "shop_tax_class",
    entityId: code,
    data: { fromBp: old.rate_bp, toBp: rateBp },
  });
}

export interface AdminProductRow {
  id: number;
  slug: string;
  nameEn: string;
  categoryNameEn: string;
  active: boolean;
  variants: number;
  minPriceMinor: number | null;
  /** Packs available over its active variants (inventory). */
  stock: number;
}

export async function listProductsAdmin(
  sql: Queryable,
  q: { search?: string; limit?: number; offset?: number },
  stockOf: StockOf,
): Promise<{ rows: AdminProductRow[]; total: number }> {
  const search = q.search?.trim() ? `%${q.search.trim().toLowerCase()}%` : null;
  const rows = await sql`
    select p.id, p.slug, p.name_en, c.name_en as category_name_en, p.active,
      count(v.id)::int as variants, min(v.price_minor) filter (where v.active) as min_price,
      coalesce(array_agg(v.sku) filter (where v.active), '{}') as skus,
      count(*) over ()::int as total
    from shop_products p
    join shop_categories c on c.id = p.category_id
    left join shop_variants v on v.product_id = p.id
    where ${search}::text is null or p.search_text like ${search} or p.slug like ${search}
      or exists (select 1 from shop_variants s where s.product_id = p.id
                 and lower(s.sku) like ${search})
    group by p.id, c.name_en
    order by p.name_en
    limit ${q.limit ?? 50} offset ${q.offset ?? 0}`;
  const stock = await stockOf(rows.flatMap((r) => r.skus as string[]));
  return {
    rows: rows.map((r) => ({
      id: Number(r.id),
      slug: r.slug,
      nameEn: r.name_en,
      categoryNameEn: r.category_name_en,
      active: r.active,
      variants: r.variants,
      minPriceMinor: r.min_price === null ? null : toMinor(r.min_price),
      stock: (r.skus as string[]).reduce((a, sku) => a + (stock.get(sku) ?? 0), 0),
    })),
    total: rows[0]?.total ?? 0,
  };
}
