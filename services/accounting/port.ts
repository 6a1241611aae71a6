/**
 * The ledger port the operating contexts receive (contexts.ts hands it over): one method per
 * business event, called in the operation's own transaction, one line at the place of the
 * change. The posting rules (services/accounting/rules/*.ts) turn the event into a balanced
 * entry; `accounting.poster` records it idempotently on (source, reference), so a repeated event
 * posts once.
 *
 * The accounting date is today (the accounting context's clock). An operation never fails
 * because the books closed a period: when today's period is closed, the entry is dated the first
 * day of the next open period (the accountant sees it there; the closed month stays as filed).
 *
 * The contexts import only the types (`ShopLedger`, `PaymentsLedger`, `PurchaseLedger`).
 */
import type { Tx } from "@/services/platform/tx.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import type { Poster } from "./poster.ts";
import type { Posting } from "./types.ts";
import { saleEntry, type SaleEvent, saleReturnEntry } from "./rules/shop.ts";
import {
  codCollectedEntry,
  type CodCollectedEvent,
  codHandinEntry,
  type CodHandinEvent,
  paymentEntry,
  type PaymentEvent,
  refundEntry,
  type RefundEvent,
} from "./rules/payments.ts";
import { billEntry, type BillEvent, receiptEntry, type ReceiptEvent } from "./rules/purchase.ts";
import {
  createOperationsLedger,
  type OperationsLedger,
  postOnOpenDate,
  valueReceipt,
} from "./operations.ts";
import { issueShopCreditNote, issueShopInvoice, linkParty } from "./invoices.ts";

export type {
  BillEvent,
  CodCollectedEvent,
  CodHandinEvent,
  PaymentEvent,
  ReceiptEvent,
  RefundEvent,
  SaleEvent,
};

export interface LedgerPort extends OperationsLedger {
  /** A shop order was delivered: the sale, its VAT, discount and delivery fee. */
  shopSale(tx: Tx, e: SaleEvent): Promise<void>;
  /** A delivered shop order was refunded in full: the sale reversed into sales returns. */
  shopReturn(tx: Tx, e: SaleEvent): Promise<void>;
  /** A payment succeeded (an order's or a balance top-up). */
  payment(tx: Tx, e: PaymentEvent): Promise<void>;
  /** A refund succeeded. */
  refund(tx: Tx, e: RefundEvent): Promise<void>;
  /** A rider's collection for a cash-on-delivery order was recorded (or corrected). */
  codCollected(tx: Tx, e: CodCollectedEvent): Promise<void>;
  /** A rider's cash hand-in was recorded (or corrected). */
  codHandedIn(tx: Tx, e: CodHandinEvent): Promise<void>;
  /** Goods were received into stock against a purchase order. */
  purchaseReceipt(tx: Tx, e: ReceiptEvent): Promise<void>;
  /** A supplier bill was approved. */
  supplierBill(tx: Tx, e: BillEvent): Promise<void>;
}

export type ShopLedger = Pick<LedgerPort, "shopSale" | "shopReturn" | "payment">;
export type PaymentsLedger = Pick<
  LedgerPort,
  "payment" | "refund" | "codCollected" | "codHandedIn"
>;
export type PurchaseLedger = Pick<LedgerPort, "purchaseReceipt" | "supplierBill">;
/** Production's events: inputs taken (work in progress), goods made at cost. */
export type ProductionLedger = Pick<LedgerPort, "productionConsumed" | "productionFinished">;
/** Inventory's events: scrap, approved counts, stock shipped to customers or used by the farm. */
export type InventoryLedger = Pick<
  LedgerPort,
  "stockScrapped" | "stockCounted" | "stockIssued" | "stockOpened"
>;
/** Milk intake's events: raw milk into stock (farmers' payable), statements paid. */
export type IntakeLedger = Pick<LedgerPort, "milkReceived" | "farmerPaid">;

/**
 * The date to post on: today when its period is open (or not made yet: the poster makes the
 * fiscal year), else the first day of the next open period, else the day after the last period.
 */
export async function postingDate(tx: Tx, today: string): Promise<string> {
  const [r] = await tx<{ open_on: string | null; today_status: string | null; after: string }[]>`
    select
      (select to_char(greatest(starts_on, ${today}::date), 'YYYY-MM-DD') from acc_periods
        where status = 'open' and ends_on >= ${today}::date order by starts_on limit 1) as open_on,
      (select status from acc_periods
        where starts_on <= ${today}::date and ends_on >= ${today}::date) as today_status,
      (select to_char(coalesce(max(ends_on) + 1, ${today}::date), 'YYYY-MM-DD')
        from acc_periods) as after`;
  if (r.today_status !== "closed") return today;
  return r.open_on ?? (r.after > today ? r.after : today);
}

export function createLedgerPort(poster: Poster, clock?: { now(): Date }): LedgerPort {
  const today = () => dhakaDate(clock?.now() ?? new Date());
  const post = async <E>(tx: Tx, rule: (e: E, date: string) => Posting | null, e: E) =>
    postOnOpenDate(poster, tx, (d) => rule(e, d), await postingDate(tx, today()), postingDate);
  return {
    // The sale's tax invoice (Mushak 6.3) and the refund's credit note (6.7) in the same
    // transaction as their entries (services/accounting/invoices.ts).
    shopSale: async (tx, e) => {
      await post(tx, saleEntry, e);
      await issueShopInvoice(tx, e, clock?.now() ?? new Date());
    },
    shopReturn: async (tx, e) => {
      await post(tx, saleReturnEntry, e);
      await issueShopCreditNote(tx, e, clock?.now() ?? new Date());
    },
    payment: async (tx, e) => {
      await post(tx, paymentEntry, e);
      // The order's receivable items belong to its customer (statements, ageing).
      if (e.purpose === "order" && e.orderNumber && e.userId) {
        await linkParty(tx, `order:${e.orderNumber}`, {
          ref: `customer:${e.userId}`,
          side: "receivable",
          name: "Shop customer",
        });
      }
    },
    refund: (tx, e) => post(tx, refundEntry, e),
    codCollected: (tx, e) => post(tx, codCollectedEntry, e),
    codHandedIn: (tx, e) => post(tx, codHandinEntry, e),
    purchaseReceipt: async (tx, e) => {
      // The receipt's cost layers (stock valuation) where the lines say their quantity.
      const counted = e.lines.flatMap((l) => l.qty ? [{ ...l, qty: l.qty }] : []);
      if (counted.length) {
        await valueReceipt(tx, e.receiptNumber, await postingDate(tx, today()), counted);
      }
      await post(tx, receiptEntry, e);
    },
    supplierBill: (tx, e) => post(tx, billEntry, e),
    ...createOperationsLedger(poster, today, postingDate),
  };
}
