import type { ComponentChildren } from "preact";
import type { IdentityMessages } from "@/services/identity/messages.ts";
import type { State } from "@/state.ts";
import { SiteLayout } from "./SiteLayout.tsx";

/** Tabs between the account pages. */
export function AccountNav(props: { m: IdentityMessages; path: string }) {
  const { m } = props;
  const items: [string, string][] = [
    ["/account", m.account.title],
    ["/account/sessions", m.account.sessions],
    ["/account/password", m.account.password],
    ["/account/two-factor", m.account.twoFactor],
    ["/account/passkeys", m.passkeys.title],
    ["/account/privacy", m.account.privacy],
  ];
  return (
    <nav aria-label={m.account.title} class="flex flex-wrap gap-2 mb-5 text-sm">
      {items.map(([href, label]) => (
        <a
          href={href}
          aria-current={props.path === href ? "page" : undefined}
          class={props.path === href
            ? "rounded-full bg-brand-600 text-white px-3 py-1"
            : "rounded-full bg-white border border-gray-300 text-gray-800 px-3 py-1 hover:border-brand-600"}
        >
          {label}
        </a>
      ))}
    </nav>
  );
}

/** An account page: the site's frame, the page's title and the tabs between the account pages. */
export function AccountPage(
  props: { state: State; path: string; title: string; children: ComponentChildren },
) {
  return (
    <SiteLayout state={props.state} path={props.path}>
      <h1 class="text-3xl font-bold mb-3">{props.title}</h1>
      <AccountNav m={props.state.t.identity} path={props.path} />
      {props.children}
    </SiteLayout>
  );
}
