/**
 * The one payment provider interface every adapter implements, and the shapes that cross it.
 * A provider's word is only what its own API answers to our server (execute, validate, verify,
 * query): callbacks and redirects are just a cue to ask.
 */

export const PAYMENT_METHODS = [
  "bkash",
  "nagad",
  "sslcommerz",
  "bank_transfer",
  "cod",
  "balance",
] as const;
export type PaymentMethod = typeof PAYMENT_METHODS[number];
/** Methods that go through a provider's hosted page and API. */
export const ONLINE_METHODS = ["bkash", "nagad", "sslcommerz"] as const;
export type OnlineMethod = typeof ONLINE_METHODS[number];

export function isPaymentMethod(v: unknown): v is PaymentMethod {
  return typeof v === "string" && (PAYMENT_METHODS as readonly string[]).includes(v);
}
export function isOnlineMethod(v: unknown): v is OnlineMethod {
  return typeof v === "string" && (ONLINE_METHODS as readonly string[]).includes(v);
}

export type PaymentStatus =
  | "initiated"
  | "pending"
  | "succeeded"
  | "failed"
  | "cancelled"
  | "expired"
  | "held";

/** What payments may know of a customer's account (offered by identity's door). */
export interface PaymentPeople {
  contactOf(
    userId: string,
  ): Promise<{ displayName: string; email: string | null; phone: string | null } | null>;
}

/** What we hand a provider to start a payment. */
export interface StartInput {
  paymentId: string;
  /** Our reference for the attempt (merchantInvoiceNumber / orderId / tran_id). */
  merchantRef: string;
  amountMinor: number;
  currency: "BDT";
  /** Our public origin; callback URLs are built on it (…/webhooks/<provider>/…). */
  origin: string;
  customer: { name: string; phone: string; email?: string | null; address?: string; city?: string };
  description: string;
  /** The client's IP address (Nagad wants it in X-KM-IP-V4). */
  clientIp?: string;
}

export interface StartResult {
  /** The provider's id for the attempt (paymentID, paymentReferenceId, tran_id/sessionkey). */
  providerRef: string;
  /** Where to send the customer. */
  redirectUrl: string;
  details?: Record<string, unknown>;
}

/** The provider's answer about a payment, from its own API. */
export interface Verification {
  outcome: "succeeded" | "failed" | "cancelled" | "pending" | "expired";
  /** Amount the provider says was paid, in poisha (null when it did not say). */
  amountMinor: number | null;
  currency: string | null;
  /** Our merchant reference as the provider echoes it (must equal ours). */
  merchantRef: string | null;
  /** The provider's id of the money movement (trxID, bank_tran_id, issuerPaymentRefNo). */
  trxId: string | null;
  /** SSLCommerz risk_level 1: hold the order and check the customer. */
  risky?: boolean;
  /** A short reason for failures, for the customer and support. */
  reason?: string;
  raw: unknown;
}

/** A provider's answer that names no transaction (an error code, "no transaction yet"). */
export function withoutTransaction(
  outcome: Verification["outcome"],
  reason: string,
  raw: unknown,
): Verification {
  return {
    outcome,
    amountMinor: null,
    currency: null,
    merchantRef: null,
    trxId: null,
    reason,
    raw,
  };
}

export interface PaymentRef {
  id: string;
  merchantRef: string;
  providerRef: string | null;
  trxId: string | null;
  amountMinor: number;
}

export interface RefundResult {
  status: "succeeded" | "processing" | "failed";
  providerRefundRef: string | null;
  reason?: string;
  raw: unknown;
}

export interface PaymentProvider {
  readonly method: OnlineMethod;
  /** Registers the payment with the provider; returns where to send the customer. */
  start(input: StartInput): Promise<StartResult>;
  /**
   * The server-side confirmation after the customer came back (bKash execute, SSLCommerz
   * validation of val_id, Nagad verify), given the callback's fields. Implementations fall back
   * to `query` when the confirmation call fails or times out.
   */
  confirm(payment: PaymentRef, callback: Record<string, string>): Promise<Verification>;
  /** Asks the provider for the payment's current state (reconciliation, timeouts). */
  query(payment: PaymentRef): Promise<Verification>;
  /** Refunds part or all of a completed payment; null when the provider has no refund API. */
  refund:
    | ((payment: PaymentRef, amountMinor: number, reason: string, refundId: string) => Promise<
      RefundResult
    >)
    | null;
}

/** The provider could not be reached or answered nonsense: the outcome is unknown. */
export class ProviderUnavailableError extends Error {
  constructor(readonly method: string, message: string, options?: ErrorOptions) {
    super(`${method}: ${message}`, options);
    this.name = "ProviderUnavailableError";
  }
}

/**
 * The answer to a call that may have gone through unseen (a timeout, a dropped line), or null
 * when the provider was unavailable: the caller then asks with query() instead of guessing.
 */
export async function unlessUnavailable<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof ProviderUnavailableError) return null;
    throw e;
  }
}

/** "12.50" ↔ 1250 poisha: providers speak decimal strings with two places. */
export function toDecimal(minor: number): string {
  const sign = minor < 0 ? "-" : "";
  const a = Math.abs(minor);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")}`;
}

/** Parses a provider's decimal amount; null when it is not a plain decimal. */
export function fromDecimal(v: unknown): number | null {
  if (typeof v === "number") v = String(v);
  if (typeof v !== "string" || !/^\d{1,12}(\.\d{1,4})?$/.test(v.trim())) return null;
  const [t, f = ""] = v.trim().split(".");
  const frac = f.padEnd(4, "0");
  // Anything beyond the poisha must be zero, else the amount is not a whole number of poisha.
  if (frac.slice(2) !== "00") return null;
  return Number(t) * 100 + Number(frac.slice(0, 2));
}
