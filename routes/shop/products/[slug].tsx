import {
  type Handlers,
  Head,
  HttpError,
  type PageProps,
  renderNonce,
  type RouteConfig,
} from "@/framework/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { packLabel, type Product } from "@/services/shop/mod.ts";
import { productImageUrl } from "@/services/shop/mod.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { ShopProductImage } from "@/components/ShopProductImage.tsx";
import {
  addedFrom,
  FEW_LEFT,
  msgs,
  num,
  origin,
  type ShopState,
  stockNote,
} from "../(_lib)/web.ts";
import { ShopSubmit } from "@/components/ShopButtons.tsx";
import { PostForm } from "@/components/ui.tsx";

interface Data {
  product: Product;
  csrf: string;
  origin: string;
}

/** Shared by anonymous visitors for a minute (stock and prices may lag that long; checkout is exact). */
export const config: RouteConfig = { cache: true };

export const handler: Handlers<Data, ShopState> = {
  async GET(ctx) {
    const product = await ctx.state.deps.shop.product(ctx.params.slug);
    if (!product) throw new HttpError(404);
    const lang = ctx.state.lang;
    const name = lang === "bn" ? product.nameBn : product.nameEn;
    const desc = (lang === "bn" ? product.descriptionBn : product.descriptionEn) ||
      msgs(ctx).shop.description;
    ctx.state.title = `${name} — ${ctx.state.t.site.name}`;
    ctx.state.description = desc.slice(0, 160);
    return { data: { product, csrf: await ctx.csrfToken(), origin: origin(ctx) } };
  },
};

/** schema.org Product with one Offer per pack, for search engines. */
function jsonLd(p: Product, base: string): string {
  const data = {
    "@context": "https://schema.org",
    "@type": "Product",
    name: p.nameEn,
    alternateName: p.nameBn,
    description: p.descriptionEn,
    sku: p.variants[0]?.sku,
    category: p.categoryNameEn,
    image: `${base}${p.photo?.largest ?? productImageUrl(p.imageStyle, p.imageColor, 640)}`,
    brand: { "@type": "Brand", name: "Smart Dairy" },
    offers: p.variants.map((v) => ({
      "@type": "Offer",
      sku: v.sku,
      name: `${p.nameEn} ${packLabel(v.packQty, v.unit, "en")}`,
      price: (v.priceMinor / 100).toFixed(2),
      priceCurrency: "BDT",
      availability: v.stockAvailable > 0
        ? "https://schema.org/InStock"
        : "https://schema.org/OutOfStock",
      url: `${base}/shop/products/${p.slug}`,
    })),
  };
  // "<" is escaped so no text in the data can close the script element.
  return JSON.stringify(data).replace(/</g, "\\u003c");
}

export default function ProductPage({ data, state, url }: PageProps<Data, ShopState>) {
  const { lang } = state;
  const t = msgs({ state });
  const p = data.product;
  const name = lang === "bn" ? p.nameBn : p.nameEn;
  const description = lang === "bn" ? p.descriptionBn : p.descriptionEn;
  const inStock = p.variants.filter((v) => v.stockAvailable > 0);
  const first = inStock[0] ?? p.variants[0];
  const rate = `${num((p.vatRateBp / 100).toString(), lang)}%`;
  const added = addedFrom(url);
  const single = p.variants.length === 1;
  return (
    <ShopLayout state={state} path={url.pathname}>
      <Head>
        <link rel="canonical" href={`${data.origin}/shop/products/${p.slug}`} />
        <script
          type="application/ld+json"
          nonce={renderNonce()}
          dangerouslySetInnerHTML={{ __html: jsonLd(p, data.origin) }}
        />
      </Head>
      <nav aria-label="Breadcrumb" class="text-sm mb-3 text-gray-600">
        <a href="/shop" class="underline">{t.product.back}</a> ›{" "}
        <a href={`/shop?category=${p.categorySlug}`} class="underline">
          {lang === "bn" ? p.categoryNameBn : p.categoryNameEn}
        </a>
      </nav>
      <div class="grid gap-6 md:grid-cols-2">
        <div class="bg-white border border-gray-200 rounded-lg p-3">
          <ShopProductImage
            style={p.imageStyle}
            color={p.imageColor}
            alt={name}
            size={320}
            sizes="(min-width: 768px) 460px, 92vw"
            eager
            priority
            photo={p.photo}
          />
        </div>
        <div>
          <h1 class="text-2xl font-bold mb-2">{name}</h1>
          {description && <p class="text-gray-800 mb-3 whitespace-pre-line">{description}</p>}
          <ul class="text-sm text-gray-700 mb-4 space-y-1">
            <li>{num(t.product.shelfLife(p.shelfLifeDays), lang)}</li>
            <li>{t.product.storage[p.storage]}</li>
            <li>{p.vatRateBp > 0 ? t.product.vatIncluded(rate) : t.product.vatExempt}</li>
          </ul>
          <div id="buy" class="scroll-mt-3">
            {(added || url.searchParams.get("added") === "1") && (
              <p role="status" class="rounded bg-green-100 text-green-900 p-3 mb-3">
                ✓ {t.shop.added} {added && num(t.shop.inCart(added.n), lang)}{" "}
                <a href="/shop/cart" class="underline font-semibold">{t.shop.viewCart}</a>
              </p>
            )}
            {inStock.length === 0
              ? <p class="text-red-700 font-semibold">{t.shop.outOfStock}</p>
              : (
                <PostForm
                  csrf={data.csrf}
                  actionField="add"
                  action="/shop/cart"
                  class="bg-white border border-gray-200 rounded-lg p-4"
                >
                  <input type="hidden" name="back" value={`${url.pathname}#buy`} />
                  <fieldset class="mb-3">
                    <legend class="font-medium mb-2">{t.shop.pack}</legend>
                    {p.variants.map((v) => (
                      <label
                        class={`flex flex-wrap items-center gap-x-3 rounded border px-3 py-2 mb-2 ${
                          v.stockAvailable > 0 ? "border-gray-300" : "border-gray-200 text-gray-400"
                        }`}
                      >
                        <input
                          type="radio"
                          name="variantId"
                          value={v.id}
                          checked={v.id === first.id}
                          disabled={v.stockAvailable === 0}
                          required
                        />
                        <span class="flex-1">{packLabel(v.packQty, v.unit, lang)}</span>
                        <span class="font-semibold" data-testid={single ? "price" : undefined}>
                          {formatTaka(v.priceMinor, lang)}
                        </span>
                        <span
                          class={`text-xs text-right ${
                            v.stockAvailable > 0 && v.stockAvailable <= FEW_LEFT
                              ? "text-amber-800"
                              : "text-gray-600"
                          }`}
                          data-testid="stock"
                        >
                          {stockNote(v.stockAvailable, t.shop, lang)}
                        </span>
                      </label>
                    ))}
                  </fieldset>
                  <div class="flex items-end gap-3">
                    <label class="block text-sm">
                      <span class="block mb-1">{t.shop.qty}</span>
                      <input
                        name="qty"
                        type="number"
                        min="1"
                        max="99"
                        value="1"
                        inputmode="numeric"
                        class="w-20 rounded border border-gray-300 px-2 py-2"
                      />
                    </label>
                    <ShopSubmit primary class="flex-1 py-2" testId="add-to-cart">
                      {t.shop.addToCart}
                    </ShopSubmit>
                  </div>
                </PostForm>
              )}
          </div>
          {p.subscribable && (
            <p class="mt-4">
              <a href="/shop/subscriptions/new" class="text-brand-700 underline">
                {t.product.subscribe}
              </a>
            </p>
          )}
        </div>
      </div>
    </ShopLayout>
  );
}
