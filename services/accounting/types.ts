/** The accounting context's shared types. */

/** Who acts: a signed-in person (id) or a job (null id), with a name for the record. */
export interface Actor {
  id: string | null;
  name: string;
}

export const ACCOUNT_TYPES = ["asset", "liability", "equity", "income", "expense"] as const;
export type AccountType = typeof ACCOUNT_TYPES[number];

export const JOURNALS = ["SALES", "PURCHASE", "CASH", "BANK", "GENERAL", "OPENING"] as const;
export type JournalCode = typeof JOURNALS[number];

export interface Account {
  id: number;
  code: string;
  nameEn: string;
  nameBn: string;
  type: AccountType;
  parentId: number | null;
  parentCode: string | null;
  isGroup: boolean;
  active: boolean;
}

export interface Journal {
  code: JournalCode;
  nameEn: string;
  nameBn: string;
  kind: string;
}

/** One line of a posting: an account code and either a debit or a credit in poisha. */
export interface PostingLine {
  account: string;
  debitMinor?: number;
  creditMinor?: number;
  memo?: string;
  /** Whom the line concerns ("supplier:12", "customer:…"), free text up to 80 characters. */
  partnerRef?: string;
}

/** What a context asks the ledger to record (accounting.poster.post). */
export interface Posting {
  /** The kind of event: "shop.order", "payments.capture", "purchase.bill", "manual"… */
  source: string;
  /** The event's own reference: a repeated (source, sourceRef) posts once. */
  sourceRef: string;
  /** The accounting date (YYYY-MM-DD, Dhaka); its period must be open. */
  date: string;
  journal: JournalCode;
  memo?: string;
  lines: PostingLine[];
  actor?: Actor;
}

export interface PostedEntry {
  id: number;
  /** False when (source, sourceRef) had been posted before: this is that entry. */
  created: boolean;
  source: string;
  sourceRef: string;
  date: string;
  journal: string;
}

export interface EntryLine {
  lineNo: number;
  accountId: number;
  accountCode: string;
  accountNameEn: string;
  accountNameBn: string;
  debitMinor: number;
  creditMinor: number;
  memo: string;
  partnerRef: string | null;
}

export interface EntrySummary {
  id: number;
  journal: string;
  date: string;
  source: string;
  sourceRef: string;
  memo: string;
  totalMinor: number;
  reversalOf: number | null;
  reversedBy: number | null;
  /** The journal number, "SALES/2026-27/000123" (journal_numbers.ts). */
  number: string | null;
}

export interface Entry extends EntrySummary {
  lineCount: number;
  createdByName: string;
  postedAt: Date;
  lines: EntryLine[];
}

export interface Period {
  id: number;
  fiscalYear: string;
  startsOn: string;
  endsOn: string;
  status: "open" | "closed";
  changedAt: Date | null;
  changedByName: string | null;
}
