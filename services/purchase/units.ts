/**
 * The units a supplier sells in and how many inventory base units (g, ml, pc) each holds. A
 * quantity typed in a friendly unit ("2.5" kg) becomes an integer of base units (2500 g).
 */
export type Base = "ml" | "g" | "pc";

export const UNITS = {
  g: { base: "g", factor: 1 },
  kg: { base: "g", factor: 1000 },
  bag_25kg: { base: "g", factor: 25_000 },
  bag_50kg: { base: "g", factor: 50_000 },
  ml: { base: "ml", factor: 1 },
  l: { base: "ml", factor: 1000 },
  pc: { base: "pc", factor: 1 },
  crate: { base: "pc", factor: 12 },
  box_100: { base: "pc", factor: 100 },
  roll_1000: { base: "pc", factor: 1000 },
} as const satisfies Record<string, { base: Base; factor: number }>;

export type Unit = keyof typeof UNITS;
export const UNIT_CODES = Object.keys(UNITS) as Unit[];

export function isUnit(u: string): u is Unit {
  return Object.hasOwn(UNITS, u);
}

/** The units that fit an item stocked in `base`. */
export function unitsFor(base: Base): Unit[] {
  return UNIT_CODES.filter((u) => UNITS[u].base === base);
}

/** Largest quantity of base units we accept on one line (a billion grams: 1,000 t). */
export const MAX_BASE_QTY = 1_000_000_000_000;

/**
 * "2.5" kg → 2500 (g). Null when the text is not a positive number, has more decimals than the
 * unit allows (a base unit is the smallest thing we count) or is absurdly large.
 */
export function toBase(qty: string | number, unit: Unit): number | null {
  const s = String(qty).trim().replace(/,/g, "");
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(s)) return null;
  const [whole, frac = ""] = s.split(".");
  const factor = UNITS[unit].factor;
  // Exact decimal arithmetic: whole * factor + frac * factor / 10^len.
  const scale = 10 ** frac.length;
  const fracPart = Number(frac || "0") * factor;
  if (fracPart % scale !== 0) return null;
  const out = Number(whole) * factor + fracPart / scale;
  if (!Number.isSafeInteger(out) || out <= 0 || out > MAX_BASE_QTY) return null;
  return out;
}

/** 2500 g in kg → "2.5". */
export function fromBase(qtyBase: number, unit: string): string {
  const factor = isUnit(unit) ? UNITS[unit].factor : 1;
  const whole = Math.trunc(qtyBase / factor);
  const rest = qtyBase - whole * factor;
  if (rest === 0) return String(whole);
  return (qtyBase / factor).toFixed(6).replace(/0+$/, "").replace(/\.$/, "");
}

/** Net value of `qtyBase` at `unitPrice` poisha per `factor` base units, rounded half up. */
export function lineNet(qtyBase: number, unitPriceMinor: number, factor: number): number {
  const n = BigInt(qtyBase) * BigInt(unitPriceMinor);
  const f = BigInt(factor);
  return Number((n * 2n + f) / (2n * f));
}

/** VAT on a line, rounded half away from zero to the poisha (amounts are never negative here). */
export function vatOf(netMinor: number, rateBp: number): number {
  const n = BigInt(netMinor) * BigInt(rateBp);
  return Number((n * 2n + 10_000n) / 20_000n);
}
