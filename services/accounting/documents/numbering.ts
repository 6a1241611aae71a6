/**
 * Serial numbers of the sales documents. Mushak series restart each fiscal year (1 July – 30
 * June, Dhaka time) and may be kept per supplying location, so a number names both:
 *
 *   tax invoice (Mushak 6.3)   <LOC>-<FY>-<SEQ>       DHK-2627-000042
 *   credit note (Mushak 6.7)   <LOC>-CN-<FY>-<SEQ>    DHK-CN-2627-000007
 *
 * LOC is the location's code (2–8 capital letters or digits), FY the two-digit start and end
 * years ("2627" is FY 2026-27), SEQ the sequence within that series, at least six digits. The
 * ledger keeps the counter per (kind, location, fiscal year); these helpers only format and read.
 */
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { DocumentError } from "./compute.ts";

export type DocumentKind = "invoice" | "credit_note";

export interface FiscalYear {
  /** Calendar year in which the fiscal year starts (FY 2026-27 → 2026). */
  startYear: number;
  /** "2026-27" */
  label: string;
  /** "2627" */
  code: string;
  /** First and last Dhaka dates, "YYYY-MM-DD". */
  from: string;
  to: string;
}

export function fiscalYear(startYear: number): FiscalYear {
  const end2 = String((startYear + 1) % 100).padStart(2, "0");
  const start2 = String(startYear % 100).padStart(2, "0");
  return {
    startYear,
    label: `${startYear}-${end2}`,
    code: `${start2}${end2}`,
    from: `${startYear}-07-01`,
    to: `${startYear + 1}-06-30`,
  };
}

/** The fiscal year an instant falls in, by the Dhaka calendar (1 July 00:00 Dhaka starts a new one). */
export function fiscalYearOf(at: Date | number): FiscalYear {
  const date = dhakaDate(at);
  const year = Number(date.slice(0, 4));
  return fiscalYear(Number(date.slice(5, 7)) >= 7 ? year : year - 1);
}

const LOC_RE = /^[A-Z0-9]{2,8}$/;

export interface DocumentNumberParts {
  kind: DocumentKind;
  location: string;
  fiscalYearCode: string;
  seq: number;
}

/** Formats the serial number of the `seq`-th document of `kind` at `location` in the fiscal year of `at`. */
export function documentNumber(
  opts: { kind: DocumentKind; location: string; at: Date | number; seq: number },
): string {
  if (!LOC_RE.test(opts.location)) {
    throw new DocumentError(
      "location_invalid",
      `Location code "${opts.location}" must be 2–8 capital letters or digits`,
    );
  }
  if (!Number.isSafeInteger(opts.seq) || opts.seq < 1) {
    throw new DocumentError("seq_invalid", "The sequence starts at 1");
  }
  const fy = fiscalYearOf(opts.at).code;
  const seq = String(opts.seq).padStart(6, "0");
  return opts.kind === "invoice"
    ? `${opts.location}-${fy}-${seq}`
    : `${opts.location}-CN-${fy}-${seq}`;
}

/** Reads a number made by `documentNumber`; null for anything else. */
export function parseDocumentNumber(s: string): DocumentNumberParts | null {
  const m = /^([A-Z0-9]{2,8})-(?:(CN)-)?(\d{4})-(\d{6,})$/.exec(s);
  if (!m) return null;
  const seq = Number(m[4]);
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  const [a, b] = [Number(m[3].slice(0, 2)), Number(m[3].slice(2))];
  if ((a + 1) % 100 !== b) return null;
  return { kind: m[2] ? "credit_note" : "invoice", location: m[1], fiscalYearCode: m[3], seq };
}
