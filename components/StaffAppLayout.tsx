/**
 * The staff phone apps' frame (farm /farm…, rider /rider, field sales /field): a slim header (the
 * app's name, who is signed in, language, sign out) and, when given, a navigation row that
 * scrolls sideways on a phone, opening with the current tab in view. Ships no script.
 */
import type { ComponentChildren } from "preact";
import type { State } from "@/state.ts";
import { PostForm } from "./ui.tsx";

export interface StaffAppTab {
  href: string;
  label: string;
}

export function StaffAppLayout(
  props: {
    state: State;
    path: string;
    /** The page's CSRF token, for the sign-out button (none: no button). */
    csrf: string | null;
    /** The app's name and home page. */
    app: StaffAppTab;
    /** The tabs this user may open (none: no navigation row). */
    tabs?: StaffAppTab[];
    children: ComponentChildren;
  },
) {
  const { state, app, tabs = [] } = props;
  const user = state.user;
  const other = state.lang === "en" ? "bn" : "en";
  const active = (href: string) =>
    href === app.href
      ? props.path === app.href
      : props.path === href || props.path.startsWith(href + "/");
  return (
    <div class="min-h-screen flex flex-col bg-gray-50 text-gray-900">
      <header class="bg-brand-900 text-white">
        <div class="max-w-3xl mx-auto px-3 py-2 flex items-center gap-3">
          <a href={app.href} class="font-bold">{app.label}</a>
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
            <PostForm action="/signout" class="m-0" csrf={props.csrf}>
              <button type="submit" class="text-sm underline">{state.t.farm.nav.signOut}</button>
            </PostForm>
          )}
        </div>
        {user && tabs.length > 0 && (
          <nav aria-label={app.label} class="bg-brand-700">
            {/* The current tab starts in view (scroll-initial-target, CSS only); swipes stop on tabs. */}
            <ul class="max-w-3xl mx-auto px-2 flex gap-1 overflow-x-auto whitespace-nowrap text-sm snap-x scroll-px-2">
              {tabs.map(({ href, label }) => (
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
                    {label}
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
