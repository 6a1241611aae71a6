/**
 * Every report and register as a table that exports the same way (issue 13 §6, §7): CSV (RFC
 * 4180, UTF-8 with a byte order mark so spreadsheet programs read Bangla) and XLSX (written by
 * write-excel-file: pure JavaScript, its one dependency fflate). Money columns are taka with two
 * decimals: text "1250.50" in CSV, a number formatted #,##0.00 in XLSX.
 */
import writeXlsxFile from "write-excel-file/universal";
import { poishaToTaka } from "./money.ts";

export type ColumnKind = "text" | "money" | "number" | "date";

export interface Column {
  label: string;
  kind: ColumnKind;
}

/** A cell: text, a whole number, or money in poisha (by the column's kind); null is empty. */
export type CellValue = string | number | null;

export interface ExportTable {
  /** Sheet name and file name stem (ASCII letters, digits, -). */
  name: string;
  title: string;
  columns: Column[];
  rows: CellValue[][];
  /** Rows shown bold after the data (totals). */
  footer?: CellValue[][];
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

function text(c: Column, v: CellValue): string {
  if (v === null || v === undefined) return "";
  if (c.kind === "money" && typeof v === "number") return poishaToTaka(v);
  return String(v);
}

export function toCsv(t: ExportTable): string {
  const lines = [t.columns.map((c) => csvCell(c.label)).join(",")];
  for (const r of [...t.rows, ...(t.footer ?? [])]) {
    lines.push(t.columns.map((c, i) => csvCell(text(c, r[i] ?? null))).join(","));
  }
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

function cell(c: Column, v: CellValue, bold = false) {
  if (v === null || v === undefined || v === "") return null;
  const fontWeight = bold ? ("bold" as const) : undefined;
  if (c.kind === "money" && typeof v === "number") {
    return { value: v / 100, type: Number, format: "#,##0.00", fontWeight };
  }
  if (c.kind === "number" && typeof v === "number") return { value: v, type: Number, fontWeight };
  return { value: String(v), type: String, fontWeight };
}

/** Sheet names: at most 31 characters, none of []:*?/\ . */
const sheetName = (s: string) => s.replace(/[[\]:*?/\\]/g, "-").slice(0, 31) || "Sheet1";

export async function toXlsx(t: ExportTable): Promise<Uint8Array<ArrayBuffer>> {
  const data = [
    [{ value: t.title, type: String, fontWeight: "bold" as const }],
    t.columns.map((c) => ({ value: c.label, type: String, fontWeight: "bold" as const })),
    ...t.rows.map((r) => t.columns.map((c, i) => cell(c, r[i] ?? null))),
    ...(t.footer ?? []).map((r) => t.columns.map((c, i) => cell(c, r[i] ?? null, true))),
  ];
  const out = writeXlsxFile(data as never, {
    sheet: sheetName(t.name),
    columns: t.columns.map((c) => ({ width: c.kind === "text" ? 36 : 16 })),
  } as never) as unknown as { toBlob(): Promise<Blob> };
  return new Uint8Array(await (await out.toBlob()).arrayBuffer());
}

export type ExportFormat = "csv" | "xlsx";

/** The file as an HTTP response (attachment). */
export async function exportResponse(t: ExportTable, format: ExportFormat): Promise<Response> {
  const stem = t.name.replace(/[^A-Za-z0-9_.-]/g, "-");
  if (format === "csv") {
    return new Response(toCsv(t), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${stem}.csv"`,
      },
    });
  }
  return new Response(await toXlsx(t), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="${stem}.xlsx"`,
    },
  });
}
