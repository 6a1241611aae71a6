import { type Handlers, type PageProps, safePath } from "@/framework/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { type CartView, MAX_QTY, normalizeCode, packLabel, z } from "@/services/shop/mod.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { ShopProductImage } from "@/components/ShopProductImage.tsx";
import { cartOwner, field, msgs, num, shopErrorText, type ShopState } from "./(_lib)/web.ts";
import { ShopButtonLink, ShopPostButton } from "@/components/ShopButtons.tsx";
import { ShopQtyStepper } from "@/components/ShopQtyStepper.tsx";

interface Data {
  cart: CartView;
  csrf: string;
  codeError: string | null;
  discountMinor: number;
}

const actionSchema = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("add"),
    variantId: z.coerce.number().int().positive(),
    qty: z.coerce.number().int().min(1).max(MAX_QTY).catch(1),
    back: z.string().optional(),
  }),
  z.object({
    action: z.literal("set"),
    variantId: z.coerce.number().int().positive(),
    qty: z.coerce.number().int().min(0).max(MAX_QTY).catch(1),
  }),
  z.object({
    action: z.literal("less"),
    variantId: z.coerce.number().int().positive(),
    back: z.string().optional(),
  }),
  z.object({ action: z.literal("remove"), variantId: z.coerce.number().int().positive() }),
  z.object({ action: z.literal("code"), discountCode: z.string().max(40) }),
  z.object({ action: z.literal("removecode") }),
]);

/**
 * The page the button was on (`back`: only a path on this site, else the cart), saying what was
 * added and how many of it the cart now holds, its fragment kept: a card's add button brings the
 * shopper back to that card ("/shop?added=1&v=12&n=2#p-sweet-doi"), not to the top of the page.
 */
function backWith(back: string | undefined, variantId: number, n: number): string {
  const u = new URL(safePath(back, "/shop/cart"), "http://same-origin.invalid");
  u.searchParams.set("added", "1");
  u.searchParams.set("v", String(variantId));
  u.searchParams.set("n", String(n));
  return u.pathname + u.search + u.hash;
}

async function render(
  ctx: Parameters<NonNullable<Handlers<Data, ShopState>["GET"]>>[0],
  codeError: string | null,
  status = 200,
) {
  const shop = ctx.state.deps.shop;
  const { view } = await shop.viewCart(cartOwner(ctx));
  let discountMinor = 0;
  if (view.discountCode && !codeError) {
    try {
      discountMinor = (await shop.checkCode(
        view.discountCode,
        view.subtotalMinor,
        ctx.state.user?.id ?? null,
      )).discountMinor;
    } catch (e) {
      codeError = shopErrorText(ctx, e);
      if (codeError === null) throw e;
    }
  }
  ctx.state.title = `${msgs(ctx).cart.title} — ${ctx.state.t.site.name}`;
  ctx.state.cartCount = view.count;
  return { status, data: { cart: view, csrf: await ctx.csrfToken(), codeError, discountMinor } };
}

export const handler: Handlers<Data, ShopState> = {
  GET(ctx) {
    return render(ctx, null);
  },
  async POST(ctx) {
    const form = ctx.form;
    const parsed = actionSchema.safeParse({
      action: field(form, "action"),
      variantId: field(form, "variantId"),
      qty: field(form, "qty"),
      back: field(form, "back") || undefined,
      discountCode: field(form, "discountCode"),
    });
    if (!parsed.success) return ctx.redirect("/shop/cart");
    const a = parsed.data;
    const shop = ctx.state.deps.shop;
    const owner = cartOwner(ctx, true)!;
    switch (a.action) {
      case "add":
      case "less": {
        const n = await shop.stepQty(owner, a.variantId, a.action === "add" ? a.qty : -1);
        return ctx.redirect(backWith(a.back, a.variantId, n));
      }
      case "set":
        await shop.setQty(owner, a.variantId, a.qty);
        // Back to the line, where the shopper was (the cart's top when it is gone).
        return ctx.redirect(a.qty > 0 ? `/shop/cart#l-${a.variantId}` : "/shop/cart");
      case "remove":
        await shop.setQty(owner, a.variantId, 0);
        break;
      case "code": {
        const code = normalizeCode(a.discountCode);
        if (!code) break;
        try {
          await shop.applyCode(owner, code, ctx.state.user?.id ?? null);
        } catch (e) {
          const text = shopErrorText(ctx, e);
          if (text === null) throw e;
          return await render(ctx, text, 422);
        }
        break;
      }
      case "removecode":
        await shop.removeCode(owner);
        break;
    }
    return ctx.redirect("/shop/cart");
  },
};

export default function CartPage({ data, state, url }: PageProps<Data, ShopState>) {
  const { lang } = state;
  const t = msgs({ state });
  const { cart } = data;
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  return (
    <ShopLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-4">{t.cart.title}</h1>
      {url.searchParams.get("pay") === "cancelled" && (
        <p
          role="status"
          class="rounded bg-amber-100 text-amber-900 p-3 mb-4"
          data-testid="pay-cancelled"
        >
          {t.cart.payCancelled}
        </p>
      )}
      {cart.lines.length === 0
        ? (
          <div class="bg-white border rounded p-4">
            <p class="mb-3">{t.cart.empty}</p>
            <a href="/shop" class="text-brand-700 underline">{t.cart.continue}</a>
          </div>
        )
        : (
          <div class="grid gap-6 lg:grid-cols-3">
            <div class="lg:col-span-2 min-w-0">
              {!cart.ok && (
                <p role="alert" class="rounded bg-amber-100 text-amber-900 p-3 mb-3">
                  {t.cart.fixProblems}
                </p>
              )}
              <ul
                class="bg-white border border-gray-200 rounded-lg divide-y"
                data-testid="cart-lines"
              >
                {cart.lines.map((l) => {
                  const v = l.variant;
                  const name = v ? (lang === "bn" ? v.nameBn : v.nameEn) : `#${l.variantId}`;
                  return (
                    <li id={`l-${l.variantId}`} class="p-3 flex gap-3 items-start scroll-mt-2">
                      {v && (
                        <ShopProductImage
                          style={v.imageStyle}
                          color={v.imageColor}
                          alt=""
                          size={64}
                          sizes="64px"
                          class="w-16 h-16 rounded shrink-0"
                        />
                      )}
                      <div class="flex-1 min-w-0">
                        <p class="font-medium break-words">
                          {v
                            ? (
                              <a href={`/shop/products/${v.productSlug}`} class="text-brand-700">
                                {name}
                              </a>
                            )
                            : name}
                        </p>
                        {v && (
                          <p class="text-sm text-gray-600">
                            {packLabel(v.packQty, v.unit, lang)} · {formatTaka(v.priceMinor, lang)}
                          </p>
                        )}
                        {l.problem === "unavailable" && (
                          <p class="text-sm text-red-700">{t.cart.unavailable}</p>
                        )}
                        {l.problem === "short" && v && (
                          <p class="text-sm text-red-700">
                            {num(t.cart.short(v.stockAvailable), lang)}
                          </p>
                        )}
                        <div class="flex flex-wrap gap-x-3 gap-y-2 mt-2 items-center">
                          <ShopQtyStepper
                            csrf={csrf}
                            variantId={l.variantId}
                            qty={l.qty}
                            labels={{
                              less: t.cart.less(name),
                              more: t.cart.more(name),
                              qty: `${t.cart.qty}: ${name}`,
                              update: t.cart.update,
                            }}
                          />
                          <ShopPostButton
                            action="/shop/cart"
                            csrf={csrf}
                            fields={{ action: "remove", variantId: l.variantId }}
                            class="text-sm text-red-700 underline py-2"
                          >
                            {t.cart.remove}
                          </ShopPostButton>
                          <p
                            class="ml-auto font-semibold whitespace-nowrap"
                            data-testid="line-total"
                          >
                            {formatTaka(l.lineTotalMinor, lang)}
                          </p>
                        </div>
                      </div>
                    </li>
                  );
                })}
              </ul>
              <a href="/shop" class="inline-block mt-3 text-brand-700 underline">
                {t.cart.continue}
              </a>
            </div>
            <aside class="min-w-0 bg-white border border-gray-200 rounded-lg p-4 h-fit">
              <dl class="grid grid-cols-2 gap-y-1 mb-3">
                <dt>{t.cart.subtotal}</dt>
                <dd class="text-right font-semibold" data-testid="cart-subtotal">
                  {formatTaka(cart.subtotalMinor, lang)}
                </dd>
                <dt class="text-sm text-gray-600">{t.cart.vatIncluded}</dt>
                <dd class="text-right text-sm text-gray-600">{formatTaka(cart.vatMinor, lang)}</dd>
                {data.discountMinor > 0 && (
                  <>
                    <dt>{t.cart.discount}</dt>
                    <dd class="text-right text-green-800">
                      −{formatTaka(data.discountMinor, lang)}
                    </dd>
                  </>
                )}
              </dl>
              <form method="post" action="/shop/cart" class="mb-3">
                {csrf}
                <input type="hidden" name="action" value="code" />
                <label for="discountCode" class="block text-sm mb-1">{t.cart.discountCode}</label>
                <div class="flex gap-2">
                  <input
                    id="discountCode"
                    name="discountCode"
                    value={cart.discountCode ?? ""}
                    autocomplete="off"
                    class="flex-1 min-w-0 rounded border border-gray-300 px-2 py-1 uppercase"
                    aria-invalid={data.codeError ? "true" : undefined}
                  />
                  <button type="submit" class="rounded border border-gray-300 px-3 py-1">
                    {t.cart.applyCode}
                  </button>
                </div>
                {data.codeError && (
                  <p role="alert" class="text-sm text-red-700 mt-1">{data.codeError}</p>
                )}
                {cart.discountCode && !data.codeError && (
                  <p class="text-sm text-green-800 mt-1">{t.cart.codeApplied(cart.discountCode)}</p>
                )}
              </form>
              {cart.discountCode && (
                <ShopPostButton
                  action="/shop/cart"
                  formClass="mb-3"
                  csrf={csrf}
                  fields={{ action: "removecode" }}
                  class="text-sm underline text-gray-700"
                >
                  {t.cart.removeCode}
                </ShopPostButton>
              )}
              <p class="text-sm text-gray-600 mb-3">{t.cart.delivery}</p>
              {cart.ok
                ? (
                  <ShopButtonLink
                    href="/shop/checkout"
                    primary
                    class="block text-center py-2"
                    testId="go-checkout"
                  >
                    {t.cart.checkout}
                  </ShopButtonLink>
                )
                : (
                  <p class="text-center rounded bg-gray-200 text-gray-600 px-4 py-2">
                    {t.cart.checkout}
                  </p>
                )}
            </aside>
          </div>
        )}
    </ShopLayout>
  );
}
