/**
 * Units of measure of the warehouse screens. Stock is kept in whole base units (ml, g, pc); staff
 * enter and read quantities in the unit they handle: litres or millilitres, kilograms or grams,
 * pieces or crates of 12. Conversion is exact (decimal text, no floating point): "1.25" L is
 * 1250 ml; a quantity that is not a whole number of base units is refused, never rounded.
 */
import { toBanglaDigits } from "@/services/i18n/digits.ts";

export type Base = "ml" | "g" | "pc";
export type EntryUnit = "l" | "ml" | "kg" | "g" | "pc" | "crate";

/** How many base units one entry unit holds. */
export const UNIT_FACTOR: Record<EntryUnit, number> = {
  l: 1000,
  ml: 1,
  kg: 1000,
  g: 1,
  pc: 1,
  crate: 12,
};

/** The base unit each entry unit belongs to. */
export const UNIT_BASE: Record<EntryUnit, Base> = {
  l: "ml",
  ml: "ml",
  kg: "g",
  g: "g",
  pc: "pc",
  crate: "pc",
};

/** The units offered for an item in its base unit, the usual one first. */
export const UNITS_OF: Record<Base, readonly EntryUnit[]> = {
  ml: ["l", "ml"],
  g: ["kg", "g"],
  pc: ["pc", "crate"],
};

export const UNIT_LABELS: Record<"en" | "bn", Record<EntryUnit, string>> = {
  en: { l: "L", ml: "ml", kg: "kg", g: "g", pc: "pc", crate: "crate" },
  bn: { l: "লি", ml: "মিলি", kg: "কেজি", g: "গ্রাম", pc: "টি", crate: "ক্রেট" },
};

/** The largest quantity a form accepts, in base units (1,000 t or 1,000,000 L: room in an int4). */
export const MAX_QTY = 1_000_000_000;

export function isEntryUnit(u: unknown): u is EntryUnit {
  return typeof u === "string" && Object.hasOwn(UNIT_FACTOR, u);
}

export type QtyProblem = "badQuantity" | "notPositive" | "tooMuch" | "wrongUnit" | "notWhole";

/**
 * Base units in `text` `unit`s for an item kept in `base`, or the reason it cannot be: not a
 * number, zero or less (unless `allowZero`), too large, a unit of another kind (kg for milk) or
 * a fraction of a base unit (0.0005 L, half a piece).
 */
export function toBase(
  text: string,
  unit: string,
  base: Base,
  opts: { allowZero?: boolean } = {},
): { ok: true; qty: number } | { ok: false; problem: QtyProblem } {
  if (!isEntryUnit(unit) || UNIT_BASE[unit] !== base) return { ok: false, problem: "wrongUnit" };
  const s = text.trim().replace(/[০-৯]/g, (d) => String("০১২৩৪৫৬৭৮৯".indexOf(d))).replace(
    /,/g,
    "",
  );
  const m = /^(\d{1,15})(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) return { ok: false, problem: "badQuantity" };
  const factor = BigInt(UNIT_FACTOR[unit]);
  const frac = m[2] ?? "";
  const scale = 10n ** BigInt(frac.length);
  const scaled = (BigInt(m[1]) * scale + BigInt(frac || "0")) * factor;
  if (scaled % scale !== 0n) return { ok: false, problem: "notWhole" };
  const qty = scaled / scale;
  if (qty > BigInt(MAX_QTY)) return { ok: false, problem: "tooMuch" };
  if (qty === 0n && !opts.allowZero) return { ok: false, problem: "notPositive" };
  return { ok: true, qty: Number(qty) };
}

function decimal(qty: number, factor: number): string {
  const neg = qty < 0;
  const abs = Math.abs(qty);
  const whole = Math.floor(abs / factor);
  const rest = abs % factor;
  const digits = String(factor).length - 1;
  const frac = rest ? "." + String(rest).padStart(digits, "0").replace(/0+$/, "") : "";
  return `${neg ? "-" : ""}${whole.toLocaleString("en-US")}${frac}`;
}

/**
 * A quantity in base units as staff read it: litres from 1 L up ("1.25 L"), kilograms from 1 kg,
 * pieces with their crates ("30 pc (2 crates + 6)"). Bangla digits and unit words for bn.
 */
export function formatQty(qty: number, base: Base, lang: "en" | "bn" = "en"): string {
  const L = UNIT_LABELS[lang];
  let text: string;
  if (base === "pc") {
    text = `${decimal(qty, 1)} ${L.pc}`;
    const crates = Math.trunc(Math.abs(qty) / 12);
    if (crates > 0) {
      const rest = Math.abs(qty) % 12;
      text += ` (${crates} ${L.crate}${rest ? ` + ${rest}` : ""})`;
    }
  } else {
    const big = base === "ml" ? "l" : "kg";
    text = Math.abs(qty) >= 1000
      ? `${decimal(qty, 1000)} ${L[big]}`
      : `${decimal(qty, 1)} ${L[base]}`;
  }
  return lang === "bn" ? toBanglaDigits(text) : text;
}

/** A base quantity as text in `unit` for a form field (e.g. 1250 ml as "1.25" in L). */
export function qtyInUnit(qty: number, unit: EntryUnit): string {
  return decimal(qty, UNIT_FACTOR[unit]).replace(/,/g, "");
}

/** The conversions shown to staff ("1 L = 1,000 ml", "1 crate = 12 pc"). */
export const CONVERSIONS: readonly { from: EntryUnit; to: EntryUnit; factor: number }[] = [
  { from: "l", to: "ml", factor: 1000 },
  { from: "kg", to: "g", factor: 1000 },
  { from: "crate", to: "pc", factor: 12 },
];

/**
 * A refusal of the warehouse screens' use cases that a person can fix: a code of the screens'
 * catalog (`errors`), its params and the form field it belongs to ("form" for the whole form).
 * `status`: 422 bad input, 409 conflicts with the stock or the document's state, 404 unknown.
 */
export class StockError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, unknown> = {},
    readonly field = "form",
    readonly status: 404 | 409 | 422 = 422,
  ) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = "StockError";
  }
}

/** Base units for a form's quantity, or a StockError on `field` saying what is wrong. */
export function parseQty(
  text: string | undefined,
  unit: string | undefined,
  base: Base,
  field = "qty",
  opts: { allowZero?: boolean } = {},
): number {
  const r = toBase(text ?? "", unit ?? base, base, opts);
  if (r.ok) return r.qty;
  throw new StockError(r.problem, {
    units: UNITS_OF[base].map((u) => UNIT_LABELS.en[u]).join(", "),
    base,
  }, field);
}
