import { deleteCookie, getCookies, type Middleware } from "@/framework/mod.ts";
import { isGuestId } from "@/services/shop/mod.ts";
import { secureCookies } from "@/plugins/session.ts";
import { cartOwner, GUEST_COOKIE, type ShopState } from "./(_lib)/web.ts";

/**
 * For every shop page: when a signed-in customer still carries a guest cart cookie, the guest
 * cart is merged into theirs (and the cookie dropped); then the cart count for the header.
 */
export const handler: Middleware<ShopState> = async (ctx) => {
  if (ctx.url.pathname.startsWith("/shop/img/")) return ctx.next();
  if (ctx.url.pathname.startsWith("/shop/media/")) return ctx.next();
  const shop = ctx.state.deps.shop;
  const guestId = getCookies(ctx.req)[GUEST_COOKIE];
  if (ctx.state.user && isGuestId(guestId)) {
    await shop.mergeGuestCart(guestId, ctx.state.user.id);
    deleteCookie(ctx.responseHeaders, GUEST_COOKIE, {
      secure: secureCookies(ctx.state.deps.config),
    });
  }
  ctx.state.cartCount = await shop.cartCount(cartOwner(ctx));
  return ctx.next();
};
