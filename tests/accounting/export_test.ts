/**
 * Exports (issue 13 §6, §7): the same table as CSV (UTF-8 with a BOM, quoted where needed, taka
 * with two decimals) and as XLSX that read-excel-file opens with the right cells (money as
 * numbers, Bangla text intact, totals after the rows).
 */
import { deepStrictEqual as equal, match, ok } from "node:assert/strict";
import readXlsxFile from "read-excel-file/universal";
import { type ExportTable, toCsv, toXlsx } from "@/services/accounting/mod.ts";

const table: ExportTable = {
  name: "mushak-6.2-2026-11-01-2026-11-30",
  title: "বিক্রয় হিসাব পুস্তক (মূসক ৬.২)",
  columns: [
    { label: "Date", kind: "date" },
    { label: "Buyer", kind: "text" },
    { label: "Qty", kind: "number" },
    { label: "Value", kind: "money" },
  ],
  rows: [
    ["2026-11-03", 'Rahim "Dairy", Mirpur', 3, 1_234_550],
    ["2026-11-04", "স্মার্ট ডেইরি ক্রেতা", null, -900],
  ],
  footer: [["Total", null, null, 1_233_650]],
};

Deno.test("CSV: BOM, header, quoted cells, taka with two decimals, totals last", () => {
  const csv = toCsv(table);
  ok(csv.startsWith("\uFEFF"));
  equal(csv.slice(1).split("\r\n"), [
    "Date,Buyer,Qty,Value",
    '2026-11-03,"Rahim ""Dairy"", Mirpur",3,12345.50',
    "2026-11-04,স্মার্ট ডেইরি ক্রেতা,,-9.00",
    "Total,,,12336.50",
    "",
  ]);
});

Deno.test("XLSX: read back with the library, the cells are what the table says", async () => {
  const bytes = await toXlsx(table);
  // A ZIP file (PK), as every XLSX.
  equal([bytes[0], bytes[1]], [0x50, 0x4b]);
  const sheets = await readXlsxFile(new Blob([bytes]));
  equal(sheets.length, 1);
  match(sheets[0].sheet, /^mushak-6\.2-2026-11-01-2026-1/);
  ok(sheets[0].sheet.length <= 31);
  equal(sheets[0].data, [
    ["বিক্রয় হিসাব পুস্তক (মূসক ৬.২)", null, null, null],
    ["Date", "Buyer", "Qty", "Value"],
    ["2026-11-03", 'Rahim "Dairy", Mirpur', 3, 12345.5],
    ["2026-11-04", "স্মার্ট ডেইরি ক্রেতা", null, -9],
    ["Total", null, null, 12336.5],
  ]);
});
