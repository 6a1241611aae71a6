/**
 * The accounting context's one CSV reader (csv-parse from npm): the opening balances import and
 * the bank statements and providers' settlement reports all read their files here. Quoted
 * fields may hold the delimiter, doubled quotes and line breaks; a byte-order mark is dropped;
 * rows keep the file's line number (where the row starts) for the problems shown to people.
 */
import { parse } from "csv-parse/sync";

export interface CsvRow {
  /** The line of the file where the row starts (1 = the first line). */
  line: number;
  cells: string[];
}

export type Delimiter = "," | ";" | "\t" | "|";

/** Rows of a CSV text (cells trimmed; blank lines skipped). Throws CsvSyntaxError. */
export function readCsv(text: string, delimiter: Delimiter | Delimiter[] = ","): CsvRow[] {
  try {
    const records = parse(text.replace(/^\uFEFF/, ""), {
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    // info.lines is the line the record ENDS on; a quoted line break adds to it.
    return records.map(({ record, info }) => ({ line: info.lines, cells: record }));
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    throw new CsvSyntaxError(err.lines ?? 0, err.message ?? String(e));
  }
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

/** Splits one CSV line (commas or semicolons, optional double quotes with "" inside). */
export function csvLineCells(line: string): string[] {
  try {
    return readCsv(line, [",", ";"])[0]?.cells ?? [""];
  } catch {
    return [line.trim()];
  }
}
