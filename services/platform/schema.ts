/**
 * THE shared schema layer for every boundary (forms, query strings, JSON bodies, path params).
 * `z` is Zod with safe strings (see zod.ts: no NUL or control characters, a length cap); the
 * helpers below are the common field shapes, bounded so that no value a client sends can make
 * the database or KV fail: ids fit the column, money is bounded integer poisha, dates are real.
 *
 *   import { id, isoDate, text, z } from "@/services/platform/schema.ts";
 */
import * as z from "./zod.ts";
import { isCleanText } from "./zod.ts";

export { z };
export { isCleanText, MAX_TEXT } from "./zod.ts";

/** Largest value of a PostgreSQL `integer` (serial ids, counts). */
export const INT4_MAX = 2_147_483_647;
/** Largest bigint we accept from a client (JavaScript's safe integers). */
export const BIGINT_MAX = Number.MAX_SAFE_INTEGER;
/** Largest amount of money accepted anywhere: 1 billion taka, in poisha. */
export const MONEY_MAX = 100_000_000_000;

/** Single-line text up to `max` characters (trimmed; newlines refused unless `multiline`). */
export function text(max: number, opts: { min?: number; multiline?: boolean } = {}) {
  let s = z.string().trim();
  if (!opts.multiline) {
    s = s.refine((v) => !/[\r\n\t]/.test(v), { message: "Keep this on one line" });
  }
  if (opts.min) {
    s = s.min(opts.min, opts.min === 1 ? "Required" : `At least ${opts.min} characters`);
  }
  return s.max(max, `At most ${max} characters`);
}

/** A positive id of a PostgreSQL `integer`/`serial` column, from a form, query or JSON value. */
export function id(message = "Choose one") {
  return z.coerce.number({ error: message }).int(message).min(1, message).max(INT4_MAX, message);
}

/** A positive id of a `bigint`/`bigserial` column. */
export function bigId(message = "Choose one") {
  return z.coerce.number({ error: message }).int(message).min(1, message).max(BIGINT_MAX, message);
}

/** A whole number between `min` and `max` (inclusive). */
export function int(min: number, max: number, message = `A whole number from ${min} to ${max}`) {
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
}

/** Money in integer poisha, 0 … MONEY_MAX (or the given bounds). */
export function money(opts: { min?: number; max?: number } = {}) {
  const min = opts.min ?? 0, max = opts.max ?? MONEY_MAX;
  return z.coerce.number({ error: "Enter an amount" }).int("Enter an amount in whole poisha")
    .min(min, "The amount is too small").max(max, "The amount is too large");
}

/** A calendar date `YYYY-MM-DD` that exists, between 1900 and 2200. */
export function isoDate(message = "Enter a date as YYYY-MM-DD") {
  return z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, message).refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    const y = Number(s.slice(0, 4));
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && y >= 1900 &&
      y <= 2200;
  }, message);
}

/** A search box: trimmed, at most 100 characters; control characters dropped, never an error. */
export const searchQuery = z.string().catch("").transform((s) =>
  // deno-lint-ignore no-control-regex
  s.replace(/[\u0000-\u001F\u007F]/g, " ").replace(/[\uD800-\uDFFF]/g, "").trim().slice(0, 100)
);

/** Cleans a free-text query-string value (search, filters) so that it is safe to send to SQL. */
export function cleanQuery(v: string | null | undefined, max = 100): string {
  return searchQuery.parse(v ?? "").slice(0, max);
}

/** An error with a status that the framework's error mapping keeps (404 for a bad path id). */
class NotFound extends Error {
  readonly status = 404;
  constructor() {
    super("Page not found");
  }
}

/**
 * A path parameter that must be an integer id: "42" → 42; anything else ("abc", "1e3",
 * "99999999999999999999", NUL) → a 404, as for an id that does not exist.
 */
export function pathId(param: string | undefined, max = INT4_MAX): number {
  if (!param || !/^[1-9]\d{0,15}$/.test(param)) throw new NotFound();
  const n = Number(param);
  if (n > max) throw new NotFound();
  return n;
}

/** Like pathId, but null instead of a 404 (for optional query-string ids). */
export function optionalId(v: string | null | undefined, max = INT4_MAX): number | null {
  if (!v || !/^[1-9]\d{0,15}$/.test(v.trim())) return null;
  const n = Number(v.trim());
  return n <= max ? n : null;
}

/** An error the framework's error mapping answers with its status (and message). */
class BadRequest extends Error {
  readonly status = 400;
}

/** The longest query-string value any page accepts. */
export const MAX_QUERY_VALUE = 2_000;

/**
 * Refuses a query string that no form of ours produces: a NUL or other control character, broken
 * UTF-16 or an over-long value, in any name or value. Called once for every request (the root
 * middleware), so that no route hands such a value to the database or KV.
 */
export function assertCleanQuery(url: URL): void {
  if (!url.search) return;
  for (const [k, v] of url.searchParams) {
    if (v.length > MAX_QUERY_VALUE || k.length > 100 || !isCleanText(k) || !isCleanText(v)) {
      throw new BadRequest("The address has characters or a length we cannot accept");
    }
  }
}

/**
 * The hidden idempotency token of a form (a UUID the page generated): anything else — forged,
 * over-long (a KV key holds at most 2 KB) or missing — is replaced by a fresh one.
 */
export const formToken = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).catch(() => crypto.randomUUID());
