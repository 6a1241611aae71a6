/**
 * Message lookup, the one accessor: `messages(lang)` (also `ctx.state.t`) is the site's catalog
 * with one namespace per context (`.identity`, `.shop`, `.farm`, `.iot`). Contexts keep their
 * catalogs as data in services/<context>/messages.ts; nothing else hands out messages. Language
 * choice: a `lang` cookie, else Accept-Language, else English. `translateError(t, err)` is the one
 * way a service error becomes a message (see below).
 */
import { bn } from "./bn.ts";
import { toBanglaDigits } from "./digits.ts";
import { en, type Messages as SiteMessages } from "./en.ts";
import { farmMessages } from "@/services/farm/messages.ts";
import { identityMessages } from "@/services/identity/messages.ts";
import { iotCatalogs } from "@/services/iot/messages.ts";
import { qualityCatalogs } from "@/services/quality/messages.ts";
import { productionCatalogs } from "@/services/production/messages.ts";
import { shopCatalogs } from "@/services/shop/messages.ts";
import { purchaseMessages } from "@/services/purchase/messages.ts";
import { intakeMessages } from "@/services/intake/messages.ts";
import { inventoryCatalogs, stockScreenCatalogs } from "@/services/inventory/messages.ts";
import { recallCatalogs } from "@/services/recall/messages.ts";
import { accountingMessages } from "@/services/accounting/messages.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";

export { toBanglaDigits };

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
    inventory: inventoryCatalogs[lang],
    quality: qualityCatalogs[lang],
    production: productionCatalogs[lang],
    purchase: purchaseMessages[lang],
    intake: intakeMessages[lang],
    stock: stockScreenCatalogs[lang],
    recall: recallCatalogs[lang],
    accounting: accountingMessages[lang],
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

// ---- error translation: the one way a service error reaches a visitor -------------------------

/** A service error in the visitor's language: for a form (per field) and as one line. */
export interface TranslatedError {
  /** The HTTP status to answer with (422 bad input, 409 conflict, 404, 403…). */
  status: number;
  /** Messages per form field; "form" is the whole form (no field to point at). */
  fields: Record<string, string[]>;
  /** One line for a notice or a JSON body: the first field's message, or the error's. */
  message: string;
}

/** `{name}` placeholders filled from params (unknown ones stay). */
export function fillParams(text: string, params: Record<string, unknown> = {}): string {
  return text.replace(/\{(\w+)\}/g, (all, k) => (k in params ? String(params[k]) : all));
}

/**
 * Turns any service error a person can act on into messages in the visitor's language, or null
 * for errors that are not theirs to fix (let those propagate: the framework answers 500).
 *
 * - ValidationError (services/platform/errors.ts) and Zod errors: per field. A field message is a
 *   key of the site catalog's `validation` ("tooShort", "phone"…) or an English service message
 *   translated through the identity catalog's `fields`; anything else is shown as it is.
 * - ConflictError (on its field, else "form"), NotFoundError (404), ForbiddenError (403).
 * - Coded errors: ShopError (`code` → `t.shop.errors`, `detail` as params), FarmRuleError
 *   (`code` → `t.farm.reasons`, `params`, on its `field`) and IntakeError (`t.intake.errors`). A context that adds a coded error
 *   class adds its codes to its catalog and one line here.
 *
 * `rename` maps a service's field names to the form's (`{ identifier: "email" }`).
 *
 *   try { … } catch (e) {
 *     const err = translateError(ctx.state.t, e);
 *     if (!err) throw e;
 *     return { status: err.status, data: { …, errors: err.fields } };
 *   }
 */
export function translateError(
  t: Messages,
  err: unknown,
  rename: Record<string, string> = {},
): TranslatedError | null {
  const text = (msg: string, params?: Record<string, unknown>) => {
    const known = (t.validation as Record<string, string>)[msg] ?? t.identity.fields[msg] ?? msg;
    return fillParams(known, params);
  };
  const build = (status: number, fields: Record<string, string[]>, message?: string) => {
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(fields)) (out[rename[k] ?? k] ??= []).push(...v);
    return { status, fields: out, message: message ?? Object.values(out)[0]?.[0] ?? "" };
  };
  if (err instanceof ValidationError) {
    return build(
      422,
      Object.fromEntries(Object.entries(err.fieldErrors).map(([k, v]) => [k, [text(v)]])),
    );
  }
  if (err instanceof ConflictError && err.name === "InventoryError") {
    const e = err as ConflictError & { code: string; params: Record<string, unknown> };
    const known = (t.inventory.errors as Record<string, string>)[e.code] ?? e.message;
    return build(409, { [e.field ?? "form"]: [fillParams(known, e.params)] });
  }
  if (err instanceof ConflictError) {
    return build(409, { [err.field ?? "form"]: [text(err.message)] });
  }
  if (err instanceof NotFoundError) return build(404, {}, text(err.message));
  if (!(err instanceof Error)) return null;
  const e = err as Error & Record<string, unknown>;
  if (e.name === "ZodError" && Array.isArray(e.issues)) {
    const fields: Record<string, string[]> = {};
    for (const issue of e.issues as { path: PropertyKey[]; message: string }[]) {
      (fields[issue.path.map(String).join(".") || "form"] ??= []).push(text(issue.message));
    }
    return build(422, fields);
  }
  if (e.name === "ForbiddenError") return build(403, {}, t.identity.forbidden.text);
  const status = typeof e.status === "number" ? e.status : 422;
  if (e.name === "ShopError" && typeof e.code === "string") {
    const known = (t.shop.errors as Record<string, string>)[e.code] ?? e.message;
    return build(status, { form: [fillParams(known, e.detail as Record<string, unknown>)] });
  }
  // Coded refusals with params on a field: the farm's rules, production's, milk intake's.
  const coded = e.name === "FarmRuleError"
    ? t.farm.reasons
    : e.name === "ProductionError"
    ? t.production.reasons
    : e.name === "IntakeError"
    ? t.intake.errors
    : null;
  if (coded && typeof e.code === "string") {
    const known = (coded as Record<string, string>)[e.code] ?? e.message;
    const field = typeof e.field === "string" ? e.field : "form";
    return build(status, { [field]: [fillParams(known, e.params as Record<string, unknown>)] });
  }
  return null;
}
