/**
 * Plain inputs of the sales documents (Mushak 6.3 tax invoice, Mushak 6.7 credit note). The
 * ledger builds these from its own rows; nothing here reads a table. Money is integer poisha,
 * rates are basis points (15 % = 1500, 7.5 % = 750), quantities are decimal strings or numbers
 * with at most three decimals ("2.5" kg).
 */

export type DocLang = "en" | "bn";

/** A text in both languages; `bn` may be left out where only an English text exists. */
export interface Bilingual {
  en: string;
  bn?: string;
}

export interface Party {
  /** Registered name (seller) or name (buyer). */
  name: Bilingual;
  /** Business Identification Number: 13 digits, shown as NNNNNNNNN-NNNN; null when unregistered. */
  bin: string | null;
  /** Seller: the issuing address; buyer: the delivery destination. */
  address: Bilingual;
}

export interface DocLine {
  /** Description with the brand, e.g. "Smart Dairy mishti doi 500 g" / "স্মার্ট ডেইরি মিষ্টি দই ৫০০ গ্রাম". */
  description: Bilingual;
  /** Unit of supply, e.g. { en: "pcs", bn: "টি" }. */
  unit: Bilingual;
  quantity: string | number;
  /** Unit price excluding SD and VAT, poisha. */
  unitPriceMinor: number;
  /** Discount on the line, poisha (default 0). */
  discountMinor?: number;
  /** Supplementary duty rate in basis points (default 0). */
  sdRateBp?: number;
  /** VAT rate in basis points (1500 = 15 %). */
  vatRateBp: number;
  /**
   * Amounts the caller already computed (e.g. stored on the ledger's invoice line). When given
   * they must equal what the rounding rule yields, or the document is refused: a printed
   * invoice that disagrees with the books is worse than none.
   */
  sdMinor?: number;
  vatMinor?: number;
  totalMinor?: number;
  /**
   * Retail prices (the shop's): `unitPriceMinor` and `discountMinor` include VAT and the line's
   * VAT is the part of what is paid for it, total × rate / (1 + rate), rounded half up, as the
   * shop priced the order. The value columns are then shown without VAT. No SD on such lines.
   */
  vatIncluded?: boolean;
}

export interface Officer {
  name: Bilingual;
  designation: Bilingual;
}

/** What a tax invoice and a credit note both state. */
export interface DocumentInput {
  lang: DocLang;
  seller: Party;
  buyer: Party;
  /** The serial number from `documentNumber` (e.g. "DHK-2627-000042", "DHK-CN-2627-000007"). */
  number: string;
  /** Instant of issue; shown as the Dhaka date and time. */
  issuedAt: Date;
  /** The supplying location whose series the number belongs to. */
  location: { code: string; name: Bilingual };
  /** A credit note's lines are the returned or reduced ones: what is credited (positive numbers). */
  lines: DocLine[];
  officer: Officer;
  /** Vehicle type and number, when the goods travel with the document. */
  vehicle?: string;
}

export interface InvoiceInput extends DocumentInput {
  /** The buyer deducts VAT at source: the invoice then also serves as the withholding certificate. */
  buyerWithholds?: boolean;
}

export interface CreditNoteInput extends DocumentInput {
  /** The Mushak 6.3 being adjusted. */
  original: { number: string; issuedAt: Date };
  reason: Bilingual;
}
