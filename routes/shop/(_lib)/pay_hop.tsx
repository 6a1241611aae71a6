/**
 * The hop to the provider's payment page, shared by order payments and balance top-ups. The
 * checkout form posts to us and we answer with this page (a same-origin navigation), which then
 * moves on to the provider: a form may not redirect to another origin under our CSP
 * (form-action 'self'), a page may link there. Works without JavaScript (meta refresh and a
 * button).
 */
import { Head, type PageProps } from "@/framework/mod.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { msgs, type ShopCtx, type ShopState } from "./web.ts";
import { ShopButtonLink } from "@/components/ShopButtons.tsx";

export interface PayHopData {
  url: string;
  method: string;
}

/** The page's data for a pending payment with its provider URL (and the page title). */
export function payHop(ctx: ShopCtx, p: { redirectUrl: string; method: string }) {
  ctx.state.title = `${msgs(ctx).pay.title} — ${ctx.state.t.site.name}`;
  return { data: { url: p.redirectUrl, method: p.method } };
}

export function PayHopPage({ data, state, url }: PageProps<PayHopData, ShopState>) {
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
        <ShopButtonLink
          href={data.url}
          rel="noreferrer"
          primary
          class="inline-block py-2"
          testId="continue-payment"
        >
          {t.pay.continue}
        </ShopButtonLink>
      </div>
    </ShopLayout>
  );
}
