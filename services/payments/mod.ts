/**
 * The payments context's door: taking money for orders and top-ups, provider callbacks and
 * webhooks, refunds, customers' bank transfers (statements are imported and matched by accounting,
 * which calls `bankTransfers`), cash on delivery and reconciliation.
 *
 * Owns (tables): shop_payments, shop_payment_events, shop_refunds, shop_balances,
 * shop_balance_entries (the prepaid balance), shop_bank_statement_lines (kept for the lines
 * imported before accounting's bank import took over; nothing writes it now), shop_cod_collections,
 * shop_cod_handins, shop_reconciliation_issues (all from 0303_shop_payments.sql). Provider
 * settings come from Config (PAYMENT_*).
 * Interfaces: orders are read and changed only through the `orders` interface the shop hands
 * over at construction (PaymentOrders: lock, mark paid, the order's contact, the orders the
 * sweeps weigh…); an account's name, e-mail and phone come from identity's door through
 * `people`. A payment keeps its order's number on its own row (order_number, 0306), so staff
 * lists and bank matching read only payments' tables. The shop gets `orderPayments` for its own
 * transactions. tests/architecture_test.ts checks that no payments file names another context's
 * table.
 */
import * as privacy from "./privacy.ts";
import type { PaymentsLedger } from "@/services/accounting/port.ts";
import { type Queryable, type Sql, toMinor, type Tx } from "@/services/platform/db.ts";
import { type Config, publicOrigin } from "@/services/platform/config.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import {
  acceptHeldPayment,
  type ApplyOutcome,
  type CallbackResult,
  createTopup,
  finishRefund,
  handleCallback,
  refundPayment,
  retryOrderPayment,
  type StartContext,
  startPayment,
} from "./payments.ts";
import { offeredMethods, paymentProviders, paymentSettings } from "./settings.ts";
import { balanceEntries, chargeBalance, getBalance } from "./balance.ts";
import {
  getPayment,
  insertPayment,
  listPaymentsAdmin,
  listRefunds,
  newMerchantRef,
  type NewPayment,
  paymentEvents,
  paymentsForOrder,
} from "./records.ts";
import { bkashWebhook, type WebhookAnswer } from "./bkash_webhook.ts";
import { verifySign } from "./sslcommerz.ts";
import { applyBankCredit, openBankTransfers, orderNumbersIn } from "./bank_statements.ts";
import { listIssues, resolveIssue } from "./issues.ts";
import { recordCodCollection, recordHandin, riderDays } from "./cod.ts";
import {
  reconcile,
  type ReconcileResult,
  sweepPayments,
  type SweepResult,
} from "./reconciliation.ts";
import type { OnlineMethod, PaymentMethod, PaymentPeople } from "./types.ts";
import type { OrderLedger } from "@/services/shop/mod.ts";
import { paymentsDashboardFigures } from "./dashboard_figures.ts";
import type { OnAccountPaid } from "./payments.ts";
import {
  type OnAccountReceipt,
  paymentsOnAccount,
  recordOnAccount,
  startOnAccount,
} from "./on_account.ts";

export type {
  ApplyOutcome,
  CallbackResult,
  OnAccountPaid,
  PaymentContext,
  StartContext,
  StartOutcome,
} from "./payments.ts";
export type { Payment, PaymentRow, RefundRow } from "./records.ts";
export type { OnAccountReceipt };
export type { Issue } from "./issues.ts";
export type { BalanceEntry } from "./balance.ts";
export type { CodCollector, CodCourier, HandinResult, RiderDay } from "./cod.ts";
export { COD_COURIERS } from "./cod.ts";
export type { OnlineMethod, PaymentMethod, PaymentPeople } from "./types.ts";
export { isOnlineMethod, isPaymentMethod, ONLINE_METHODS, PAYMENT_METHODS } from "./types.ts";
export { type OpenTransfer, orderNumbersIn } from "./bank_statements.ts";
export type { WebhookAnswer } from "./bkash_webhook.ts";
export type { ReconcileResult, SweepResult } from "./reconciliation.ts";
export { needsFakeProviders, startFakeProviders } from "./fakes/mod.ts";

/**
 * What payments may know and do of orders (offered by the shop's door, `orderPort`): lock, mark
 * paid or refunded, switch method, cancel unpaid, and the reads its sweeps need.
 */
export type PaymentOrders = OrderLedger;

export interface PaymentsDeps {
  sql: Sql;
  keyring: Keyring;
  /** Read at each call: the fake providers fill in their URLs after start-up. */
  config: Config;
  clock?: { now(): Date };
  orders: PaymentOrders;
  /** An account's name, e-mail and phone (identity's door), for a provider's payment page. */
  people: PaymentPeople;
  /** The books (accounting's port): payments, refunds and riders' cash post in our transactions. */
  ledger?: PaymentsLedger;
  /** A payment on account succeeded: its receivable's owner settles invoices (in our tx). */
  onAccountPaid?: OnAccountPaid;
}

/**
 * What the shop asks of payments inside its own transactions (placing, cancelling an order):
 * open the order's payment, charge the prepaid balance, close attempts left open, and list what
 * was paid (to refund it). The shop never writes payments' tables itself.
 */
export const orderPayments = {
  /** A payment reference for an order number ("SD-2026-000123-7K2Q"). */
  newRef: newMerchantRef,
  open: (tx: Tx, p: NewPayment): Promise<string> => insertPayment(tx, p),
  chargeBalance: (tx: Tx, userId: string, amountMinor: number, ref: string) =>
    chargeBalance(tx, userId, amountMinor, ref),
  /** Refunds (part of) a payment: the shop's cancellation asks for what was paid back. */
  refund: refundPayment,
  /** Records what a rider collected for a delivered COD order (in the delivery's transaction). */
  codCollected: recordCodCollection,
  /** An order's payments (for its page). */
  forOrder: (sql: Queryable, orderId: string) => paymentsForOrder(sql, orderId),
  /** Closes an order's open attempts (the order was cancelled). */
  async cancelOpen(tx: Tx, orderId: string): Promise<void> {
    await tx`
      update shop_payments set status = 'cancelled', updated_at = now(),
        failure_reason = coalesce(failure_reason, 'order cancelled')
      where order_id = ${orderId} and status in ('initiated', 'pending')`;
  },
  /** An order's succeeded payments with what is left to refund on each. */
  async refundable(sql: Queryable, orderId: string) {
    const rows = await sql`
      select id, amount_minor, refunded_minor from shop_payments
      where order_id = ${orderId} and status = 'succeeded'`;
    return rows.map((p) => ({
      paymentId: p.id as string,
      leftMinor: toMinor(p.amount_minor) - toMinor(p.refunded_minor),
    }));
  },
};

/**
 * The payments jobs a worker runs (no identity needed; the orders they weigh come from the shop's
 * order interface): asking providers about open payments, cancelling orders left unpaid, and
 * comparing our records with the providers' and the riders' cash.
 */
export function paymentJobs(
  deps: {
    sql: Sql;
    keyring: Keyring;
    config: Config;
    orders: OrderLedger;
    ledger?: PaymentsLedger;
  },
): {
  sweep(now?: Date): Promise<SweepResult>;
  reconcile(opts?: { sinceDays?: number; now?: Date }): Promise<ReconcileResult>;
} {
  const context = () => ({
    sql: deps.sql,
    keyring: deps.keyring,
    providers: paymentProviders(deps.config),
    orders: deps.orders,
    ledger: deps.ledger,
  });
  return {
    /** Asks providers about payments left open and cancels unpaid orders past their time. */
    sweep: (now?: Date) =>
      sweepPayments(context(), now, deps.config.PAYMENT_UNPAID_MINUTES * 60_000),
    /** Compares our records with the providers' and the riders' cash; flags differences. */
    reconcile: (opts = {}) => reconcile(context(), opts),
  };
}

export function createPayments(deps: PaymentsDeps) {
  const { sql, keyring, config, orders, people } = deps;
  /** The context the payment modules take (providers as the configuration says today). */
  const context = (): StartContext & { keyring: Keyring } => ({
    sql,
    keyring,
    providers: paymentProviders(config),
    orders,
    people,
    ledger: deps.ledger,
    onAccountPaid: deps.onAccountPaid,
  });

  /**
   * Where a customer lands after a provider sends them back (our records decide, not the URL).
   * A payment the customer cancelled takes them back to their cart: the unpaid order is
   * cancelled (its stock released) and its items are in the cart again, to change or pay anew.
   */
  async function landing(r: CallbackResult): Promise<string> {
    const p = r.payment;
    if (!p) return "/shop/orders";
    // (A guest's order has no cart to go back to: it stays, to be paid another way.)
    if (p.status === "cancelled" && p.purpose === "order" && p.orderId && p.userId) {
      const orderId = p.orderId;
      const cancelled = await sql.begin((tx) =>
        orders.cancelUnpaid(tx, orderId, "payment cancelled by the customer")
      );
      if (cancelled && await orders.restoreToCart(sql, orderId)) return "/shop/cart?pay=cancelled";
    }
    const pay = p.status === "succeeded"
      ? "ok"
      : p.status === "cancelled"
      ? "cancelled"
      : p.status === "failed" || p.status === "expired"
      ? "failed"
      : "pending";
    if (p.purpose === "topup") return `/shop/balance?topup=${pay}`;
    if (p.purpose === "account") return `/b2b/money?pay=${pay}`;
    return p.orderNumber ? `/shop/orders/${p.orderNumber}?pay=${pay}` : "/shop/orders";
  }

  return {
    /** The payment context for the shop's own steps that move money (cancel, staff status). */
    context,
    /** The methods a customer may choose now (signed-in customers may also pay from balance). */
    offeredMethods: (signedIn: boolean): PaymentMethod[] =>
      offeredMethods(paymentProviders(config), signedIn),
    /** Registers a payment with its provider; the callbacks go to our PUBLIC_URL. */
    start: (paymentId: string, opts: { clientIp?: string } = {}) =>
      startPayment(context(), paymentId, { origin: publicOrigin(config), clientIp: opts.clientIp }),
    get: (id: string) => getPayment(sql, id),
    /** A customer's prepaid balance and its latest entries. */
    balance: (userId: string) => getBalance(sql, userId),
    balanceEntries: (userId: string) => balanceEntries(sql, userId),
    retryOrder: (
      orderId: string,
      method: PaymentMethod,
      userId: string | null,
      offered: readonly PaymentMethod[],
    ) => retryOrderPayment(context(), orderId, method, userId, offered),
    createTopup: (userId: string, method: OnlineMethod, amountMinor: number) =>
      createTopup(context(), userId, method, amountMinor),
    /**
     * A customer's browser back from a provider: asks the provider, applies its answer, and
     * returns where to send the customer.
     */
    async callback(method: OnlineMethod, fields: Record<string, string>): Promise<string> {
      return await landing(await handleCallback(context(), method, fields));
    },
    /**
     * SSLCommerz's server-to-server IPN. A wrong verify_sign is refused outright; a right one is
     * still only a cue: the validation API decides (a val_id counts only for its own tran_id).
     */
    async sslcommerzIpn(fields: Record<string, string>): Promise<WebhookAnswer> {
      const settings = paymentSettings(config).sslcommerz;
      if (!settings || !(await verifySign(fields, settings.storePassword))) {
        return { status: 400, body: "invalid signature" };
      }
      const r = await handleCallback(context(), "sslcommerz", fields);
      return { status: 200, body: r.payment ? `OK ${r.outcome}` : "unknown transaction" };
    },
    bkashWebhook: (rawBody: string) =>
      bkashWebhook(context(), rawBody, config.PAYMENT_BKASH_SNS_CERT_PREFIX),

    // ---- staff ----
    list: (q: { status?: string; method?: string; limit?: number; offset?: number }) =>
      listPaymentsAdmin(sql, q),
    refunds: (q: { paymentId?: string; status?: string } = {}) => listRefunds(sql, q),
    /** One payment with its order's number, events and refunds, or null. */
    async detail(id: string) {
      const payment = await getPayment(sql, id);
      if (!payment) return null;
      const [events, refunds] = await Promise.all([
        paymentEvents(sql, payment.id),
        listRefunds(sql, { paymentId: payment.id }),
      ]);
      return { payment, orderNumber: payment.orderNumber, events, refunds };
    },
    refund: (input: Parameters<typeof refundPayment>[1]) => refundPayment(context(), input),
    refundPaidBack: (refundId: string, actorId: string) =>
      finishRefund(context(), refundId, "succeeded", null, "paid back by staff", actorId),
    acceptHeld: (paymentId: string, actorId: string): Promise<ApplyOutcome> =>
      acceptHeldPayment(context(), paymentId, actorId),

    // ---- payments on account (B2B receivables) ----
    onAccount: {
      /** An online payment of a business's receivable; start it with `start(id)`. */
      start: (input: Parameters<typeof startOnAccount>[1]) => startOnAccount(context(), input),
      /** Money received on account (bank transfer, representative's cash), in the caller's tx. */
      record: (tx: Tx, input: OnAccountReceipt) => recordOnAccount(context(), tx, input),
      list: (party: string) => paymentsOnAccount(context(), party),
    },

    // ---- bank transfers ----
    /**
     * Customers' bank transfers for the books (accounting imports the statements and matches;
     * contexts.ts hands this over): the orders a line names, the transfers still waiting, and
     * applying a matched credit (posts through the ledger port, once per statement line).
     */
    bankTransfers: {
      orderNumbersIn,
      open: (q: { orderNumbers: string[]; amountMinor: number }) => openBankTransfers(sql, q),
      applyCredit: (
        paymentId: string,
        credit: { lineId: number; amountMinor: number },
        actorId: string | null,
      ): Promise<string> => applyBankCredit(context(), paymentId, credit, actorId),
    },

    /** Money taken (net of refunds) over the last `days` days. */
    async takings(days: number): Promise<number> {
      const [r] = await sql`
        select coalesce(sum(amount_minor - refunded_minor), 0) as v from shop_payments
        where status = 'succeeded' and completed_at > now() - make_interval(days => ${days})`;
      return toMinor(r.v);
    },
    async openIssueCount(): Promise<number> {
      const [r] = await sql`
        select count(*)::int as n from shop_reconciliation_issues where status = 'open'`;
      return r.n;
    },

    /** The back office home page's money figures for one Dhaka day (dashboard_figures.ts). */
    dashboardFigures: (day: string) => paymentsDashboardFigures(sql, day),

    // ---- reconciliation and cash ----
    issues: (status: "open" | "resolved" = "open", limit?: number) =>
      listIssues(sql, status, limit),
    resolveIssue: (id: number, resolution: string, actorId: string | null) =>
      sql.begin((tx) => resolveIssue(tx, id, resolution, actorId)),
    riderDays: () => riderDays(sql),
    recordHandin: (input: Parameters<typeof recordHandin>[1]) =>
      sql.begin((tx) => recordHandin(tx, input, deps.ledger)),
    ...paymentJobs(deps),

    // ---- privacy (services/privacy) ----
    /** The customer's payments and balance entries (no provider payloads). */
    exportCustomer: (userId: string) => privacy.exportCustomer(sql, userId),
    /** Removes payer details from the payment events; amounts and references stay. */
    anonymiseCustomer: (userId: string) => privacy.anonymiseCustomer(sql, userId),
    /** Retention: payments created in [from, to) with their refunds. */
    archivePayments: (from: Date, to: Date, after: string | null, limit: number) =>
      privacy.archivePayments(sql, from, to, after, limit),
  };
}

export type Payments = ReturnType<typeof createPayments>;
