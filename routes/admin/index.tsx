import type { Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { toBanglaDigits } from "@/services/i18n/mod.ts";
import { FigureCard, FigureGrid } from "@/components/FigureCard.tsx";
import { type Dashboard, loadDashboard } from "./(_admin)/dashboard.ts";
import { dashboardText } from "./(_admin)/dashboard_text.ts";

/**
 * The back office's home page: the management dashboard. Today's figures (Dhaka day of the
 * injected clock) from each context's door, asked at once; each figure links to its screen and is
 * shown only to those who may open it.
 */
export const handler: Handlers<Dashboard, State> = {
  async GET(ctx) {
    const me = requirePermission(ctx, "admin.access");
    const m = ctx.state.t.identity.admin;
    ctx.state.title = `${m.dashboard} — ${ctx.state.t.site.name}`;
    const data = await loadDashboard(ctx.state.deps, me.roles, ctx.state.lang, {
      staff: m.staff,
      customers: m.customers,
      outboxQueued: m.outboxQueued,
      auditEntries: m.auditEntries,
    });
    return { data };
  },
};

export default function DashboardPage({ data, state }: PageProps<Dashboard, State>) {
  const m = state.t.identity.admin;
  const d = dashboardText[state.lang];
  const digits = (s: string) => (state.lang === "bn" ? toBanglaDigits(s) : s);
  return (
    <>
      <h1 class="text-2xl font-bold mb-1">{m.dashboard}</h1>
      <p class="mb-4 text-gray-700">
        {m.welcome(state.user?.displayName ?? "")}{" "}
        <span class="text-sm text-gray-600" data-asof>
          {d.intro} {digits(data.time)}, {digits(data.day)}
        </span>
      </p>
      {data.sections.length === 0 && <p class="text-gray-700">{d.nothing}</p>}
      {data.sections.map((s) => (
        <section class="mb-6" data-section={s.id} aria-labelledby={`dash-${s.id}`}>
          <h2 id={`dash-${s.id}`} class="text-lg font-semibold mb-2">{s.title}</h2>
          <FigureGrid>
            {s.cards.map((c) => (
              <li>
                <FigureCard {...c} />
              </li>
            ))}
          </FigureGrid>
          {s.note && <p class="text-xs text-gray-600 mt-2">{s.note}</p>}
        </section>
      ))}
    </>
  );
}
