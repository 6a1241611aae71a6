import type { Handlers, PageProps, RouteConfig } from "@/framework/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import type { DeliveryArea } from "@/services/site/mod.ts";
import type { State } from "@/state.ts";
import { SiteLayout } from "@/components/SiteLayout.tsx";

export const config: RouteConfig = { cache: true };

interface Data {
  zones: DeliveryArea[];
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    ctx.state.title = ctx.state.t.home.title;
    return { data: { zones: await ctx.state.deps.site.deliveryAreas() } };
  },
};

export default function Home({ data, state, url }: PageProps<Data, State>) {
  const { t, lang } = state;
  return (
    <SiteLayout state={state} path={url.pathname}>
      <section class="rounded-lg bg-brand-700 text-white px-6 py-10 mb-8">
        <h1 class="text-3xl font-bold mb-3">{t.home.heroTitle}</h1>
        <p class="text-lg mb-6 max-w-2xl">{t.home.heroText}</p>
        <a
          href="/shop"
          class="inline-block rounded bg-white text-brand-700 font-semibold px-4 py-2"
        >
          {t.home.heroCta}
        </a>
      </section>
      <section class="mb-8">
        <h2 class="text-2xl font-semibold mb-3">{t.home.productsTitle}</h2>
        <ul class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {t.home.products.map((p) => (
            <li class="rounded-lg bg-white border border-gray-200 p-4">
              <h3 class="font-semibold text-brand-700">{p.name}</h3>
              <p class="text-sm text-gray-700">{p.text}</p>
            </li>
          ))}
        </ul>
      </section>
      <section class="mb-8 grid gap-6 md:grid-cols-2">
        <div>
          <h2 class="text-2xl font-semibold mb-3">{t.home.storyTitle}</h2>
          {t.home.story.map((p) => <p class="mb-3 text-gray-800">{p}</p>)}
        </div>
        <div>
          <h2 class="text-2xl font-semibold mb-3">{t.home.areasTitle}</h2>
          <p class="mb-3 text-gray-800">{t.home.areasText}</p>
          <ul class="flex flex-wrap gap-2 mb-3">
            {data.zones.map((z) => (
              <li class="rounded-full bg-brand-100 text-brand-900 text-sm px-3 py-1">
                {lang === "bn" ? z.nameBn : z.nameEn}{" "}
                <span class="text-gray-600">({formatTaka(z.feeMinor, lang)})</span>
              </li>
            ))}
          </ul>
          <a href="/delivery" class="text-brand-700 underline">{t.home.areasCta}</a>
        </div>
      </section>
    </SiteLayout>
  );
}
