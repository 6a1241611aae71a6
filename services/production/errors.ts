/**
 * Production rules a person can act on (no bill of materials in force, stock short, an order in
 * the wrong state…). Each carries a code and parameters so the pages say it in English or Bangla
 * (`reasons` in services/production/messages.ts), an HTTP status, and an English message for logs.
 */
export type ProductionCode =
  | "no_bom"
  | "bom_date"
  | "unknown_item"
  | "main_input"
  | "not_planned"
  | "not_started"
  | "short"
  | "lot_unknown"
  | "lot_item"
  | "lot_status"
  | "lot_short"
  | "no_picks"
  | "byproduct_unknown";

export class ProductionError extends Error {
  constructor(
    readonly code: ProductionCode,
    message: string,
    readonly params: Record<string, string | number> = {},
    readonly field?: string,
    readonly status: number = code === "unknown_item" || code === "main_input" ||
        code === "no_picks" || code === "byproduct_unknown" || code === "bom_date"
      ? 422
      : 409,
  ) {
    super(message);
    this.name = "ProductionError";
  }
}
