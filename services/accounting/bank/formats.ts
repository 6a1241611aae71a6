/**
 * Reading bank statements and the providers' settlement reports (pure: text in, lines out).
 *
 * - CSV: a layout per bank account (`CsvFormat`: delimiter, header rows to skip, date format,
 *   1-based columns for the date, a signed amount or separate withdrawal/deposit columns, the
 *   reference, the description and an optional running balance). Presets give the usual layout
 *   of the internet-banking export of Dutch-Bangla, BRAC and City Bank and a plain generic one;
 *   the accountant adjusts the columns to the file the bank actually sends.
 * - camt.053 (ISO 20022 bank-to-customer statement, XML), read with fast-xml-parser.
 * - Settlement reports of bKash, Nagad and SSLCommerz: one line per settlement (date,
 *   settlement reference, gross, fee, net; gross = fee + net is checked).
 *
 * Every problem of a file comes back at once, each with its line number (BankImportError).
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import { CsvSyntaxError, type Delimiter, readCsv } from "../csv.ts";
import { AccountingError } from "../errors.ts";
import { takaToPoisha } from "../money.ts";
import { isDate } from "@/services/platform/dhaka.ts";

export const MAX_LINES = 5000;
export const MAX_BYTES = 2_000_000;

export const DATE_FORMATS = [
  "YYYY-MM-DD",
  "DD/MM/YYYY",
  "DD-MM-YYYY",
  "DD.MM.YYYY",
  "DD-MMM-YYYY",
  "MM/DD/YYYY",
] as const;
export type DateFormat = typeof DATE_FORMATS[number];
export const DELIMITERS: Delimiter[] = [",", ";", "\t", "|"];

const col = z.coerce.number().int().min(1).max(50);
const optCol = z.preprocess((v) => (v === "" || v === null ? undefined : v), col.optional());

export const csvFormatSchema = z.object({
  preset: z.string().max(20).optional(),
  delimiter: z.enum([",", ";", "\t", "|"]).default(","),
  headerRows: z.coerce.number().int().min(0).max(20).default(1),
  dateFormat: z.enum(DATE_FORMATS).default("YYYY-MM-DD"),
  date: col,
  amount: optCol,
  debit: optCol,
  credit: optCol,
  reference: optCol,
  description: optCol,
  balance: optCol,
}).refine((f) => f.amount !== undefined || (f.debit !== undefined && f.credit !== undefined), {
  message: "Give an amount column, or both a withdrawal and a deposit column",
  path: ["amount"],
});
export type CsvFormat = z.infer<typeof csvFormatSchema>;

export const settlementFormatSchema = z.object({
  preset: z.string().max(20).optional(),
  delimiter: z.enum([",", ";", "\t", "|"]).default(","),
  headerRows: z.coerce.number().int().min(0).max(20).default(1),
  dateFormat: z.enum(DATE_FORMATS).default("YYYY-MM-DD"),
  date: col,
  reference: col,
  gross: col,
  fee: col,
  net: col,
});
export type SettlementFormat = z.infer<typeof settlementFormatSchema>;

/** Statement layouts (columns are 1-based). */
export const CSV_PRESETS: Record<string, { label: string; format: CsvFormat; sample: string }> = {
  generic: {
    label: "Generic (date, amount, reference, description)",
    format: {
      preset: "generic",
      delimiter: ",",
      headerRows: 1,
      dateFormat: "YYYY-MM-DD",
      date: 1,
      amount: 2,
      reference: 3,
      description: 4,
    },
    sample: "date,amount,reference,description",
  },
  dbbl: {
    label: "Dutch-Bangla Bank (Txn Date, Description, Cheque/Ref No, Withdrawal, Deposit, Balance)",
    format: {
      preset: "dbbl",
      delimiter: ",",
      headerRows: 1,
      dateFormat: "DD/MM/YYYY",
      date: 1,
      description: 2,
      reference: 3,
      debit: 4,
      credit: 5,
      balance: 6,
    },
    sample: "Txn Date,Description,Cheque/Ref No,Withdrawal,Deposit,Balance",
  },
  brac: {
    label:
      "BRAC Bank (Tran Date, Value Date, Particulars, Cheque No, Withdrawal, Deposit, Balance)",
    format: {
      preset: "brac",
      delimiter: ",",
      headerRows: 1,
      dateFormat: "DD-MMM-YYYY",
      date: 2,
      description: 3,
      reference: 4,
      debit: 5,
      credit: 6,
      balance: 7,
    },
    sample: "Tran Date,Value Date,Particulars,Cheque No,Withdrawal,Deposit,Balance",
  },
  city: {
    label: "City Bank (Date; Ref No; Narration; Debit; Credit; Balance)",
    format: {
      preset: "city",
      delimiter: ";",
      headerRows: 1,
      dateFormat: "DD-MM-YYYY",
      date: 1,
      reference: 2,
      description: 3,
      debit: 4,
      credit: 5,
      balance: 6,
    },
    sample: "Date;Ref No;Narration;Debit;Credit;Balance",
  },
};

/** Settlement report layouts of the providers (columns are 1-based). */
export const SETTLEMENT_PRESETS: Record<
  "bkash" | "nagad" | "sslcommerz",
  { label: string; format: SettlementFormat; sample: string }
> = {
  bkash: {
    label: "bKash merchant settlement report",
    format: {
      preset: "bkash",
      delimiter: ",",
      headerRows: 1,
      dateFormat: "DD/MM/YYYY",
      date: 1,
      reference: 2,
      gross: 4,
      fee: 5,
      net: 6,
    },
    sample: "Settlement Date,Settlement ID,Transactions,Gross Amount,Fee,Net Amount",
  },
  nagad: {
    label: "Nagad merchant settlement report",
    format: {
      preset: "nagad",
      delimiter: ",",
      headerRows: 1,
      dateFormat: "DD-MM-YYYY",
      date: 1,
      reference: 2,
      gross: 3,
      fee: 4,
      net: 5,
    },
    sample: "Date,Batch No,Total Amount,Charge,Settled Amount",
  },
  sslcommerz: {
    label: "SSLCommerz settlement report",
    format: {
      preset: "sslcommerz",
      delimiter: ",",
      headerRows: 1,
      dateFormat: "YYYY-MM-DD",
      date: 1,
      reference: 2,
      gross: 3,
      fee: 4,
      net: 5,
    },
    sample: "settlement_date,batch_id,total_amount,total_fee,settled_amount",
  },
};

export type ProblemCode =
  | "empty"
  | "too_many"
  | "too_large"
  | "syntax"
  | "columns"
  | "date"
  | "amount"
  | "one_amount"
  | "zero"
  | "sum"
  | "reference"
  | "xml"
  | "camt"
  | "currency";

export interface ImportProblem {
  /** The file's line (1 = first); 0 for the file as a whole. */
  line: number;
  code: ProblemCode;
  params: Record<string, string | number>;
  message: string;
}

/** The file was refused: every problem found, by line. */
export class BankImportError extends AccountingError {
  constructor(readonly problems: ImportProblem[]) {
    super(
      "csv_invalid",
      problems.map((p) => (p.line ? `Line ${p.line}: ${p.message}` : p.message)).join("; "),
      {},
      "file",
    );
    this.name = "BankImportError";
  }
}

/** One line of a statement: signed (money into the account is positive). */
export interface StatementLine {
  line: number;
  valueDate: string;
  amountMinor: number;
  reference: string;
  description: string;
  balanceMinor: number | null;
}

export interface ParsedStatement {
  kind: "csv" | "camt053";
  lines: StatementLine[];
  /** The closing balance the file states, and its date (camt.053 CLBD, the last balance cell). */
  statedClosing: { minor: number; on: string } | null;
}

export interface SettlementLine {
  line: number;
  settledOn: string;
  reference: string;
  grossMinor: number;
  feeMinor: number;
  netMinor: number;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/** A date in the given format → YYYY-MM-DD, or null when it is not a real date. */
export function parseDate(text: string, format: DateFormat): string | null {
  const s = text.trim();
  let y: string, m: string, d: string;
  let r: RegExpExecArray | null;
  switch (format) {
    case "YYYY-MM-DD":
      r = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s);
      if (!r) return null;
      [, y, m, d] = r;
      break;
    case "DD/MM/YYYY":
    case "DD-MM-YYYY":
    case "DD.MM.YYYY": {
      const sep = format[2] === "." ? "\\." : format[2];
      r = new RegExp(`^(\\d{1,2})${sep}(\\d{1,2})${sep}(\\d{4})(?:\\s.*)?$`).exec(s);
      if (!r) return null;
      [, d, m, y] = r;
      break;
    }
    case "MM/DD/YYYY":
      r = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s.*)?$/.exec(s);
      if (!r) return null;
      [, m, d, y] = r;
      break;
    case "DD-MMM-YYYY": {
      r = /^(\d{1,2})[- ]([A-Za-z]{3})[- ](\d{2}|\d{4})$/.exec(s);
      if (!r) return null;
      const mi = MONTHS.indexOf(r[2].toUpperCase());
      if (mi < 0) return null;
      [d, m, y] = [r[1], String(mi + 1), r[3].length === 2 ? `20${r[3]}` : r[3]];
      break;
    }
  }
  const iso = `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
  return isDate(iso) ? iso : null;
}

/**
 * A signed taka amount as banks print it → poisha: "-1,250.50", "(1,250.50)", "1250.50 DR",
 * "৳560", "560.00 CR". Null when it is not one.
 */
export function parseSignedTaka(text: string): number | null {
  let s = text.trim().replace(/^৳|^BDT\s*/i, "").replace(/\s+/g, "");
  let neg = false;
  const suffix = /(CR|DR)\.?$/i.exec(s);
  if (suffix) {
    neg = suffix[1].toUpperCase() === "DR";
    s = s.slice(0, suffix.index);
  }
  if (/^\(.*\)$/.test(s)) {
    neg = !neg;
    s = s.slice(1, -1);
  } else if (s.startsWith("-")) {
    neg = !neg;
    s = s.slice(1);
  } else if (s.startsWith("+")) s = s.slice(1);
  if (s === "") return null;
  const v = takaToPoisha(s);
  if (v === null) return null;
  return neg ? -v : v;
}

type Adder = (
  line: number,
  code: ProblemCode,
  message: string,
  params?: Record<string, string | number>,
) => void;

function collector(): { problems: ImportProblem[]; add: Adder } {
  const problems: ImportProblem[] = [];
  const add: Adder = (line, code, message, params = {}) => {
    if (problems.length < 200) problems.push({ line, code, message, params: { line, ...params } });
  };
  return { problems, add };
}

/**
 * A CSV file's data rows: the header rows skipped, blank rows ignored, a row with fewer than `wanted`
 * columns reported (and left out), and reading stopped at MAX_LINES (`taken`: lines and problems
 * so far).
 */
function* dataRows(
  text: string,
  layout: { delimiter: Delimiter; headerRows: number },
  wanted: number,
  add: Adder,
  taken: () => number,
) {
  let skipped = 0;
  for (const row of rowsOf(text, layout.delimiter, add)) {
    if (skipped < layout.headerRows) {
      skipped++;
      continue;
    }
    if (row.cells.every((c) => c === "")) continue;
    if (taken() >= MAX_LINES) {
      add(0, "too_many", `At most ${MAX_LINES} lines per file`, { max: MAX_LINES });
      return;
    }
    if (row.cells.length < wanted) {
      add(row.line, "columns", `Expected at least ${wanted} columns, found ${row.cells.length}`, {
        expected: wanted,
        found: row.cells.length,
      });
      continue;
    }
    yield row;
  }
}

function rowsOf(text: string, delimiter: Delimiter, add: Adder) {
  if (text.length > MAX_BYTES) {
    add(0, "too_large", "The file is larger than 2 MB", { max: "2 MB" });
    return [];
  }
  try {
    return readCsv(text, delimiter);
  } catch (e) {
    if (e instanceof CsvSyntaxError) {
      add(e.line, "syntax", `The CSV cannot be read: ${e.message.slice(0, 120)}`, {
        detail: e.message.slice(0, 120),
      });
      return [];
    }
    throw e;
  }
}

/** The cell at a 1-based column ("" when the row is shorter). */
const cell = (cells: string[], n: number | undefined) => (n ? cells[n - 1] ?? "" : "");

/** The row's date as YYYY-MM-DD, or null with the problem reported. */
function dateOf(add: Adder, line: number, text: string, dateFormat: DateFormat): string | null {
  const date = parseDate(text, dateFormat);
  if (!date) {
    add(line, "date", `"${text.slice(0, 30)}" is not a date as ${dateFormat}`, {
      value: text.slice(0, 30),
      format: dateFormat,
    });
  }
  return date;
}

const notTaka = (add: Adder, line: number, text: string) =>
  add(line, "amount", `"${text.slice(0, 30)}" is not an amount in taka`, {
    value: text.slice(0, 30),
  });

/** Reads a CSV statement in the account's layout. */
export function parseCsvStatement(text: string, format: CsvFormat): ParsedStatement {
  const { problems, add } = collector();
  const wanted = Math.max(
    ...[format.date, format.amount, format.debit, format.credit].map((n) => n ?? 0),
  );
  const lines: StatementLine[] = [];
  const taken = () => lines.length + problems.length;
  for (const { line, cells } of dataRows(text, format, wanted, add, taken)) {
    const dateText = cell(cells, format.date);
    const amounts = format.amount
      ? [cell(cells, format.amount)]
      : [cell(cells, format.debit), cell(cells, format.credit)];
    // Banks print "Opening balance" / "Closing balance" rows without a date or an amount.
    if (!dateText && amounts.every((a) => !a || /^0+(\.0+)?$/.test(a))) continue;
    const date = dateOf(add, line, dateText, format.dateFormat);
    let ok = date !== null;
    let amount = 0;
    if (format.amount) {
      const v = parseSignedTaka(amounts[0]);
      if (v === null) {
        notTaka(add, line, amounts[0]);
        ok = false;
      } else amount = v;
    } else {
      const [dText, cText] = amounts;
      const d = dText === "" ? 0 : parseSignedTaka(dText);
      const c = cText === "" ? 0 : parseSignedTaka(cText);
      if (d === null || c === null) {
        notTaka(add, line, d === null ? dText : cText);
        ok = false;
      } else if (d !== 0 && c !== 0) {
        add(line, "one_amount", "Either a withdrawal or a deposit, not both");
        ok = false;
      } else amount = c !== 0 ? Math.abs(c) : -Math.abs(d);
    }
    if (ok && amount === 0) {
      add(line, "zero", "The amount is zero");
      ok = false;
    }
    let balance: number | null = null;
    if (format.balance && cell(cells, format.balance)) {
      balance = parseSignedTaka(cell(cells, format.balance));
      if (balance === null) {
        add(line, "amount", `"${cell(cells, format.balance).slice(0, 30)}" is not a balance`, {
          value: cell(cells, format.balance).slice(0, 30),
        });
        ok = false;
      }
    }
    if (!ok) continue;
    lines.push({
      line,
      valueDate: date!,
      amountMinor: amount,
      reference: cell(cells, format.reference).slice(0, 200),
      description: cell(cells, format.description).replace(/\s+/g, " ").slice(0, 300),
      balanceMinor: balance,
    });
  }
  if (lines.length + problems.length === 0) add(0, "empty", "The file has no statement lines");
  if (problems.length) throw new BankImportError(problems);
  const last = [...lines].reverse().find((l) => l.balanceMinor !== null);
  return {
    kind: "csv",
    lines,
    statedClosing: last ? { minor: last.balanceMinor!, on: last.valueDate } : null,
  };
}

/** Reads a settlement report in the provider's layout. */
export function parseSettlementReport(text: string, format: SettlementFormat): SettlementLine[] {
  const { problems, add } = collector();
  const wanted = Math.max(format.date, format.reference, format.gross, format.fee, format.net);
  const out: SettlementLine[] = [];
  const seen = new Map<string, number>();
  const taken = () => out.length + problems.length;
  for (const { line, cells } of dataRows(text, format, wanted, add, taken)) {
    const date = dateOf(add, line, cell(cells, format.date), format.dateFormat);
    let ok = date !== null;
    const reference = cell(cells, format.reference).slice(0, 80);
    if (!reference) {
      add(line, "reference", "The settlement reference is missing");
      ok = false;
    } else if (seen.has(reference)) {
      add(
        line,
        "reference",
        `Settlement ${reference} appears twice (line ${seen.get(reference)})`,
        {
          reference,
          first: seen.get(reference)!,
        },
      );
      ok = false;
    } else seen.set(reference, line);
    const money = (["gross", "fee", "net"] as const).map((k) => {
      const t = cell(cells, format[k]);
      const v = t === "" && k === "fee" ? 0 : takaToPoisha(t.replace(/^-/, ""));
      if (v === null) {
        notTaka(add, line, t);
        ok = false;
      }
      return v ?? 0;
    });
    const [gross, fee, net] = money;
    if (ok && (gross <= 0 || net <= 0)) {
      add(line, "zero", "The gross and net amounts must be more than zero");
      ok = false;
    }
    if (ok && gross !== fee + net) {
      add(line, "sum", "Gross is not fee plus net", {
        gross: gross / 100,
        fee: fee / 100,
        net: net / 100,
      });
      ok = false;
    }
    if (ok) {
      out.push({
        line,
        settledOn: date!,
        reference,
        grossMinor: gross,
        feeMinor: fee,
        netMinor: net,
      });
    }
  }
  if (out.length + problems.length === 0) add(0, "empty", "The file has no settlement lines");
  if (problems.length) throw new BankImportError(problems);
  return out;
}

// ---- camt.053 -----------------------------------------------------------------------------------

/** Whether a text looks like an ISO 20022 XML statement rather than CSV. */
export function looksLikeXml(text: string): boolean {
  return /^\s*(\uFEFF)?\s*</.test(text);
}

const asArray = <T>(
  v: T | T[] | undefined,
): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const textOf = (v: unknown): string => {
  if (v === undefined || v === null) return "";
  if (typeof v === "object") return String((v as Record<string, unknown>)["#text"] ?? "");
  return String(v);
};

type Node = Record<string, unknown>;
const get = (n: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Node)[k] : undefined), n);

/** Reads a camt.053 statement (one or more Stmt blocks; BDT only). */
export function parseCamt053(text: string): ParsedStatement {
  const { problems, add } = collector();
  if (text.length > MAX_BYTES) {
    throw new BankImportError([{
      line: 0,
      code: "too_large",
      params: { max: "2 MB" },
      message: "The file is larger than 2 MB",
    }]);
  }
  // A bank statement needs no document type: refusing one rules out entity expansion tricks.
  const doctype = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (doctype) {
    const line = text.slice(0, doctype.index).split("\n").length;
    throw new BankImportError([{
      line,
      code: "xml",
      params: { line, detail: "DOCTYPE and ENTITY declarations are not accepted" },
      message: "Not accepted: DOCTYPE and ENTITY declarations",
    }]);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new BankImportError([{
      line: valid.err.line,
      code: "xml",
      params: { line: valid.err.line, detail: valid.err.msg.slice(0, 120) },
      message: `Not well-formed XML: ${valid.err.msg.slice(0, 120)}`,
    }]);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
  });
  const doc = parser.parse(text) as Node;
  const stmts = asArray(get(doc, "Document", "BkToCstmrStmt", "Stmt") as Node | Node[]);
  if (stmts.length === 0) {
    throw new BankImportError([{
      line: 0,
      code: "camt",
      params: {},
      message: "Not a camt.053 statement (no Document/BkToCstmrStmt/Stmt)",
    }]);
  }
  // Entries carry no line numbers once parsed: find each <Ntry> opening tag's line in the text.
  const ntryLines: number[] = [];
  {
    const re = /<(?:[A-Za-z0-9_]+:)?Ntry[\s>]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) ntryLines.push(text.slice(0, m.index).split("\n").length);
  }
  const lines: StatementLine[] = [];
  let statedClosing: ParsedStatement["statedClosing"] = null;
  let k = 0;
  for (const st of stmts) {
    for (const bal of asArray(get(st, "Bal") as Node | Node[])) {
      const code = textOf(get(bal, "Tp", "CdOrPrtry", "Cd"));
      if (code !== "CLBD") continue;
      const amt = takaToPoisha(textOf(get(bal, "Amt")));
      const on = textOf(get(bal, "Dt", "Dt")) || textOf(get(bal, "Dt", "DtTm")).slice(0, 10);
      if (amt !== null && isDate(on)) {
        const sign = textOf(get(bal, "CdtDbtInd")) === "DBIT" ? -1 : 1;
        statedClosing = { minor: sign * amt, on };
      }
    }
    for (const e of asArray(get(st, "Ntry") as Node | Node[])) {
      const line = ntryLines[k++] ?? 0;
      if (lines.length + problems.length >= MAX_LINES) {
        add(0, "too_many", `At most ${MAX_LINES} lines per file`, { max: MAX_LINES });
        break;
      }
      const status = textOf(get(e, "Sts", "Cd")) || textOf(get(e, "Sts"));
      if (status && status !== "BOOK") continue; // pending or information only
      const amtNode = get(e, "Amt");
      const ccy = typeof amtNode === "object" ? String((amtNode as Node)["@Ccy"] ?? "BDT") : "BDT";
      let ok = true;
      if (ccy !== "BDT") {
        add(line, "currency", `The entry is in ${ccy.slice(0, 3)}, not BDT`, {
          currency: ccy.slice(0, 3),
        });
        ok = false;
      }
      const amt = takaToPoisha(textOf(amtNode));
      if (amt === null || amt === 0) {
        add(line, "amount", `"${textOf(amtNode).slice(0, 30)}" is not an amount in taka`, {
          value: textOf(amtNode).slice(0, 30),
        });
        ok = false;
      }
      const ind = textOf(get(e, "CdtDbtInd"));
      if (ind !== "CRDT" && ind !== "DBIT") {
        add(line, "camt", "CdtDbtInd must be CRDT or DBIT");
        ok = false;
      }
      const dateText = textOf(get(e, "ValDt", "Dt")) || textOf(get(e, "BookgDt", "Dt")) ||
        textOf(get(e, "ValDt", "DtTm")).slice(0, 10) ||
        textOf(get(e, "BookgDt", "DtTm")).slice(0, 10);
      if (!isDate(dateText)) {
        add(line, "date", `"${dateText.slice(0, 30)}" is not a date as YYYY-MM-DD`, {
          value: dateText.slice(0, 30),
          format: "YYYY-MM-DD",
        });
        ok = false;
      }
      if (!ok) continue;
      const tx = asArray(get(e, "NtryDtls", "TxDtls") as Node | Node[])[0];
      const e2e = textOf(get(tx, "Refs", "EndToEndId"));
      const ustrd = asArray(get(tx, "RmtInf", "Ustrd") as unknown).map(textOf).join(" ").trim();
      const reference = (e2e && e2e !== "NOTPROVIDED" ? e2e : "") ||
        textOf(get(e, "NtryRef")) || textOf(get(e, "AcctSvcrRef"));
      const description = textOf(get(e, "AddtlNtryInf")) || ustrd;
      lines.push({
        line,
        valueDate: dateText,
        amountMinor: ind === "DBIT" ? -amt! : amt!,
        reference: reference.slice(0, 200),
        description: description.replace(/\s+/g, " ").slice(0, 300),
        balanceMinor: null,
      });
    }
  }
  if (lines.length + problems.length === 0) add(0, "empty", "The statement has no booked entries");
  if (problems.length) throw new BankImportError(problems);
  return { kind: "camt053", lines, statedClosing };
}

/** Reads a statement: camt.053 when the text is XML, else CSV in the account's layout. */
export function parseStatement(text: string, format: CsvFormat): ParsedStatement {
  return looksLikeXml(text) ? parseCamt053(text) : parseCsvStatement(text, format);
}

/** The stored layout of an account (a preset name, with any columns the accountant changed). */
export function csvFormatOf(stored: unknown): CsvFormat {
  const s = (stored ?? {}) as Partial<CsvFormat>;
  const base = CSV_PRESETS[s.preset ?? ""]?.format ?? CSV_PRESETS.generic.format;
  // A full layout (the accountant's columns) stands alone; a bare preset name takes the preset.
  const parsed = csvFormatSchema.safeParse(s.date ? s : base);
  return parsed.success ? parsed.data : base;
}

export function settlementFormatOf(
  provider: "bkash" | "nagad" | "sslcommerz",
  stored: unknown,
): SettlementFormat {
  const s = (stored ?? {}) as Partial<SettlementFormat>;
  const base = SETTLEMENT_PRESETS[provider].format;
  const parsed = settlementFormatSchema.safeParse(s.date ? s : base);
  return parsed.success ? parsed.data : base;
}
