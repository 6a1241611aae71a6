/**
 * Catalogue search and browsing: PostgreSQL full text (English stemming for English names and
 * descriptions, 'simple' for Bangla) OR trigram word similarity (pg_trgm, so "yoghrt" still finds
 * yogurt), with filters (category, price, in stock) and sorting. Both conditions are served by GIN
 * indexes (0301_shop_catalog.sql).
 */
import { z } from "zod";
import type { Sql } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import type { ImageStyle, Unit } from "./catalog.ts";

export const SORTS = ["relevance", "price_asc", "price_desc", "name", "newest"] as const;
export type Sort = typeof SORTS[number];
export const PAGE_SIZE = 24;

/** The query string of /shop, validated; anything unparsable falls back to the default. */
export const searchQuerySchema = z.object({
  q: z.string().trim().max(100).catch(""),
  category: z.string().regex(/^[a-z0-9-]{1,60}$/).optional().catch(undefined),
  min: z.coerce.number().int().min(0).max(1_000_000).optional().catch(undefined),
  max: z.coerce.number().int().min(0).max(1_000_000).optional().catch(undefined),
  stock: z.enum(["1"]).optional().catch(undefined),
  sort: z.enum(SORTS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(500).catch(1),
});
export type SearchQuery = z.output<typeof searchQuerySchema>;

export interface CardVariant {
  id: number;
  packQty: string;
  unit: Unit;
  priceMinor: number;
  stock: number;
}

export interface ProductCard {
  id: number;
  slug: string;
  nameEn: string;
  nameBn: string;
  categorySlug: string;
  imageStyle: ImageStyle;
  imageColor: string;
  minPriceMinor: number;
  inStock: boolean;
  variants: CardVariant[];
}

export interface SearchResult {
  items: ProductCard[];
  total: number;
  page: number;
  pages: number;
}

/** Word-similarity threshold for typo matches (pg_trgm's default 0.6 misses one-letter typos). */
const TYPO_THRESHOLD = 0.4;

export async function searchProducts(sql: Sql, query: SearchQuery): Promise<SearchResult> {
  const q = query.q.slice(0, 100);
  const hasQ = q.length > 0;
  const sort: Sort = query.sort ?? (hasQ ? "relevance" : "name");
  const page = query.page;
  const offset = (page - 1) * PAGE_SIZE;
  const minMinor = query.min !== undefined ? query.min * 100 : null;
  const maxMinor = query.max !== undefined ? query.max * 100 : null;
  const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => "\\" + c)}%`;
  const order = {
    relevance: sql`rank desc, p.name_en`,
    price_asc: sql`v.min_price asc, p.name_en`,
    price_desc: sql`v.min_price desc, p.name_en`,
    name: sql`p.name_en`,
    newest: sql`p.created_at desc, p.id desc`,
  }[sort];

  const run = async (db: Sql | import("@/services/platform/db.ts").Tx) => {
    if (hasQ) {
      await db`select set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_THRESHOLD)}, true)`;
    }
    return await db`
      with query as (
        select websearch_to_tsquery('english', ${q}) || websearch_to_tsquery('simple', ${q}) as ts,
          lower(${q}) as t
      )
      select p.id, p.slug, p.name_en, p.name_bn, p.image_style, p.image_color,
        c.slug as category_slug, v.min_price, v.stock, v.variants,
        ${
      hasQ
        ? sql`ts_rank(p.search_doc, query.ts) + word_similarity(query.t, p.search_text)`
        : sql`0`
    } as rank,
        count(*) over () as total
      from shop_products p
      cross join query
      join shop_categories c on c.id = p.category_id and c.active
      join lateral (
        select min(price_minor) as min_price, sum(stock_available) as stock,
          json_agg(json_build_object('id', id, 'packQty', pack_qty, 'unit', unit,
            'priceMinor', price_minor, 'stock', stock_available) order by sort_order, id) as variants
        from shop_variants where product_id = p.id and active
      ) v on v.min_price is not null
      where p.active
        ${
      hasQ
        ? sql`and (p.search_doc @@ query.ts or query.t <% p.search_text
                   or p.search_text like ${like})`
        : sql``
    }
        ${query.category ? sql`and c.slug = ${query.category}` : sql``}
        ${minMinor !== null ? sql`and v.min_price >= ${minMinor}` : sql``}
        ${maxMinor !== null ? sql`and v.min_price <= ${maxMinor}` : sql``}
        ${query.stock ? sql`and v.stock > 0` : sql``}
      order by ${order}
      limit ${PAGE_SIZE} offset ${offset}`;
  };
  // set_config(…, true) is local to a transaction, so typo matching runs in one.
  const rows = hasQ ? await sql.begin((tx) => run(tx)) : await run(sql);
  const total = rows.length ? Number(rows[0].total) : 0;
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      slug: r.slug,
      nameEn: r.name_en,
      nameBn: r.name_bn,
      categorySlug: r.category_slug,
      imageStyle: r.image_style,
      imageColor: r.image_color,
      minPriceMinor: toMinor(r.min_price),
      inStock: Number(r.stock) > 0,
      variants: (r.variants as Record<string, any>[]).map((v) => ({
        id: Number(v.id),
        packQty: String(Number(v.packQty)),
        unit: v.unit,
        priceMinor: toMinor(v.priceMinor),
        stock: Number(v.stock),
      })),
    })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
  };
}
