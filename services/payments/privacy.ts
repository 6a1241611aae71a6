/**
 * A customer's payments (export) and their erasure. Amounts, methods, references and dates stay
 * (the books and VAT need them); what providers sent back about the payer (wallet number, name,
 * email, card) is removed from the payments' event payloads, and balance-entry notes are cleared.
 */
import type { Sql } from "@/services/platform/db.ts";

/** Payer fields providers put in their payloads (bKash, Nagad, SSLCommerz, bank transfers). */
export const PAYER_KEYS = [
  "customerMsisdn",
  "payerReference",
  "payerAccount",
  "msisdn",
  "clientMobileNo",
  "cus_name",
  "cus_email",
  "cus_phone",
  "cus_add1",
  "cus_city",
  "card_no",
  "card_holder",
  "payer",
  "phone",
  "email",
  "name",
] as const;

export async function exportCustomer(sql: Sql, userId: string) {
  const payments = await sql`
    select merchant_ref, order_number, purpose, method, status, amount_minor, refunded_minor,
      created_at, completed_at
    from shop_payments where user_id = ${userId} order by created_at`;
  const balance = await sql`
    select kind, amount_minor, at from shop_balance_entries where user_id = ${userId}
    order by id`;
  return {
    payments: payments.map((p) => ({
      reference: p.merchant_ref,
      orderNumber: p.order_number,
      purpose: p.purpose,
      method: p.method,
      status: p.status,
      amountMinor: Number(p.amount_minor),
      refundedMinor: Number(p.refunded_minor),
      createdAt: p.created_at,
      completedAt: p.completed_at,
    })),
    balanceEntries: balance.map((b) => ({
      kind: b.kind,
      amountMinor: Number(b.amount_minor),
      at: b.at,
    })),
  };
}

export async function anonymiseCustomer(sql: Sql, userId: string): Promise<Record<string, number>> {
  return await sql.begin(async (tx) => {
    const events = await tx`
      update shop_payment_events e set data = e.data - ${[...PAYER_KEYS]}::text[]
      from shop_payments p
      where p.id = e.payment_id and p.user_id = ${userId}
        and e.data ?| ${[...PAYER_KEYS]}::text[]
      returning e.id`;
    const notes = await tx`
      update shop_balance_entries set note = null
      where user_id = ${userId} and note is not null returning id`;
    return { paymentEvents: events.length, balanceNotes: notes.length };
  });
}

/** Retention (services/privacy/retention.ts): payments created in [from, to), with refunds. */
export async function archivePayments(
  sql: Sql,
  from: Date,
  to: Date,
  after: string | null,
  limit: number,
) {
  const rows = await sql`
    select p.id::text, p.purpose, p.order_id, p.order_number, p.user_id, p.method, p.status,
      p.amount_minor, p.refunded_minor, p.currency, p.merchant_ref, p.provider_ref,
      p.provider_trx_id, p.created_at, p.completed_at,
      coalesce((select json_agg(json_build_object('amount_minor', r.amount_minor,
        'status', r.status, 'created_at', r.created_at, 'completed_at', r.completed_at))
        from shop_refunds r where r.payment_id = p.id), '[]'::json) as refunds
    from shop_payments p
    where p.created_at >= ${from} and p.created_at < ${to}
      and p.id > ${after ?? "00000000-0000-0000-0000-000000000000"}::uuid
    order by p.id limit ${limit}`;
  return { rows: [...rows], last: rows.at(-1)?.id ?? null };
}
