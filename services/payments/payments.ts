/**
 * Taking money: starting a provider payment, acting on callbacks, refunds, retries and top-ups.
 *
 * Rules (DESIGN.md §6): a callback or redirect is never proof. Every callback is answered by
 * asking the provider's own API (adapter.confirm → execute / validation / verify, falling back to
 * query); the answer must name our merchant reference, the same amount and BDT; a provider
 * transaction id is applied once (unique index + row locks); a payment that succeeds twice, or
 * for an order that no longer waits, is held and flagged for a person instead of fulfilling
 * anything twice.
 */
import { emitWebhookEvent } from "@/services/webhooks/mod.ts";
import type { Sql, Tx } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { type OrderLedger, ShopError } from "@/services/shop/mod.ts";
import { creditBalance } from "./balance.ts";
import { concerning, flagIssue } from "./issues.ts";
import {
  getPayment,
  insertPayment,
  newMerchantRef,
  type Payment,
  paymentEvent,
  paymentRef,
  toPayment,
} from "./records.ts";
import type { Providers } from "./settings.ts";
import type { PaymentsLedger, RefundEvent } from "@/services/accounting/port.ts";
import {
  isOnlineMethod,
  type OnlineMethod,
  type PaymentMethod,
  type PaymentPeople,
  ProviderUnavailableError,
  type Verification,
} from "./types.ts";

export interface PaymentContext {
  sql: Sql;
  keyring: Keyring;
  providers: Providers;
  /** What payments may do to orders (the shop's interface; payments never writes its tables). */
  orders: OrderLedger;
  /** The books (accounting's port): payments, refunds and riders' cash, in our transaction. */
  ledger?: PaymentsLedger;
  /** A payment on account succeeded (B2B settles its invoices), in our transaction. */
  onAccountPaid?: OnAccountPaid;
}

/** What the owner of an account's receivable hears when a payment on account succeeded. */
export type OnAccountPaid = (tx: Tx, p: {
  paymentId: string;
  party: string;
  method: PaymentMethod;
  amountMinor: number;
  /** The invoice numbers the payer chose to pay first. */
  invoices: string[];
}) => Promise<void>;

/** Starting a payment also needs the customer's account contact (identity's interface). */
export interface StartContext extends PaymentContext {
  people: PaymentPeople;
}

export type ApplyOutcome =
  | "succeeded"
  | "duplicate"
  | "held"
  | "mismatch"
  | "failed"
  | "cancelled"
  | "expired"
  | "pending"
  | "unknown";

// ---- starting ------------------------------------------------------------------------------

export interface StartOutcome {
  ok: boolean;
  redirectUrl?: string;
  reason?: string;
}

/**
 * Registers an initiated payment with its provider and returns where to send the customer. On a
 * refusal or an unreachable provider the attempt is marked failed (the customer may retry).
 */
export async function startPayment(
  ctx: StartContext,
  paymentId: string,
  opts: { origin: string; clientIp?: string },
): Promise<StartOutcome> {
  const p = await getPayment(ctx.sql, paymentId);
  if (!p) throw new ShopError("not_found");
  if (p.status === "pending" && p.redirectUrl) return { ok: true, redirectUrl: p.redirectUrl };
  if (p.status !== "initiated" || !isOnlineMethod(p.method)) {
    return { ok: false, reason: "not_startable" };
  }
  const provider = ctx.providers[p.method];
  if (!provider) {
    await markFailed(ctx.sql, p, "provider not configured");
    return { ok: false, reason: "provider not configured" };
  }
  const customer = await customerOf(ctx, p);
  try {
    const r = await provider.start({
      paymentId: p.id,
      merchantRef: p.merchantRef,
      amountMinor: p.amountMinor,
      currency: "BDT",
      origin: opts.origin,
      customer,
      description: p.purpose === "order"
        ? `Smart Dairy order ${p.merchantRef}`
        : p.purpose === "account"
        ? "Smart Dairy payment on account"
        : "Smart Dairy balance top-up",
      clientIp: opts.clientIp,
    });
    await ctx.sql.begin(async (tx) => {
      await tx`
        update shop_payments set status = 'pending', provider_ref = ${r.providerRef},
          redirect_url = ${r.redirectUrl},
          details = details || ${tx.json(JSON.parse(JSON.stringify(r.details ?? {})))},
          updated_at = now()
        where id = ${p.id} and status = 'initiated'`;
      await paymentEvent(tx, p.id, "started", { providerRef: r.providerRef });
    });
    return { ok: true, redirectUrl: r.redirectUrl };
  } catch (e) {
    const reason = (e as Error).message.slice(0, 300);
    await markFailed(ctx.sql, p, reason);
    if (!(e instanceof ProviderUnavailableError) && !(e instanceof Error)) throw e;
    return { ok: false, reason };
  }
}

async function markFailed(sql: Sql, p: Payment, reason: string) {
  await sql.begin(async (tx) => {
    await tx`
      update shop_payments set status = 'failed', failure_reason = ${reason}, updated_at = now()
      where id = ${p.id} and status = 'initiated'`;
    await paymentEvent(tx, p.id, "start_failed", { reason });
  });
}

/** Who pays, as the provider's page wants it: the order's recipient, else the account. */
async function customerOf(ctx: StartContext, p: Payment) {
  const account = p.userId ? await ctx.people.contactOf(p.userId) : null;
  const o = p.orderId ? await ctx.orders.contact(ctx.sql, p.orderId) : null;
  if (o) {
    const email = account?.email ?? null;
    return { name: o.recipient, phone: o.phone, email, address: o.line, city: o.thana };
  }
  return {
    name: account?.displayName ?? "Customer",
    phone: account?.phone ?? "+8801700000000",
    email: account?.email ?? null,
  };
}

// ---- callbacks -----------------------------------------------------------------------------

/** Which of the callback's fields names the provider's payment. */
const REF_FIELD: Record<OnlineMethod, string> = {
  bkash: "paymentID",
  nagad: "payment_ref_id",
  sslcommerz: "tran_id",
};

export interface CallbackResult {
  payment: Payment | null;
  outcome: ApplyOutcome;
}

/** A provider reference as callbacks carry it: printable ASCII without spaces, ≤ 200. */
export const CALLBACK_REF = /^[\x21-\x7e]{1,200}$/;

/**
 * Handles a provider callback (the customer's browser coming back, or a server-to-server IPN):
 * finds our payment from the provider's reference, asks the provider's API about that payment,
 * and applies the provider's answer. Nothing the callback itself says (status, amount, a
 * "cancel") changes a payment: anyone can send these requests. Unknown references change
 * nothing, and an answer that is about another transaction is ignored.
 */
export async function handleCallback(
  ctx: PaymentContext,
  method: OnlineMethod,
  fields: Record<string, string>,
): Promise<CallbackResult> {
  const ref = fields[REF_FIELD[method]];
  if (!ref || !CALLBACK_REF.test(ref)) return { payment: null, outcome: "unknown" };
  const [row] = await ctx.sql`
    select * from shop_payments where method = ${method} and provider_ref = ${ref}`;
  if (!row) return { payment: null, outcome: "unknown" };
  const p = toPayment(row);
  await paymentEvent(ctx.sql, p.id, "callback", redact(fields));
  const provider = ctx.providers[method];
  if (!provider) return { payment: p, outcome: "unknown" };
  let v: Verification;
  try {
    v = await provider.confirm(paymentRef(p), fields);
  } catch (e) {
    // Unknown outcome: leave the payment as it is; the sweeper asks again later.
    await paymentEvent(ctx.sql, p.id, "confirm_error", { error: (e as Error).message });
    return { payment: p, outcome: "unknown" };
  }
  if (v.merchantRef !== null && v.merchantRef !== p.merchantRef) {
    // The provider answered about some other transaction (a callback naming our payment with
    // another payment's proof): no word about this one, so nothing changes here.
    await paymentEvent(ctx.sql, p.id, "foreign_answer", {
      merchantRef: String(v.merchantRef).slice(0, 100),
      outcome: v.outcome,
    });
    return { payment: p, outcome: "unknown" };
  }
  const outcome = await applyVerification(ctx, p.id, v);
  return { payment: (await getPayment(ctx.sql, p.id))!, outcome };
}

/** Keeps callback fields for support, without card numbers or signatures. */
function redact(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (/card_no|card_number|cvv|pin|signature|verify_sign|password|passwd/i.test(k)) continue;
    // PostgreSQL's jsonb refuses NUL; callers reject it, this keeps the record safe regardless.
    out[k.replaceAll("\0", "").slice(0, 60)] = String(v).replaceAll("\0", "").slice(0, 200);
  }
  return out;
}

/**
 * Applies the provider's answer about one payment, idempotently, in one transaction. Success is
 * accepted only with our merchant reference, the exact amount, BDT and a provider transaction id
 * not used by any other payment.
 */
export async function applyVerification(
  ctx: PaymentContext,
  paymentId: string,
  v: Verification,
  actorId: string | null = null,
): Promise<ApplyOutcome> {
  return await ctx.sql.begin(async (tx) => {
    // Lock order first, then payment (the order side locks in the same order).
    const [pre] = await tx`select order_id from shop_payments where id = ${paymentId}`;
    if (!pre) return "unknown" as const;
    const order = pre.order_id ? await ctx.orders.lock(tx, pre.order_id) : null;
    const [row] = await tx`select * from shop_payments where id = ${paymentId} for update`;
    const p = toPayment(row);
    await paymentEvent(tx, p.id, "verified", {
      outcome: v.outcome,
      amountMinor: v.amountMinor,
      currency: v.currency,
      merchantRef: v.merchantRef,
      trxId: v.trxId,
      reason: v.reason,
    });

    if (v.outcome !== "succeeded") {
      if (p.status === "succeeded") {
        // We counted money the provider does not show: a person must look.
        await flagIssue(tx, "we_paid_provider_did_not", `payment:${p.id}`, {
          ...concerning(p),
          detail: { provider: v.outcome, reason: v.reason ?? null },
        });
        return "mismatch" as const;
      }
      if (v.outcome === "pending") return "pending" as const;
      if (p.status === "initiated" || p.status === "pending") {
        await tx`
          update shop_payments set status = ${v.outcome}, failure_reason = ${
          (v.reason ?? v.outcome).slice(0, 300)
        }, updated_at = now()
          where id = ${p.id}`;
        await audit(tx, p, v.outcome, actorId);
      }
      return v.outcome;
    }

    // --- the provider says: paid ---
    if (p.status === "succeeded") {
      return (p.trxId === v.trxId ? "duplicate" : "mismatch") as ApplyOutcome;
    }
    const problems: string[] = [];
    if (v.merchantRef !== p.merchantRef) {
      problems.push(`reference ${v.merchantRef} ≠ ${p.merchantRef}`);
    }
    if (v.amountMinor !== p.amountMinor) {
      problems.push(`amount ${v.amountMinor} ≠ ${p.amountMinor}`);
    }
    if (v.currency !== p.currency) problems.push(`currency ${v.currency} ≠ ${p.currency}`);
    if (!v.trxId) problems.push("no transaction id");
    if (problems.length) {
      await hold(tx, p, problems.join("; "));
      await flagIssue(tx, "amount_mismatch", `payment:${p.id}`, {
        ...concerning(p),
        detail: { problems, trxId: v.trxId },
      });
      await audit(tx, p, "held", actorId, { problems });
      return "mismatch" as const;
    }
    const [used] = await tx`
      select id from shop_payments
      where method = ${p.method} and provider_trx_id = ${v.trxId} and id <> ${p.id}`;
    if (used) {
      // The same provider transaction offered for a second payment: a replay.
      await hold(tx, p, `transaction ${v.trxId} already used by another payment`);
      await flagIssue(tx, "duplicate_payment", `trx:${p.method}:${v.trxId}`, {
        ...concerning(p),
        detail: { trxId: v.trxId, otherPayment: used.id },
      });
      return "mismatch" as const;
    }
    if (v.risky) {
      await tx`update shop_payments set provider_trx_id = ${v.trxId} where id = ${p.id}`;
      await hold(tx, p, "the provider marked this payment risky: check the customer");
      await audit(tx, p, "held", actorId, { risky: true });
      return "held" as const;
    }
    if (order) {
      const [other] = await tx`
        select id from shop_payments
        where order_id = ${order.id} and status = 'succeeded' and id <> ${p.id}`;
      if (other || order.status !== "pending_payment" && order.status !== "confirmed") {
        // Paid twice, or paid for an order that was cancelled meanwhile: keep the money on
        // record, fulfil nothing more, and ask a person to refund.
        await tx`update shop_payments set provider_trx_id = ${v.trxId} where id = ${p.id}`;
        await hold(
          tx,
          p,
          other ? "order already paid: refund this payment" : `order is ${order.status}`,
        );
        await flagIssue(
          tx,
          other ? "duplicate_payment" : "provider_paid_we_did_not",
          `payment:${p.id}`,
          {
            ...concerning(p),
            detail: { orderStatus: order.status, trxId: v.trxId },
          },
        );
        return "held" as const;
      }
    }
    await tx`
      update shop_payments set status = 'succeeded', provider_trx_id = ${v.trxId},
        completed_at = now(), failure_reason = null, updated_at = now()
      where id = ${p.id}`;
    await audit(tx, p, "succeeded", actorId, { trxId: v.trxId });
    // Partners' webhooks (services/webhooks): payment.confirmed, in this transaction.
    await emitWebhookEvent(tx, {
      type: "payment.confirmed",
      data: {
        paymentId: p.id,
        orderNumber: order?.number ?? null,
        purpose: p.purpose,
        method: p.method,
        amountMinor: p.amountMinor,
        currency: "BDT",
      },
      dedupeKey: `payment.confirmed:${p.id}`,
    });
    await ctx.ledger?.payment(tx, { ...p, paymentId: p.id });
    if (order) {
      await ctx.orders.markPaid(tx, order, {
        amountMinor: p.amountMinor,
        method: p.method,
        note: `paid by ${p.method} ${v.trxId}`,
        actorId,
        key: p.id,
      });
    } else if (p.purpose === "topup" && p.userId) {
      await creditBalance(tx, p.userId, p.amountMinor, "topup", `payment:${p.id}`);
    } else if (p.purpose === "account") {
      await ctx.onAccountPaid?.(tx, accountPaid(p));
    }
    return "succeeded" as const;
  });
}

async function hold(tx: Tx, p: Payment, reason: string) {
  await tx`
    update shop_payments set status = 'held', failure_reason = ${reason.slice(0, 300)},
      updated_at = now()
    where id = ${p.id}`;
}

async function audit(
  tx: Tx,
  p: Payment,
  to: string,
  actorId: string | null,
  extra: Record<string, unknown> = {},
) {
  await appendAudit(tx, {
    actorId,
    action: "shop.payment.status",
    entity: "shop_payment",
    entityId: p.id,
    data: { from: p.status, to, method: p.method, merchantRef: p.merchantRef, ...extra },
  });
}

// ---- staff decisions on held payments ----------------------------------------------------------

/**
 * Staff accept a held payment after checking it (e.g. a risky card payment): asks the provider
 * once more and applies the answer as if it were not risky.
 */
export async function acceptHeldPayment(
  ctx: PaymentContext,
  paymentId: string,
  actorId: string,
): Promise<ApplyOutcome> {
  const p = await getPayment(ctx.sql, paymentId);
  if (!p || p.status !== "held" || !isOnlineMethod(p.method)) return "unknown";
  const provider = ctx.providers[p.method];
  if (!provider) return "unknown";
  const v = await provider.query(paymentRef(p));
  await ctx.sql`update shop_payments set status = 'pending' where id = ${p.id} and status = 'held'`;
  return await applyVerification(ctx, p.id, { ...v, risky: false }, actorId);
}

// ---- retry and top-up ----------------------------------------------------------------------

/**
 * A new payment attempt for an order still waiting for payment (the last one failed or the
 * customer wants another method). Returns the new payment's id.
 */
export async function retryOrderPayment(
  ctx: PaymentContext,
  orderId: string,
  method: PaymentMethod,
  userId: string | null,
  offered: readonly PaymentMethod[],
): Promise<{ paymentId: string; method: PaymentMethod }> {
  if (!offered.includes(method) || method === "balance") {
    throw new ShopError("payment_method_unavailable");
  }
  return await ctx.sql.begin(async (tx) => {
    const o = await ctx.orders.lock(tx, orderId);
    if (!o || (userId && o.userId !== userId)) throw new ShopError("not_found");
    if (o.status !== "pending_payment") throw new ShopError("nothing_to_pay");
    const due = o.totalMinor - o.paidMinor;
    if (due <= 0) throw new ShopError("nothing_to_pay");
    // Close attempts left open (their late success is still accepted while the order waits).
    await tx`
      update shop_payments set status = 'cancelled', failure_reason = 'superseded by a new attempt',
        updated_at = now()
      where order_id = ${orderId} and status in ('initiated', 'pending')`;
    const merchantRef = newMerchantRef(o.number);
    const paymentId = await insertPayment(tx, {
      purpose: "order",
      orderId,
      orderNumber: o.number,
      userId: o.userId,
      method,
      amountMinor: due,
      merchantRef,
      status: isOnlineMethod(method) ? "initiated" : "pending",
      providerRef: method === "bank_transfer" ? merchantRef : null,
    });
    await ctx.orders.switchMethod(tx, o, method, userId);
    return { paymentId, method };
  });
}

/** A prepaid balance top-up through an online provider; returns the payment to start. */
export async function createTopup(
  ctx: PaymentContext,
  userId: string,
  method: OnlineMethod,
  amountMinor: number,
): Promise<string> {
  if (!ctx.providers[method]) throw new ShopError("payment_method_unavailable");
  if (!Number.isInteger(amountMinor) || amountMinor < 10_000 || amountMinor > 5_000_000) {
    throw new RangeError("top-up between ৳100 and ৳50,000");
  }
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "");
  return await ctx.sql.begin((tx) =>
    insertPayment(tx, {
      purpose: "topup",
      orderId: null,
      orderNumber: null,
      userId,
      method,
      amountMinor,
      merchantRef: newMerchantRef(`TU${day}`),
      status: "initiated",
    })
  ) as string;
}

// ---- refunds -------------------------------------------------------------------------------

export interface RefundOutcome {
  refundId: string;
  status: "requested" | "succeeded" | "processing" | "failed";
  reason?: string;
}

/**
 * Refunds part or all of a succeeded payment. bKash and SSLCommerz refund through their API;
 * the prepaid balance is credited; cash, bank transfer and Nagad (no refund API) are recorded as
 * paid back by staff. A refund that leaves nothing paid moves a cancelled or delivered order to
 * refunded.
 */
export async function refundPayment(
  ctx: PaymentContext,
  input: {
    paymentId: string;
    amountMinor: number;
    reason: string;
    actorId: string | null;
    /** Staff confirm they paid it back themselves (cash, bank, Nagad: no refund API). */
    paidBackManually?: boolean;
  },
): Promise<RefundOutcome> {
  if (!Number.isInteger(input.amountMinor) || input.amountMinor <= 0) {
    throw new ShopError("refund_too_large", "Enter an amount above zero");
  }
  const { refundId, payment } = await ctx.sql.begin(async (tx) => {
    const [row] = await tx`select * from shop_payments where id = ${input.paymentId} for update`;
    if (!row) throw new ShopError("not_found");
    const p = toPayment(row);
    if (p.status !== "succeeded" && p.status !== "held") {
      throw new ShopError("refund_not_supported");
    }
    const [{ open }] = await tx`
      select coalesce(sum(amount_minor), 0)::bigint as open from shop_refunds
      where payment_id = ${p.id} and status in ('requested', 'processing')`;
    const available = p.amountMinor - p.refundedMinor - toMinor(open);
    if (input.amountMinor > available) {
      throw new ShopError("refund_too_large", undefined, { availableMinor: available });
    }
    const [r] = await tx`
      insert into shop_refunds (payment_id, amount_minor, reason, actor_id)
      values (${p.id}, ${input.amountMinor}, ${input.reason}, ${input.actorId})
      returning id`;
    await appendAudit(tx, {
      actorId: input.actorId,
      action: "shop.refund.requested",
      entity: "shop_payment",
      entityId: p.id,
      data: { refundId: r.id, amountMinor: input.amountMinor, reason: input.reason },
    });
    return { refundId: r.id as string, payment: p };
  }) as { refundId: string; payment: Payment };

  let status: RefundOutcome["status"] = "succeeded";
  let providerRef: string | null = null;
  let reason: string | undefined;
  const provider = isOnlineMethod(payment.method) ? ctx.providers[payment.method] : undefined;
  if (!provider?.refund && payment.method !== "balance" && !input.paidBackManually) {
    // No refund API: the request waits on the admin payments page for staff to pay it back.
    return { refundId, status: "requested" };
  }
  if (provider?.refund) {
    try {
      const r = await provider.refund(
        paymentRef(payment),
        input.amountMinor,
        input.reason,
        refundId,
      );
      status = r.status;
      providerRef = r.providerRefundRef;
      reason = r.reason;
    } catch (e) {
      // Unknown: the refund may have gone through. Reconciliation asks the provider later.
      status = "processing";
      reason = (e as Error).message;
    }
  }
  await finishRefund(ctx, refundId, status, providerRef, reason ?? null, input.actorId);
  return { refundId, status, reason };
}

/** Records a refund's outcome (also used by reconciliation when a processing refund settles). */
export async function finishRefund(
  ctx: PaymentContext,
  refundId: string,
  status: "succeeded" | "processing" | "failed",
  providerRef: string | null,
  reason: string | null,
  actorId: string | null,
): Promise<void> {
  await ctx.sql.begin(async (tx) => {
    const [r] = await tx`
      select r.*, p.order_id, p.user_id, p.method, p.status as payment_status, p.purpose,
        p.order_number
      from shop_refunds r
      join shop_payments p on p.id = r.payment_id where r.id = ${refundId} for update of r`;
    if (!r || r.status === "succeeded" || r.status === "failed") return;
    await tx`
      update shop_refunds set status = ${status}, provider_refund_ref = ${providerRef},
        failure_reason = ${reason}, completed_at = ${status === "processing" ? null : new Date()}
      where id = ${refundId}`;
    if (status !== "succeeded") return;
    const amount = toMinor(r.amount_minor);
    await tx`
      update shop_payments set refunded_minor = refunded_minor + ${amount}, updated_at = now()
      where id = ${r.payment_id}`;
    if (r.method === "balance" && r.user_id) {
      await creditBalance(tx, r.user_id, amount, "refund", `refund:${refundId}`);
    }
    // A held payment was never booked as received (see applyVerification): nor is its refund.
    if (r.payment_status === "succeeded") await ctx.ledger?.refund(tx, refundOf(r, refundId));
    await appendAudit(tx, {
      actorId,
      action: "shop.refund.succeeded",
      entity: "shop_payment",
      entityId: r.payment_id,
      data: { refundId, amountMinor: amount, providerRef },
    });
    // A held payment (duplicate, or for a cancelled order) was never counted as paid.
    if (!r.order_id || r.payment_status !== "succeeded") return;
    await ctx.orders.markRefunded(tx, r.order_id, { amountMinor: amount, actorId, key: refundId });
  });
}

/** A succeeded refund as the books see it (the refund row joined with its payment). */
function refundOf(r: Record<string, unknown>, refundId: string): RefundEvent {
  return {
    refundId,
    paymentId: String(r.payment_id),
    method: r.method as PaymentMethod,
    purpose: r.purpose === "topup" ? "topup" : "order",
    amountMinor: toMinor(r.amount_minor as string),
    orderNumber: (r.order_number as string | null) ?? null,
    userId: (r.user_id as string | null) ?? null,
  };
}

/** The account payment's party and chosen invoices, from its details. */
export function accountPaid(p: Payment): Parameters<OnAccountPaid>[1] {
  const d = p.details as { party?: unknown; invoices?: unknown };
  return {
    paymentId: p.id,
    party: String(d.party ?? ""),
    method: p.method,
    amountMinor: p.amountMinor,
    invoices: Array.isArray(d.invoices) ? d.invoices.map(String) : [],
  };
}
