import type { PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { SiteLayout } from "@/components/SiteLayout.tsx";

export default function NotFound({ state, url }: PageProps<unknown, State>) {
  const { t } = state;
  return (
    <SiteLayout state={state} path={url.pathname}>
      <h1 class="text-3xl font-bold mb-3">{t.errors.notFoundTitle}</h1>
      <p class="mb-4">{t.errors.notFoundText}</p>
      <a href="/" class="text-brand-700 underline">{t.errors.back}</a>
    </SiteLayout>
  );
}
