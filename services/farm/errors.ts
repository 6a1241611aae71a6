/**
 * Farm rules a person can act on: an entry for an animal that has left the herd, a cow that is
 * not in milk, a calf tag already in use… Each carries a code and parameters so that the pages
 * and the offline recorder can show it in English or Bangla (services/farm/messages.ts), and an
 * English message for logs and the sync ledger.
 */
export type FarmRuleCode =
  | "animal_unknown"
  | "animal_exited"
  | "not_female"
  | "not_in_milk"
  | "dried_off"
  | "already_dry"
  | "do_not_breed"
  | "calved_recently"
  | "no_service"
  | "tag_taken"
  | "rfid_taken"
  | "bull_unknown"
  | "medicine_unknown"
  | "group_unknown"
  | "feed_unknown"
  | "future_date"
  | "too_old"
  | "before_birth"
  | "forbidden"
  | "invalid"
  | "stock_short"
  | "no_stock"
  | "lot_held"
  | "lot_expired"
  | "lot_wrong"
  | "stock_link"
  | "stock_unit";

export class FarmRuleError extends Error {
  readonly status: number;
  constructor(
    readonly code: FarmRuleCode,
    message: string,
    readonly params: Record<string, string | number> = {},
    readonly field?: string,
  ) {
    super(message);
    this.name = "FarmRuleError";
    this.status = code === "forbidden" ? 403 : code === "invalid" ? 422 : 409;
  }
}
