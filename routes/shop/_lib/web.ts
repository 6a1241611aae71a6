/**
 * The web side of the shop, shared by its routes: the request's cart owner (guest cookie or
 * user), the payment context, and small formatting helpers. Routes stay thin: validate → call a
 * service → render.
 */
import { type Context, getCookies, HttpError, setCookie } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { secureCookies, type SessionUser } from "@/plugins/session.ts";
import { publicOrigin } from "@/services/platform/config.ts";
import type { Sql } from "@/services/platform/db.ts";
import { guestOwner, isGuestId, newGuestId, userOwner } from "@/services/shop/cart.ts";
import { type ShopMessages, shopMessages } from "@/services/shop/messages.ts";
import { paymentProviders } from "@/services/payments/settings.ts";
import type { PaymentContext } from "@/services/payments/payments.ts";
import { ShopError } from "@/services/shop/errors.ts";
import { toBanglaDigits } from "@/services/i18n/mod.ts";

export interface ShopState extends State {
  user?: SessionUser;
  /** Set by routes/shop/_middleware.ts. */
  cartCount?: number;
}

export type ShopCtx = Context<ShopState>;

export const GUEST_COOKIE = "sd_cart";

export function sql(ctx: { state: State }): Sql {
  const db = ctx.state.deps.db;
  if (!db) throw new HttpError(503, "The shop is not available right now");
  return db.sql;
}

export function kv(ctx: { state: State }): Deno.Kv {
  const k = ctx.state.deps.kv;
  if (!k) throw new HttpError(503, "The shop is not available right now");
  return k;
}

/** What time it is for this request: the app's injected clock (tests set it), else the system's. */
export function now(ctx: { state: State }): Date {
  return ctx.state.deps.clock?.now() ?? new Date();
}

export function msgs(ctx: { state: State }): ShopMessages {
  return shopMessages(ctx.state.lang);
}

/**
 * The cart owner of this request: the signed-in user, else the guest cookie's id. With
 * `create`, a guest without a cookie gets one (set on the response).
 */
export function cartOwner(ctx: ShopCtx, create = false): string | null {
  if (ctx.state.user) return userOwner(ctx.state.user.id);
  const id = getCookies(ctx.req)[GUEST_COOKIE];
  if (isGuestId(id)) return guestOwner(id);
  if (!create) return null;
  const fresh = newGuestId();
  setCookie(ctx.responseHeaders, GUEST_COOKIE, fresh, {
    maxAge: 30 * 24 * 3600,
    httpOnly: true,
    sameSite: "Lax",
    secure: secureCookies(ctx.state.deps.config),
  });
  return guestOwner(fresh);
}

export function paymentContext(ctx: { state: State }): PaymentContext {
  return {
    sql: sql(ctx),
    keyring: ctx.state.deps.keyring,
    providers: paymentProviders(ctx.state.deps.config),
  };
}

/**
 * Our public origin for provider callbacks and absolute links: PUBLIC_URL, else the listen
 * address — never the request's Host header.
 */
export function origin(ctx: { state: State }): string {
  return publicOrigin(ctx.state.deps.config);
}

/** The customer's address for the providers (X-Forwarded-For only from trusted proxies). */
export function clientIp(ctx: ShopCtx): string | undefined {
  const ip = ctx.info.clientIp;
  return ip === "local" ? undefined : ip;
}

/** The text of a form field ("" when missing). */
export function field(form: FormData | null, name: string): string {
  return form?.get(name)?.toString() ?? "";
}

/** A ShopError's translated message, or null for other errors (which propagate). */
export function shopErrorText(t: ShopMessages, e: unknown): string | null {
  return e instanceof ShopError ? (t.errors[e.code] ?? e.message) : null;
}

const MONTHS = {
  en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
  bn: ["জানু", "ফেব্রু", "মার্চ", "এপ্রি", "মে", "জুন", "জুলাই", "আগ", "সেপ্টে", "অক্টো", "নভে", "ডিসে"],
};
const DAYS = {
  en: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
  bn: ["রবি", "সোম", "মঙ্গল", "বুধ", "বৃহ", "শুক্র", "শনি"],
};

/** "Tue 3 Mar" / "মঙ্গল ৩ মার্চ" for a YYYY-MM-DD date. */
export function dateLabel(date: string, lang: "en" | "bn"): string {
  const d = new Date(`${date}T00:00:00Z`);
  const s = `${DAYS[lang][d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[lang][d.getUTCMonth()]}`;
  return lang === "bn" ? toBanglaDigits(s) : s;
}

/** "3 Mar, 22:00" in Dhaka time. */
export function dhakaStamp(at: Date, lang: "en" | "bn"): string {
  const local = new Date(at.getTime() + 6 * 3600_000);
  const date = local.toISOString().slice(0, 10);
  const s = `${dateLabel(date, lang)}, ${local.toISOString().slice(11, 16)}`;
  return lang === "bn" ? toBanglaDigits(s) : s;
}

export function num(n: number | string, lang: "en" | "bn"): string {
  return lang === "bn" ? toBanglaDigits(String(n)) : String(n);
}

/** A 303 redirect to a same-site path. */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}
