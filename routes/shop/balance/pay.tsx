import { type Handlers, Head, HttpError, type PageProps } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import { getPayment } from "@/services/payments/records.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { msgs, seeOther, type ShopState, sql } from "../_lib/web.ts";

interface Data {
  url: string;
  method: string;
}

/** The same-origin hop to the provider for a top-up (see orders/[number]/pay.tsx for why). */
export const handler: Handlers<Data, ShopState> = {
  async GET(ctx) {
    const user = assertSignedIn(ctx);
    const p = await getPayment(sql(ctx), ctx.url.searchParams.get("p") ?? "");
    if (!p || p.userId !== user.id || p.purpose !== "topup") throw new HttpError(404);
    if (p.status !== "pending" || !p.redirectUrl) return seeOther("/shop/balance");
    ctx.state.title = `${msgs(ctx).pay.title} — ${ctx.state.t.site.name}`;
    return { data: { url: p.redirectUrl, method: p.method } };
  },
};

export default function TopupPay({ data, state, url }: PageProps<Data, ShopState>) {
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
        >
          {t.pay.continue}
        </a>
      </div>
    </ShopLayout>
  );
}
