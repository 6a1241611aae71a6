/**
 * Payments on account (issue 14 §5): a business pays by bKash, Nagad or SSLCommerz from the
 * portal, staff record a bank transfer, a representative records cash. Every payment and credit
 * note of the account is allocated to its open invoices — the ones the payer chose first, then
 * the oldest due — and credit holds whose reason is gone (nothing overdue, within the limit)
 * are released, audited as released by the payment.
 */
import type { Db, Tx } from "@/services/platform/tx.ts";
import { inTx } from "@/services/platform/tx.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import type { Sql } from "@/services/platform/db.ts";
import type { MoneyDeps } from "./money.ts";
import { type Actor, getAccount } from "./service.ts";

export const partyOf = (accountId: number) => `b2b:${accountId}`;
export const accountOfParty = (party: string): number | null =>
  /^b2b:\d{1,18}$/.test(party) ? Number(party.slice(4)) : null;

export const PAY_METHODS = ["bkash", "nagad", "sslcommerz"] as const;
export type PayMethod = typeof PAY_METHODS[number];

/**
 * Allocates the account's open credits (payments, credit notes) to its open invoices: `first`
 * (invoice numbers) before the others, then by due date. Then releases holds it no longer needs.
 */
export async function settle(
  m: MoneyDeps,
  tx: Tx,
  accountId: number,
  first: readonly string[],
  now: Date,
): Promise<{ allocatedMinor: number; released: string[] }> {
  const party = partyOf(accountId);
  // The account row first: settling and ordering of one account wait for each other.
  await tx`select id from b2b_accounts where id = ${accountId} for update`;
  const items = await m.books.openItems({ side: "receivable", party }, tx);
  const rank = (n: string | null) => {
    const i = n ? first.indexOf(n) : -1;
    return i < 0 ? first.length : i;
  };
  const charges = items.filter((i) => i.openMinor > 0).sort((a, b) =>
    rank(a.documentNumber) - rank(b.documentNumber) || a.dueDate.localeCompare(b.dueDate) ||
    a.id - b.id
  );
  const credits = items.filter((i) => i.openMinor < 0).sort((a, b) =>
    a.date.localeCompare(b.date) || a.id - b.id
  );
  let allocatedMinor = 0;
  for (const c of credits) {
    let left = -c.openMinor;
    for (const ch of charges) {
      if (left <= 0) break;
      if (ch.openMinor <= 0) continue;
      const amount = Math.min(left, ch.openMinor);
      await m.books.allocate(
        { side: "receivable", chargeId: ch.id, settleId: c.id, amountMinor: amount },
        { id: null, name: "b2b settlement" },
        tx,
      );
      ch.openMinor -= amount;
      left -= amount;
      allocatedMinor += amount;
    }
  }
  const released = await releaseHolds(m, tx, accountId, now);
  return { allocatedMinor, released };
}

/**
 * Orders on credit hold whose reason is gone — nothing overdue and the account's exposure with
 * the order within its limit — go on (to the approver when the account asks for one).
 */
export async function releaseHolds(
  m: MoneyDeps,
  tx: Tx,
  accountId: number,
  now: Date,
): Promise<string[]> {
  const today = dhakaDate(now);
  const items = await m.books.openItems({ side: "receivable", party: partyOf(accountId) }, tx);
  if (items.some((i) => i.openMinor > 0 && i.dueDate < today)) return [];
  const a = (await getAccount(tx, accountId))!;
  let exposure = items.reduce((t, i) => t + i.openMinor, 0);
  const [{ pending }] = await tx`
    select coalesce(sum(total_minor), 0)::bigint as pending from b2b_orders
    where account_id = ${accountId} and status in ('pending_approval', 'confirmed')`;
  exposure += Number(pending);
  const held = await tx`
    select o.id, o.number, o.total_minor, o.hold_reason, m.role from b2b_orders o
    left join b2b_members m on m.account_id = o.account_id and m.user_id = o.placed_by
    where o.account_id = ${accountId} and o.status = 'credit_hold'
    order by o.created_at for update of o`;
  const released: string[] = [];
  for (const o of held) {
    if (exposure + Number(o.total_minor) > a.creditLimitMinor) break;
    exposure += Number(o.total_minor);
    const next = a.requiresApproval && o.role === "buyer" ? "pending_approval" : "confirmed";
    const reason = o.hold_reason === "overdue" ? "paid: nothing overdue" : "paid: within limit";
    await tx`update b2b_orders set status = ${next}, release_reason = ${reason},
      updated_at = ${now} where id = ${o.id}`;
    await appendAudit(tx, {
      actorId: null,
      action: "b2b.order.hold_released",
      entity: "b2b_order",
      entityId: o.id,
      data: { reason, holdReason: o.hold_reason, to: next, by: "payment" },
      at: now,
    });
    released.push(o.number);
  }
  return released;
}

/** The account's open invoices (documents with something open) and credits, due dates. */
export async function openInvoices(m: MoneyDeps, db: Db, accountId: number, now: Date) {
  const today = dhakaDate(now);
  const items = await m.books.openItems({ side: "receivable", party: partyOf(accountId) }, db);
  const invoices = items.filter((i) => i.openMinor > 0).map((i) => ({
    itemId: i.id,
    number: i.documentNumber ?? i.sourceRef,
    date: i.date,
    dueDate: i.dueDate,
    amountMinor: i.amountMinor,
    openMinor: i.openMinor,
    overdue: i.dueDate < today,
  }));
  const creditMinor = -items.filter((i) => i.openMinor < 0).reduce((t, i) => t + i.openMinor, 0);
  const openMinor = invoices.reduce((t, i) => t + i.openMinor, 0);
  const overdueMinor = invoices.filter((i) => i.overdue).reduce((t, i) => t + i.openMinor, 0);
  return { invoices, creditMinor, openMinor, overdueMinor };
}

async function member(sql: Db, accountId: number, userId: string) {
  const [r] = await sql`select role from b2b_members
    where account_id = ${accountId} and user_id = ${userId}`;
  if (!r) throw new NotFoundError("b2b account");
  return r.role as string;
}

/**
 * A user of the account pays (part of) its receivable online: checks the amount and the chosen
 * invoices (only the account's own open ones) and returns the provider's page.
 */
export async function payOnAccount(
  m: MoneyDeps,
  sql: Sql,
  userId: string,
  accountId: number,
  input: { method: string; amountMinor: number; invoices: string[] },
  now: Date,
): Promise<{ paymentId: string; redirectUrl: string }> {
  await member(sql, accountId, userId);
  const bad: Record<string, string> = {};
  if (!PAY_METHODS.includes(input.method as PayMethod)) bad.method = "method";
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor < 100) bad.amount = "amount";
  const open = await openInvoices(m, sql, accountId, now);
  const mine = new Set(open.invoices.map((i) => i.number));
  if (input.invoices.some((n) => !mine.has(n))) bad.invoices = "invoices";
  if (input.amountMinor > 100_000_000_00) bad.amount = "amount";
  if (Object.keys(bad).length) throw new ValidationError(bad);
  const paymentId = await m.payments.startOnAccount({
    userId,
    party: partyOf(accountId),
    method: input.method as PayMethod,
    amountMinor: input.amountMinor,
    invoices: input.invoices,
  });
  const redirectUrl = await m.payments.redirectOf(paymentId);
  if (!redirectUrl) throw new ConflictError("payment_not_started");
  return { paymentId, redirectUrl };
}

/** Staff record a bank transfer received for the account (its bank reference makes it once). */
export async function recordTransfer(
  m: MoneyDeps,
  sql: Sql,
  accountId: number,
  input: { amountMinor: number; reference: string; invoices: string[] },
  actor: Actor,
  now: Date,
) {
  return await inTx(sql, async (tx) => {
    if (!(await getAccount(tx, accountId))) throw new NotFoundError("b2b account");
    const r = await m.payments.record(tx, {
      party: partyOf(accountId),
      method: "bank_transfer",
      amountMinor: input.amountMinor,
      reference: input.reference.trim(),
      invoices: input.invoices,
      actor,
    });
    // (The payment's own hook settled it; settle again is harmless and covers a payments door
    // without the hook.)
    const s = await settle(m, tx, accountId, input.invoices, now);
    return { ...r, ...s };
  });
}
