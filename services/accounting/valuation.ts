/**
 * Stock valuation (issue 13 §2): what the stock the inventory context counts is worth, FIFO or
 * moving average per item (acc_valuation_methods: item, else its kind, else the default).
 *
 * The cost layers (acc_cost_layers) say what is in stock at which cost: a receipt adds a layer
 * (FIFO) or folds into the item's one layer (moving average); an issue takes from the oldest
 * layers first (FIFO) or at the average (value × qty ÷ quantity held, the last unit taking what is
 * left, so no poisha is lost to rounding). acc_stock_items holds each item's quantity and value,
 * the sum of its layers; acc_stock_moves records each change by the event that made it.
 *
 * All of it runs in the caller's transaction, the item rows locked (`for update`) in item-code
 * order, so two events valuing the same item queue and never cross.
 */
import type { Tx } from "@/services/platform/tx.ts";
import { AccountingError } from "./errors.ts";
import type { Actor } from "./types.ts";
import { INVENTORY_ACCOUNT, STOCK_KINDS, type StockKind } from "./rules/purchase.ts";

export const VALUATION_METHODS = ["fifo", "average"] as const;
export type ValuationMethod = typeof VALUATION_METHODS[number];

export { STOCK_KINDS };

const ITEM_CODE = /^[A-Z0-9][A-Z0-9-]{1,59}$/;
const MICRO = 1_000_000n;

/** value × part ÷ whole, rounded half up, in integers (no floating point on money). */
export function prorate(value: number, part: number, whole: number): number {
  if (whole <= 0 || part <= 0) return 0;
  if (part >= whole) return value;
  const w = BigInt(whole);
  return Number((BigInt(value) * BigInt(part) * 2n + w) / (2n * w));
}

/** Is this event valued already? Marks it valued when not (false: the caller goes on). */
export async function alreadyValued(tx: Tx, source: string, ref: string): Promise<boolean> {
  const rows = await tx`
    insert into acc_stock_events (source, source_ref) values (${source}, ${ref})
    on conflict do nothing returning source`;
  return rows.length === 0;
}

/** The method that applies to an item: its own, else its kind's, else the default. */
export async function methodOf(tx: Tx, itemCode: string, kind: string): Promise<ValuationMethod> {
  const rows = await tx<{ scope: string; method: ValuationMethod }[]>`
    select scope, method from acc_valuation_methods
     where scope = any(${[`item:${itemCode}`, `kind:${kind}`, "*"]}::text[])`;
  const by = new Map(rows.map((r) => [r.scope, r.method]));
  return by.get(`item:${itemCode}`) ?? by.get(`kind:${kind}`) ?? by.get("*") ?? "fifo";
}

interface ItemRow {
  item_code: string;
  kind: string;
  qty: string;
  value_minor: string;
  last_cost_micro: string | null;
}

/** Locks the items' valuation rows (made when missing), in code order. */
export async function lockItems(
  tx: Tx,
  items: { itemCode: string; kind: string }[],
): Promise<
  Map<string, { kind: string; qty: number; value: number; lastCostMicro: bigint | null }>
> {
  const byCode = new Map<string, string>();
  for (const i of items) {
    if (!ITEM_CODE.test(i.itemCode ?? "") || !(STOCK_KINDS as readonly string[]).includes(i.kind)) {
      throw new AccountingError("invalid", `Cannot value item ${i.itemCode} (${i.kind})`);
    }
    byCode.set(i.itemCode, i.kind);
  }
  const codes = [...byCode.keys()].sort();
  if (codes.length === 0) return new Map();
  await tx`
    insert into acc_stock_items (item_code, kind)
    select * from unnest(${codes}::text[], ${codes.map((c) => byCode.get(c)!)}::text[])
    on conflict (item_code) do nothing`;
  const rows = await tx<ItemRow[]>`
    select item_code, kind, qty::text, value_minor::text, last_cost_micro::text
      from acc_stock_items where item_code = any(${codes}::text[])
     order by item_code for update`;
  return new Map(rows.map((r) => [r.item_code, {
    kind: r.kind,
    qty: Number(r.qty),
    value: Number(r.value_minor),
    lastCostMicro: r.last_cost_micro === null ? null : BigInt(r.last_cost_micro),
  }]));
}

export interface ValuedMove {
  source: string;
  sourceRef: string;
  itemCode: string;
  kind: string;
  date: string;
}

async function record(tx: Tx, m: ValuedMove, qty: number, value: number) {
  if (qty === 0 && value === 0) return;
  await tx`
    insert into acc_stock_moves (source, source_ref, item_code, qty, value_minor, on_date)
    values (${m.source}, ${m.sourceRef}, ${m.itemCode}, ${qty}, ${value}, ${m.date})`;
}

/** Folds an average item's layers into one (what it holds at what it is worth). */
async function foldLayers(tx: Tx, m: ValuedMove, qty: number, value: number) {
  await tx`delete from acc_cost_layers where item_code = ${m.itemCode}`;
  if (qty > 0) {
    await tx`
      insert into acc_cost_layers (item_code, qty_left, value_left, source, source_ref)
      values (${m.itemCode}, ${qty}, ${value}, ${m.source}, ${m.sourceRef})`;
  }
}

/**
 * `qty` base units came into stock worth `value` poisha. Call with the item locked
 * (lockItems). Returns the value taken in.
 */
export async function stockIn(tx: Tx, m: ValuedMove, qty: number, value: number): Promise<number> {
  if (!Number.isSafeInteger(qty) || qty <= 0 || !Number.isSafeInteger(value) || value < 0) {
    throw new AccountingError("invalid", `Bad stock receipt of ${m.itemCode}: ${qty} for ${value}`);
  }
  const [cur] = await tx<ItemRow[]>`
    select qty::text, value_minor::text from acc_stock_items where item_code = ${m.itemCode}`;
  const q = Number(cur.qty) + qty;
  const v = Number(cur.value_minor) + value;
  if ((await methodOf(tx, m.itemCode, m.kind)) === "average") await foldLayers(tx, m, q, v);
  else {
    await tx`
      insert into acc_cost_layers (item_code, qty_left, value_left, source, source_ref)
      values (${m.itemCode}, ${qty}, ${value}, ${m.source}, ${m.sourceRef})`;
  }
  await tx`
    update acc_stock_items set qty = ${q}, value_minor = ${v},
           last_cost_micro = ${((BigInt(value) * MICRO) / BigInt(qty)).toString()}::bigint
     where item_code = ${m.itemCode}`;
  await record(tx, m, qty, value);
  return value;
}

/**
 * `qty` base units left stock: their cost by the item's method. Call with the item locked. When
 * the books hold less of the item than that (stock that entered without a value, e.g. before
 * go-live), what they hold is taken and the rest costs nothing. Returns the cost.
 */
export async function stockOut(tx: Tx, m: ValuedMove, qty: number): Promise<number> {
  if (!Number.isSafeInteger(qty) || qty <= 0) {
    throw new AccountingError("invalid", `Bad stock issue of ${m.itemCode}: ${qty}`);
  }
  const [cur] = await tx<ItemRow[]>`
    select qty::text, value_minor::text from acc_stock_items where item_code = ${m.itemCode}`;
  const held = Number(cur.qty);
  const heldValue = Number(cur.value_minor);
  const take = Math.min(qty, held);
  if (take === 0) return 0;
  let cost = 0;
  if ((await methodOf(tx, m.itemCode, m.kind)) === "average") {
    cost = prorate(heldValue, take, held);
    await foldLayers(tx, m, held - take, heldValue - cost);
  } else {
    const layers = await tx<{ id: string; qty_left: string; value_left: string }[]>`
      select id, qty_left::text, value_left::text from acc_cost_layers
       where item_code = ${m.itemCode} order by id`;
    let left = take;
    for (const l of layers) {
      if (left === 0) break;
      const lq = Number(l.qty_left);
      const lv = Number(l.value_left);
      const t = Math.min(left, lq);
      const v = prorate(lv, t, lq);
      if (t === lq) await tx`delete from acc_cost_layers where id = ${l.id}`;
      else {
        await tx`update acc_cost_layers set qty_left = ${lq - t}, value_left = ${lv - v}
                  where id = ${l.id}`;
      }
      cost += v;
      left -= t;
    }
  }
  await tx`
    update acc_stock_items set qty = qty - ${take}, value_minor = value_minor - ${cost}
     where item_code = ${m.itemCode}`;
  await record(tx, m, -take, -cost);
  return cost;
}

/**
 * What `qty` more of an item is worth now (a count's found stock): at the cost of what is held
 * (moving average; FIFO: the newest layer), else the last cost received, else nothing.
 */
export async function currentCost(tx: Tx, itemCode: string, qty: number): Promise<number> {
  const [r] = await tx<{ q: string | null; v: string | null; last: string | null }[]>`
    select l.qty_left::text as q, l.value_left::text as v, i.last_cost_micro::text as last
      from acc_stock_items i
      left join lateral (select qty_left, value_left from acc_cost_layers
                          where item_code = i.item_code order by id desc limit 1) l on true
     where i.item_code = ${itemCode}`;
  if (!r) return 0;
  if (r.q !== null && Number(r.q) > 0) {
    return Number((BigInt(r.v!) * BigInt(qty) * 2n + BigInt(r.q)) / (2n * BigInt(r.q)));
  }
  if (r.last !== null) return Number((BigInt(r.last) * BigInt(qty) + MICRO / 2n) / MICRO);
  return 0;
}

// ---- settings and the valuation report --------------------------------------------------

export interface MethodSetting {
  scope: string;
  method: ValuationMethod;
  changedAt: Date;
  changedByName: string;
}

export async function listMethods(tx: Tx | import("@/services/platform/tx.ts").Db) {
  const rows = await tx<
    { scope: string; method: ValuationMethod; changed_at: Date; changed_by_name: string }[]
  >`select scope, method, changed_at, changed_by_name from acc_valuation_methods
     order by scope = '*' desc, scope`;
  return rows.map((r): MethodSetting => ({
    scope: r.scope,
    method: r.method,
    changedAt: r.changed_at,
    changedByName: r.changed_by_name,
  }));
}

/**
 * Sets the method of a scope ('*', 'kind:<kind>', 'item:<code>'); `null` removes an item's or
 * kind's own setting (the default applies again). The stock held keeps its value: FIFO → average
 * folds the layers at their total; average → FIFO starts from the one layer.
 */
export async function setMethod(
  tx: Tx,
  input: { scope: string; method: ValuationMethod | null },
  actor: Actor,
): Promise<void> {
  const scope = String(input.scope ?? "").trim();
  const valid = scope === "*" ||
    /^kind:(raw_milk|ingredient|packaging|finished|byproduct|feed|medicine)$/.test(scope) ||
    (/^item:/.test(scope) && ITEM_CODE.test(scope.slice(5)));
  if (!valid) {
    throw new AccountingError("invalid", "Choose an item kind or enter an item code", {}, "scope");
  }
  if (input.method === null) {
    if (scope === "*") {
      throw new AccountingError("invalid", "The default method cannot be removed", {}, "method");
    }
    await tx`delete from acc_valuation_methods where scope = ${scope}`;
    return;
  }
  if (!(VALUATION_METHODS as readonly string[]).includes(input.method)) {
    throw new AccountingError("invalid", "Choose FIFO or moving average", {}, "method");
  }
  await tx`
    insert into acc_valuation_methods (scope, method, changed_at, changed_by, changed_by_name)
    values (${scope}, ${input.method}, now(), ${actor.id}, ${actor.name})
    on conflict (scope) do update set method = excluded.method, changed_at = excluded.changed_at,
      changed_by = excluded.changed_by, changed_by_name = excluded.changed_by_name`;
}

export interface ValuationRow {
  itemCode: string;
  kind: StockKind;
  method: ValuationMethod;
  qty: number;
  valueMinor: number;
  layers: number;
}

/** Each item the books value: quantity, value, method, open layers. */
export async function stockValuation(db: import("@/services/platform/tx.ts").Db) {
  const rows = await db<
    {
      item_code: string;
      kind: StockKind;
      qty: string;
      value_minor: string;
      layers: number;
      method: ValuationMethod;
    }[]
  >`
    select i.item_code, i.kind, i.qty::text, i.value_minor::text,
           (select count(*)::int from acc_cost_layers l where l.item_code = i.item_code) as layers,
           coalesce((select method from acc_valuation_methods where scope = 'item:' || i.item_code),
                    (select method from acc_valuation_methods where scope = 'kind:' || i.kind),
                    (select method from acc_valuation_methods where scope = '*'), 'fifo') as method
      from acc_stock_items i
     order by i.kind, i.item_code`;
  return rows.map((r): ValuationRow => ({
    itemCode: r.item_code,
    kind: r.kind,
    method: r.method,
    qty: Number(r.qty),
    valueMinor: Number(r.value_minor),
    layers: r.layers,
  }));
}

export interface ValuationReport {
  rows: ValuationRow[];
  /** Per inventory account: the stock valued and the account's balance in the ledger. */
  accounts: {
    code: string;
    nameEn: string;
    nameBn: string;
    valuedMinor: number;
    ledgerMinor: number;
  }[];
  totalValuedMinor: number;
  totalLedgerMinor: number;
}

export async function valuationReport(
  db: import("@/services/platform/tx.ts").Db,
): Promise<ValuationReport> {
  const rows = await stockValuation(db);
  const codes = [...new Set(Object.values(INVENTORY_ACCOUNT))].sort();
  const ledger = await db<{ code: string; name_en: string; name_bn: string; v: string }[]>`
    select a.code, a.name_en, a.name_bn,
           coalesce((select sum(l.debit_minor - l.credit_minor) from acc_entry_lines l
                      where l.account_id = a.id), 0)::text as v
      from acc_accounts a where a.code = any(${codes}::text[]) order by a.code`;
  const valued = new Map<string, number>();
  for (const r of rows) {
    const a = INVENTORY_ACCOUNT[r.kind];
    valued.set(a, (valued.get(a) ?? 0) + r.valueMinor);
  }
  const accounts = ledger.map((a) => ({
    code: a.code,
    nameEn: a.name_en,
    nameBn: a.name_bn,
    valuedMinor: valued.get(a.code) ?? 0,
    ledgerMinor: Number(a.v),
  }));
  return {
    rows,
    accounts,
    totalValuedMinor: accounts.reduce((s, a) => s + a.valuedMinor, 0),
    totalLedgerMinor: accounts.reduce((s, a) => s + a.ledgerMinor, 0),
  };
}
