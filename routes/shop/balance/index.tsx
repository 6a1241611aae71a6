import type { Handlers, PageProps } from "@/framework/mod.ts";
import { PostForm } from "@/components/ui.tsx";
import { assertSignedIn } from "@/plugins/session.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { type BalanceEntry, takaSchema } from "@/services/shop/mod.ts";
import { isOnlineMethod, ONLINE_METHODS, type OnlineMethod } from "@/services/payments/mod.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { clientIp, dhakaStamp, field, msgs, type ShopCtx, type ShopState } from "../(_lib)/web.ts";

interface Data {
  balanceMinor: number;
  entries: BalanceEntry[];
  methods: OnlineMethod[];
  csrf: string;
  error: string | null;
  amount: string;
}

async function render(ctx: ShopCtx, error: string | null, amount = "500", status = 200) {
  const user = assertSignedIn(ctx);
  const shop = ctx.state.deps.shop;
  const offered = shop.offeredMethods(true);
  ctx.state.title = `${msgs(ctx).balance.title} — ${ctx.state.t.site.name}`;
  return {
    status,
    data: {
      balanceMinor: await shop.balance(user.id),
      entries: await shop.balanceEntries(user.id),
      methods: ONLINE_METHODS.filter((m) => offered.includes(m)),
      csrf: await ctx.csrfToken(),
      error,
      amount,
    },
  };
}

export const handler: Handlers<Data, ShopState> = {
  GET(ctx) {
    return render(ctx, null);
  },
  async POST(ctx) {
    const user = assertSignedIn(ctx);
    const t = msgs(ctx);
    const amountText = field(ctx.form, "amount");
    const method = field(ctx.form, "method");
    const amount = takaSchema.safeParse(amountText);
    if (!amount.success || amount.data < 10_000 || amount.data > 5_000_000) {
      return await render(ctx, t.balance.amountError, amountText, 422);
    }
    const shop = ctx.state.deps.shop;
    if (!isOnlineMethod(method) || !shop.offeredMethods(true).includes(method)) {
      return await render(ctx, t.balance.noOnline, amountText, 422);
    }
    const paymentId = await shop.topUp(user.id, method, amount.data, { clientIp: clientIp(ctx) });
    if (!paymentId) {
      return await render(ctx, msgs(ctx).pay.failed, amountText, 502);
    }
    return ctx.redirect(`/shop/balance/pay?p=${paymentId}`);
  },
};

export default function Balance({ data, state, url }: PageProps<Data, ShopState>) {
  const t = msgs({ state });
  const { lang } = state;
  const topup = url.searchParams.get("topup");
  return (
    <ShopLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-3">{t.balance.title}</h1>
      {topup === "ok" && (
        <p role="status" class="rounded bg-green-100 text-green-900 p-3 mb-4">{t.balance.done}</p>
      )}
      {topup && topup !== "ok" && (
        <p role="alert" class="rounded bg-amber-100 text-amber-900 p-3 mb-4">
          {topup === "pending" ? t.orders.payPending : t.orders.payFailed}
        </p>
      )}
      {data.error && (
        <p role="alert" class="rounded bg-red-100 text-red-900 p-3 mb-4">{data.error}</p>
      )}
      <p class="text-lg mb-4">
        {t.balance.current}:{" "}
        <span class="font-bold" data-testid="balance">{formatTaka(data.balanceMinor, lang)}</span>
      </p>
      <div class="grid gap-4 md:grid-cols-2">
        <PostForm csrf={data.csrf} class="bg-white border rounded-lg p-4">
          <h2 class="font-semibold mb-2">{t.balance.topup}</h2>
          {data.methods.length === 0 ? <p>{t.balance.noOnline}</p> : (
            <>
              <label class="block text-sm mb-2">
                {t.balance.amount}
                <input
                  name="amount"
                  value={data.amount}
                  inputmode="decimal"
                  class="block w-full rounded border border-gray-300 px-3 py-2"
                />
              </label>
              <fieldset class="text-sm mb-3">
                <legend class="mb-1">{t.balance.method}</legend>
                {data.methods.map((m, i) => (
                  <label class="flex gap-2 items-center">
                    <input type="radio" name="method" value={m} checked={i === 0} />{" "}
                    {t.checkout.methods[m]}
                  </label>
                ))}
              </fieldset>
              <button type="submit" class="rounded bg-brand-600 text-white font-semibold px-4 py-2">
                {t.balance.go}
              </button>
            </>
          )}
        </PostForm>
        <section class="bg-white border rounded-lg p-4 text-sm">
          <h2 class="font-semibold mb-2">{t.balance.history}</h2>
          {data.entries.length === 0 ? <p>{t.balance.none}</p> : (
            <ul>
              {data.entries.map((e) => (
                <li class="flex justify-between border-t py-1">
                  <span>{dhakaStamp(e.at, lang)} · {t.balance.kinds[e.kind] ?? e.kind}</span>
                  <span class={e.amountMinor < 0 ? "text-red-700" : "text-green-800"}>
                    {formatTaka(e.amountMinor, lang)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </ShopLayout>
  );
}
