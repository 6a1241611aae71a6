import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { SubscriptionRow } from "@/services/shop/mod.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { dateLabel, msgs, num, type ShopState } from "../(_lib)/web.ts";
import { ShopButtonLink } from "@/components/ShopButtons.tsx";

type Row = SubscriptionRow;

export const handler: Handlers<Row[], ShopState> = {
  async GET(ctx) {
    const t = msgs(ctx);
    ctx.state.title = `${t.subs.title} — ${ctx.state.t.site.name}`;
    ctx.state.description = t.subs.description;
    const user = ctx.state.user;
    return { data: user ? await ctx.state.deps.shop.subscriptionsOf(user.id) : [] };
  },
};

export default function Subscriptions({ data, state, url }: PageProps<Row[], ShopState>) {
  const t = msgs({ state });
  const { lang } = state;
  return (
    <ShopLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-2">{t.subs.title}</h1>
      <p class="mb-4 text-gray-800">{t.subs.intro}</p>
      {data.length === 0 && state.user && <p class="mb-4">{t.subs.none}</p>}
      <ul class="space-y-3 mb-4">
        {data.map((s) => (
          <li class="bg-white border rounded-lg p-3 flex flex-wrap gap-3 items-center">
            <span class="font-semibold">{t.subs.status[s.status]}</span>
            <span class="text-sm">{t.subs.startDate}: {dateLabel(s.startDate, lang)}</span>
            <span class="text-sm">
              {num(s.weeklyUnits, lang)} / {lang === "bn" ? "সপ্তাহ" : "week"}
            </span>
            <a href={`/shop/subscriptions/${s.id}`} class="ml-auto text-brand-700 underline">
              {t.subs.view}
            </a>
          </li>
        ))}
      </ul>
      <ShopButtonLink
        href="/shop/subscriptions/new"
        primary
        class="inline-block py-2"
        testId="new-subscription"
      >
        {t.subs.create}
      </ShopButtonLink>
    </ShopLayout>
  );
}
