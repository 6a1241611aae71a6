/**
 * Purchasing → journal entries (pure).
 *
 * - Goods received: Dr inventory by the item's kind (raw milk 1310, ingredients 1320, packaging
 *   1330, finished goods and by-products 1340, feed 1350, veterinary medicine 1360) at the order's
 *   price without VAT / Cr 2140 goods received not invoiced.
 * - A supplier bill approved: Dr 2140 at the order's price for the billed quantity, the price
 *   difference (bill net − that) to 5130, Dr 1410 VAT input (the bill's VAT, Mushak 6.1) / Cr 2110
 *   trade payables at the bill's total.
 */
import type { Posting, PostingLine } from "../types.ts";
import { ITEM_KINDS, type ItemKind } from "@/services/inventory/mod.ts";
import { ACC } from "./accounts.ts";

/** The kinds of stock the books value: inventory's item kinds. */
export const STOCK_KINDS = ITEM_KINDS;
export type StockKind = ItemKind;

export const INVENTORY_ACCOUNT: Record<StockKind, string> = {
  raw_milk: ACC.invRawMilk,
  ingredient: ACC.invIngredients,
  packaging: ACC.invPackaging,
  finished: ACC.invFinished,
  byproduct: ACC.invFinished,
  feed: ACC.invFeed,
  medicine: ACC.invMedicine,
};

export interface ReceiptEvent {
  receiptNumber: string;
  supplierId: number;
  orderNumber: string;
  lines: {
    itemCode: string;
    kind: StockKind;
    valueMinor: number;
    /** Base units received: the stock valuation's cost layer (valuation.ts). */
    qty?: number;
  }[];
}

export function receiptEntry(e: ReceiptEvent, date: string): Posting | null {
  const byAccount = new Map<string, number>();
  for (const l of e.lines) {
    const a = INVENTORY_ACCOUNT[l.kind];
    byAccount.set(a, (byAccount.get(a) ?? 0) + l.valueMinor);
  }
  const total = [...byAccount.values()].reduce((a, b) => a + b, 0);
  if (!(total > 0)) return null;
  return {
    source: "purchase.receipt",
    sourceRef: e.receiptNumber,
    date,
    journal: "PURCHASE",
    memo: `Goods received ${e.receiptNumber} (${e.orderNumber})`,
    lines: [
      ...[...byAccount].filter(([, v]) => v > 0).sort(([a], [b]) => a.localeCompare(b))
        .map(([account, v]): PostingLine => ({ account, debitMinor: v })),
      { account: ACC.grni, creditMinor: total, partnerRef: `supplier:${e.supplierId}` },
    ],
  };
}

export interface BillEvent {
  billId: number;
  billNumber: string;
  supplierId: number;
  lines: { receivedValueMinor: number; netMinor: number; vatMinor: number }[];
}

export function billEntry(e: BillEvent, date: string): Posting | null {
  const grni = e.lines.reduce((a, l) => a + l.receivedValueMinor, 0);
  const net = e.lines.reduce((a, l) => a + l.netMinor, 0);
  const vat = e.lines.reduce((a, l) => a + l.vatMinor, 0);
  const diff = net - grni;
  const partnerRef = `supplier:${e.supplierId}`;
  const lines: PostingLine[] = [
    { account: ACC.grni, debitMinor: grni, partnerRef },
    diff >= 0
      ? { account: ACC.priceDifference, debitMinor: diff }
      : { account: ACC.priceDifference, creditMinor: -diff },
    { account: ACC.vatInput, debitMinor: vat, memo: "VAT input" },
    { account: ACC.supplierPayable, creditMinor: net + vat, partnerRef },
  ].filter((l) => (l.debitMinor ?? l.creditMinor ?? 0) > 0);
  if (lines.length < 2) return null;
  return {
    source: "purchase.bill",
    sourceRef: String(e.billId),
    date,
    journal: "PURCHASE",
    memo: `Supplier bill ${e.billNumber} approved`,
    lines,
  };
}
