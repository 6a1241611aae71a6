import type { ComponentChildren } from "preact";
import { SearchForm, SiteLayout } from "@/components/SiteLayout.tsx";
import type { State } from "@/state.ts";

/** The request state of shop pages. */
export interface ShopState extends State {
  /** Set by routes/shop/_middleware.ts. */
  cartCount?: number;
}

/**
 * The shop frame: the site layout (whose header row holds search and the cart with its count)
 * with the customer's shop links in its menu on a phone and in a slim row from md up; the
 * catalogue (/shop) has its search field on the page. Pure HTML: ships no script.
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
  const links: [string, string][] = [
    ...(signedIn ? [["/shop/orders", t.myOrders] as [string, string]] : []),
    ["/shop/subscriptions", t.subscriptions],
    ...(signedIn ? [["/shop/balance", t.balance] as [string, string]] : []),
    ["/shop/faq", t.faq],
  ];
  const catalogue = props.path === "/shop";
  return (
    <SiteLayout
      state={state}
      path={props.path}
      links={links}
      searchOnPage={catalogue}
    >
      <nav aria-label={t.title} class="hidden md:flex flex-wrap gap-x-4 gap-y-1 mb-4 text-sm">
        {links.map(([href, label]) => (
          <a
            href={href}
            class={props.path.startsWith(href)
              ? "font-semibold text-brand-700 underline"
              : "text-gray-700 hover:text-brand-700"}
          >
            {label}
          </a>
        ))}
      </nav>
      {catalogue && (
        <div class="mb-4">
          <SearchForm state={state} q={props.q} id="shop-q" />
        </div>
      )}
      {props.children}
    </SiteLayout>
  );
}
