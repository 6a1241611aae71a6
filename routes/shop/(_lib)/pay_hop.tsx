/**
 * The hop to the provider's payment page, shared by order payments and balance top-ups. The
 * checkout form posts to us and we answer with this page (a same-origin navigation), which then
 * moves on to the provider: a form may not redirect to another origin under our CSP
 * (form-action 'self'), a page may link there. Works without JavaScript (meta refresh and a
 * button).
 */
import { type Handlers, Head, HttpError, type PageProps } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
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

/**
 * The hop's GET for a payment of the signed-in person named by `?p=` and made for `purpose`
 * (someone else's, or one for another purpose, is 404); one no longer pending goes to `back`.
 */
export function paymentHop(
  purpose: "topup" | "account",
  back: string,
): Handlers<PayHopData, ShopState> {
  return {
    async GET(ctx) {
      const user = assertSignedIn(ctx);
      const p = await ctx.state.deps.payments.get(ctx.url.searchParams.get("p") ?? "");
      if (!p || p.userId !== user.id || p.purpose !== purpose) throw new HttpError(404);
      if (p.status !== "pending" || !p.redirectUrl) return ctx.redirect(back);
      return payHop(ctx, { redirectUrl: p.redirectUrl, method: p.method });
    },
  };
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
