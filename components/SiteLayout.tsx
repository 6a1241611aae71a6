import type { ComponentChildren } from "preact";
import type { State } from "@/state.ts";

/** Header, navigation and footer of the public site and shop. Pure HTML: ships no script. */
export function SiteLayout(
  props: { state: State; path: string; children: ComponentChildren },
) {
  const { t, lang } = props.state;
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
  return (
    <div class="min-h-screen flex flex-col bg-cream text-gray-900">
      <a href="#main" class="sr-only focus:not-sr-only">{t.site.skip}</a>
      <header class="bg-white border-b border-gray-200">
        <div class="max-w-5xl mx-auto px-4 py-3 flex flex-wrap items-center gap-x-6 gap-y-2">
          <a href="/" class="text-xl font-bold text-brand-700">{t.site.name}</a>
          <nav aria-label={t.nav.menu} class="flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {nav.map(([href, label]) => (
              <a
                href={href}
                class={current(href)
                  ? "font-semibold text-brand-700 underline"
                  : "text-gray-700 hover:text-brand-700"}
                aria-current={current(href) ? "page" : undefined}
              >
                {label}
              </a>
            ))}
          </nav>
          <div class="ml-auto flex items-center gap-4 text-sm">
            <a
              href={`/lang?to=${other}&next=${encodeURIComponent(props.path)}`}
              hreflang={other}
              class="text-gray-700 hover:text-brand-700"
            >
              {t.lang.switchTo}
            </a>
            {props.state.user
              ? (
                <a href="/account" class="rounded bg-brand-600 text-white px-3 py-1">
                  {t.nav.account}
                </a>
              )
              : (
                <a href="/signin" class="rounded bg-brand-600 text-white px-3 py-1">
                  {t.nav.signIn}
                </a>
              )}
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
