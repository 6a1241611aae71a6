/**
 * Money in and out for shop customers → journal entries (pure).
 *
 * - A payment that succeeded: Dr the method's account (bKash 1160, Nagad 1161, SSLCommerz 1162,
 *   bank transfer 1151, the prepaid balance 2200) / Cr 1220 receivables (an order) or 2200
 *   customer prepaid balances (a top-up). Paid before delivery, the customer's receivable stands
 *   in credit (an advance) until the sale is posted at delivery.
 * - A refund that succeeded: the reverse of its payment, out of the same account.
 * - Cash on delivery: what the rider collected Dr 1120 cash with riders / Cr 1220; what the rider
 *   handed in Dr 1110 cash in hand / Cr 1120. A corrected figure posts the difference.
 *
 * Providers settle to the bank later, net of their fee (a settlement entry, not here).
 */
import type { JournalCode, Posting, PostingLine } from "../types.ts";
import { ACC } from "./accounts.ts";

export type MoneyMethod =
  | "bkash"
  | "nagad"
  | "sslcommerz"
  | "bank_transfer"
  | "cod"
  | "balance";

/** Where the money of a method is (cash on delivery: with the rider). */
export const METHOD_ACCOUNT: Record<MoneyMethod, string> = {
  bkash: ACC.bkash,
  nagad: ACC.nagad,
  sslcommerz: ACC.sslcommerz,
  bank_transfer: ACC.bank,
  cod: ACC.riderCash,
  balance: ACC.prepaid,
};

const journalOf = (m: MoneyMethod): JournalCode =>
  m === "cod" ? "CASH" : m === "balance" ? "GENERAL" : "BANK";

export interface PaymentEvent {
  paymentId: string;
  method: MoneyMethod;
  purpose: "order" | "topup" | "account";
  amountMinor: number;
  orderNumber?: string | null;
  userId?: string | null;
  /** A payment on account: the receivable's party ("b2b:17"), in the payment's details. */
  details?: { party?: unknown };
}

export interface RefundEvent extends Omit<PaymentEvent, "paymentId"> {
  refundId: string;
  paymentId: string;
}

function partyOf(e: PaymentEvent): { account: string; partnerRef?: string } {
  if (e.purpose === "account") {
    // On account: the business's trade receivable (1210), which its invoices on account charge.
    return { account: "1210", partnerRef: String(e.details?.party ?? "") || undefined };
  }
  if (e.purpose === "topup") {
    return { account: ACC.prepaid, partnerRef: e.userId ? `customer:${e.userId}` : undefined };
  }
  return {
    account: ACC.shopReceivable,
    partnerRef: e.orderNumber ? `order:${e.orderNumber}` : undefined,
  };
}

export function paymentEntry(e: PaymentEvent, date: string): Posting | null {
  if (!(e.amountMinor > 0)) return null;
  const money = METHOD_ACCOUNT[e.method];
  const party = partyOf(e);
  if (money === party.account) return null;
  const what = e.purpose === "topup"
    ? "Balance top-up"
    : e.purpose === "account"
    ? `Payment on account ${String(e.details?.party ?? "")}`.trim()
    : `Order ${e.orderNumber ?? ""}`.trim();
  return {
    source: "payments.payment",
    sourceRef: e.paymentId,
    date,
    journal: journalOf(e.method),
    memo: `${what} paid by ${e.method}`,
    lines: [
      {
        account: money,
        debitMinor: e.amountMinor,
        partnerRef: e.method === "balance" && e.userId ? `customer:${e.userId}` : undefined,
      },
      { ...party, creditMinor: e.amountMinor },
    ],
  };
}

export function refundEntry(e: RefundEvent, date: string): Posting | null {
  if (!(e.amountMinor > 0)) return null;
  const money = METHOD_ACCOUNT[e.method];
  const party = partyOf(e);
  if (money === party.account) return null;
  return {
    source: "payments.refund",
    sourceRef: e.refundId,
    date,
    journal: journalOf(e.method),
    memo: `Refund of ${
      e.purpose === "topup" ? "a balance top-up" : `order ${e.orderNumber ?? ""}`.trim()
    } (${e.method})`,
    lines: [
      { ...party, debitMinor: e.amountMinor },
      {
        account: money,
        creditMinor: e.amountMinor,
        partnerRef: e.method === "balance" && e.userId ? `customer:${e.userId}` : undefined,
      },
    ],
  };
}

/** Moves `delta` poisha from `from` to `to` (a negative delta moves it back). */
function move(
  to: PostingLine,
  from: PostingLine,
  delta: number,
): PostingLine[] {
  const a = Math.abs(delta);
  return delta > 0
    ? [{ ...to, debitMinor: a }, { ...from, creditMinor: a }]
    : [{ ...to, creditMinor: a }, { ...from, debitMinor: a }];
}

export interface CodCollectedEvent {
  orderId: string;
  orderNumber: string;
  rider: string;
  /** The change in what the rider collected for the order (a correction may be negative). */
  deltaMinor: number;
  /** Tells one recording apart from the next (the recording transaction). */
  key: string;
}

export function codCollectedEntry(e: CodCollectedEvent, date: string): Posting | null {
  if (!e.deltaMinor) return null;
  return {
    source: "payments.cod",
    sourceRef: `${e.orderId}:${e.key}`,
    date,
    journal: "CASH",
    memo: `Cash collected by ${e.rider.slice(0, 60)} for order ${e.orderNumber}`,
    lines: move(
      { account: ACC.riderCash, partnerRef: `rider:${e.rider.slice(0, 70)}` },
      { account: ACC.shopReceivable, partnerRef: `order:${e.orderNumber}` },
      e.deltaMinor,
    ),
  };
}

export interface CodHandinEvent {
  rider: string;
  /** The day the cash is for (YYYY-MM-DD). */
  day: string;
  /** The change in what the rider handed in that day (a correction may be negative). */
  deltaMinor: number;
  key: string;
}

export function codHandinEntry(e: CodHandinEvent, date: string): Posting | null {
  if (!e.deltaMinor) return null;
  return {
    source: "payments.handin",
    sourceRef: `${e.day}:${e.key}:${e.rider}`.slice(0, 120),
    date,
    journal: "CASH",
    memo: `Cash handed in by ${e.rider.slice(0, 60)} for ${e.day}`,
    lines: move(
      { account: ACC.cash },
      { account: ACC.riderCash, partnerRef: `rider:${e.rider.slice(0, 70)}` },
      e.deltaMinor,
    ),
  };
}
