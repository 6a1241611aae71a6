/**
 * Customers' bank transfers, as the books see them. Statements are imported and matched in the
 * accounting context (services/accounting/bank: one import, one review queue); payments offers it
 * `bankTransfers` (the door hands it over through contexts.ts): which order numbers a statement
 * line names, the bank-transfer payments still waiting, and applying a matched credit like any
 * provider success (idempotently: the same statement line applied twice counts once; the payment
 * posts Dr bank / Cr receivable through the ledger port in its own transaction).
 */
import type { Queryable } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { type ApplyOutcome, applyVerification, type PaymentContext } from "./payments.ts";

/** The order numbers a text names, in any spacing: "sd 2026 000123" → SD-2026-000123. */
export function orderNumbersIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.toUpperCase().matchAll(/SD[\s-]*(\d{4})[\s-]*(\d{6,})/g)) {
    out.add(`SD-${m[1]}-${m[2]}`);
  }
  return [...out];
}

/** The order number a reference names, or null. */
export function referenceToOrderNumber(ref: string): string | null {
  return orderNumbersIn(ref)[0] ?? null;
}

export interface OpenTransfer {
  paymentId: string;
  orderNumber: string | null;
  amountMinor: number;
  createdOn: string;
}

/** Bank-transfer payments still waiting for their money: for these orders, or of this amount. */
export async function openBankTransfers(
  sql: Queryable,
  q: { orderNumbers: string[]; amountMinor: number },
): Promise<OpenTransfer[]> {
  const rows = await sql`
    select id, order_number, amount_minor, created_at from shop_payments
     where method = 'bank_transfer' and status in ('pending', 'initiated')
       and (order_number = any(${q.orderNumbers}::text[]) or amount_minor = ${q.amountMinor})
     order by created_at desc limit 20`;
  return rows.map((r) => ({
    paymentId: r.id as string,
    orderNumber: r.order_number as string | null,
    amountMinor: toMinor(r.amount_minor),
    createdOn: dhakaDate(r.created_at as Date),
  }));
}

/** Applies a statement credit to a bank-transfer payment (exact amount, one line once). */
export async function applyBankCredit(
  ctx: PaymentContext,
  paymentId: string,
  credit: { lineId: number; amountMinor: number },
  actorId: string | null,
): Promise<ApplyOutcome | "unknown"> {
  const [p] = await ctx.sql`
    select id, merchant_ref, amount_minor from shop_payments
     where id = ${paymentId} and method = 'bank_transfer'`;
  if (!p) return "unknown";
  if (toMinor(p.amount_minor) !== credit.amountMinor) return "mismatch";
  return await applyVerification(ctx, p.id, {
    outcome: "succeeded",
    amountMinor: credit.amountMinor,
    currency: "BDT",
    merchantRef: p.merchant_ref,
    trxId: `stmt:${credit.lineId}`,
    raw: { statementLine: credit.lineId },
  }, actorId);
}
