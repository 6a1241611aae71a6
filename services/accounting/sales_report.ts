/**
 * Sales by product, channel and area, and the margin per product (issue 13 §7). The ledger
 * carries no product or area: the figures come through the shop's door (`salesFigures`, handed
 * over in contexts.ts), never from its tables. The cost of what was sold comes from the stock
 * valuation's cost-of-goods moves where the books have them (`productCosts`); a product without
 * a known cost says so instead of showing a margin.
 */
import type { Db } from "@/services/platform/tx.ts";

export type SalesDimension = "product" | "channel" | "area";
export const SALES_DIMENSIONS: readonly SalesDimension[] = ["product", "channel", "area"];

/** One row as the shop's door gives it. */
export interface SalesFigureIn {
  key: string;
  nameEn: string;
  nameBn: string;
  itemCode: string | null;
  orders: number;
  qty: number;
  netMinor: number;
  vatMinor: number;
}

export interface SalesSources {
  /** The shop's delivered sales of a range by a dimension (the shop's door). */
  salesFigures?(from: string, to: string, by: SalesDimension): Promise<SalesFigureIn[]>;
  /** The cost of goods sold per inventory item in a range (poisha); items not known are absent. */
  productCosts?(itemCodes: string[], from: string, to: string): Promise<Map<string, number>>;
}

export interface SalesRow extends SalesFigureIn {
  compareNetMinor: number;
  compareQty: number;
  /** Cost of what was sold (null: not known). */
  costMinor: number | null;
  marginMinor: number | null;
  /** Margin in basis points of net sales (null: cost not known or no sales). */
  marginBp: number | null;
}

export interface SalesReport {
  by: SalesDimension;
  range: { from: string; to: string };
  compare: { from: string; to: string } | null;
  /** False when the shop's door is not connected (no figures to show). */
  connected: boolean;
  rows: SalesRow[];
  totals: { netMinor: number; vatMinor: number; compareNetMinor: number; orders: number };
}

/**
 * The cost of goods sold per item from the stock valuation's moves (source "inventory.cogs"),
 * when the valuation's table exists in this database; an empty map otherwise.
 */
export async function ledgerProductCosts(
  db: Db,
  itemCodes: string[],
  from: string,
  to: string,
): Promise<Map<string, number>> {
  if (itemCodes.length === 0) return new Map();
  const [t] = await db<{ ok: boolean }[]>`
    select to_regclass('acc_stock_moves') is not null as ok`;
  if (!t.ok) return new Map();
  const rows = await db<{ item_code: string; cost: string }[]>`
    select item_code, -sum(value_minor) as cost
      from acc_stock_moves
     where source = 'inventory.cogs' and item_code = any(${itemCodes}::text[])
       and on_date between ${from}::date and ${to}::date
     group by item_code`;
  return new Map(rows.map((r) => [r.item_code, Number(r.cost)]));
}

export async function salesReport(
  sources: SalesSources,
  by: SalesDimension,
  range: { from: string; to: string },
  compare: { from: string; to: string } | null,
): Promise<SalesReport> {
  if (!sources.salesFigures) {
    return {
      by,
      range,
      compare,
      connected: false,
      rows: [],
      totals: { netMinor: 0, vatMinor: 0, compareNetMinor: 0, orders: 0 },
    };
  }
  const [main, cmp] = await Promise.all([
    sources.salesFigures(range.from, range.to, by),
    compare ? sources.salesFigures(compare.from, compare.to, by) : Promise.resolve([]),
  ]);
  const items = main.map((r) => r.itemCode).filter((c): c is string => !!c);
  const costs = by === "product" && sources.productCosts
    ? await sources.productCosts(items, range.from, range.to)
    : new Map<string, number>();
  const cmpBy = new Map(cmp.map((r) => [r.key, r]));
  const rows: SalesRow[] = main.map((r) => {
    const c = cmpBy.get(r.key);
    cmpBy.delete(r.key);
    const cost = r.itemCode && costs.has(r.itemCode) ? costs.get(r.itemCode)! : null;
    const margin = cost === null ? null : r.netMinor - cost;
    return {
      ...r,
      compareNetMinor: c?.netMinor ?? 0,
      compareQty: c?.qty ?? 0,
      costMinor: cost,
      marginMinor: margin,
      marginBp: margin === null || r.netMinor <= 0
        ? null
        : Math.round((margin * 10000) / r.netMinor),
    };
  });
  // Sold only in the comparison range: shown with nothing now.
  for (const c of cmpBy.values()) {
    rows.push({
      ...c,
      orders: 0,
      qty: 0,
      netMinor: 0,
      vatMinor: 0,
      compareNetMinor: c.netMinor,
      compareQty: c.qty,
      costMinor: null,
      marginMinor: null,
      marginBp: null,
    });
  }
  return {
    by,
    range,
    compare,
    connected: true,
    rows,
    totals: {
      netMinor: rows.reduce((s, r) => s + r.netMinor, 0),
      vatMinor: rows.reduce((s, r) => s + r.vatMinor, 0),
      compareNetMinor: rows.reduce((s, r) => s + r.compareNetMinor, 0),
      orders: rows.reduce((s, r) => s + r.orders, 0),
    },
  };
}
