import { type Handlers, HttpError } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import { type ShopState } from "../../(_lib)/web.ts";
import { payHop, type PayHopData, PayHopPage } from "../../(_lib)/pay_hop.tsx";

/** The same-origin hop to the provider for an order's pending payment (see (_lib)/pay_hop.tsx). */
export const handler: Handlers<PayHopData, ShopState> = {
  async GET(ctx) {
    const user = assertSignedIn(ctx);
    const order = await ctx.state.deps.shop.order(ctx.params.number);
    if (!order || order.userId !== user.id) throw new HttpError(404);
    const p = order.payments.filter((x) => x.status === "pending" && x.redirectUrl).at(-1);
    if (order.status !== "pending_payment" || !p?.redirectUrl) {
      return ctx.redirect(`/shop/orders/${order.number}`);
    }
    return payHop(ctx, { redirectUrl: p.redirectUrl, method: p.method });
  },
};

export default PayHopPage;
