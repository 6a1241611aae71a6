/**
 * Accounting rules a person can act on (an unbalanced entry, a closed period, an unknown account
 * code…). Each carries a code (messages.ts has it in English and Bangla), parameters and the form
 * field it belongs to ("_" for the whole form).
 */
export type AccountingErrorCode =
  | "unbalanced"
  | "too_few_lines"
  | "line_amount"
  | "account_unknown"
  | "account_inactive"
  | "account_group"
  | "journal_unknown"
  | "period_closed"
  | "period_unknown"
  | "period_status"
  | "entry_unknown"
  | "already_reversed"
  | "code_taken"
  | "parent_invalid"
  | "opening_done"
  | "csv_invalid"
  | "year_unknown"
  | "year_status"
  | "year_later_closed"
  | "period_year_closed"
  | "invalid";

export class AccountingError extends Error {
  readonly status: number;
  constructor(
    readonly code: AccountingErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
    readonly field?: string,
  ) {
    super(message);
    this.name = "AccountingError";
    this.status = code === "entry_unknown" || code === "period_unknown" || code === "year_unknown"
      ? 404
      : code === "already_reversed" || code === "code_taken" || code === "opening_done" ||
          code === "period_status" || code === "year_status" || code === "year_later_closed" ||
          code === "period_year_closed"
      ? 409
      : 422;
  }
}
