/**
 * Stock and milk operations → journal entries (pure). The values come from the stock valuation
 * (valuation.ts: FIFO or moving average per item) or, for milk, from the farmers' price.
 *
 * - Production started, inputs taken: Dr 1370 work in progress / Cr each input's inventory
 *   account at cost.
 * - Production finished: Dr the outputs' inventory at cost / Cr 1370 the order's work in
 *   progress; the product carries the cost of the output the bill of materials expected of the
 *   main input consumed, so less output than that (a loss beyond the normal) is Dr 5110 yield
 *   variance, more is Cr 5110. By-products at their current cost.
 * - Scrap: Dr 5120 scrap and count loss / Cr inventory at cost.
 * - An approved count: what was missing Dr 5120 / Cr inventory at cost; what was found Dr
 *   inventory / Cr 5120 at the current cost.
 * - Goods shipped to customers: Dr 5100 cost of goods sold / Cr 1340 finished goods at the cost of
 *   the lots shipped. Feed and medicine the farm used: Dr 5600 / 5610 / Cr 1350 / 1360.
 * - Milk received from contract farmers: Dr 1310 raw milk / Cr 2120 payables to farmers, one line
 *   per farmer; own farm milk: Dr 1310 / Cr 5620 at the farmers' price.
 * - Opening stock taken in at go-live: Dr inventory / Cr 3300 opening balance equity.
 * - A farmer's statement paid: Dr 2120 the gross / Cr the money (bKash 1160, bank 1151, cash 1110)
 *   at the net, Cr 1230 the deductions recovered (advances, feed on credit).
 */
import type { JournalCode, Posting, PostingLine } from "../types.ts";
import { ACC } from "./accounts.ts";
import { INVENTORY_ACCOUNT, type StockKind } from "./purchase.ts";

export const OPS_ACC = {
  wip: "1370",
  cogs: "5100",
  yieldVariance: "5110",
  scrapLoss: "5120",
  farmerPayable: "2120",
  supplierAdvances: "1230",
  feedUsed: "5600",
  vetUsed: "5610",
  ownMilk: "5620",
  openingEquity: "3300",
} as const;

/** An amount of stock at cost, by its kind (the inventory account). */
export interface ValuedLine {
  kind: StockKind;
  valueMinor: number;
}

/** Sums values per inventory account, sorted by account, zero lines left out. */
function byAccount(lines: ValuedLine[]): [string, number][] {
  const m = new Map<string, number>();
  for (const l of lines) {
    const a = INVENTORY_ACCOUNT[l.kind];
    m.set(a, (m.get(a) ?? 0) + l.valueMinor);
  }
  return [...m].filter(([, v]) => v !== 0).sort(([a], [b]) => a.localeCompare(b));
}

const sum = (lines: ValuedLine[]) => lines.reduce((s, l) => s + l.valueMinor, 0);

/** One signed amount as a line: positive debits, negative credits, zero nothing. */
function signed(account: string, v: number, extra: Partial<PostingLine> = {}): PostingLine[] {
  if (v === 0) return [];
  return [v > 0 ? { account, debitMinor: v, ...extra } : { account, creditMinor: -v, ...extra }];
}

function entry(
  source: string,
  sourceRef: string,
  date: string,
  journal: JournalCode,
  memo: string,
  lines: PostingLine[],
): Posting | null {
  const real = lines.filter((l) => (l.debitMinor ?? 0) > 0 || (l.creditMinor ?? 0) > 0);
  if (real.length < 2) return null;
  return { source, sourceRef: sourceRef.slice(0, 120), date, journal, memo, lines: real };
}

export interface ConsumptionEvent {
  orderNumber: string;
  lines: ValuedLine[];
}

export function productionConsumeEntry(e: ConsumptionEvent, date: string): Posting | null {
  const total = sum(e.lines);
  return entry(
    "production.consume",
    e.orderNumber,
    date,
    "GENERAL",
    `Production ${e.orderNumber}: materials taken`,
    [
      ...signed(OPS_ACC.wip, total, { partnerRef: `production:${e.orderNumber}` }),
      ...byAccount(e.lines).flatMap(([a, v]) => signed(a, -v)),
    ],
  );
}

export interface OutputEvent {
  orderNumber: string;
  /** The order's work in progress: what its inputs cost. */
  wipMinor: number;
  /** The outputs at cost (product and by-products). */
  outputs: ValuedLine[];
}

/** Splits an order's cost: by-products at their cost, the product at the expected yield. */
export function outputCosts(
  wipMinor: number,
  product: { qty: number; expectedQty: number } | null,
  byproductCosts: number[],
): { product: number; byproducts: number[]; variance: number } {
  let left = wipMinor;
  const byproducts = byproductCosts.map((c) => {
    const v = Math.max(0, Math.min(c, left));
    left -= v;
    return v;
  });
  let productValue = 0;
  if (product && product.qty > 0) {
    productValue = product.expectedQty > 0
      ? Number(
        (BigInt(left) * BigInt(product.qty) * 2n + BigInt(product.expectedQty)) /
          (2n * BigInt(product.expectedQty)),
      )
      : left;
  }
  return { product: productValue, byproducts, variance: left - productValue };
}

export function productionOutputEntry(e: OutputEvent, date: string): Posting | null {
  const out = sum(e.outputs);
  return entry(
    "production.output",
    e.orderNumber,
    date,
    "GENERAL",
    `Production ${e.orderNumber}: goods made at cost`,
    [
      ...byAccount(e.outputs).flatMap(([a, v]) => signed(a, v)),
      ...signed(OPS_ACC.yieldVariance, e.wipMinor - out, { memo: "Yield variance" }),
      ...signed(OPS_ACC.wip, -e.wipMinor, { partnerRef: `production:${e.orderNumber}` }),
    ],
  );
}

export interface ScrapEvent {
  scrapId: number;
  reason: string;
  lotCode: string;
  lines: ValuedLine[];
}

export function scrapEntry(e: ScrapEvent, date: string): Posting | null {
  return entry(
    "inventory.scrap",
    String(e.scrapId),
    date,
    "GENERAL",
    `Scrap ${e.scrapId}: lot ${e.lotCode} (${e.reason})`.slice(0, 300),
    [
      ...signed(OPS_ACC.scrapLoss, sum(e.lines)),
      ...byAccount(e.lines).flatMap(([a, v]) => signed(a, -v)),
    ],
  );
}

export interface CountEvent {
  countId: number;
  locationCode: string;
  /** Signed: found (+) at the current cost, missing (−) at cost. */
  lines: ValuedLine[];
}

export function countEntry(e: CountEvent, date: string): Posting | null {
  return entry(
    "inventory.count",
    String(e.countId),
    date,
    "GENERAL",
    `Stock count ${e.countId} at ${e.locationCode}: differences`,
    [
      ...byAccount(e.lines).flatMap(([a, v]) => signed(a, v)),
      ...signed(OPS_ACC.scrapLoss, -sum(e.lines), { memo: "Count differences" }),
    ],
  );
}

export type IssuePurpose = "sale" | "farm_use";

export interface IssueEvent {
  /** The stock reference (e.g. "shop_order:<id>", "farm:treatment:12"). */
  ref: string;
  purpose: IssuePurpose;
  lines: ValuedLine[];
}

/** The expense an issue of stock goes to. */
function issueExpense(purpose: IssuePurpose, kind: StockKind): string {
  if (purpose === "sale") return OPS_ACC.cogs;
  return kind === "medicine" ? OPS_ACC.vetUsed : OPS_ACC.feedUsed;
}

export function issueEntry(e: IssueEvent, date: string): Posting | null {
  const expense = new Map<string, number>();
  for (const l of e.lines) {
    const a = issueExpense(e.purpose, l.kind);
    expense.set(a, (expense.get(a) ?? 0) + l.valueMinor);
  }
  return entry(
    e.purpose === "sale" ? "inventory.cogs" : "inventory.farm-use",
    e.ref,
    date,
    e.purpose === "sale" ? "SALES" : "GENERAL",
    e.purpose === "sale" ? `Cost of goods shipped (${e.ref})` : `Farm use of stock (${e.ref})`,
    [
      ...[...expense].sort(([a], [b]) => a.localeCompare(b)).flatMap(([a, v]) => signed(a, v)),
      ...byAccount(e.lines).flatMap(([a, v]) => signed(a, -v)),
    ],
  );
}

export interface MilkEvent {
  /** The intake lot's reference ("point-CP1-2026-12-07", "tank:…"). */
  ref: string;
  /** Contract farmers' milk: what each is owed; own farm milk: one line, farmerId null. */
  lines: { farmerId: number | null; valueMinor: number }[];
}

export function milkEntry(e: MilkEvent, date: string): Posting | null {
  const total = e.lines.reduce((s, l) => s + l.valueMinor, 0);
  const byFarmer = new Map<number | null, number>();
  for (const l of e.lines) byFarmer.set(l.farmerId, (byFarmer.get(l.farmerId) ?? 0) + l.valueMinor);
  return entry(
    "intake.milk",
    e.ref,
    date,
    "PURCHASE",
    `Raw milk received (${e.ref})`.slice(0, 300),
    [
      ...signed(ACC.invRawMilk, total),
      ...[...byFarmer].sort(([a], [b]) => (a ?? 0) - (b ?? 0)).flatMap(([f, v]) =>
        f === null
          ? signed(OPS_ACC.ownMilk, -v, { memo: "Own farm milk" })
          : signed(OPS_ACC.farmerPayable, -v, { partnerRef: `farmer:${f}` })
      ),
    ],
  );
}

export type PayoutVia = "bkash" | "bank" | "cash";
export const PAYOUT_ACCOUNT: Record<PayoutVia, string> = {
  bkash: ACC.bkash,
  bank: ACC.bank,
  cash: ACC.cash,
};

export interface PayoutEvent {
  statementId: number;
  farmerId: number;
  periodStart: string;
  grossMinor: number;
  deductionsMinor: number;
  via: PayoutVia;
  ref?: string | null;
}

export function payoutEntry(e: PayoutEvent, date: string): Posting | null {
  const partnerRef = `farmer:${e.farmerId}`;
  return entry(
    "intake.payout",
    String(e.statementId),
    date,
    e.via === "cash" ? "CASH" : "BANK",
    `Farmer statement ${e.statementId} from ${e.periodStart} paid by ${e.via}${
      e.ref ? ` (${e.ref})` : ""
    }`.slice(0, 300),
    [
      ...signed(OPS_ACC.farmerPayable, e.grossMinor, { partnerRef }),
      ...signed(PAYOUT_ACCOUNT[e.via], -(e.grossMinor - e.deductionsMinor)),
      ...signed(OPS_ACC.supplierAdvances, -e.deductionsMinor, {
        partnerRef,
        memo: "Deductions recovered",
      }),
    ],
  );
}

export interface OpeningStockEvent {
  ref: string;
  lines: ValuedLine[];
}

export function openingStockEntry(e: OpeningStockEvent, date: string): Posting | null {
  return entry(
    "inventory.opening",
    e.ref,
    date,
    "OPENING",
    `Opening stock (${e.ref})`.slice(0, 300),
    [
      ...byAccount(e.lines).flatMap(([a, v]) => signed(a, v)),
      ...signed(OPS_ACC.openingEquity, -sum(e.lines)),
    ],
  );
}
