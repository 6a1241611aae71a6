import type { Handlers, PageProps, RouteConfig } from "@/framework/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import type { DeliveryArea, DeliverySlot } from "@/services/site/mod.ts";
import type { State } from "@/state.ts";
import { SiteLayout } from "@/components/SiteLayout.tsx";

export const config: RouteConfig = { cache: true };

interface Data {
  areas: DeliveryArea[];
  slots: DeliverySlot[];
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    ctx.state.title = `${ctx.state.t.delivery.title} — ${ctx.state.t.site.name}`;
    const site = ctx.state.deps.site;
    return { data: { areas: await site.deliveryAreas(), slots: await site.deliverySlots() } };
  },
};

export default function Delivery({ data, state, url }: PageProps<Data, State>) {
  const { t, lang } = state;
  return (
    <SiteLayout state={state} path={url.pathname}>
      <h1 class="text-3xl font-bold mb-3">{t.delivery.title}</h1>
      <p class="mb-4">{t.delivery.intro}</p>
      <h2 class="text-xl font-semibold mb-2">{t.delivery.slots}</h2>
      <ul class="mb-6 list-disc pl-5" data-slots>
        {data.slots.map((s) => (
          <li>
            <strong>{lang === "bn" ? s.nameBn : s.nameEn}</strong>
            {" — "}
            {t.delivery.orderBy(s.cutoffTime, s.cutoffDaysBefore)}
            {s.extraFeeMinor > 0 && (
              <>{" · "}{t.delivery.extraFee(formatTaka(s.extraFeeMinor, lang))}</>
            )}
          </li>
        ))}
      </ul>
      <table class="w-full bg-white border border-gray-200 rounded text-left">
        <thead class="bg-brand-50">
          <tr>
            <th class="p-2">{t.delivery.area}</th>
            <th class="p-2">{t.delivery.fee}</th>
            <th class="p-2">{t.delivery.minimum}</th>
          </tr>
        </thead>
        <tbody>
          {data.areas.map((z) => (
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
