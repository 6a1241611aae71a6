/**
 * Opening balances at go-live: a CSV with one account a line,
 *
 *   account_code,debit,credit
 *   1110,25000.00,
 *   3300,,25000
 *
 * Amounts are TAKA with up to two decimals (25000.5 = ৳25,000.50; no thousands separators unless
 * the field is quoted); one of debit or credit per line. A header line and blank lines are
 * skipped. Every line is checked (unknown account, heading, inactive, bad number, both or neither
 * amount) and the totals must balance; all problems come back at once with their line numbers.
 * The import posts one entry in the OPENING journal on the go-live date, and only one per fiscal
 * year (source "opening", reference = the fiscal year).
 */
import { appendAudit } from "@/services/audit/mod.ts";
import { inTx } from "@/services/platform/tx.ts";
import type { Db } from "@/services/platform/tx.ts";
import { isDate } from "@/services/platform/dhaka.ts";
import { csvLineCells } from "./csv.ts";
import { AccountingError } from "./errors.ts";
import { imbalance, takaToPoisha } from "./money.ts";
import { fiscalYearOf } from "./periods.ts";
import { postMany } from "./poster.ts";
import type { Actor, PostedEntry, PostingLine } from "./types.ts";

export type OpeningProblemCode =
  | "columns"
  | "account_unknown"
  | "account_group"
  | "account_inactive"
  | "amount"
  | "one_amount"
  | "unbalanced"
  | "empty"
  | "too_many";

export interface OpeningProblem {
  /** The CSV line (1 = the first line of the file); 0 for the file as a whole. */
  line: number;
  code: OpeningProblemCode;
  params: Record<string, string | number>;
  message: string;
}

/** The import was refused: every problem found, by line. */
export class OpeningImportError extends AccountingError {
  constructor(readonly problems: OpeningProblem[]) {
    super(
      "csv_invalid",
      problems.map((p) => (p.line ? `Line ${p.line}: ${p.message}` : p.message)).join("; "),
      {},
      "csv",
    );
    this.name = "OpeningImportError";
  }
}

/** Splits one CSV line (commas or semicolons, optional double quotes with "" inside). */
export const csvCells = csvLineCells;

export interface OpeningInput {
  csv: string;
  /** The go-live date (YYYY-MM-DD): the entry's date; its fiscal year gets one import. */
  date: string;
}

export async function importOpening(
  db: Db,
  input: OpeningInput,
  actor: Actor,
): Promise<PostedEntry> {
  if (!isDate(input.date)) {
    throw new AccountingError("invalid", "Enter a date as YYYY-MM-DD", {}, "date");
  }
  const fy = fiscalYearOf(input.date);
  const problems: OpeningProblem[] = [];
  const add = (
    line: number,
    code: OpeningProblemCode,
    message: string,
    params: Record<string, string | number> = {},
  ) => problems.push({ line, code, message, params: { line, ...params } });
  const rows: { line: number; code: string; debit: number; credit: number }[] = [];
  const text = input.csv.replace(/^\uFEFF/, "");
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 5001) {
    throw new OpeningImportError([{
      line: 0,
      code: "too_many",
      params: {},
      message: "At most 5,000 lines",
    }]);
  }
  lines.forEach((raw, i) => {
    const n = i + 1;
    if (!raw.trim() || raw.trim().startsWith("#")) return;
    const cells = csvCells(raw);
    if (rows.length === 0 && problems.length === 0 && /account|code|হিসাব/i.test(cells[0])) return;
    if (cells.length < 2 || cells.length > 3) {
      add(n, "columns", "Three columns: account code, debit, credit");
      return;
    }
    const [code, dText, cText = ""] = cells;
    const d = takaToPoisha(dText);
    const c = takaToPoisha(cText);
    if (d === null || c === null) {
      add(n, "amount", `"${d === null ? dText : cText}" is not an amount in taka`, {
        value: d === null ? dText : cText,
      });
      return;
    }
    if ((d === 0) === (c === 0)) {
      add(n, "one_amount", "Enter either a debit or a credit");
      return;
    }
    rows.push({ line: n, code: code.toUpperCase(), debit: d, credit: c });
  });
  const known = rows.length === 0
    ? []
    : await db<{ code: string; is_group: boolean; active: boolean }[]>`
        select code, is_group, active from acc_accounts
         where code = any(${[...new Set(rows.map((r) => r.code))]}::text[])`;
  const byCode = new Map(known.map((k) => [k.code, k]));
  for (const r of rows) {
    const a = byCode.get(r.code);
    if (!a) add(r.line, "account_unknown", `No account with code ${r.code}`, { code: r.code });
    else if (a.is_group) {
      add(r.line, "account_group", `${r.code} is a heading`, { code: r.code });
    } else if (!a.active) {
      add(r.line, "account_inactive", `The account ${r.code} is inactive`, { code: r.code });
    }
  }
  if (rows.length > 500) add(0, "too_many", "At most 500 lines", { max: 500 });
  const debit = rows.reduce((s, r) => s + r.debit, 0);
  const credit = rows.reduce((s, r) => s + r.credit, 0);
  if (rows.length + problems.length === 0) add(0, "empty", "The file has no lines");
  else if (debit !== credit) {
    add(0, "unbalanced", "Debits and credits differ", imbalance(debit, credit));
  }
  if (problems.length > 0) throw new OpeningImportError(problems);
  return await inTx(db, async (tx) => {
    const [done] = await tx<{ id: string }[]>`
      select id from acc_entries where source = 'opening' and source_ref = ${fy.code}`;
    const refuse = (id: number) =>
      new AccountingError(
        "opening_done",
        `Opening balances for ${fy.code} were imported already (entry ${id})`,
        { year: fy.code, id },
      );
    if (done) throw refuse(Number(done.id));
    const lines: PostingLine[] = rows.map((r) => ({
      account: r.code,
      debitMinor: r.debit || undefined,
      creditMinor: r.credit || undefined,
      memo: "Opening balance",
    }));
    const [posted] = await postMany(tx, [{
      source: "opening",
      sourceRef: fy.code,
      date: input.date,
      journal: "OPENING",
      memo: `Opening balances ${fy.code}`,
      lines,
      actor,
    }]);
    if (!posted.created) throw refuse(posted.id);
    await appendAudit(tx, {
      actorId: actor.id,
      action: "accounting.opening.import",
      entity: "acc_entry",
      entityId: posted.id,
      data: { fiscalYear: fy.code, lines: rows.length, totalMinor: debit },
    });
    return posted;
  });
}
