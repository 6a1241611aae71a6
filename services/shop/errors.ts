/**
 * Business rule failures of the shop, with a code the pages translate (messages.ts `errors`) and
 * the HTTP status the web layer answers with. `detail` carries data for the message (e.g. which
 * products ran out).
 */
export const SHOP_ERROR_CODES = [
  "cart_empty",
  "out_of_stock",
  "variant_unavailable",
  "too_many",
  "zone_unavailable",
  "zone_not_covering",
  "address_mismatch",
  "slot_unavailable",
  "past_cutoff",
  "date_too_far",
  "min_order",
  "discount_invalid",
  "discount_not_started",
  "discount_expired",
  "discount_min_order",
  "discount_used_up",
  "discount_already_used",
  "not_found",
  "transition_not_allowed",
  "cutoff_passed",
  "payment_method_unavailable",
  "insufficient_balance",
  "nothing_to_pay",
  "refund_too_large",
  "refund_not_supported",
  "subscription_empty",
  "duplicate",
] as const;
export type ShopErrorCode = typeof SHOP_ERROR_CODES[number];

const STATUS: Partial<Record<ShopErrorCode, number>> = {
  not_found: 404,
  out_of_stock: 409,
  transition_not_allowed: 409,
  cutoff_passed: 409,
  duplicate: 409,
};

export class ShopError extends Error {
  readonly status: number;
  constructor(
    readonly code: ShopErrorCode,
    message?: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message ?? code.replaceAll("_", " "));
    this.name = "ShopError";
    this.status = STATUS[code] ?? 422;
  }
}
