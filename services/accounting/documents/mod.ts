/**
 * Sales documents of the accounting context (issue 13 §3): Mushak 6.3 tax invoice and Mushak 6.7
 * credit note as a document model, printable HTML and PDF, and the serial numbering per fiscal
 * year and location. Pure functions: the ledger builds the inputs from its rows and calls these.
 */
export type {
  Bilingual,
  CreditNoteInput,
  DocLang,
  DocLine,
  InvoiceInput,
  Officer,
  Party,
} from "./types.ts";
export {
  type ComputedLine,
  computeLine,
  DocumentError,
  formatBin,
  rateAmount,
  type Totals,
  totalsOf,
} from "./compute.ts";
export { type DocColumn, type DocField, mushak63, mushak67, type SalesDocument } from "./mushak.ts";
export { PRINT_CSS, salesDocumentHtml, SalesDocumentView, type ViewOptions } from "./html.tsx";
export { fontPath } from "./pdf/fonts.ts";
export { type PdfOptions, salesDocumentPdf } from "./pdf/render.ts";
export {
  type DocumentKind,
  documentNumber,
  fiscalYear,
  fiscalYearOf,
  parseDocumentNumber,
} from "./numbering.ts";
