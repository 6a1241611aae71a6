import { deleteCookie, getCookies, type Middleware } from "@/framework/mod.ts";
import { getCart, isGuestId, mergeGuestCart } from "@/services/shop/cart.ts";
import { secureCookies } from "@/plugins/session.ts";
import { cartOwner, GUEST_COOKIE, type ShopState } from "./_lib/web.ts";

/**
 * For every shop page: when a signed-in customer still carries a guest cart cookie, the guest
 * cart is merged into theirs (and the cookie dropped); then the cart count for the header.
 */
export const handler: Middleware<ShopState> = async (ctx) => {
  const kv = ctx.state.deps.kv;
  if (!kv || ctx.url.pathname.startsWith("/shop/img/")) return ctx.next();
  const guestId = getCookies(ctx.req)[GUEST_COOKIE];
  if (ctx.state.user && isGuestId(guestId)) {
    await mergeGuestCart(kv, guestId, ctx.state.user.id);
    deleteCookie(ctx.responseHeaders, GUEST_COOKIE, {
      secure: secureCookies(ctx.state.deps.config),
    });
  }
  const owner = cartOwner(ctx);
  ctx.state.cartCount = owner ? (await getCart(kv, owner)).items.reduce((a, i) => a + i.qty, 0) : 0;
  return ctx.next();
};
