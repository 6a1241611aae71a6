import type { ComponentChildren } from "preact";
import type { State } from "@/state.ts";
import { BrandLogo } from "@/components/BrandLogo.tsx";

const ICON = "w-6 h-6";
const TAP = "flex items-center justify-center min-w-[2.25rem] h-10 rounded hover:bg-gray-100";

/** A line icon (24 px, currentColor) from SVG path data. */
function Icon(props: { d: string }) {
  return (
    <svg
      viewBox="0 0 24 24"
      class={ICON}
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={props.d} />
    </svg>
  );
}

const MENU = "M4 6h16M4 12h16M4 18h16";
const SEARCH = "M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14zm5-2 5 5";
const CART = "M3 4h2l2.4 11h10.2L20 8H6.2M9 20h.01M17 20h.01";
const PERSON = "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 8a7 7 0 0 1 14 0";
/** Summary without the disclosure triangle. */
const SUMMARY = `${TAP} cursor-pointer list-none [&::-webkit-details-marker]:hidden`;

/**
 * Header, navigation and footer of the public site and shop: one compact row (menu, logo, search,
 * language, account, cart with its count) that fits a 360 px phone; the page links open from the menu
 * button on a phone (a <details>, no script) and sit in the row from md up; the search button
 * leads to the catalogue's search field. Pure HTML.
 */
export function SiteLayout(
  props: {
    state: State;
    path: string;
    children: ComponentChildren;
    /** More links for the menu (the shop's), after the site's. */
    links?: [string, string][];
    /** The search field is on this page (#shop-q); else the search button opens the catalogue's. */
    searchOnPage?: boolean;
  },
) {
  const { t, lang } = props.state;
  const s = t.shop.shop;
  const nav: [string, string][] = [
    ["/", t.nav.home],
    ["/shop", t.nav.shop],
    ["/about", t.nav.about],
    ["/delivery", t.nav.delivery],
    ["/contact", t.nav.contact],
  ];
  const other = lang === "en" ? "bn" : "en";
  const current = (href: string) =>
    href === "/" ? props.path === "/" : props.path === href || props.path.startsWith(href + "/");
  const count = (props.state as State & { cartCount?: number }).cartCount ?? 0;
  const account: [string, string] = props.state.user
    ? ["/account", t.nav.account]
    : ["/signin", t.nav.signIn];
  const link = ([href, label]: [string, string], cls: string) => (
    <a
      href={href}
      class={`${cls} ${current(href) ? "font-semibold text-brand-700 underline" : "text-gray-700"}`}
      aria-current={current(href) ? "page" : undefined}
    >
      {label}
    </a>
  );
  return (
    <div class="min-h-screen flex flex-col bg-cream text-gray-900">
      <a href="#main" class="sr-only focus:not-sr-only">{t.site.skip}</a>
      <header class="relative bg-white border-b border-gray-200">
        <div class="max-w-5xl mx-auto px-1.5 md:px-4 h-14 flex items-center gap-0.5 text-sm">
          <details class="md:hidden">
            <summary class={SUMMARY}>
              <Icon d={MENU} />
              <span class="sr-only">{t.nav.menu}</span>
            </summary>
            <nav
              aria-label={t.nav.menu}
              class="absolute z-20 left-0 right-0 top-14 bg-white border-b border-gray-200 shadow px-4 py-2 flex flex-col"
            >
              {[...nav, ...(props.links ?? [])].map((l) => link(l, "py-2"))}
            </nav>
          </details>
          <a
            href="/"
            class="flex min-w-0 items-center gap-1 mr-0.5 md:mr-4 text-[15px] font-bold text-brand-700 whitespace-nowrap"
          >
            <BrandLogo class="shrink-0" />
            <span class="truncate">{t.site.name}</span>
          </a>
          <nav aria-label={t.nav.menu} class="hidden md:flex gap-4">
            {nav.map((l) => link(l, "hover:text-brand-700"))}
          </nav>
          <div class="ml-auto flex shrink-0 items-center gap-0.5">
            <a href={props.searchOnPage ? "#shop-q" : "/shop#shop-q"} class={TAP}>
              <Icon d={SEARCH} />
              <span class="sr-only">{s.search}</span>
            </a>
            <a
              href={`/lang?to=${other}&next=${encodeURIComponent(props.path)}`}
              hreflang={other}
              lang={other}
              class={`${TAP} px-1 text-gray-700`}
            >
              {t.lang.switchTo}
            </a>
            <a
              href={account[0]}
              class={`${TAP} md:px-3 md:bg-brand-600 md:text-white ${
                current(account[0]) ? "text-brand-700" : "text-gray-700"
              }`}
              aria-current={current(account[0]) ? "page" : undefined}
            >
              <span class="md:hidden">
                <Icon d={PERSON} />
              </span>
              <span class="sr-only md:not-sr-only">{account[1]}</span>
            </a>
            <a
              href="/shop/cart"
              class={`${TAP} relative ${
                props.path === "/shop/cart" ? "text-brand-700" : "text-gray-700"
              }`}
              aria-current={props.path === "/shop/cart" ? "page" : undefined}
              data-testid="cart-link"
            >
              <Icon d={CART} />
              <span class="sr-only">{s.cart}</span>
              {count > 0 && (
                <span
                  class="absolute top-0 right-0 min-w-[1.25rem] rounded-full bg-brand-600 text-white px-1 text-xs text-center"
                  data-testid="cart-count"
                >
                  {count}
                </span>
              )}
            </a>
          </div>
        </div>
      </header>
      <main id="main" class="flex-1 w-full max-w-5xl mx-auto px-4 py-6">{props.children}</main>
      <footer class="bg-white border-t border-gray-200 text-sm text-gray-600">
        <div class="max-w-5xl mx-auto px-4 py-4 flex flex-wrap gap-4 justify-between">
          <span>© {new Date().getFullYear()} Smart Dairy Ltd. {t.footer.rights}</span>
          <span>{t.footer.hours}</span>
        </div>
      </footer>
    </div>
  );
}

/** The catalogue search: a field and a button. */
export function SearchForm(props: { state: State; q?: string; id?: string }) {
  const s = props.state.t.shop.shop;
  const id = props.id ?? "site-q";
  return (
    <form method="get" action="/shop" role="search" class="flex">
      <label for={id} class="sr-only">{s.searchLabel}</label>
      <input
        id={id}
        name="q"
        type="search"
        value={props.q ?? ""}
        placeholder={s.searchPlaceholder}
        class="flex-1 min-w-0 rounded-l border border-gray-300 px-3 py-2"
      />
      <button type="submit" class="rounded-r bg-brand-600 text-white px-3 py-2">
        {s.search}
      </button>
    </form>
  );
}
