import { type Handlers, Head, HttpError, type PageProps } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import { getOrder } from "@/services/shop/orders.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { msgs, seeOther, type ShopState, sql } from "../../_lib/web.ts";

interface Data {
  url: string;
  method: string;
}

/**
 * The hop to the provider's payment page. The checkout form posts to us and we answer with this
 * page (a same-origin navigation), which then moves on to the provider: a form may not redirect
 * to another origin under our CSP (form-action 'self'), a page may link there. Works without
 * JavaScript (meta refresh and a button).
 */
export const handler: Handlers<Data, ShopState> = {
  async GET(ctx) {
    const user = assertSignedIn(ctx);
    const order = await getOrder(sql(ctx), ctx.state.deps.keyring, { number: ctx.params.number });
    if (!order || order.userId !== user.id) throw new HttpError(404);
    const p = order.payments.filter((x) => x.status === "pending" && x.redirectUrl).at(-1);
    if (order.status !== "pending_payment" || !p?.redirectUrl) {
      return seeOther(`/shop/orders/${order.number}`);
    }
    ctx.state.title = `${msgs(ctx).pay.title} — ${ctx.state.t.site.name}`;
    return { data: { url: p.redirectUrl, method: p.method } };
  },
};

export default function Pay({ data, state, url }: PageProps<Data, ShopState>) {
  const t = msgs({ state });
  const name = t.checkout.methods[data.method as keyof typeof t.checkout.methods] ?? data.method;
  return (
    <ShopLayout state={state} path={url.pathname}>
      <Head>
        <meta http-equiv="refresh" content={`0;url=${data.url}`} />
        <meta name="referrer" content="no-referrer" />
      </Head>
      <div class="bg-white border rounded-lg p-6 text-center max-w-md mx-auto">
        <p class="mb-4">{t.pay.redirecting(name)}</p>
        <a
          href={data.url}
          rel="noreferrer"
          class="inline-block rounded bg-brand-600 text-white font-semibold px-4 py-2"
          data-testid="continue-payment"
        >
          {t.pay.continue}
        </a>
      </div>
    </ShopLayout>
  );
}
