/**
 * The scheduled money checks (workers/reconciliation.ts runs them):
 *
 * - sweepPayments (every minute): asks providers about attempts left open (customer closed the
 *   tab, callback lost, execute timed out), expires attempts nobody finished, cancels orders that
 *   waited too long for payment (their stock goes back), settles refunds still processing.
 * - reconcile (every hour or on demand): compares every recent provider payment with the
 *   provider's own query answer, and the cash riders collected with delivered COD orders and
 *   their hand-ins; every difference becomes an open finding on the admin reconciliation page.
 */
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { type Queryable, toMinor } from "@/services/platform/db.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { BkashProvider } from "./bkash.ts";
import { SslcommerzProvider } from "./sslcommerz.ts";
import { concerning, flagIssue } from "./issues.ts";
import { applyVerification, finishRefund, type PaymentContext } from "./payments.ts";
import { paymentRef, toPayment } from "./records.ts";
import { isOnlineMethod } from "./types.ts";

export const SWEEP = {
  /** An attempt still open after this is asked about. */
  askAfterMs: 10 * 60_000,
  /** An attempt still pending at the provider after this expires. */
  expireAfterMs: 60 * 60_000,
};

export interface SweepResult {
  asked: number;
  confirmed: number;
  expired: number;
  ordersCancelled: number;
  refundsSettled: number;
}

export async function sweepPayments(
  ctx: PaymentContext & { keyring: Keyring },
  now = new Date(),
  /** An order without an open attempt this long after its last attempt began is cancelled. */
  unpaidAfterMs = 30 * 60_000,
): Promise<SweepResult> {
  const r: SweepResult = {
    asked: 0,
    confirmed: 0,
    expired: 0,
    ordersCancelled: 0,
    refundsSettled: 0,
  };
  const askBefore = new Date(now.getTime() - SWEEP.askAfterMs);
  const open = await ctx.sql`
    select * from shop_payments
    where status in ('initiated', 'pending') and method in ('bkash', 'nagad', 'sslcommerz')
      and created_at < ${askBefore} and created_at > ${new Date(now.getTime() - 3 * 86_400_000)}
    order by created_at limit 200`;
  for (const row of open) {
    const p = toPayment(row);
    if (p.status === "initiated" || !p.providerRef) {
      // The start never reached the provider (or we never heard back): nothing to ask.
      await ctx.sql`
        update shop_payments set status = 'failed', failure_reason = 'never started',
          updated_at = now()
        where id = ${p.id} and status = 'initiated'`;
      continue;
    }
    const provider = isOnlineMethod(p.method) ? ctx.providers[p.method] : undefined;
    if (!provider) continue;
    r.asked++;
    try {
      const v = await provider.query(paymentRef(p));
      const outcome = await applyVerification(ctx, p.id, v);
      if (outcome === "succeeded") r.confirmed++;
      if (outcome === "pending" && now.getTime() - p.createdAt.getTime() > SWEEP.expireAfterMs) {
        await applyVerification(ctx, p.id, {
          ...v,
          outcome: "expired",
          reason: "not completed in time",
        });
        r.expired++;
      }
    } catch {
      // Unreachable: try again on the next sweep.
    }
  }

  // Orders still waiting: no open attempt for a while, or the delivery cut-off has passed.
  const abandonBefore = new Date(now.getTime() - unpaidAfterMs);
  const waiting = await ctx.orders.awaitingPayment(ctx.sql, {
    cutoffBy: now,
    placedBefore: abandonBefore,
    limit: 200,
  });
  const attempts = await attemptsOf(ctx.sql, waiting.map((o) => o.id));
  for (const o of waiting) {
    const a = attempts.get(o.id);
    const pastCutoff = o.cutoffAt <= now;
    const abandoned = !a?.open && (a?.lastAt ?? o.placedAt) < abandonBefore;
    if (!pastCutoff && !abandoned) continue;
    const done = await ctx.sql.begin((tx) => ctx.orders.cancelUnpaid(tx, o.id));
    if (done) {
      r.ordersCancelled++;
      // The customer finds the items in the cart again, to change or order once more.
      await ctx.orders.restoreToCart(ctx.sql, o.id);
    }
  }

  // Refunds a provider is still processing.
  const processing = await ctx.sql`
    select r.id, r.provider_refund_ref, p.* from shop_refunds r
    join shop_payments p on p.id = r.payment_id
    where r.status = 'processing' limit 100`;
  for (const row of processing) {
    const p = toPayment(row);
    const provider = isOnlineMethod(p.method) ? ctx.providers[p.method] : undefined;
    try {
      if (provider instanceof BkashProvider) {
        const s = await provider.refundStatus(paymentRef(p));
        if (s.transactionStatus === "Completed" && s.refundTrxID) {
          await finishRefund(ctx, row.id, "succeeded", String(s.refundTrxID), null, null);
          r.refundsSettled++;
        }
      } else if (provider instanceof SslcommerzProvider && row.provider_refund_ref) {
        const s = await provider.refundStatus(row.provider_refund_ref);
        if (s.status === "refunded") {
          await finishRefund(ctx, row.id, "succeeded", row.provider_refund_ref, null, null);
          r.refundsSettled++;
        } else if (s.status === "cancelled") {
          await finishRefund(ctx, row.id, "failed", row.provider_refund_ref, "cancelled", null);
        }
      }
    } catch { /* next time */ }
  }
  return r;
}

/** The orders among `orderIds` whose cash a rider recorded. */
async function collectedOrders(sql: Queryable, orderIds: string[]): Promise<Set<string>> {
  if (orderIds.length === 0) return new Set();
  const rows = await sql`
    select order_id from shop_cod_collections where order_id = any(${orderIds}::uuid[])`;
  return new Set(rows.map((r) => r.order_id as string));
}

/** Per order: whether an attempt is still open, and when the latest attempt began. */
async function attemptsOf(sql: Queryable, orderIds: string[]) {
  if (orderIds.length === 0) return new Map<string, { open: boolean; lastAt: Date }>();
  const rows = await sql`
    select order_id, bool_or(status in ('initiated', 'pending')) as open,
      max(created_at) as last_at
    from shop_payments where order_id = any(${orderIds}::uuid[]) group by order_id`;
  return new Map(rows.map((r) => [r.order_id as string, { open: r.open, lastAt: r.last_at }]));
}

export interface ReconcileResult {
  checked: number;
  flagged: number;
  unreachable: string[];
  codFlagged: number;
}

export async function reconcile(
  ctx: PaymentContext,
  opts: { sinceDays?: number; now?: Date } = {},
): Promise<ReconcileResult> {
  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - (opts.sinceDays ?? 7) * 86_400_000);
  const r: ReconcileResult = { checked: 0, flagged: 0, unreachable: [], codFlagged: 0 };
  const rows = await ctx.sql`
    select * from shop_payments
    where method in ('bkash', 'nagad', 'sslcommerz') and provider_ref is not null
      and status in ('succeeded', 'failed', 'cancelled', 'expired', 'held')
      and created_at >= ${since}
    order by created_at limit 2000`;
  const down = new Set<string>();
  for (const row of rows) {
    const p = toPayment(row);
    if (down.has(p.method)) continue;
    const provider = isOnlineMethod(p.method) ? ctx.providers[p.method] : undefined;
    if (!provider) continue;
    let v;
    try {
      v = await provider.query(paymentRef(p));
    } catch (e) {
      down.add(p.method);
      await flagIssue(ctx.sql, "provider_unreachable", `provider:${p.method}`, {
        detail: { error: (e as Error).message, at: now.toISOString() },
      });
      r.unreachable.push(p.method);
      continue;
    }
    r.checked++;
    const theirs = v.outcome === "succeeded";
    const ours = p.status === "succeeded";
    const subject = `payment:${p.id}`;
    const base = concerning(p);
    if (ours && !theirs) {
      await flagIssue(ctx.sql, "we_paid_provider_did_not", subject, {
        ...base,
        detail: { ours: p.status, theirs: v.outcome, reason: v.reason ?? null },
      });
      r.flagged++;
    } else if (!ours && theirs && p.status !== "held") {
      await flagIssue(ctx.sql, "provider_paid_we_did_not", subject, {
        ...base,
        detail: { ours: p.status, theirs: v.outcome, trxId: v.trxId, amountMinor: v.amountMinor },
      });
      r.flagged++;
    } else if (theirs && v.amountMinor !== null && v.amountMinor !== p.amountMinor) {
      await flagIssue(ctx.sql, "amount_mismatch", subject, {
        ...base,
        detail: { oursMinor: p.amountMinor, theirsMinor: v.amountMinor },
      });
      r.flagged++;
    }
  }

  // Delivered COD orders whose cash was never recorded (a day's grace for the paperwork).
  const owing = await ctx.orders.owingCod(ctx.sql, new Date(now.getTime() - 86_400_000));
  const collected = await collectedOrders(ctx.sql, owing.map((o) => o.id));
  for (const o of owing.filter((o) => !collected.has(o.id))) {
    await flagIssue(ctx.sql, "cod_not_collected", `order:${o.id}`, {
      orderId: o.id,
      orderNumber: o.number,
      detail: { number: o.number, dueMinor: o.dueMinor, note: "delivered, no cash recorded" },
    });
    r.codFlagged++;
  }

  // Each rider's collections against the cash handed in, for finished days (riders by user;
  // couriers' cash is reconciled against their remittances in delivery).
  const today = dhakaDate(now);
  const days = await ctx.sql`
    with c as (
      select rider_id, max(rider) as rider, collected_on as day, sum(amount_minor) as collected
      from shop_cod_collections where rider_id is not null and collected_on < ${today}::date
        and collected_on >= ${today}::date - 14
      group by rider_id, collected_on
    )
    select c.rider_id, c.rider, c.day::text as day, c.collected, h.amount_minor as handed
    from c left join shop_cod_handins h on h.rider_id = c.rider_id and h.handed_on = c.day
    where h.amount_minor is distinct from c.collected`;
  for (const d of days) {
    await flagIssue(ctx.sql, "cod_rider_difference", `rider:${d.rider_id}:${d.day}`, {
      detail: {
        rider: d.rider,
        day: d.day,
        collectedMinor: toMinor(d.collected),
        handedInMinor: d.handed === null ? null : toMinor(d.handed),
      },
    });
    r.codFlagged++;
  }
  return r;
}
