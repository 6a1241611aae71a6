/**
 * Shop sale → journal entry (pure). Posted when the order is delivered: the goods are handed
 * over, the supply is made and its tax invoice (Mushak 6.3) belongs to that moment.
 *
 * The amounts are the order's own (services/shop/pricing.ts, stored on the order and its lines),
 * never recomputed: prices include VAT; each line's VAT is on what the customer pays for it
 * after its share of the discount.
 *
 *   Dr 1220 receivables from shop customers   order total
 *   Dr 4300 sales discounts                   the discount (as the customer saw it, VAT in)
 *   Cr 4110 sales, one line per VAT rate      Σ (line gross − line VAT)
 *   Cr 2310 VAT output payable                the order's VAT
 *   Cr 4200 delivery fee income               the fee (the shop charges no VAT on it)
 *
 * Balanced because total = Σ gross − discount + fee. Income net of the discount is the value
 * after discount without VAT, as on the invoice.
 */
import type { Posting, PostingLine } from "../types.ts";
import { ACC } from "./accounts.ts";

export interface SaleLine {
  vatRateBp: number;
  /** What the customer pays for the line (after its discount share, VAT included). */
  lineTotalMinor: number;
  /** The line's share of the order discount. */
  discountMinor: number;
  vatMinor: number;
  /** For the tax invoice (Mushak 6.3): what was sold, how many, at what price (VAT included). */
  description?: { en: string; bn: string };
  quantity?: number;
  unitPriceMinor?: number;
}

/** The buyer as the tax invoice names them (the street line stays encrypted in the shop). */
export interface SaleBuyer {
  /** The shop account, when the order has one: the receivables' customer. */
  userId: string | null;
  name: string;
  /** The destination of supply by area ("Gulshan, Dhaka"). */
  destinationEn: string;
  destinationBn: string;
  lang: "en" | "bn";
}

export interface SaleEvent {
  orderId: string;
  orderNumber: string;
  totalMinor: number;
  discountMinor: number;
  deliveryFeeMinor: number;
  vatMinor: number;
  lines: SaleLine[];
  /** For the tax invoice (absent: the invoice names an unregistered shop customer). */
  buyer?: SaleBuyer;
}

const pct = (bp: number) => `${bp / 100} %`;

/**
 * A delivered order refunded in full (it became "refunded"): the sale undone, the goods' value
 * to 4400 sales returns, the VAT output, fee and discount reversed (the credit note's effect,
 * Mushak 6.7 adjusts output VAT in the period it is issued).
 */
export function saleReturnEntry(e: SaleEvent, date: string): Posting | null {
  const sale = saleEntry(e, date);
  if (!sale) return null;
  return {
    ...sale,
    source: "shop.return",
    memo: `Shop order ${e.orderNumber} refunded in full`,
    lines: sale.lines.map((l) => ({
      ...l,
      account: l.account === ACC.shopSales ? ACC.salesReturns : l.account,
      memo: l.account === ACC.shopSales ? l.memo?.replace("Sales", "Returned") : l.memo,
      debitMinor: l.creditMinor,
      creditMinor: l.debitMinor,
    })),
  };
}

export function saleEntry(e: SaleEvent, date: string): Posting | null {
  const vat = e.lines.reduce((a, l) => a + l.vatMinor, 0);
  if (vat !== e.vatMinor) {
    throw new RangeError(`order ${e.orderNumber}: line VAT ${vat} ≠ order VAT ${e.vatMinor}`);
  }
  const partnerRef = `order:${e.orderNumber}`;
  const byRate = new Map<number, number>();
  for (const l of e.lines) {
    const net = l.lineTotalMinor + l.discountMinor - l.vatMinor;
    byRate.set(l.vatRateBp, (byRate.get(l.vatRateBp) ?? 0) + net);
  }
  const lines: PostingLine[] = [
    { account: ACC.shopReceivable, debitMinor: e.totalMinor, partnerRef },
    { account: ACC.discounts, debitMinor: e.discountMinor, memo: "Discount" },
    ...[...byRate].sort(([a], [b]) => b - a).map(([rate, net]): PostingLine => ({
      account: ACC.shopSales,
      creditMinor: net,
      memo: rate > 0 ? `Sales at VAT ${pct(rate)}` : "Sales, VAT exempt",
    })),
    { account: ACC.vatOutput, creditMinor: e.vatMinor, memo: "VAT output" },
    { account: ACC.deliveryFees, creditMinor: e.deliveryFeeMinor, memo: "Delivery fee" },
  ].filter((l) => (l.debitMinor ?? l.creditMinor ?? 0) > 0);
  if (lines.length < 2) return null;
  return {
    source: "shop.sale",
    sourceRef: e.orderId,
    date,
    journal: "SALES",
    memo: `Shop order ${e.orderNumber} delivered`,
    lines,
  };
}
