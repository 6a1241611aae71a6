import type { PageProps, RouteConfig } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

export const config: RouteConfig = { cache: true };

/** Shown by the service worker when a page cannot be loaded without a connection. */
export default function Offline({ state }: PageProps<unknown, State>) {
  const { t } = state;
  return (
    <main class="max-w-md mx-auto p-6 text-center">
      <h1 class="text-2xl font-bold mb-3">{t.offline.title}</h1>
      <p class="text-gray-700 mb-4">{t.offline.text}</p>
      <a href="/farm" class="text-brand-700 underline">{t.farm.title}</a>
    </main>
  );
}
