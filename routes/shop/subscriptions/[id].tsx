import { type Handlers, HttpError, type PageProps } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import {
  type CalendarDay,
  packLabel,
  type Subscription,
  type VariantInfo,
} from "@/services/shop/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { QuantityGrid, readItems } from "../(_lib)/subs.tsx";
import {
  dateLabel,
  field,
  msgs,
  num,
  type ShopCtx,
  shopErrorText,
  type ShopState,
} from "../(_lib)/web.ts";
import { ShopPostButton } from "@/components/ShopButtons.tsx";

interface Data {
  sub: Subscription;
  days: CalendarDay[];
  variants: Record<number, VariantInfo>;
  choices: VariantInfo[];
  csrf: string;
  error: string | null;
  saved: boolean;
}

async function own(ctx: ShopCtx): Promise<Subscription> {
  const user = assertSignedIn(ctx);
  const sub = await ctx.state.deps.shop.subscription(ctx.params.id);
  if (!sub || sub.userId !== user.id) throw new HttpError(404);
  return sub;
}

async function render(ctx: ShopCtx, error: string | null, status = 200) {
  const sub = await own(ctx);
  const shop = ctx.state.deps.shop;
  const choices = await shop.subscribableVariants();
  const used = await shop.variantsByIds(sub.items.map((i) => i.variantId));
  ctx.state.title = `${msgs(ctx).subs.title} — ${ctx.state.t.site.name}`;
  return {
    status,
    data: {
      sub,
      days: await shop.calendar(sub, 14),
      variants: Object.fromEntries([...used].map(([k, v]) => [k, v])),
      choices,
      csrf: await ctx.csrfToken(),
      error,
      saved: ctx.url.searchParams.has("saved"),
    },
  };
}

export const handler: Handlers<Data, ShopState> = {
  GET(ctx) {
    return render(ctx, null);
  },
  async POST(ctx) {
    const user = assertSignedIn(ctx);
    const sub = await own(ctx);
    const shop = ctx.state.deps.shop;
    const f = ctx.form;
    const here = `/shop/subscriptions/${sub.id}`;
    try {
      switch (field(f, "action")) {
        case "skip":
          await shop.skipDate(user.id, sub.id, field(f, "date"));
          break;
        case "unskip":
          await shop.unskipDate(user.id, sub.id, field(f, "date"));
          break;
        case "pause":
          await shop.addPause(
            user.id,
            sub.id,
            field(f, "from"),
            field(f, "to") || field(f, "from"),
          );
          break;
        case "unpause":
          await shop.removePause(user.id, sub.id, Number(field(f, "pauseId")));
          break;
        case "items":
          await shop.updateItems(user.id, sub.id, readItems(f, await shop.subscribableVariants()));
          break;
        case "cancel":
          await shop.cancelSubscription(user.id, sub.id);
          break;
        default:
          return ctx.redirect(here);
      }
    } catch (e) {
      const text = shopErrorText(ctx, e);
      if (text === null) throw e;
      return await render(ctx, text, 409);
    }
    return ctx.redirect(`${here}?saved=1`);
  },
};

export default function SubscriptionPage({ data, state, url }: PageProps<Data, ShopState>) {
  const t = msgs({ state });
  const { lang } = state;
  const s = data.sub;
  const active = s.status === "active";
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  const stateLabel = (d: CalendarDay) =>
    d.state === "paused"
      ? t.subs.paused
      : d.state === "skipped"
      ? t.subs.skipped
      : d.state === "delivery"
      ? ""
      : t.subs.noDelivery;
  return (
    <ShopLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-1">{t.subs.title}</h1>
      <p class="mb-4 text-gray-700">
        {t.subs.status[s.status]} · {t.subs.billings[s.billing]}
      </p>
      {data.saved && (
        <p role="status" class="rounded bg-green-100 text-green-900 p-3 mb-4">{t.subs.saved}</p>
      )}
      {data.error && (
        <p role="alert" class="rounded bg-red-100 text-red-900 p-3 mb-4">{data.error}</p>
      )}
      {!active && <p class="rounded bg-gray-200 p-3 mb-4">{t.subs.cancelled}</p>}
      <section class="mb-6">
        <h2 class="text-xl font-semibold mb-2">{t.subs.calendar}</h2>
        <ol class="grid gap-2 grid-cols-2 sm:grid-cols-4 lg:grid-cols-7" data-testid="sub-calendar">
          {data.days.map((d) => (
            <li
              class={`rounded-lg border p-2 text-sm ${
                d.state === "delivery"
                  ? "bg-white border-brand-600"
                  : "bg-gray-100 border-gray-200 text-gray-600"
              }`}
              data-date={d.date}
              data-state={d.state}
            >
              <p class="font-semibold">{dateLabel(d.date, lang)}</p>
              {d.state === "delivery"
                ? (
                  <ul>
                    {d.items.map((i) => {
                      const v = data.variants[i.variantId];
                      return (
                        <li>
                          {num(i.qty, lang)} × {v
                            ? `${lang === "bn" ? v.nameBn : v.nameEn} ${
                              packLabel(v.packQty, v.unit, lang)
                            }`
                            : ""}
                        </li>
                      );
                    })}
                  </ul>
                )
                : <p>{stateLabel(d)}</p>}
              {d.run?.orderNumber && (
                <a
                  class="text-brand-700 underline text-xs"
                  href={`/shop/orders/${d.run.orderNumber}`}
                >
                  {d.run.orderNumber}
                </a>
              )}
              {d.locked
                ? <p class="text-xs text-gray-500">{t.subs.locked}</p>
                : active && (d.state === "delivery" || d.state === "skipped") && (
                  <ShopPostButton
                    formClass="mt-1"
                    csrf={csrf}
                    fields={{ action: d.state === "skipped" ? "unskip" : "skip", date: d.date }}
                    class="text-xs underline text-brand-700"
                    testId={`skip-${d.date}`}
                  >
                    {d.state === "skipped" ? t.subs.unskip : t.subs.skip}
                  </ShopPostButton>
                )}
            </li>
          ))}
        </ol>
      </section>
      {active && (
        <div class="grid gap-4 md:grid-cols-2">
          <section class="bg-white border rounded-lg p-4">
            <h2 class="font-semibold mb-2">{t.subs.pause}</h2>
            <form method="post" class="flex flex-wrap gap-2 items-end text-sm mb-3">
              {csrf}
              <input type="hidden" name="action" value="pause" />
              <label class="flex flex-col">
                {t.subs.pauseFrom}
                <input
                  type="date"
                  name="from"
                  required
                  min={data.days.find((d) => !d.locked)?.date}
                  class="rounded border border-gray-300 px-2 py-1"
                />
              </label>
              <label class="flex flex-col">
                {t.subs.pauseTo}
                <input
                  type="date"
                  name="to"
                  required
                  class="rounded border border-gray-300 px-2 py-1"
                />
              </label>
              <button type="submit" class="rounded bg-brand-600 text-white px-3 py-1">
                {t.subs.pauseSave}
              </button>
            </form>
            {s.pauses.length > 0 && (
              <ul class="text-sm">
                {s.pauses.map((p) => (
                  <li class="flex gap-2 items-center border-t py-1">
                    {dateLabel(p.from, lang)} – {dateLabel(p.to, lang)}
                    <ShopPostButton
                      formClass="ml-auto"
                      csrf={csrf}
                      fields={{ action: "unpause", pauseId: p.id }}
                      class="text-xs underline text-red-700"
                    >
                      {t.subs.removePause}
                    </ShopPostButton>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section class="bg-white border rounded-lg p-4">
            <h2 class="font-semibold mb-2">{t.subs.edit}</h2>
            <form method="post">
              {csrf}
              <input type="hidden" name="action" value="items" />
              <QuantityGrid variants={data.choices} items={s.items} t={t} lang={lang} />
              <button type="submit" class="mt-3 rounded bg-brand-600 text-white px-3 py-2">
                {t.subs.save}
              </button>
            </form>
          </section>
        </div>
      )}
      {active && (
        <details class="mt-6 text-sm">
          <summary class="cursor-pointer text-red-700">{t.subs.cancelSub}</summary>
          <ShopPostButton
            formClass="mt-2"
            csrf={csrf}
            fields={{ action: "cancel" }}
            class="rounded bg-red-700 text-white px-3 py-2"
          >
            {t.subs.cancelSub}
          </ShopPostButton>
        </details>
      )}
      <p class="hidden">{formatTaka(0, lang)}</p>
    </ShopLayout>
  );
}
