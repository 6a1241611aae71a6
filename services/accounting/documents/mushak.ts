/**
 * The document model: `mushak63(invoice)` and `mushak67(creditNote)` turn plain inputs into the
 * laid-out fields of the form, every text already in the document's language (amounts as ৳ with
 * Bangla or English digits). The HTML and PDF renderers draw this model and nothing else, so both
 * print the same fields.
 */
import { formatTaka } from "@/services/i18n/mod.ts";
import { toBanglaDigits } from "@/services/i18n/digits.ts";
import { dhakaDate, dhakaTime } from "@/services/platform/dhaka.ts";
import {
  type ComputedLine,
  computeLine,
  DocumentError,
  formatBin,
  quantityText,
  type Totals,
  totalsOf,
} from "./compute.ts";
import { L } from "./labels.ts";
import type {
  Bilingual,
  CreditNoteInput,
  DocLang,
  DocumentInput,
  InvoiceInput,
  Party,
} from "./types.ts";

export interface DocField {
  key: string;
  label: string;
  value: string;
}

export type ColumnKey =
  | "sl"
  | "description"
  | "unit"
  | "quantity"
  | "unitPrice"
  | "value"
  | "discount"
  | "valueAfterDiscount"
  | "sdRate"
  | "sd"
  | "vatRate"
  | "vat"
  | "total";

export interface DocColumn {
  key: ColumnKey;
  label: string;
  align: "left" | "right" | "center";
  /** Relative width used by both renderers. */
  width: number;
}

export interface DocCell {
  text: string;
  /** A second line in the other language (descriptions only). */
  sub?: string;
}

export type DocRow = Record<ColumnKey, DocCell>;

export interface SalesDocument {
  form: "6.3" | "6.7";
  lang: DocLang;
  /** Government and NBR lines above the title. */
  heading: string[];
  title: string;
  formCode: string;
  /** The two printed copies, in order. */
  copies: { key: "original" | "duplicate"; label: string }[];
  number: string;
  seller: DocField[];
  buyer: DocField[];
  meta: DocField[];
  /** Mushak 6.7 only: the original tax invoice's number and date, and the reason. */
  adjustment: DocField[];
  columns: DocColumn[];
  rows: DocRow[];
  /** The totals row: amount columns only, the others empty. */
  totals: Partial<Record<ColumnKey, string>>;
  totalsLabel: string;
  notes: string[];
  signature: DocField[];
  /** The numbers behind the texts, for the ledger and for tests. */
  amounts: { lines: ComputedLine[]; totals: Totals };
}

const pick = (b: Bilingual, lang: DocLang) => (lang === "bn" ? (b.bn ?? b.en) : b.en);
const other = (b: Bilingual, lang: DocLang) => {
  const o = lang === "bn" ? b.en : b.bn;
  return o && o !== pick(b, lang) ? o : undefined;
};
const digits = (s: string, lang: DocLang) => (lang === "bn" ? toBanglaDigits(s) : s);

/** 1500 bp → "15%", 750 → "7.5%". */
export function rateText(bp: number, lang: DocLang): string {
  const pct = (bp / 100).toFixed(2).replace(/\.?0+$/, "");
  return digits(`${pct}%`, lang);
}

/** Dhaka calendar date as DD/MM/YYYY. */
export function dateText(at: Date, lang: DocLang): string {
  const [y, m, d] = dhakaDate(at).split("-");
  return digits(`${d}/${m}/${y}`, lang);
}

export function timeText(at: Date, lang: DocLang): string {
  return digits(dhakaTime(at), lang);
}

const money = (minor: number, lang: DocLang) => formatTaka(minor, lang);

function binText(p: Party, lang: DocLang, required: boolean, who: string): string {
  if (p.bin === null || p.bin.trim() === "") {
    if (required) throw new DocumentError("bin_required", `The ${who}'s BIN is required`);
    return pick(L.unregistered, lang);
  }
  return formatBin(p.bin); // identifiers stay in Latin digits, as VAT Online and the buyer's books hold them
}

function requireText(b: Bilingual | undefined, what: string): Bilingual {
  if (!b || !b.en || !b.en.trim()) throw new DocumentError("field_required", `${what} is required`);
  return b;
}

const COLUMNS: Omit<DocColumn, "label">[] = [
  { key: "sl", align: "center", width: 3 },
  { key: "description", align: "left", width: 20 },
  { key: "unit", align: "center", width: 5 },
  { key: "quantity", align: "right", width: 6 },
  { key: "unitPrice", align: "right", width: 8 },
  { key: "value", align: "right", width: 9 },
  { key: "discount", align: "right", width: 7 },
  { key: "valueAfterDiscount", align: "right", width: 9 },
  { key: "sdRate", align: "right", width: 5 },
  { key: "sd", align: "right", width: 7 },
  { key: "vatRate", align: "right", width: 5 },
  { key: "vat", align: "right", width: 8 },
  { key: "total", align: "right", width: 10 },
];

function build(
  form: "6.3" | "6.7",
  input: DocumentInput,
  adjustment: DocField[],
  notes: string[],
): SalesDocument {
  const lang = input.lang;
  if (lang !== "en" && lang !== "bn") {
    throw new DocumentError("lang_invalid", "Language is en or bn");
  }
  if (!input.number?.trim()) {
    throw new DocumentError("field_required", "The document number is required");
  }
  if (!(input.issuedAt instanceof Date) || Number.isNaN(input.issuedAt.getTime())) {
    throw new DocumentError("field_required", "The time of issue is required");
  }
  if (!input.lines?.length) {
    throw new DocumentError("lines_required", "A document needs at least one line");
  }
  const t = (b: Bilingual) => pick(b, lang);
  const seller = input.seller, buyer = input.buyer;
  requireText(seller?.name, "The seller's name");
  requireText(seller?.address, "The seller's address");
  requireText(buyer?.name, "The buyer's name");
  requireText(buyer?.address, "The destination of supply");
  requireText(input.officer?.name, "The responsible officer's name");
  requireText(input.officer?.designation, "The responsible officer's designation");

  const computed = input.lines.map((l, i) => {
    requireText(l.description, `Line ${i + 1}: the description`);
    requireText(l.unit, `Line ${i + 1}: the unit`);
    return computeLine(l, i);
  });
  const totals = totalsOf(computed);
  const credit = form === "6.7";
  const columns: DocColumn[] = COLUMNS.map((c) => {
    const label = credit && c.key in L.creditCols
      ? L.creditCols[c.key as keyof typeof L.creditCols]
      : L.col[c.key];
    return { ...c, label: t(label) };
  });
  const rows: DocRow[] = computed.map((c, i) => {
    const line = input.lines[i];
    return {
      sl: { text: digits(String(i + 1), lang) },
      description: { text: t(line.description), sub: other(line.description, lang) },
      unit: { text: t(line.unit) },
      quantity: { text: digits(quantityText(c.quantityMilli), lang) },
      unitPrice: { text: money(c.unitPriceMinor, lang) },
      value: { text: money(c.valueMinor, lang) },
      discount: { text: money(c.discountMinor, lang) },
      valueAfterDiscount: { text: money(c.valueAfterDiscountMinor, lang) },
      sdRate: { text: rateText(c.sdRateBp, lang) },
      sd: { text: money(c.sdMinor, lang) },
      vatRate: { text: rateText(c.vatRateBp, lang) },
      vat: { text: money(c.vatMinor, lang) },
      total: { text: money(c.totalMinor, lang) },
    };
  });
  const meta: DocField[] = [
    {
      key: "number",
      label: t(credit ? L.creditNumber : L.invoiceNumber),
      value: input.number, // Latin letters and digits, as stored: searchable and copyable
    },
    { key: "issueDate", label: t(L.issueDate), value: dateText(input.issuedAt, lang) },
    { key: "issueTime", label: t(L.issueTime), value: timeText(input.issuedAt, lang) },
    {
      key: "location",
      label: t(L.location),
      value: `${
        t(requireText(input.location?.name, "The issuing location"))
      } (${input.location.code})`,
    },
  ];
  return {
    form,
    lang,
    heading: [t(L.govt), t(L.nbr)],
    title: t(credit ? L.creditTitle : L.invoiceTitle),
    formCode: t(credit ? L.form67 : L.form63),
    copies: [
      { key: "original", label: t(L.original) },
      { key: "duplicate", label: t(L.duplicate) },
    ],
    number: input.number,
    seller: [
      { key: "sellerName", label: t(L.sellerName), value: t(seller.name) },
      { key: "sellerBin", label: t(L.sellerBin), value: binText(seller, lang, true, "seller") },
      { key: "sellerAddress", label: t(L.sellerAddress), value: t(seller.address) },
    ],
    buyer: [
      { key: "buyerName", label: t(L.buyerName), value: t(buyer.name) },
      { key: "buyerBin", label: t(L.buyerBin), value: binText(buyer, lang, false, "buyer") },
      { key: "buyerAddress", label: t(L.buyerAddress), value: t(buyer.address) },
      ...(input.vehicle ? [{ key: "vehicle", label: t(L.vehicle), value: input.vehicle }] : []),
    ],
    meta,
    adjustment,
    columns,
    rows,
    totals: {
      value: money(totals.valueMinor, lang),
      discount: money(totals.discountMinor, lang),
      valueAfterDiscount: money(totals.valueAfterDiscountMinor, lang),
      sd: money(totals.sdMinor, lang),
      vat: money(totals.vatMinor, lang),
      total: money(totals.totalMinor, lang),
    },
    totalsLabel: t(L.totals),
    notes: [
      t(L.rounding),
      ...(input.lines.some((l) => l.vatIncluded) ? [t(L.vatIncluded)] : []),
      ...notes,
    ],
    signature: [
      { key: "officerName", label: t(L.officerName), value: t(input.officer.name) },
      {
        key: "officerDesignation",
        label: t(L.officerDesignation),
        value: t(input.officer.designation),
      },
      { key: "signature", label: t(L.signature), value: "" },
    ],
    amounts: { lines: computed, totals },
  };
}

/** Mushak 6.3, the tax invoice (one per supply, two copies). */
export function mushak63(invoice: InvoiceInput): SalesDocument {
  const notes = invoice.buyerWithholds ? [pick(L.withholding, invoice.lang)] : [];
  return build("6.3", invoice, [], notes);
}

/** Mushak 6.7, the credit note: names the original 6.3 and the reason; amounts are credited. */
export function mushak67(note: CreditNoteInput): SalesDocument {
  const lang = note.lang;
  if (!note.original?.number?.trim()) {
    throw new DocumentError("original_required", "The original tax invoice number is required");
  }
  if (!(note.original.issuedAt instanceof Date) || Number.isNaN(note.original.issuedAt.getTime())) {
    throw new DocumentError("original_required", "The original tax invoice date is required");
  }
  if (note.original.issuedAt.getTime() > note.issuedAt.getTime()) {
    throw new DocumentError(
      "original_after_note",
      "The original invoice cannot be later than the credit note",
    );
  }
  const reason = requireText(note.reason, "The reason for the credit note");
  return build("6.7", note, [
    { key: "originalNumber", label: pick(L.originalNumber, lang), value: note.original.number },
    {
      key: "originalDate",
      label: pick(L.originalDate, lang),
      value: dateText(note.original.issuedAt, lang),
    },
    { key: "reason", label: pick(L.reason, lang), value: pick(reason, lang) },
  ], [pick(L.creditEffect, lang)]);
}
