/** Catalog: products, prices and what is available by lot expiry date (scope catalog:read). */
import { z } from "@/services/api/mod.ts";
import { endpoint, type Page } from "../endpoint.ts";
import { bilingual, isoDate, isoDateTime, money } from "./schemas.ts";
import type { AppDeps } from "@/state.ts";
import { NotFoundError } from "@/services/platform/mod.ts";
import { dhakaDate } from "@/services/shop/mod.ts";

const variant = z.object({
  id: z.number().int(),
  sku: z.string(),
  packQty: z.string().describe('Pack size as decimal text ("500", "1")'),
  unit: z.enum(["ml", "l", "g", "kg", "pcs"]),
  priceMinor: money.describe("Public price of one pack incl. VAT, poisha"),
  currency: z.literal("BDT"),
  available: z.number().int().describe("Packs available for delivery today"),
});

export const productSchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  name: bilingual,
  description: bilingual,
  category: z.object({ slug: z.string(), name: bilingual }),
  storage: z.enum(["chilled", "frozen", "ambient"]),
  shelfLifeDays: z.number().int(),
  vatRateBp: z.number().int().describe("VAT rate in basis points (1500 = 15%)"),
  subscribable: z.boolean(),
  updatedAt: isoDateTime,
  variants: z.array(variant),
});
type ProductOut = z.input<typeof productSchema>;

type Product = Awaited<ReturnType<AppDeps["shop"]["productsPage"]>>[number];

export function productOut(p: Product): ProductOut {
  return {
    id: p.id,
    slug: p.slug,
    name: { en: p.nameEn, bn: p.nameBn },
    description: { en: p.descriptionEn, bn: p.descriptionBn },
    category: { slug: p.categorySlug, name: { en: p.categoryNameEn, bn: p.categoryNameBn } },
    storage: p.storage,
    shelfLifeDays: p.shelfLifeDays,
    vatRateBp: p.vatRateBp,
    subscribable: p.subscribable,
    updatedAt: p.updatedAt.toISOString(),
    variants: p.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      packQty: v.packQty,
      unit: v.unit,
      priceMinor: v.priceMinor,
      currency: "BDT" as const,
      available: v.stockAvailable,
    })),
  };
}

const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,80}$/) });

function afterId(page: Page): number {
  const n = page.after === null ? 0 : Number(page.after);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

export const listProducts = endpoint({
  id: "listProducts",
  method: "GET",
  path: "/api/v1/products",
  scope: "catalog:read",
  tag: "catalog",
  summary: "Products with their packs, prices and today's availability",
  query: z.object({
    category: z.string().regex(/^[a-z0-9-]{1,60}$/).optional().describe("A category slug"),
  }),
  response: productSchema,
  list: true,
  // The same for every caller, like the HTML catalog for anonymous visitors.
  sharedSeconds: 60,
  async run({ deps, query, page }) {
    const rows = await deps.shop.productsPage({
      afterId: afterId(page),
      limit: page.limit + 1,
      category: query.category,
    });
    const items = rows.slice(0, page.limit);
    return {
      items: items.map(productOut),
      nextAfter: rows.length > page.limit ? String(items[items.length - 1].id) : null,
    };
  },
});

export const getProduct = endpoint({
  id: "getProduct",
  method: "GET",
  path: "/api/v1/products/{slug}",
  scope: "catalog:read",
  tag: "catalog",
  summary: "One product by its slug",
  params: slugParams,
  response: productSchema,
  errors: [404],
  async run({ deps, params }) {
    const p = await deps.shop.product(params.slug);
    if (!p) throw new NotFoundError("No such product");
    return productOut(p);
  },
});

const availability = z.object({
  sku: z.string(),
  on: isoDate,
  lots: z.array(z.object({
    expiresOn: isoDate.nullable().describe("The lots' expiry date (null: does not expire)"),
    available: z.number().int(),
  })),
  available: z.number().int(),
});

export const getAvailability = endpoint({
  id: "getProductAvailability",
  method: "GET",
  path: "/api/v1/products/{slug}/availability",
  scope: "catalog:read",
  tag: "catalog",
  summary: "Packs available per SKU by lot expiry date",
  params: slugParams,
  query: z.object({ on: isoDate.optional().describe("The delivery day (default today, Dhaka)") }),
  response: z.object({ data: z.array(availability) }),
  errors: [404],
  async run({ deps, params, query }) {
    const p = await deps.shop.product(params.slug);
    if (!p) throw new NotFoundError("No such product");
    const on = query.on ?? dhakaDate(deps.clock.now());
    const rows = await deps.inventory.availabilityByExpiry(p.variants.map((v) => v.sku), on);
    return {
      data: p.variants.map((v) => {
        const lots = rows.filter((r) => r.sku === v.sku).map((r) => ({
          expiresOn: r.expiresOn,
          available: r.available,
        }));
        return { sku: v.sku, on, lots, available: lots.reduce((s, l) => s + l.available, 0) };
      }),
    };
  },
});

export const catalogEndpoints = [listProducts, getProduct, getAvailability];
