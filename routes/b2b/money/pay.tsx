import { type Handlers, HttpError } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import type { ShopState } from "@/routes/shop/(_lib)/web.ts";
import { payHop, type PayHopData, PayHopPage } from "@/routes/shop/(_lib)/pay_hop.tsx";

/**
 * The same-origin hop to the provider for a payment on account (the shop's hop page: a form may
 * not redirect to another origin under our CSP).
 */
export const handler: Handlers<PayHopData, ShopState> = {
  async GET(ctx) {
    const user = assertSignedIn(ctx);
    const p = await ctx.state.deps.payments.get(ctx.url.searchParams.get("p") ?? "");
    if (!p || p.userId !== user.id || p.purpose !== "account") throw new HttpError(404);
    if (p.status !== "pending" || !p.redirectUrl) return ctx.redirect("/b2b/money");
    return payHop(ctx, { redirectUrl: p.redirectUrl, method: p.method });
  },
};

export default PayHopPage;
