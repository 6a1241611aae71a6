/**
 * The arithmetic of a tax invoice, in integer poisha. Rule (printed on every document): each
 * line's value is quantity × unit price; SD is charged on the value after discount; VAT on the
 * value after discount plus SD; every amount is rounded per line to the poisha, half away from
 * zero; totals are sums of the rounded lines.
 */
import type { DocLine } from "./types.ts";

export class DocumentError extends Error {
  readonly status = 422;
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = "DocumentError";
  }
}

/** a × b / d rounded to an integer, half away from zero (a, b, d integers, d > 0). */
export function mulDivRound(a: number, b: number, d: number): number {
  const n = BigInt(a) * BigInt(b);
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const den = BigInt(d);
  let q = abs / den;
  if ((abs % den) * 2n >= den) q += 1n;
  const r = Number(neg ? -q : q);
  if (!Number.isSafeInteger(r)) throw new DocumentError("amount_too_large", "Amount too large");
  return r;
}

/** Basis points of an amount, rounded half away from zero: `rateAmount(10050, 1500)` = 1508. */
export function rateAmount(baseMinor: number, rateBp: number): number {
  return mulDivRound(baseMinor, rateBp, 10_000);
}

/** A quantity in thousandths: "2.5" → 2500. At most three decimals, not negative. */
export function quantityMilli(q: string | number): number {
  const s = typeof q === "number" ? String(q) : q.trim();
  const m = /^(\d+)(?:\.(\d{1,3}))?$/.exec(s);
  if (!m) {
    throw new DocumentError(
      "quantity_invalid",
      `Quantity "${s}" is not a number with at most 3 decimals`,
    );
  }
  const milli = Number(m[1]) * 1000 + Number((m[2] ?? "").padEnd(3, "0"));
  if (!Number.isSafeInteger(milli)) {
    throw new DocumentError("quantity_invalid", `Quantity "${s}" is too large`);
  }
  return milli;
}

/** "2500" thousandths → "2.5"; whole numbers without decimals. */
export function quantityText(milli: number): string {
  const whole = Math.floor(milli / 1000);
  const frac = String(milli % 1000).padStart(3, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : String(whole);
}

export interface ComputedLine {
  quantityMilli: number;
  unitPriceMinor: number;
  /** quantity × unit price. */
  valueMinor: number;
  discountMinor: number;
  valueAfterDiscountMinor: number;
  sdRateBp: number;
  sdMinor: number;
  vatRateBp: number;
  vatMinor: number;
  /** Value after discount + SD + VAT. */
  totalMinor: number;
}

export interface Totals {
  valueMinor: number;
  discountMinor: number;
  valueAfterDiscountMinor: number;
  sdMinor: number;
  vatMinor: number;
  totalMinor: number;
}

const isMoney = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n);
const isRate = (n: unknown): n is number =>
  typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= 100_000;

/** One line's amounts by the rule above; refuses amounts given by the caller that disagree. */
export function computeLine(line: DocLine, index = 0): ComputedLine {
  const where = `line ${index + 1}`;
  const unitPriceMinor = line.unitPriceMinor;
  if (!isMoney(unitPriceMinor) || unitPriceMinor < 0) {
    throw new DocumentError(
      "price_invalid",
      `${where}: unit price must be whole poisha, not negative`,
    );
  }
  const discountMinor = line.discountMinor ?? 0;
  const sdRateBp = line.sdRateBp ?? 0;
  if (!isMoney(discountMinor) || discountMinor < 0) {
    throw new DocumentError(
      "discount_invalid",
      `${where}: discount must be whole poisha, not negative`,
    );
  }
  if (!isRate(sdRateBp) || !isRate(line.vatRateBp)) {
    throw new DocumentError("rate_invalid", `${where}: rates are whole basis points (15 % = 1500)`);
  }
  const qm = quantityMilli(line.quantity);
  if (line.vatIncluded) return computeIncludedLine(line, qm, discountMinor, sdRateBp, where);
  const valueMinor = mulDivRound(qm, unitPriceMinor, 1000);
  if (discountMinor > valueMinor) {
    throw new DocumentError("discount_invalid", `${where}: discount is larger than the value`);
  }
  const valueAfterDiscountMinor = valueMinor - discountMinor;
  const sdMinor = rateAmount(valueAfterDiscountMinor, sdRateBp);
  const vatMinor = rateAmount(valueAfterDiscountMinor + sdMinor, line.vatRateBp);
  const totalMinor = valueAfterDiscountMinor + sdMinor + vatMinor;
  const check = (name: string, given: number | undefined, want: number) => {
    if (given !== undefined && given !== want) {
      throw new DocumentError(
        "amount_mismatch",
        `${where}: ${name} ${given} poisha given, the rounding rule gives ${want}`,
      );
    }
  };
  check("SD", line.sdMinor, sdMinor);
  check("VAT", line.vatMinor, vatMinor);
  check("total", line.totalMinor, totalMinor);
  return {
    quantityMilli: qm,
    unitPriceMinor,
    valueMinor,
    discountMinor,
    valueAfterDiscountMinor,
    sdRateBp,
    sdMinor,
    vatRateBp: line.vatRateBp,
    vatMinor,
    totalMinor,
  };
}

/** A line priced with VAT included (see DocLine.vatIncluded). */
function computeIncludedLine(
  line: DocLine,
  qm: number,
  discountInclMinor: number,
  sdRateBp: number,
  where: string,
): ComputedLine {
  if (sdRateBp !== 0) {
    throw new DocumentError("rate_invalid", `${where}: a VAT-inclusive price carries no SD`);
  }
  const rate = line.vatRateBp;
  const included = (gross: number) => mulDivRound(gross, rate, 10_000 + rate);
  const grossMinor = mulDivRound(qm, line.unitPriceMinor, 1000);
  if (discountInclMinor > grossMinor) {
    throw new DocumentError("discount_invalid", `${where}: discount is larger than the value`);
  }
  const totalMinor = grossMinor - discountInclMinor;
  const vatMinor = included(totalMinor);
  const valueMinor = grossMinor - included(grossMinor);
  const valueAfterDiscountMinor = totalMinor - vatMinor;
  const check = (name: string, given: number | undefined, want: number) => {
    if (given !== undefined && given !== want) {
      throw new DocumentError(
        "amount_mismatch",
        `${where}: ${name} ${given} poisha given, the rounding rule gives ${want}`,
      );
    }
  };
  check("SD", line.sdMinor, 0);
  check("VAT", line.vatMinor, vatMinor);
  check("total", line.totalMinor, totalMinor);
  return {
    quantityMilli: qm,
    unitPriceMinor: qm > 0 ? mulDivRound(valueMinor, 1000, qm) : 0,
    valueMinor,
    discountMinor: valueMinor - valueAfterDiscountMinor,
    valueAfterDiscountMinor,
    sdRateBp: 0,
    sdMinor: 0,
    vatRateBp: rate,
    vatMinor,
    totalMinor,
  };
}

/** Sums of the rounded lines. */
export function totalsOf(lines: ComputedLine[]): Totals {
  const t: Totals = {
    valueMinor: 0,
    discountMinor: 0,
    valueAfterDiscountMinor: 0,
    sdMinor: 0,
    vatMinor: 0,
    totalMinor: 0,
  };
  for (const l of lines) {
    t.valueMinor += l.valueMinor;
    t.discountMinor += l.discountMinor;
    t.valueAfterDiscountMinor += l.valueAfterDiscountMinor;
    t.sdMinor += l.sdMinor;
    t.vatMinor += l.vatMinor;
    t.totalMinor += l.totalMinor;
  }
  return t;
}

/** A BIN in its printed shape NNNNNNNNN-NNNN; accepts 13 digits with or without separators. */
export function formatBin(bin: string): string {
  const digits = bin.replace(/[\s-]/g, "");
  if (!/^\d{13}$/.test(digits)) {
    throw new DocumentError("bin_invalid", `BIN "${bin}" is not 13 digits (NNNNNNNNN-NNNN)`);
  }
  return `${digits.slice(0, 9)}-${digits.slice(9)}`;
}
