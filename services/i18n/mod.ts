/**
 * Message lookup, the one accessor: `messages(lang)` (also `ctx.state.t`) is the site's catalog
 * with one namespace per context (`.identity`, `.shop`, `.farm`, `.iot`). Contexts keep their
 * catalogs as data in services/<context>/messages.ts; nothing else hands out messages. Language
 * choice: a `lang` cookie, else Accept-Language, else English.
 */
import { bn } from "./bn.ts";
import { en, type Messages as SiteMessages } from "./en.ts";
import { farmMessages } from "@/services/farm/messages.ts";
import { identityMessages } from "@/services/identity/messages.ts";
import { iotCatalogs } from "@/services/iot/messages.ts";
import { shopCatalogs } from "@/services/shop/messages.ts";

export type Lang = "en" | "bn";
export const LANGS: readonly Lang[] = ["en", "bn"];

function catalog(lang: Lang, site: SiteMessages) {
  return {
    ...site,
    identity: identityMessages[lang],
    shop: shopCatalogs[lang],
    // The site catalog has a few farm words of its own (the /farm landing page).
    farm: { ...site.farm, ...farmMessages[lang] },
    iot: iotCatalogs[lang],
  };
}

/** Every message of the system in one language. */
export type Messages = ReturnType<typeof catalog>;
// Built on first use: the contexts' catalogs import helpers from this module (a cycle).
let catalogs: Record<Lang, Messages> | null = null;

export function messages(lang: Lang): Messages {
  catalogs ??= { en: catalog("en", en), bn: catalog("bn", bn) };
  return catalogs[lang] ?? catalogs.en;
}

export function isLang(v: unknown): v is Lang {
  return v === "en" || v === "bn";
}

/** Picks the language from the cookie value, else the best Accept-Language match. */
export function chooseLang(cookie: string | undefined, acceptLanguage: string | null): Lang {
  if (isLang(cookie)) return cookie;
  if (!acceptLanguage) return "en";
  const ranked = acceptLanguage.split(",").map((part) => {
    const [tag, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return { tag, q: q ? Number(q.slice(2)) || 0 : 1 };
  }).filter((x) => x.q > 0).sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split("-")[0];
    if (isLang(base)) return base;
  }
  return "en";
}

/** Formats an amount in poisha as taka, e.g. 12050 → "৳120.50" (Bangla digits for bn). */
export function formatTaka(minor: number | bigint, lang: Lang): string {
  const n = typeof minor === "bigint" ? minor : BigInt(Math.round(minor));
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const taka = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const poisha = (abs % 100n).toString().padStart(2, "0");
  const text = `${neg ? "-" : ""}৳${taka}.${poisha}`;
  return lang === "bn" ? toBanglaDigits(text) : text;
}

export function toBanglaDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => "০১২৩৪৫৬৭৮৯"[Number(d)]);
}
