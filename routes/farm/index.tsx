import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { ServiceWorker } from "@/components/ServiceWorker.tsx";

export const handler: Handlers<unknown, State> = {
  GET(ctx) {
    ctx.state.title = `${ctx.state.t.farm.title} — ${ctx.state.t.site.name}`;
    return {};
  },
};

/** The staff PWA's start page (the manifest's start_url). */
export default function FarmHome({ state, nonce }: PageProps<unknown, State>) {
  const { t } = state;
  return (
    <main class="max-w-md mx-auto p-4">
      <h1 class="text-2xl font-bold text-brand-700 mb-2">{t.farm.title}</h1>
      <p class="mb-4 text-gray-800">{t.farm.intro}</p>
      <p class="mb-4">{t.farm.signInPrompt}</p>
      <a href="/signin?next=/farm" class="inline-block rounded bg-brand-600 text-white px-4 py-2">
        {t.nav.signIn}
      </a>
      <p class="mt-6 text-sm text-gray-600">{t.farm.install}</p>
      <ServiceWorker nonce={nonce} />
    </main>
  );
}
