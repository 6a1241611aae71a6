import type { PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { StaffAppLayout } from "@/components/StaffAppLayout.tsx";
import { can, type Permission } from "@/services/identity/mod.ts";
import type { FarmMessages } from "@/services/farm/mod.ts";
import { layoutCsrf } from "@/routes/farm/(_farm)/farm.ts";

/** The farm app's tabs; each shown only to those who may open it. */
const TABS: [string, keyof FarmMessages["nav"], Permission][] = [
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

export default function Layout({ Component, state, url }: PageProps<unknown, State>) {
  const m = state.t.farm;
  const roles = state.user?.roles ?? [];
  return (
    <StaffAppLayout
      state={state}
      path={url.pathname}
      csrf={layoutCsrf.get(state) ?? null}
      app={{ href: "/farm", label: m.app }}
      tabs={TABS.filter(([, , p]) => can(roles, p)).map(([href, key]) => ({
        href,
        label: m.nav[key],
      }))}
    >
      <Component />
    </StaffAppLayout>
  );
}
