/** Bank and wallets: the shapes the door hands out, the refusals, and the payments port. */
import { AccountingError } from "../errors.ts";
import type { CsvFormat, SettlementFormat } from "./formats.ts";

export type Provider = "bkash" | "nagad" | "sslcommerz";

export interface BankAccount {
  id: number;
  /** The ledger account (acc_accounts.id), its code and name. */
  accountId: number;
  code: string;
  accountName: string;
  kind: "bank" | "wallet";
  provider: Provider | null;
  bankName: string;
  accountNumber: string;
  /** Statement layout (banks) or settlement report layout (wallets). */
  format: CsvFormat | SettlementFormat;
  windowDays: number;
  openingBalanceMinor: number;
  settlesTo: number | null;
  active: boolean;
}

export interface StoredLine {
  id: number;
  bankAccountId: number;
  valueDate: string;
  amountMinor: number;
  reference: string;
  description: string;
  status: "unmatched" | "matched" | "posted";
  entryId: number | null;
  paymentId: string | null;
  matchedByName: string | null;
}

/** Something a statement line may stand for. */
export interface Candidate {
  /** "entry:<entry id>:<line no>" (a ledger line) or "payment:<id>" (a customer's transfer). */
  key: string;
  kind: "ledger" | "payment";
  date: string;
  amountMinor: number;
  /** What it is: the entry's memo, or the order's number. */
  label: string;
  /** The statement's reference or description names it (an order, invoice, settlement…). */
  refHit: boolean;
}

export interface ImportResult {
  importId: number;
  kind: "csv" | "camt053" | "settlement";
  lines: number;
  added: number;
  duplicates: number;
  matched: number;
  review: number;
  settlementsPosted: number;
}

/**
 * What accounting asks of the payments context (its door offers `bankTransfers`; contexts.ts
 * hands it over): customers' bank transfers waiting for their money, and applying a statement
 * credit to one of them (payments posts Dr bank / Cr receivable through the ledger port in its
 * own transaction, idempotently for the line).
 */
export interface BankTransfers {
  /** The order numbers a statement text names ("sd 2026 000123" → SD-2026-000123). */
  orderNumbersIn(text: string): string[];
  /** Open bank-transfer payments for these orders, or for exactly this amount (newest first). */
  open(q: { orderNumbers: string[]; amountMinor: number }): Promise<OpenTransfer[]>;
  /** Applies a statement credit; "succeeded" (or "duplicate" for the same line) when done. */
  applyCredit(
    paymentId: string,
    credit: { lineId: number; amountMinor: number },
    actorId: string | null,
  ): Promise<string>;
}

export interface OpenTransfer {
  paymentId: string;
  orderNumber: string | null;
  amountMinor: number;
  createdOn: string;
}

export type BankReason =
  | "bank_unknown"
  | "line_unknown"
  | "line_done"
  | "line_not_matched"
  | "candidate_gone"
  | "payment_refused"
  | "payments_bank_only"
  | "same_account"
  | "wallet_import"
  | "no_text";

/** A refusal a person can act on (bank/messages.ts words it in en and bn). */
export class BankError extends AccountingError {
  constructor(
    readonly reason: BankReason,
    message: string,
    params: Record<string, string | number> = {},
    field?: string,
  ) {
    super("invalid", message, params, field);
    this.name = "BankError";
  }
}
