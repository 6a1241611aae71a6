import type { Handlers, PageProps, RouteConfig } from "@/framework/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import type { DeliveryZone } from "@/services/shop/mod.ts";
import type { State } from "@/state.ts";
import { SiteLayout } from "@/components/SiteLayout.tsx";

export const config: RouteConfig = { cache: true };

export const handler: Handlers<DeliveryZone[], State> = {
  async GET(ctx) {
    ctx.state.title = `${ctx.state.t.delivery.title} — ${ctx.state.t.site.name}`;
    return { data: await ctx.state.deps.shop.activeZones() };
  },
};

export default function Delivery({ data, state, url }: PageProps<DeliveryZone[], State>) {
  const { t, lang } = state;
  return (
    <SiteLayout state={state} path={url.pathname}>
      <h1 class="text-3xl font-bold mb-3">{t.delivery.title}</h1>
      <p class="mb-6">{t.delivery.intro}</p>
      <table class="w-full bg-white border border-gray-200 rounded text-left">
        <thead class="bg-brand-50">
          <tr>
            <th class="p-2">{t.delivery.area}</th>
            <th class="p-2">{t.delivery.fee}</th>
            <th class="p-2">{t.delivery.minimum}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((z) => (
            <tr class="border-t border-gray-200">
              <td class="p-2">{lang === "bn" ? z.nameBn : z.nameEn}</td>
              <td class="p-2">{formatTaka(z.feeMinor, lang)}</td>
              <td class="p-2">{formatTaka(z.minOrderMinor, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </SiteLayout>
  );
}
