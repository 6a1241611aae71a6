/** Amounts typed by people: taka with up to two decimals ("1,250.5" → 125050 poisha). */
import { MONEY_MAX } from "@/services/platform/schema.ts";

/**
 * Parses taka (digits, optional thousands commas, up to 2 decimals) into poisha; "" → 0; null
 * for anything else (negative, 3 decimals, letters, more than ৳1,000,000,000).
 */
export function takaToPoisha(text: string): number | null {
  const s = text.trim().replace(/^৳/, "").trim();
  if (s === "") return 0;
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const whole = m[1].replaceAll(",", "");
  if (whole.length > 13) return null;
  const minor = Number(whole) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(minor) && minor <= MONEY_MAX ? minor : null;
}

/** Poisha as a plain taka figure for forms and CSV ("1250.50"), no currency sign. */
export function poishaToTaka(minor: number): string {
  const neg = minor < 0;
  const abs = Math.abs(minor);
  return `${neg ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** What the "unbalanced" messages show: both sides and their difference, in poisha and in taka. */
export function imbalance(debit: number, credit: number) {
  const difference = Math.abs(debit - credit);
  return {
    debit,
    credit,
    difference,
    debitTaka: poishaToTaka(debit),
    creditTaka: poishaToTaka(credit),
    differenceTaka: poishaToTaka(difference),
  };
}
