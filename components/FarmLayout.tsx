/**
 * The staff PWA's frame: a slim header (app name, language, sign out) and a navigation row that
 * scrolls sideways on a phone, opening with the current tab in view. Only the links the user may open are shown. Ships no script.
 */
import type { ComponentChildren } from "preact";
import { can } from "@/services/identity/roles.ts";
import type { Permission } from "@/services/identity/roles.ts";
import type { State } from "@/state.ts";
import type { FarmMessages } from "@/services/farm/mod.ts";

const LINKS: [string, keyof FarmMessages["nav"], Permission][] = [
  ["/farm", "home", "farm.record"],
  ["/farm/animals", "herd", "farm.record"],
  ["/farm/milk", "milk", "farm.record"],
  ["/farm/calendar", "calendar", "farm.record"],
  ["/farm/health", "health", "farm.record"],
  ["/farm/feed", "feed", "farm.record"],
  ["/farm/dashboard", "dashboard", "farm.manage"],
  ["/farm/live", "live", "iot.view"],
  ["/farm/settings", "settings", "farm.manage"],
  // Managers and vets (medicines); farm managers hold farm.health too.
  ["/farm/manage", "manage", "farm.health"],
];

export function FarmLayout(
  props: { state: State; path: string; csrf: string | null; children: ComponentChildren },
) {
  const { state } = props;
  const m = state.t.farm;
  const user = state.user;
  const other = state.lang === "en" ? "bn" : "en";
  const active = (href: string) =>
    href === "/farm"
      ? props.path === "/farm"
      : props.path === href || props.path.startsWith(href + "/");
  return (
    <div class="min-h-screen flex flex-col bg-gray-50 text-gray-900">
      <header class="bg-brand-900 text-white">
        <div class="max-w-3xl mx-auto px-3 py-2 flex items-center gap-3">
          <a href="/farm" class="font-bold">{m.app}</a>
          <span class="ml-auto text-xs truncate max-w-[40%]" title={user?.displayName}>
            {user?.displayName}
          </span>
          <a
            href={`/lang?to=${other}&next=${encodeURIComponent(props.path)}`}
            hreflang={other}
            class="text-sm underline"
          >
            {state.t.lang.switchTo}
          </a>
          {user && props.csrf && (
            <form method="post" action="/signout" class="m-0">
              <input type="hidden" name="_csrf" value={props.csrf} />
              <button type="submit" class="text-sm underline">{m.nav.signOut}</button>
            </form>
          )}
        </div>
        {user && (
          <nav aria-label={m.app} class="bg-brand-700">
            {/* The current tab starts in view (scroll-initial-target, CSS only); swipes stop on tabs. */}
            <ul class="max-w-3xl mx-auto px-2 flex gap-1 overflow-x-auto whitespace-nowrap text-sm snap-x scroll-px-2">
              {LINKS.filter(([, , p]) => can(user.roles, p)).map(([href, key]) => (
                <li
                  class={`snap-start ${active(href) ? "[scroll-initial-target:nearest]" : ""}`}
                >
                  <a
                    href={href}
                    class={`block px-2 py-2 ${
                      active(href) ? "font-semibold border-b-2 border-white" : "text-brand-100"
                    }`}
                    aria-current={active(href) ? "page" : undefined}
                  >
                    {m.nav[key]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" class="flex-1 w-full max-w-3xl mx-auto px-3 py-4">{props.children}</main>
    </div>
  );
}
