import type { ComponentChildren } from "preact";
import { SiteLayout } from "@/components/SiteLayout.tsx";
import type { State } from "@/state.ts";

/** The request state of shop pages. */
export interface ShopState extends State {
  /** Set by routes/shop/_middleware.ts. */
  cartCount?: number;
}

/**
 * The shop frame: the site layout plus a bar with search, cart (with its count) and the
 * customer's links. Pure HTML: ships no script.
 */
export function ShopLayout(
  props: {
    state: ShopState;
    path: string;
    children: ComponentChildren;
    /** Overrides the search box value. */
    q?: string;
  },
) {
  const { state } = props;
  const t = state.t.shop.shop;
  const signedIn = !!state.user;
  const count = state.cartCount ?? 0;
  const link = (href: string, label: string) => (
    <a
      href={href}
      class={props.path.startsWith(href)
        ? "font-semibold text-brand-700 underline"
        : "text-gray-700 hover:text-brand-700"}
    >
      {label}
    </a>
  );
  return (
    <SiteLayout state={state} path={props.path}>
      <div class="mb-5 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        <form method="get" action="/shop" role="search" class="flex flex-1 min-w-[12rem]">
          <label for="shop-q" class="sr-only">{t.searchLabel}</label>
          <input
            id="shop-q"
            name="q"
            type="search"
            value={props.q ?? ""}
            placeholder={t.searchPlaceholder}
            class="flex-1 min-w-0 rounded-l border border-gray-300 px-3 py-2"
          />
          <button type="submit" class="rounded-r bg-brand-600 text-white px-3 py-2">
            {t.search}
          </button>
        </form>
        <nav aria-label={t.title} class="flex flex-wrap gap-x-4 gap-y-1">
          <a
            href="/shop/cart"
            class={`${
              props.path === "/shop/cart"
                ? "font-semibold text-brand-700 underline"
                : "text-gray-700"
            } hover:text-brand-700`}
            data-testid="cart-link"
          >
            {t.cart}
            {count > 0 && (
              <span
                class="ml-1 rounded-full bg-brand-600 text-white px-2 text-xs"
                data-testid="cart-count"
              >
                {count}
              </span>
            )}
          </a>
          {signedIn && link("/shop/orders", t.myOrders)}
          {link("/shop/subscriptions", t.subscriptions)}
          {signedIn && link("/shop/balance", t.balance)}
          {link("/shop/faq", t.faq)}
        </nav>
      </div>
      {props.children}
    </SiteLayout>
  );
}
