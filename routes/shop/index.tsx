import type { Handlers, PageProps, RouteConfig } from "@/framework/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { type Category, packLabel } from "@/services/shop/mod.ts";
import {
  type SearchQuery,
  searchQuerySchema,
  type SearchResult,
  SORTS,
} from "@/services/shop/mod.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { ShopProductImage } from "@/components/ShopProductImage.tsx";
import { addedFrom, FEW_LEFT, msgs, num, type ShopState, stockNote } from "./(_lib)/web.ts";
import { ShopSubmit } from "@/components/ShopButtons.tsx";
import { ShopQtyStepper } from "@/components/ShopQtyStepper.tsx";

interface Data {
  query: SearchQuery;
  result: SearchResult;
  categories: Category[];
  csrf: string;
  /** The last add-to-cart (from its redirect's query), shown on its card. */
  added: { variantId: number; n: number } | null;
  /** An add-to-cart whose card is not on this page: said at the top. */
  addedElsewhere: boolean;
}

/** Shared by anonymous visitors for a minute (stock and prices may lag that long; checkout is exact). */
export const config: RouteConfig = { cache: true };

export const handler: Handlers<Data, ShopState> = {
  async GET(ctx) {
    const t = msgs(ctx);
    const query = searchQuerySchema.parse(Object.fromEntries(ctx.url.searchParams));
    const shop = ctx.state.deps.shop;
    const [result, categories] = await Promise.all([shop.search(query), shop.categories()]);
    const cat = categories.find((c) => c.slug === query.category);
    const catName = cat ? (ctx.state.lang === "bn" ? cat.nameBn : cat.nameEn) : null;
    ctx.state.title = `${
      query.q ? t.shop.resultsFor(query.q) : catName ?? t.shop.title
    } — ${ctx.state.t.site.name}`;
    ctx.state.description = t.shop.description;
    return {
      data: {
        query,
        result,
        categories,
        csrf: await ctx.csrfToken(),
        added: addedFrom(ctx.url),
        addedElsewhere: ctx.url.searchParams.get("added") === "1" &&
          !result.items.some((p) => p.variants.some((v) => v.id === addedFrom(ctx.url)?.variantId)),
      },
    };
  },
};

/** The URL of the listing with some parameters changed. */
function withParams(q: SearchQuery, change: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  const merged: Record<string, unknown> = {
    q: q.q || undefined,
    category: q.category,
    min: q.min,
    max: q.max,
    stock: q.stock,
    sort: q.sort,
    page: q.page > 1 ? q.page : undefined,
    ...change,
  };
  for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `/shop?${s}` : "/shop";
}

export default function ShopIndex({ data, state, url }: PageProps<Data, ShopState>) {
  const { lang } = state;
  const t = msgs({ state });
  const { query, result } = data;
  // Back to this listing without the last confirmation; each card adds its own fragment.
  const params = new URLSearchParams(url.search);
  for (const k of ["added", "v", "n"]) params.delete(k);
  const listing = url.pathname + (params.size ? `?${params}` : "");
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  return (
    <ShopLayout state={state} path={url.pathname} q={query.q}>
      <h1 class="text-2xl font-bold mb-1">
        {query.q ? t.shop.resultsFor(query.q) : t.shop.heading}
      </h1>
      {!query.q && <p class="text-gray-700 mb-4">{t.shop.intro}</p>}
      {result.correctedQuery && (
        <p class="text-gray-700 mb-3" data-corrected>{t.shop.correctedTo(result.correctedQuery)}</p>
      )}
      {data.addedElsewhere && (
        <p role="status" class="rounded bg-green-100 text-green-900 p-3 mb-4">
          {t.shop.added} <a href="/shop/cart" class="underline font-semibold">{t.shop.cart}</a>
        </p>
      )}
      <nav aria-label="Categories" class="flex flex-wrap gap-2 mb-4 text-sm">
        <a
          href={withParams(query, { category: undefined, page: undefined })}
          class={`rounded-full px-3 py-1 border ${
            !query.category
              ? "bg-brand-700 text-white border-brand-700"
              : "bg-white border-gray-300"
          }`}
        >
          {t.shop.all}
        </a>
        {data.categories.map((c) => (
          <a
            href={withParams(query, { category: c.slug, page: undefined })}
            class={`rounded-full px-3 py-1 border ${
              query.category === c.slug
                ? "bg-brand-700 text-white border-brand-700"
                : "bg-white border-gray-300"
            }`}
          >
            {lang === "bn" ? c.nameBn : c.nameEn}
          </a>
        ))}
      </nav>
      <details class="mb-4 bg-white border border-gray-200 rounded p-3 text-sm">
        <summary class="cursor-pointer font-medium">{t.shop.filters}</summary>
        <form
          method="get"
          action="/shop"
          class="mt-3 grid gap-3 grid-cols-2 sm:grid-cols-5 items-end"
        >
          {query.q && <input type="hidden" name="q" value={query.q} />}
          {query.category && <input type="hidden" name="category" value={query.category} />}
          {([["min", t.shop.priceFrom, query.min], ["max", t.shop.priceTo, query.max]] as const)
            .map(([name, label, value]) => (
              <label class="block">
                <span class="block mb-1">{label}</span>
                <input
                  name={name}
                  type="number"
                  min="0"
                  inputmode="numeric"
                  value={value ?? ""}
                  class="w-full rounded border border-gray-300 px-2 py-1"
                />
              </label>
            ))}
          <label class="block col-span-2 sm:col-span-1">
            <span class="block mb-1">{t.shop.sortBy}</span>
            <select name="sort" class="w-full rounded border border-gray-300 px-2 py-1">
              {SORTS.filter((s) => s !== "relevance" || query.q).map((s) => (
                <option value={s} selected={(query.sort ?? (query.q ? "relevance" : "name")) === s}>
                  {t.shop.sorts[s]}
                </option>
              ))}
            </select>
          </label>
          <label class="flex items-center gap-2">
            <input type="checkbox" name="stock" value="1" checked={!!query.stock} />
            {t.shop.inStockOnly}
          </label>
          <button type="submit" class="rounded bg-brand-600 text-white px-3 py-2">
            {t.shop.apply}
          </button>
        </form>
      </details>
      <p class="text-sm text-gray-600 mb-3">
        {num(t.shop.results(result.total), lang)}
      </p>
      {result.items.length === 0 && <p class="bg-white border rounded p-4">{t.shop.noResults}</p>}
      <ul class="grid gap-4 grid-cols-2 md:grid-cols-3 lg:grid-cols-4" data-testid="product-grid">
        {result.items.map((p, i) => {
          const name = lang === "bn" ? p.nameBn : p.nameEn;
          const stocked = p.variants.filter((v) => v.stock > 0);
          const single = p.variants.length === 1 ? p.variants[0] : null;
          const added = data.added && p.variants.find((v) => v.id === data.added!.variantId);
          const back = `${listing}#p-${p.slug}`;
          return (
            <li
              id={`p-${p.slug}`}
              class="bg-white border border-gray-200 rounded-lg p-3 flex flex-col min-w-0 scroll-mt-3"
            >
              <a href={`/shop/products/${p.slug}`} class="block mb-2">
                <ShopProductImage
                  style={p.imageStyle}
                  color={p.imageColor}
                  alt=""
                  size={160}
                  sizes="(min-width: 1024px) 220px, (min-width: 768px) 30vw, 45vw"
                  eager={i < 4}
                  priority={i === 0}
                  photo={p.photo}
                />
                <h2 class="font-semibold text-brand-700 mt-2 leading-snug break-words">{name}</h2>
              </a>
              <p class="text-sm mb-2">
                {single
                  ? (
                    <>
                      <span class="font-semibold" data-testid="price">
                        {formatTaka(single.priceMinor, lang)}
                      </span>{" "}
                      <span class="text-gray-600">
                        · {packLabel(single.packQty, single.unit, lang)}
                      </span>
                    </>
                  )
                  : (
                    <>
                      <span class="text-gray-600">{t.shop.from}</span>{" "}
                      <span class="font-semibold" data-testid="price">
                        {formatTaka(p.minPriceMinor, lang)}
                      </span>
                    </>
                  )}
                {single && single.stock > 0 && single.stock <= FEW_LEFT && (
                  <span class="block text-amber-800">{stockNote(single.stock, t.shop, lang)}</span>
                )}
              </p>
              {added && data.added!.n > 0
                ? (
                  <div class="mt-auto flex flex-col gap-2 text-sm">
                    <p role="status" class="rounded bg-green-100 text-green-900 px-2 py-1">
                      ✓ {num(t.shop.inCart(data.added!.n), lang)}{" "}
                      <a href="/shop/cart" class="underline font-semibold">{t.shop.viewCart}</a>
                    </p>
                    <ShopQtyStepper
                      csrf={csrf}
                      variantId={added.id}
                      qty={data.added!.n}
                      qtyText={num(data.added!.n, lang)}
                      back={back}
                      labels={{
                        less: t.cart.less(name),
                        more: t.cart.more(name),
                        qty: t.shop.qty,
                      }}
                    />
                  </div>
                )
                : stocked.length === 0
                ? <p class="mt-auto text-sm text-red-700">{t.shop.outOfStock}</p>
                : (
                  <form
                    method="post"
                    action="/shop/cart"
                    class="mt-auto flex flex-col gap-2 text-sm"
                  >
                    {csrf}
                    <input type="hidden" name="action" value="add" />
                    <input type="hidden" name="back" value={back} />
                    <input type="hidden" name="qty" value="1" />
                    {stocked.length === 1
                      ? <input type="hidden" name="variantId" value={stocked[0].id} />
                      : (
                        <select
                          name="variantId"
                          aria-label={t.shop.pack}
                          class="min-w-0 rounded border border-gray-300 px-1 py-1"
                        >
                          {stocked.map((v) => (
                            <option value={v.id}>
                              {packLabel(v.packQty, v.unit, lang)} ·{" "}
                              {formatTaka(v.priceMinor, lang)}
                              {v.stock <= FEW_LEFT ? ` · ${stockNote(v.stock, t.shop, lang)}` : ""}
                            </option>
                          ))}
                        </select>
                      )}
                    {stocked.length === 1 && !single && (
                      <span class="text-gray-600">
                        {packLabel(stocked[0].packQty, stocked[0].unit, lang)} ·{" "}
                        {formatTaka(stocked[0].priceMinor, lang)}
                        {stocked[0].stock <= FEW_LEFT &&
                          ` · ${stockNote(stocked[0].stock, t.shop, lang)}`}
                      </span>
                    )}
                    <ShopSubmit
                      class="rounded bg-brand-600 text-white px-2 py-2 font-medium"
                      testId={`add-${p.slug}`}
                    >
                      {t.shop.addToCart}
                    </ShopSubmit>
                  </form>
                )}
            </li>
          );
        })}
      </ul>
      {result.pages > 1 && (
        <nav aria-label="Pages" class="flex items-center justify-between mt-6 text-sm">
          {query.page > 1
            ? (
              <a
                class="text-brand-700 underline"
                href={withParams(query, { page: query.page - 1 })}
              >
                {t.shop.prev}
              </a>
            )
            : <span />}
          <span>{t.shop.page(query.page, result.pages)}</span>
          {query.page < result.pages
            ? (
              <a
                class="text-brand-700 underline"
                href={withParams(query, { page: query.page + 1 })}
              >
                {t.shop.next}
              </a>
            )
            : <span />}
        </nav>
      )}
    </ShopLayout>
  );
}
