/** Rows of shop_payments and their event trail: the storage side of payments. */
import type { Queryable, Tx } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import type { PaymentMethod, PaymentRef, PaymentStatus } from "./types.ts";

export interface Payment {
  id: string;
  /** "account": paid on a business account's receivable (details.party, details.invoices). */
  purpose: "order" | "topup" | "account";
  orderId: string | null;
  /** The order's number ("SD-2026-000123"), kept on the payment when it was opened. */
  orderNumber: string | null;
  userId: string | null;
  method: PaymentMethod;
  status: PaymentStatus;
  amountMinor: number;
  currency: string;
  merchantRef: string;
  providerRef: string | null;
  trxId: string | null;
  redirectUrl: string | null;
  refundedMinor: number;
  failureReason: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

export function toPayment(r: Record<string, any>): Payment {
  return {
    id: r.id,
    purpose: r.purpose,
    orderId: r.order_id,
    orderNumber: r.order_number ?? null,
    userId: r.user_id,
    method: r.method,
    status: r.status,
    amountMinor: toMinor(r.amount_minor),
    currency: r.currency,
    merchantRef: r.merchant_ref,
    providerRef: r.provider_ref,
    trxId: r.provider_trx_id,
    redirectUrl: r.redirect_url,
    refundedMinor: toMinor(r.refunded_minor),
    failureReason: r.failure_reason,
    details: r.details ?? {},
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
  };
}

export function paymentRef(p: Payment): PaymentRef {
  return {
    id: p.id,
    merchantRef: p.merchantRef,
    providerRef: p.providerRef,
    trxId: p.trxId,
    amountMinor: p.amountMinor,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getPayment(sql: Queryable, id: string): Promise<Payment | null> {
  if (!UUID.test(id)) return null;
  const [r] = await sql`select * from shop_payments where id = ${id}`;
  return r ? toPayment(r) : null;
}

export async function findByProviderRef(
  sql: Queryable,
  method: PaymentMethod,
  providerRef: string,
): Promise<Payment | null> {
  const [r] = await sql`
    select * from shop_payments where method = ${method} and provider_ref = ${providerRef}`;
  return r ? toPayment(r) : null;
}

export async function findByMerchantRef(sql: Queryable, merchantRef: string) {
  const [r] = await sql`select * from shop_payments where merchant_ref = ${merchantRef}`;
  return r ? toPayment(r) : null;
}

export async function paymentsForOrder(sql: Queryable, orderId: string): Promise<Payment[]> {
  const rows = await sql`
    select * from shop_payments where order_id = ${orderId} order by created_at, id`;
  return rows.map(toPayment);
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** 16 base32 characters from 10 random bytes: exactly 80 bits. */
export function randomTag(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  let bits = 0;
  let acc = 0;
  let out = "";
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/**
 * A payment attempt's merchant reference, sent to the provider (SSLCommerz tran_id, bKash
 * merchantInvoiceNumber, Nagad orderId): the order number without dashes, for support, and 80
 * random bits, so that nobody can name another customer's payment from a guessable order number,
 * e.g. SD2026000123-K7Q2M4ZPAXWMRTEA (29 characters; SSLCommerz allows 30; Nagad's shorter
 * orderId keeps the random part, see nagadOrderId).
 */
export function newMerchantRef(prefix: string): string {
  const head = prefix.replace(/[^A-Za-z0-9]/g, "").toUpperCase().slice(0, 13) || "SD";
  return `${head}-${randomTag()}`;
}

export interface NewPayment {
  purpose: "order" | "topup" | "account";
  orderId: string | null;
  /** The order's number, shown in staff lists and matched on bank statements (null: top-up). */
  orderNumber: string | null;
  userId: string | null;
  method: PaymentMethod;
  amountMinor: number;
  merchantRef: string;
  status: PaymentStatus;
  providerRef?: string | null;
  details?: Record<string, unknown>;
}

export async function insertPayment(tx: Tx, p: NewPayment): Promise<string> {
  const [r] = await tx`
    insert into shop_payments (purpose, order_id, order_number, user_id, method, status,
      amount_minor, merchant_ref, provider_ref, details, completed_at)
    values (${p.purpose}, ${p.orderId}, ${p.orderNumber}, ${p.userId}, ${p.method}, ${p.status}, ${p.amountMinor},
      ${p.merchantRef}, ${p.providerRef ?? null}, ${tx.json((p.details ?? {}) as never)},
      ${p.status === "succeeded" ? new Date() : null})
    returning id`;
  return r.id;
}

export async function paymentEvent(
  db: Queryable,
  paymentId: string,
  kind: string,
  data: unknown = {},
): Promise<void> {
  await db`
    insert into shop_payment_events (payment_id, kind, data)
    values (${paymentId}, ${kind}, ${db.json(JSON.parse(JSON.stringify(data ?? {})) as never)})`;
}

export async function paymentEvents(sql: Queryable, paymentId: string) {
  return await sql<{ id: string; kind: string; data: unknown; at: Date }[]>`
    select id, kind, data, at from shop_payment_events where payment_id = ${paymentId}
    order by id`;
}

/** A payment as the back office lists it (it carries its order's number). */
export type PaymentRow = Payment;

/** Payments newest first, for the back office. */
export async function listPaymentsAdmin(
  sql: Queryable,
  q: { status?: string; method?: string; limit?: number; offset?: number } = {},
): Promise<{ rows: PaymentRow[]; total: number }> {
  const rows = await sql`
    select p.*, count(*) over ()::int as total
    from shop_payments p
    where (${q.status ?? null}::text is null or p.status = ${q.status ?? null})
      and (${q.method ?? null}::text is null or p.method = ${q.method ?? null})
    order by p.created_at desc limit ${q.limit ?? 50} offset ${q.offset ?? 0}`;
  return {
    rows: rows.map(toPayment),
    total: rows[0]?.total ?? 0,
  };
}

export interface RefundRow {
  id: string;
  paymentId: string;
  amountMinor: number;
  status: string;
  reason: string;
  providerRefundRef: string | null;
  failureReason: string | null;
  createdAt: Date;
  method: PaymentMethod;
  orderNumber: string | null;
}

export async function listRefunds(
  sql: Queryable,
  q: { paymentId?: string; status?: string } = {},
): Promise<RefundRow[]> {
  const rows = await sql`
    select r.*, p.method, p.order_number from shop_refunds r
    join shop_payments p on p.id = r.payment_id
    where (${q.paymentId ?? null}::uuid is null or r.payment_id = ${q.paymentId ?? null})
      and (${q.status ?? null}::text is null or r.status = ${q.status ?? null})
    order by r.created_at desc limit 200`;
  return rows.map((r) => ({
    id: r.id,
    paymentId: r.payment_id,
    amountMinor: toMinor(r.amount_minor),
    status: r.status,
    reason: r.reason,
    providerRefundRef: r.provider_refund_ref,
    failureReason: r.failure_reason,
    createdAt: r.created_at,
    method: r.method,
    orderNumber: r.order_number,
  }));
}
