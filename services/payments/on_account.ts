/**
 * Payments on account (issue 14 §5): a business pays its receivable (party "b2b:<id>") online
 * through a provider, or staff record a bank transfer, or a sales representative records the cash
 * they collected. One row in shop_payments (purpose "account"); on success the ledger posts
 * Dr the method's account / Cr 1210 trade receivables of the party, and the account's owner
 * (B2B) settles its invoices in the same transaction (`onAccountPaid`).
 */
import type { Tx } from "@/services/platform/db.ts";
import { ValidationError } from "@/services/platform/errors.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { ShopError } from "@/services/shop/mod.ts";
import { getPayment, insertPayment, newMerchantRef } from "./records.ts";
import { accountPaid, type PaymentContext } from "./payments.ts";
import type { OnlineMethod } from "./types.ts";

const PARTY = /^b2b:\d{1,18}$/;
const MAX_MINOR = 100_000_000_00; // ৳10 crore

function check(party: string, amountMinor: number, invoices: string[]) {
  const bad: Record<string, string> = {};
  if (!PARTY.test(party)) bad.party = "party";
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 100 || amountMinor > MAX_MINOR) {
    bad.amount = "amount";
  }
  if (invoices.length > 50 || invoices.some((n) => !/^[A-Za-z0-9/_-]{1,60}$/.test(n))) {
    bad.invoices = "invoices";
  }
  if (Object.keys(bad).length) throw new ValidationError(bad);
}

/** A payment on account through an online provider; returns the payment to start. */
export async function startOnAccount(
  ctx: PaymentContext,
  input: {
    userId: string;
    party: string;
    method: OnlineMethod;
    amountMinor: number;
    invoices: string[];
  },
): Promise<string> {
  check(input.party, input.amountMinor, input.invoices);
  if (!ctx.providers[input.method]) throw new ShopError("payment_method_unavailable");
  return await ctx.sql.begin((tx) =>
    insertPayment(tx, {
      purpose: "account",
      orderId: null,
      orderNumber: null,
      userId: input.userId,
      method: input.method,
      amountMinor: input.amountMinor,
      merchantRef: newMerchantRef(`AC${input.party.slice(4)}`),
      status: "initiated",
      details: { party: input.party, invoices: input.invoices },
    })
  ) as string;
}

/**
 * Money already received on account (a bank transfer staff saw, cash a representative
 * collected): recorded as succeeded, posted and settled in the caller's transaction. `reference`
 * makes it once: the same reference again returns the first payment.
 */
/** Money received on account (bank transfer, cash) from a wholesale party. */
export interface OnAccountReceipt {
  party: string;
  method: "bank_transfer" | "cod";
  amountMinor: number;
  reference: string;
  invoices?: string[];
  actor: { id: string | null; name: string };
}

export async function recordOnAccount(
  ctx: PaymentContext,
  tx: Tx,
  input: OnAccountReceipt,
): Promise<{ paymentId: string; duplicate: boolean }> {
  const invoices = input.invoices ?? [];
  check(input.party, input.amountMinor, invoices);
  if (!/^[A-Za-z0-9][A-Za-z0-9 /_.:-]{2,79}$/.test(input.reference)) {
    throw new ValidationError({ reference: "reference" });
  }
  const providerRef = `${input.party}:${input.reference}`;
  const [seen] = await tx`select id from shop_payments
    where method = ${input.method} and provider_ref = ${providerRef}`;
  if (seen) return { paymentId: seen.id, duplicate: true };
  const paymentId = await insertPayment(tx, {
    purpose: "account",
    orderId: null,
    orderNumber: null,
    userId: input.actor.id,
    method: input.method,
    amountMinor: input.amountMinor,
    merchantRef: newMerchantRef(`AC${input.party.slice(4)}`),
    status: "succeeded",
    providerRef,
    details: { party: input.party, invoices, recordedBy: input.actor.name },
  });
  await appendAudit(tx, {
    actorId: input.actor.id,
    action: "shop.payment.status",
    entity: "shop_payment",
    entityId: paymentId,
    data: { to: "succeeded", method: input.method, party: input.party, on: "account" },
  });
  const p = (await getPayment(tx, paymentId))!;
  await ctx.ledger?.payment(tx, { ...p, paymentId });
  await ctx.onAccountPaid?.(tx, accountPaid(p));
  return { paymentId, duplicate: false };
}

/** A party's payments on account, newest first. */
export async function paymentsOnAccount(ctx: PaymentContext, party: string) {
  if (!PARTY.test(party)) return [];
  const rows = await ctx.sql`
    select id, method, status, amount_minor, merchant_ref, created_at, completed_at
      from shop_payments
     where purpose = 'account' and details->>'party' = ${party}
     order by created_at desc limit 100`;
  return rows.map((r) => ({
    id: r.id as string,
    method: r.method as string,
    status: r.status as string,
    amountMinor: Number(r.amount_minor),
    merchantRef: r.merchant_ref as string,
    at: new Date(r.completed_at ?? r.created_at),
  }));
}
