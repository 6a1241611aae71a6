/**
 * Intake's refusals a person can act on, by code: the routes show `t.intake.errors[code]` (English
 * or Bangla) with `params` filled in; the English `message` is for logs and tests.
 */
export type IntakeErrorCode =
  | "unknown_farmer"
  | "unknown_point"
  | "inactive_farmer"
  | "no_chart"
  | "future_date"
  | "day_closed"
  | "duplicate_delivery"
  | "duplicate_receipt"
  | "nothing_to_receive"
  | "period_open"
  | "period_paid"
  | "duplicate_farmer"
  | "duplicate_point"
  | "duplicate_chart"
  | "already_paid"
  | "bad_code";

export class IntakeError extends Error {
  readonly status: number;
  constructor(
    readonly code: IntakeErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
    readonly field?: string,
    status = 409,
  ) {
    super(message);
    this.name = "IntakeError";
    this.status = status;
  }
}

/** Postgres unique violation (23505), on either driver. */
export function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string })?.code === "23505";
}
