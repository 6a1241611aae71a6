/**
 * The ledger port's stock and milk events (issue 13 §2): production, scrap, counts, goods
 * shipped, farm use, milk intake and farmer payouts. Each values the stock it moves
 * (valuation.ts, FIFO or moving average per item) and posts its entry (rules/operations.ts), in
 * the caller's transaction, once: a repeated event (same source and reference) does nothing.
 *
 * Quantities are the inventory's base units (ml, g, pc); the item kinds are the inventory's.
 */
import type { Tx } from "@/services/platform/tx.ts";
import { AccountingError } from "./errors.ts";
import type { Poster } from "./poster.ts";
import type { Posting } from "./types.ts";
import type { StockKind } from "./rules/purchase.ts";
import {
  countEntry,
  issueEntry,
  type IssuePurpose,
  milkEntry,
  openingStockEntry,
  outputCosts,
  payoutEntry,
  type PayoutEvent,
  productionConsumeEntry,
  productionOutputEntry,
  scrapEntry,
  type ValuedLine,
} from "./rules/operations.ts";
import { alreadyValued, currentCost, lockItems, stockIn, stockOut } from "./valuation.ts";

export type { IssuePurpose, PayoutEvent, PayoutVia } from "./rules/operations.ts";

export interface StockLine {
  itemCode: string;
  kind: StockKind;
  qty: number;
}

export interface ProductionConsumedEvent {
  orderNumber: string;
  lines: StockLine[];
}

export interface ProductionFinishedEvent {
  orderNumber: string;
  /** The output the bill of materials expected of the main input consumed (base units). */
  expectedQty: number;
  outputs: (StockLine & { role: "product" | "byproduct" })[];
}

export interface StockScrappedEvent {
  scrapId: number;
  lotCode: string;
  reason: string;
  line: StockLine;
}

export interface StockCountedEvent {
  countId: number;
  locationCode: string;
  /** Signed differences: counted − expected. */
  lines: { itemCode: string; kind: StockKind; diff: number }[];
}

export interface StockIssuedEvent {
  /** The stock reference the goods left under ("shop_order:<id>", "farm:treatment:7"…). */
  ref: string;
  purpose: IssuePurpose;
  lines: StockLine[];
}

export interface MilkReceivedEvent {
  /** The intake lot's reference. */
  ref: string;
  itemCode: string;
  qty: number;
  /** Contract farmers: each farmer's amount; own farm milk: farmerId null. */
  lines: { farmerId: number | null; valueMinor: number }[];
}

export interface StockReceivedLine extends StockLine {
  valueMinor: number;
}

export interface StockOpenedEvent {
  /** Tells one opening import from the next ("opening:<first lot id>"). */
  ref: string;
  lines: StockReceivedLine[];
}

export interface OperationsLedger {
  /** Opening stock entered with its value (go-live): Dr inventory / Cr opening balance equity. */
  stockOpened(tx: Tx, e: StockOpenedEvent): Promise<void>;
  /** A production order took its inputs out of stock. */
  productionConsumed(tx: Tx, e: ProductionConsumedEvent): Promise<void>;
  /** A production order finished: its product and by-products entered stock. */
  productionFinished(tx: Tx, e: ProductionFinishedEvent): Promise<void>;
  /** Stock was scrapped. */
  stockScrapped(tx: Tx, e: StockScrappedEvent): Promise<void>;
  /** A stock count was approved: its differences were booked into stock. */
  stockCounted(tx: Tx, e: StockCountedEvent): Promise<void>;
  /** Stock left to customers (sale) or to the farm (feed, medicine). */
  stockIssued(tx: Tx, e: StockIssuedEvent): Promise<void>;
  /** Raw milk entered stock (contract farmers' or the own farm's). */
  milkReceived(tx: Tx, e: MilkReceivedEvent): Promise<void>;
  /** A farmer's statement was paid. */
  farmerPaid(tx: Tx, e: PayoutEvent): Promise<void>;
}

/** What the valuation adds of purchase receipts (their cost layers), called by the port. */
export async function valueReceipt(
  tx: Tx,
  receiptNumber: string,
  date: string,
  lines: StockReceivedLine[],
): Promise<void> {
  const valued = lines.filter((l) => l.qty > 0);
  if (valued.length === 0 || await alreadyValued(tx, "purchase.receipt", receiptNumber)) return;
  await lockItems(tx, valued);
  for (const l of valued) {
    await stockIn(
      tx,
      {
        source: "purchase.receipt",
        sourceRef: receiptNumber,
        itemCode: l.itemCode,
        kind: l.kind,
        date,
      },
      l.qty,
      l.valueMinor,
    );
  }
}

/**
 * Posts what `make` builds for `date` as the operations' entry. When the period closed between
 * the caller's look and the poster's lock, it is built and posted once more, on the date
 * `dateFor` gives then (the next open day).
 */
export async function postOnOpenDate(
  poster: Poster,
  tx: Tx,
  make: (date: string) => Posting | null,
  date: string,
  dateFor: (tx: Tx, date: string) => Promise<string>,
): Promise<void> {
  for (let attempt = 0;; attempt++) {
    const posting = make(date);
    if (!posting) return;
    try {
      await poster.post(tx, { ...posting, actor: { id: null, name: "operations" } });
      return;
    } catch (err) {
      if (attempt > 0 || !(err instanceof AccountingError) || err.code !== "period_closed") {
        throw err;
      }
      date = await dateFor(tx, date);
    }
  }
}

export function createOperationsLedger(
  poster: Poster,
  today: () => string,
  dateFor: (tx: Tx, today: string) => Promise<string>,
): OperationsLedger {
  const post = (tx: Tx, make: (date: string) => Posting | null, date: string) =>
    postOnOpenDate(poster, tx, make, date, dateFor);

  /** Values each line out of stock; the cost per line, in the lines' order. */
  async function takeOut(tx: Tx, source: string, ref: string, date: string, lines: StockLine[]) {
    await lockItems(tx, lines);
    const out: ValuedLine[] = [];
    for (const l of lines) {
      const cost = l.qty > 0
        ? await stockOut(
          tx,
          { source, sourceRef: ref, itemCode: l.itemCode, kind: l.kind, date },
          l.qty,
        )
        : 0;
      out.push({ kind: l.kind, valueMinor: cost });
    }
    return out;
  }

  /** Once per (source, ref): false when it was done before. */
  async function first(tx: Tx, source: string, ref: string) {
    return !(await alreadyValued(tx, source, ref));
  }

  return {
    async stockOpened(tx, e) {
      const ref = e.ref.slice(0, 120);
      const lines = e.lines.filter((l) => l.qty > 0);
      if (lines.length === 0 || !(await first(tx, "inventory.opening", ref))) return;
      const date = await dateFor(tx, today());
      await lockItems(tx, lines);
      const valued: ValuedLine[] = [];
      for (const l of lines) {
        const m = {
          source: "inventory.opening",
          sourceRef: ref,
          itemCode: l.itemCode,
          kind: l.kind,
          date,
        };
        valued.push({
          kind: l.kind,
          valueMinor: await stockIn(tx, m, l.qty, Math.max(0, l.valueMinor)),
        });
      }
      await post(tx, (d) => openingStockEntry({ ref, lines: valued }, d), date);
    },

    async productionConsumed(tx, e) {
      if (!(await first(tx, "production.consume", e.orderNumber))) return;
      const date = await dateFor(tx, today());
      const lines = await takeOut(tx, "production.consume", e.orderNumber, date, e.lines);
      await post(tx, (d) => productionConsumeEntry({ orderNumber: e.orderNumber, lines }, d), date);
    },

    async productionFinished(tx, e) {
      if (!(await first(tx, "production.output", e.orderNumber))) return;
      const date = await dateFor(tx, today());
      const [w] = await tx<{ v: string }[]>`
        select coalesce(-sum(value_minor), 0)::text as v from acc_stock_moves
         where source = 'production.consume' and source_ref = ${e.orderNumber}`;
      const wip = Number(w.v);
      const outs = e.outputs.filter((o) => o.qty > 0);
      await lockItems(tx, outs);
      const byproducts = outs.filter((o) => o.role === "byproduct");
      const product = outs.filter((o) => o.role === "product");
      const productQty = product.reduce((s, o) => s + o.qty, 0);
      const byCosts: number[] = [];
      for (const b of byproducts) byCosts.push(await currentCost(tx, b.itemCode, b.qty));
      const split = outputCosts(
        wip,
        productQty > 0 ? { qty: productQty, expectedQty: e.expectedQty } : null,
        byCosts,
      );
      const valued: ValuedLine[] = [];
      const src = (o: StockLine) => ({
        source: "production.output",
        sourceRef: e.orderNumber,
        itemCode: o.itemCode,
        kind: o.kind,
        date,
      });
      for (const [i, b] of byproducts.entries()) {
        valued.push({
          kind: b.kind,
          valueMinor: await stockIn(tx, src(b), b.qty, split.byproducts[i]),
        });
      }
      // One product line normally; several share its cost by quantity.
      let left = split.product;
      let qtyLeft = productQty;
      for (const p of product) {
        const v = p === product.at(-1) ? left : Math.floor(left * p.qty / qtyLeft);
        left -= v;
        qtyLeft -= p.qty;
        valued.push({ kind: p.kind, valueMinor: await stockIn(tx, src(p), p.qty, v) });
      }
      await post(
        tx,
        (d) =>
          productionOutputEntry({ orderNumber: e.orderNumber, wipMinor: wip, outputs: valued }, d),
        date,
      );
    },

    async stockScrapped(tx, e) {
      const ref = String(e.scrapId);
      if (!(await first(tx, "inventory.scrap", ref))) return;
      const date = await dateFor(tx, today());
      const lines = await takeOut(tx, "inventory.scrap", ref, date, [e.line]);
      await post(
        tx,
        (d) => scrapEntry({ scrapId: e.scrapId, reason: e.reason, lotCode: e.lotCode, lines }, d),
        date,
      );
    },

    async stockCounted(tx, e) {
      const ref = String(e.countId);
      if (!(await first(tx, "inventory.count", ref))) return;
      const date = await dateFor(tx, today());
      const lines = e.lines.filter((l) => l.diff !== 0);
      await lockItems(tx, lines);
      const valued: ValuedLine[] = [];
      for (const l of lines) {
        const m = {
          source: "inventory.count",
          sourceRef: ref,
          itemCode: l.itemCode,
          kind: l.kind,
          date,
        };
        if (l.diff < 0) {
          valued.push({ kind: l.kind, valueMinor: -(await stockOut(tx, m, -l.diff)) });
        } else {
          const cost = await currentCost(tx, l.itemCode, l.diff);
          valued.push({ kind: l.kind, valueMinor: await stockIn(tx, m, l.diff, cost) });
        }
      }
      await post(
        tx,
        (d) => countEntry({ countId: e.countId, locationCode: e.locationCode, lines: valued }, d),
        date,
      );
    },

    async stockIssued(tx, e) {
      const source = e.purpose === "sale" ? "inventory.cogs" : "inventory.farm-use";
      const ref = e.ref.slice(0, 120);
      if (!(await first(tx, source, ref))) return;
      const date = await dateFor(tx, today());
      const lines = await takeOut(tx, source, ref, date, e.lines);
      await post(tx, (d) => issueEntry({ ref, purpose: e.purpose, lines }, d), date);
    },

    async milkReceived(tx, e) {
      const ref = e.ref.slice(0, 120);
      if (!(await first(tx, "intake.milk", ref))) return;
      const date = await dateFor(tx, today());
      const value = e.lines.reduce((s, l) => s + Math.max(0, l.valueMinor), 0);
      await lockItems(tx, [{ itemCode: e.itemCode, kind: "raw_milk" }]);
      await stockIn(
        tx,
        {
          source: "intake.milk",
          sourceRef: ref,
          itemCode: e.itemCode,
          kind: "raw_milk",
          date,
        },
        e.qty,
        value,
      );
      await post(
        tx,
        (d) => milkEntry({ ref, lines: e.lines.filter((l) => l.valueMinor > 0) }, d),
        date,
      );
    },

    async farmerPaid(tx, e) {
      await post(tx, (d) => payoutEntry(e, d), await dateFor(tx, today()));
    },
  };
}
