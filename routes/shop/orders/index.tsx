import type { Handlers, PageProps } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import type { OrderSummary } from "@/services/shop/mod.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { ShopStatusBadge } from "@/components/ShopStatusBadge.tsx";
import { dateLabel, msgs, num, type ShopState } from "../(_lib)/web.ts";

type Row = OrderSummary & { itemCount: number };

export const handler: Handlers<Row[], ShopState> = {
  async GET(ctx) {
    const user = assertSignedIn(ctx);
    ctx.state.title = `${msgs(ctx).orders.title} — ${ctx.state.t.site.name}`;
    const withUnpaidCancelled = ctx.url.searchParams.get("cancelled") === "1";
    return { data: await ctx.state.deps.shop.ordersOf(user.id, { withUnpaidCancelled }) };
  },
};

export default function Orders({ data, state, url }: PageProps<Row[], ShopState>) {
  const { lang } = state;
  const t = msgs({ state });
  const all = url.searchParams.get("cancelled") === "1";
  return (
    <ShopLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-4">{t.orders.title}</h1>
      {data.length === 0
        ? (
          <p class="bg-white border rounded p-4">
            {t.orders.none} <a href="/shop" class="text-brand-700 underline">{t.cart.continue}</a>
          </p>
        )
        : (
          <ul class="space-y-3" data-testid="order-list">
            {data.map((o) => (
              <li class="bg-white border border-gray-200 rounded-lg p-3 flex flex-wrap gap-x-4 gap-y-1 items-center">
                <a href={`/shop/orders/${o.number}`} class="font-semibold text-brand-700 underline">
                  {o.number}
                </a>
                <ShopStatusBadge status={o.status} label={t.orders.statuses[o.status]} />
                <span class="text-sm text-gray-700">
                  {t.orders.delivery}: {dateLabel(o.deliveryDate, lang)}
                </span>
                <span class="text-sm text-gray-700">{num(t.orders.items(o.itemCount), lang)}</span>
                <span class="ml-auto font-semibold">{formatTaka(o.totalMinor, lang)}</span>
              </li>
            ))}
          </ul>
        )}
      <p class="mt-4 text-sm">
        <a
          href={all ? "/shop/orders" : "/shop/orders?cancelled=1"}
          class="text-brand-700 underline"
        >
          {all ? t.orders.hideCancelled : t.orders.showCancelled}
        </a>
      </p>
    </ShopLayout>
  );
}
