/**
 * Purchasing rules a person can act on (a BIN of the wrong length, a receipt above the order,
 * a bill approved without a reason…). Each carries a code (services/purchase/messages.ts has it
 * in English and Bangla), parameters and the form field it belongs to.
 */
export type PurchaseErrorCode =
  | "bin_invalid"
  | "bin_taken"
  | "name_taken"
  | "item_unknown"
  | "unit_mismatch"
  | "qty_invalid"
  | "supplier_unknown"
  | "supplier_inactive"
  | "no_price"
  | "order_unknown"
  | "order_status"
  | "order_empty"
  | "over_receipt"
  | "location_unknown"
  | "nothing_received"
  | "bill_taken"
  | "bill_empty"
  | "bill_line_unknown"
  | "reason_required"
  | "bill_status"
  | "request_status"
  | "no_proposal"
  | "invalid";

export class PurchaseError extends Error {
  readonly status: number;
  constructor(
    readonly code: PurchaseErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
    readonly field?: string,
  ) {
    super(message);
    this.name = "PurchaseError";
    this.status = code === "order_unknown" || code === "supplier_unknown"
      ? 404
      : code === "invalid"
      ? 422
      : code.endsWith("_status") || code.endsWith("_taken") || code === "over_receipt"
      ? 409
      : 422;
  }
}
