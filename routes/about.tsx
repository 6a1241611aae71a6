import type { Handlers, PageProps, RouteConfig } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { SiteLayout } from "@/components/SiteLayout.tsx";

export const config: RouteConfig = { cache: true };

export const handler: Handlers<unknown, State> = {
  GET(ctx) {
    ctx.state.title = `${ctx.state.t.about.title} — ${ctx.state.t.site.name}`;
    return {};
  },
};

export default function About({ state, url }: PageProps<unknown, State>) {
  const { t } = state;
  return (
    <SiteLayout state={state} path={url.pathname}>
      <h1 class="text-3xl font-bold mb-3">{t.about.title}</h1>
      <p class="text-lg mb-6">{t.about.intro}</p>
      <div class="grid gap-4 md:grid-cols-3">
        {t.about.sections.map((s) => (
          <section class="rounded-lg bg-white border border-gray-200 p-4">
            <h2 class="text-xl font-semibold text-brand-700 mb-2">{s.title}</h2>
            <p class="text-gray-800">{s.text}</p>
          </section>
        ))}
      </div>
    </SiteLayout>
  );
}
