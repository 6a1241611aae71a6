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
  return (
    <InsideAdmin.Provider value>
      <div class="min-h-screen flex flex-col md:flex-row bg-gray-50 text-gray-900">
        <nav class="md:w-56 bg-brand-900 text-white p-3 text-sm" aria-label="Admin">
          <a href="/admin" class="block text-lg font-bold mb-3">Smart Dairy</a>
          <ul class="flex flex-wrap md:block gap-2">
            {items.map((i) => (
              <li>
                <a
                  href={i.href}
                  class={`block rounded px-2 py-1 ${
                    active(i.href) ? "bg-brand-600" : "hover:bg-brand-700"
                  }`}
                  aria-current={active(i.href) ? "page" : undefined}
                >
                  {lang === "bn" ? i.bn : i.en}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" class="flex-1 p-4 md:p-6 overflow-x-auto">{props.children}</main>
      </div>
    </InsideAdmin.Provider>
  );
}
