/**
 * Inventory's refusals: a ConflictError (409) with a code the pages translate
 * (messages.ts `errors`) and params for the message.
 */
import { ConflictError } from "@/services/platform/errors.ts";

export type InventoryErrorCode =
  | "unknown_item"
  | "unknown_location"
  | "unknown_lot"
  | "bad_qty"
  | "bad_date"
  | "short"
  | "not_released"
  | "expired"
  | "sku_taken"
  | "base_changed"
  | "lot_code_taken"
  | "bad_status";

export class InventoryError extends ConflictError {
  constructor(
    readonly code: InventoryErrorCode,
    message: string,
    readonly params: Record<string, unknown> = {},
    field?: string,
  ) {
    super(message, field);
    this.name = "InventoryError";
  }
}
