import { type ComponentChildren, createContext } from "preact";
import { useContext } from "preact/hooks";
import { can, type Role } from "@/services/identity/roles.ts";
import { ADMIN_NAV } from "@/components/admin_nav.ts";
import type { State } from "@/state.ts";

const InsideAdmin = createContext(false);

/** The back-office frame: a sidebar of the screens this user may open, and the page. */
export function AdminLayout(
  props: { state: State; path: string; roles: readonly Role[]; children: ComponentChildren },
) {
  // routes/admin/_layout.tsx already frames every admin page: a page that wraps itself too
  // renders just its content.
  if (useContext(InsideAdmin)) return <>{props.children}</>;
  const { lang } = props.state;
  const items = ADMIN_NAV.filter((i) => can(props.roles, i.permission));
  const active = (href: string) =>
    href === "/admin" ? props.path === "/admin" : props.path.startsWith(href);
  const label = (i: (typeof items)[number]) => (lang === "bn" ? i.bn : i.en);
  // The screen open now: the longest matching link (so "/admin" does not shadow the others).
  const here = items.filter((i) => active(i.href)).sort((a, b) => b.href.length - a.href.length)[0];
  const current = here ? label(here) : null;
  const list = (cls: string) => (
    <ul class={cls}>
      {items.map((i) => (
        <li>
          <a
            href={i.href}
            class={`block rounded px-2 py-1 ${
              active(i.href) ? "bg-brand-600" : "hover:bg-brand-700"
            }`}
            aria-current={active(i.href) ? "page" : undefined}
          >
            {label(i)}
          </a>
        </li>
      ))}
    </ul>
  );
  return (
    <InsideAdmin.Provider value>
      <div class="relative min-h-screen flex flex-col md:flex-row bg-gray-50 text-gray-900">
        <nav class="md:w-56 bg-brand-900 text-white p-3 text-sm" aria-label="Admin">
          {/* On a phone: the name and a menu button (a <details>, no script) with the screens. */}
          <div class="md:hidden flex items-center justify-between gap-3">
            <a href="/admin" class="text-lg font-bold">Smart Dairy</a>
            <details class="group">
              <summary class="flex items-center gap-2 rounded px-3 py-2 bg-brand-700 cursor-pointer list-none [&::-webkit-details-marker]:hidden">
                <svg
                  viewBox="0 0 24 24"
                  class="w-5 h-5"
                  fill="none"
                  stroke="currentColor"
                  stroke-width="2"
                  stroke-linecap="round"
                  aria-hidden="true"
                >
                  <path d="M4 6h16M4 12h16M4 18h16" />
                </svg>
                {lang === "bn" ? "মেনু" : "Menu"}
                {current && <span class="sr-only">: {current}</span>}
              </summary>
              <div class="absolute z-30 left-0 right-0 mt-3 bg-brand-900 px-3 pb-3 shadow-lg max-h-[75vh] overflow-y-auto">
                {list("grid grid-cols-2 gap-1")}
              </div>
            </details>
          </div>
          <div class="hidden md:block">
            <a href="/admin" class="block text-lg font-bold mb-3">Smart Dairy</a>
            {list("block")}
          </div>
        </nav>
        <main id="main" class="flex-1 p-4 md:p-6 overflow-x-auto">{props.children}</main>
      </div>
    </InsideAdmin.Provider>
  );
}
