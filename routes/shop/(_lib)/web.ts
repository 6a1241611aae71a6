/**
 * The web side of the shop, shared by its routes: the request's cart owner (guest cookie or
 * user), the payment context, and small formatting helpers. Routes stay thin: validate → call a
 * service → render.
 */
import { type Context, getCookies, setCookie } from "@/framework/mod.ts";
import { secureCookies } from "@/plugins/session.ts";
import {
  type AddressGeo,
  dhakaDate,
  dhakaTime,
  isGuestId,
  publicOrigin,
  ShopError,
  type ShopMessages,
} from "@/services/shop/mod.ts";
import { toBanglaDigits, translateError } from "@/services/i18n/mod.ts";
import type { ShopState } from "@/components/ShopLayout.tsx";

export type { ShopState };
export type ShopCtx = Context<ShopState>;

export const GUEST_COOKIE = "sd_cart";

export function msgs(ctx: { state: ShopState }): ShopMessages {
  return ctx.state.t.shop;
}

/**
 * The cart owner of this request: the signed-in user, else the guest cookie's id. With
 * `create`, a guest without a cookie gets one (set on the response).
 */
export function cartOwner(ctx: ShopCtx, create = false): string | null {
  const shop = ctx.state.deps.shop;
  if (ctx.state.user) return shop.ownerOfUser(ctx.state.user.id);
  const id = getCookies(ctx.req)[GUEST_COOKIE];
  if (isGuestId(id)) return shop.ownerOfGuest(id);
  if (!create) return null;
  const fresh = shop.newGuestId();
  setCookie(ctx.responseHeaders, GUEST_COOKIE, fresh, {
    maxAge: 30 * 24 * 3600,
    httpOnly: true,
    sameSite: "Lax",
    secure: secureCookies(ctx.state.deps.config),
  });
  return shop.ownerOfGuest(fresh);
}

/**
 * Our public origin for provider callbacks and absolute links: PUBLIC_URL, else the listen
 * address — never the request's Host header.
 */
export function origin(ctx: { state: ShopState }): string {
  return publicOrigin(ctx.state.deps.config);
}

/** The customer's address for the providers (X-Forwarded-For only from trusted proxies). */
export function clientIp(ctx: ShopCtx): string | undefined {
  const ip = ctx.info.clientIp;
  return ip === "local" ? undefined : ip;
}

/** The address form's values from a customer's remembered address (and a phone to offer). */
export function addressValues(
  d: { contact: { recipient: string; line: string } | null; geo: AddressGeo | null },
  name: string,
  phone: string | null,
): Record<string, string> {
  return {
    recipient: d.contact?.recipient ?? name,
    phone: (phone ?? "").replace(/^\+880/, "0"),
    line: d.contact?.line ?? "",
    divisionId: d.geo ? String(d.geo.divisionId) : "",
    districtId: d.geo ? String(d.geo.districtId) : "",
    upazilaId: d.geo ? String(d.geo.upazilaId) : "",
    zoneId: d.geo ? String(d.geo.zoneId) : "",
  };
}

/** The text of a form field ("" when missing). */
export function field(form: FormData | null, name: string): string {
  return form?.get(name)?.toString() ?? "";
}

/**
 * A ShopError as a message in the reader's language (through translateError, the one way), or
 * null for other errors (which propagate).
 */
export function shopErrorText(ctx: { state: ShopState }, e: unknown): string | null {
  return e instanceof ShopError ? translateError(ctx.state.t, e)?.message ?? e.message : null;
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
  const s = `${dateLabel(dhakaDate(at), lang)}, ${dhakaTime(at)}`;
  return lang === "bn" ? toBanglaDigits(s) : s;
}

export function num(n: number | string, lang: "en" | "bn"): string {
  return lang === "bn" ? toBanglaDigits(String(n)) : String(n);
}

/** Stock at or under this many packs shows as "only N left"; above it, just "in stock". */
export const FEW_LEFT = 5;

/** What a shopper is told of a pack's stock: never the raw count above FEW_LEFT. */
export function stockNote(n: number, t: ShopMessages["shop"], lang: "en" | "bn"): string {
  return n <= 0 ? t.outOfStock : n <= FEW_LEFT ? num(t.fewLeft(n), lang) : t.available;
}

/**
 * What the last add-to-cart changed, from the query its redirect put there (`?added=1&v=…&n=…`):
 * the variant and how many of it the cart holds; null when the query does not say.
 */
export function addedFrom(url: URL): { variantId: number; n: number } | null {
  const p = url.searchParams;
  if (p.get("added") !== "1") return null;
  const v = Number(p.get("v"));
  const n = Number(p.get("n"));
  if (!Number.isSafeInteger(v) || v <= 0 || !Number.isInteger(n) || n < 0 || n > 99) return null;
  return { variantId: v, n };
}
