/**
 * Catalogue search and browsing: PostgreSQL full text (English stemming for English names and
 * descriptions, 'simple' for Bangla) OR trigram word similarity (pg_trgm, so "yoghrt" still finds
 * yogurt), with filters (category, price, in stock) and sorting. Both conditions are served by GIN
 * indexes (0301_shop_catalog.sql). Stock is inventory's, asked by SKU (`StockOf`).
 */
import type { PhotoView } from "./photos.ts";
import { z } from "@/services/platform/schema.ts";
import type { Sql } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import type { ImageStyle, Unit } from "./catalog.ts";
import type { StockOf } from "./stock.ts";

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
  /** The main photo (the door adds it; null or absent: the drawing stands in). */
  photo?: PhotoView | null;
}

export interface SearchResult {
  /** Set when no word matched as typed and a corrected query found these ("yogart" → "yogurt"). */
  correctedQuery?: string;
  items: ProductCard[];
  total: number;
  page: number;
  pages: number;
}

/** Word-similarity threshold for typo matches (pg_trgm's default 0.6 misses one-letter typos). */
const TYPO_THRESHOLD = 0.4;
/** How alike a typed word and a catalogue word must be for the word to be corrected. */
const CORRECTION_THRESHOLD = 0.25;

/** Words shoppers type in Banglish for what the catalogue names in English. */
const SYNONYMS: Record<string, string> = {
  dahi: "doi",
  dudh: "milk",
  doodh: "milk",
  makhon: "butter",
  makhan: "butter",
  ponir: "cheese",
  paneer: "cheese",
  ghi: "ghee",
};

/**
 * Each word of the query that the catalogue does not know is replaced by its nearest catalogue
 * word (the lexemes of the products' search documents, by trigram similarity); null when nothing
 * changes. So a typo finds exactly what the right word finds, not a few near names.
 */
async function correctedQuery(sql: Sql, q: string): Promise<string | null> {
  const words = q.toLowerCase().split(/\s+/).filter((w) => w.length >= 3 && !/[^ -~]/.test(w));
  if (!words.length) return null;
  const rows = await sql<{ asked: string; best: string | null }[]>`
    with lexicon as (
      select word from ts_stat('select search_doc from shop_products where active')
    )
    select w.asked, (
      select l.word from lexicon l
      where l.word <> w.asked and similarity(l.word, w.asked) >= ${CORRECTION_THRESHOLD}
        and not exists (select 1 from lexicon k where k.word = w.asked)
      order by similarity(l.word, w.asked) desc, l.word limit 1
    ) as best
    from unnest(${words}::text[]) as w(asked)`;
  const fixes = new Map(rows.filter((r) => r.best).map((r) => [r.asked, r.best!]));
  if (!fixes.size) return null;
  return q.split(/\s+/).map((w) => fixes.get(w.toLowerCase()) ?? w).join(" ");
}

export async function searchProducts(
  sql: Sql,
  query: SearchQuery,
  stockOf: StockOf,
): Promise<SearchResult> {
  const asked = query.q.trim().split(/\s+/).map((w) => SYNONYMS[w.toLowerCase()] ?? w).join(" ");
  const first = await searchOnce(sql, { ...query, q: asked }, stockOf, false);
  if (first.total > 0 || !asked || query.page !== 1) return first;
  const fixed = await correctedQuery(sql, asked);
  if (fixed) {
    const again = await searchOnce(sql, { ...query, q: fixed }, stockOf, false);
    if (again.total > 0) return { ...again, correctedQuery: fixed };
  }
  // Still nothing: the nearest names by trigram similarity, one page of them.
  return await searchOnce(sql, { ...query, q: asked }, stockOf, true);
}

async function searchOnce(
  sql: Sql,
  query: SearchQuery,
  stockOf: StockOf,
  nearestNames: boolean,
): Promise<SearchResult> {
  const q = query.q.slice(0, 100);
  const hasQ = q.length > 0;
  const sort: Sort = query.sort ?? (hasQ ? "relevance" : "name");
  const page = query.page;
  const offset = (page - 1) * PAGE_SIZE;
  const minMinor = query.min !== undefined ? query.min * 100 : null;
  const maxMinor = query.max !== undefined ? query.max * 100 : null;
  const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => "\\" + c)}%`;
  const order = {
    relevance: sql`rank desc, name_en`,
    price_asc: sql`min_price_minor asc, name_en`,
    price_desc: sql`min_price_minor desc, name_en`,
    name: sql`name_en`,
    newest: sql`created_at desc, id desc`,
  }[sort];

  // "In stock only": the products with a variant inventory has packs of.
  let inStockIds: string[] = [];
  if (query.stock) {
    const active = await sql`
      select product_id, sku from shop_variants where active order by product_id`;
    const got = await stockOf(active.map((v) => v.sku));
    inStockIds = [
      ...new Set(active.filter((v) => (got.get(v.sku) ?? 0) > 0).map((v) => String(v.product_id))),
    ];
  }
  const filters = sql`
    ${
    query.category
      ? sql`and p.category_id = (select id from shop_categories where slug = ${query.category})`
      : sql``
  }
    ${minMinor !== null ? sql`and p.min_price_minor >= ${minMinor}` : sql``}
    ${maxMinor !== null ? sql`and p.min_price_minor <= ${maxMinor}` : sql``}
    ${query.stock ? sql`and p.id = any(${inStockIds}::bigint[])` : sql``}`;
  const columns = sql`p.id, p.slug, p.name_en, p.name_bn, p.image_style, p.image_color,
    p.min_price_minor, p.created_at, c.slug as category_slug`;

  // Words found by full text (English stemming, Bangla as written; substrings for Bangla).
  // The search terms are parameters, not a CTE, so the planner uses the GIN indexes.
  const ts = sql`(websearch_to_tsquery('english', ${q}) || websearch_to_tsquery('simple', ${q}))`;
  const bangla = /[^ -~]/.test(q);
  // deno-lint-ignore no-explicit-any
  let rows: readonly Record<string, any>[] = nearestNames ? [] : await sql`
    select ${columns}, ${hasQ ? sql`ts_rank(p.search_doc, ${ts})` : sql`0`} as rank,
      count(*) over () as total
    from shop_products p join shop_categories c on c.id = p.category_id and c.active
    where p.active and p.min_price_minor is not null
      ${
    hasQ
      ? sql`and (p.search_doc @@ ${ts} ${bangla ? sql`or p.search_text like ${like}` : sql``})`
      : sql``
  }
      ${filters}
    order by ${order}
    limit ${PAGE_SIZE} offset ${offset}`;
  let typo = false;
  if (nearestNames && hasQ) {
    // No word matched, even corrected: forgive typos. Nearest names first from the trigram GiST index, one
    // page of them, then in the order asked for. set_config(…, true) lasts for the transaction.
    typo = true;
    const t = q.toLowerCase();
    rows = await sql.begin(async (tx) => {
      await tx`select set_config('pg_trgm.word_similarity_threshold', ${
        String(TYPO_THRESHOLD)
      }, true)`;
      return await tx`
        select * from (
          select ${columns}, 1 - (${t} <<-> p.search_text) as rank
          from shop_products p join shop_categories c on c.id = p.category_id and c.active
          where p.active and p.min_price_minor is not null and ${t} <% p.search_text ${filters}
          order by ${t} <<-> p.search_text
          limit ${PAGE_SIZE}
        ) p order by ${order}`;
    });
  }
  const ids = rows.map((r) => String(r.id));
  const variants = ids.length
    ? await sql`
      select product_id, id, sku, pack_qty, unit, price_minor from shop_variants
      where product_id = any(${ids}::bigint[]) and active order by product_id, sort_order, id`
    : [];
  const stock = await stockOf(variants.map((v) => v.sku));
  const byProduct = new Map<number, CardVariant[]>();
  for (const v of variants) {
    const list = byProduct.get(Number(v.product_id)) ?? [];
    list.push({
      id: Number(v.id),
      packQty: String(Number(v.pack_qty)),
      unit: v.unit,
      priceMinor: toMinor(v.price_minor),
      stock: stock.get(v.sku) ?? 0,
    });
    byProduct.set(Number(v.product_id), list);
  }
  const total = typo ? rows.length : rows.length ? Number(rows[0].total) : 0;
  return {
    items: rows.map((r) => {
      const vs = byProduct.get(Number(r.id)) ?? [];
      return {
        id: Number(r.id),
        slug: r.slug,
        nameEn: r.name_en,
        nameBn: r.name_bn,
        categorySlug: r.category_slug,
        imageStyle: r.image_style,
        imageColor: r.image_color,
        minPriceMinor: toMinor(r.min_price_minor),
        inStock: vs.some((v) => v.stock > 0),
        variants: vs,
      };
    }),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
  };
}
