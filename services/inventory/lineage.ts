/**
 * Lineage over lots (issue 12 §7): which lots a lot was made from (up), which lots were made from
 * it (down), where their stock went (sales and open reservations by order reference) and what is
 * left. Walks inv_lot_links with recursive queries; `union` (not `union all`) stops at lots
 * already seen, so a cycle written by mistake cannot loop.
 */
import type { Db, InventoryPort, MoveRef } from "./types.ts";

export interface TraceLot {
  id: number;
  code: string;
  itemCode: string;
  itemName: { en: string; bn: string };
  itemKind: string;
  /** The shop variant this item is (finished goods), or null. */
  shopSku: string | null;
  base: string;
  producedOn: string;
  expiresOn: string | null;
  status: string;
  receivedQty: number;
  onHand: number;
  ref: MoveRef;
  attrs: Record<string, unknown>;
}

export interface TraceEdge {
  parentLotId: number;
  childLotId: number;
  qty: number;
}

/** Stock of a lot that left for (or is promised to) a customer reference. */
export interface TraceDestination {
  lotId: number;
  ref: MoveRef;
  qty: number;
  state: "sold" | "reserved";
}

export interface LotTrace {
  lots: TraceLot[];
  edges: TraceEdge[];
  /** Destinations of these customer references (all, or the newest `refLimit`)… */
  destinations: TraceDestination[];
  /** …of this many references in all. */
  refCount: number;
}

const CUSTOMER_REFS = ["shop_order", "subscription", "b2b"];

async function closure(db: Db, ids: number[], dir: "up" | "down"): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = dir === "up"
    ? await db`
      with recursive walk(id) as (
        select unnest(${ids}::bigint[])
        union
        select k.parent_lot_id from inv_lot_links k join walk on k.child_lot_id = walk.id
      ) select id from walk`
    : await db`
      with recursive walk(id) as (
        select unnest(${ids}::bigint[])
        union
        select k.child_lot_id from inv_lot_links k join walk on k.parent_lot_id = walk.id
      ) select id from walk`;
  return rows.map((r) => Number(r.id));
}

export interface DescribeOptions {
  /** Name the destinations of only the newest this many customer references (all by default). */
  refLimit?: number;
  /** Name only these references' destinations (e.g. one order's). */
  onlyRefIds?: string[];
}

/** These lots as they are (no walking), with their edges among them and destinations. */
export async function describeLots(
  db: Db,
  ids: number[],
  opts: DescribeOptions = {},
): Promise<LotTrace> {
  if (ids.length === 0) return { lots: [], edges: [], destinations: [], refCount: 0 };
  const lots = await db`
    select l.id, l.code, l.produced_on::text as produced, l.expires_on::text as expires, l.status,
      l.received_qty, l.ref_kind, l.ref_id, l.attrs, i.code as item_code, i.name_en, i.name_bn,
      i.kind, i.base, i.shop_sku, coalesce(b.on_hand, 0)::int as on_hand
    from inv_lots l join inv_items i on i.id = l.item_id
    left join (
      select lot_id, sum(on_hand) as on_hand from inv_balances
      where lot_id = any(${ids}::bigint[]) group by lot_id
    ) b on b.lot_id = l.id
    where l.id = any(${ids}::bigint[])
    order by l.produced_on, l.id`;
  const edges = await db`
    select parent_lot_id, child_lot_id, sum(qty)::int as qty from inv_lot_links
    where parent_lot_id = any(${ids}::bigint[]) and child_lot_id = any(${ids}::bigint[])
    group by parent_lot_id, child_lot_id`;
  // Sold (sale moves) and promised (open reservations) to customers, newest references first.
  const limit = opts.refLimit ?? 2_147_483_647;
  const only = opts.onlyRefIds ?? null;
  const dest = await db`
    with d as (
      select lot_id, ref_kind, ref_id, (-sum(qty))::int as qty, max(at) as last_at, 'sold' as state
      from inv_moves
      where lot_id = any(${ids}::bigint[]) and kind = 'sale' and ref_kind = any(${CUSTOMER_REFS})
        and (${only}::text[] is null or ref_id = any(${only}::text[]))
      group by lot_id, ref_kind, ref_id having sum(qty) < 0
      union all
      select lot_id, ref_kind, ref_id, sum(qty)::int, max(created_at), 'reserved'
      from inv_reservations
      where lot_id = any(${ids}::bigint[]) and status = 'open' and ref_kind = any(${CUSTOMER_REFS})
        and (${only}::text[] is null or ref_id = any(${only}::text[]))
      group by lot_id, ref_kind, ref_id
    ), refs as (
      select ref_kind, ref_id, max(last_at) as last_at from d group by ref_kind, ref_id
    ), top as (
      select ref_kind, ref_id from refs order by last_at desc, ref_id limit ${limit}
    )
    select d.lot_id, d.ref_kind, d.ref_id, d.qty, d.state, (select count(*) from refs)::int as total
    from d join top using (ref_kind, ref_id)`;
  return {
    lots: lots.map((r) => ({
      id: Number(r.id),
      code: r.code,
      itemCode: r.item_code,
      itemName: { en: r.name_en, bn: r.name_bn },
      itemKind: r.kind,
      shopSku: r.shop_sku ?? null,
      base: r.base,
      producedOn: r.produced,
      expiresOn: r.expires ?? null,
      status: r.status,
      receivedQty: r.received_qty,
      onHand: r.on_hand,
      ref: { kind: r.ref_kind, id: r.ref_id },
      attrs: r.attrs ?? {},
    })),
    edges: edges.map((r) => ({
      parentLotId: Number(r.parent_lot_id),
      childLotId: Number(r.child_lot_id),
      qty: r.qty,
    })),
    destinations: dest.map((r) => ({
      lotId: Number(r.lot_id),
      ref: { kind: r.ref_kind, id: r.ref_id },
      qty: r.qty,
      state: r.state,
    })),
    refCount: dest[0]?.total ?? 0,
  };
}

/** The lots these were made from, all the way back, with themselves. */
export async function traceUp(
  db: Db,
  lotIds: number[],
  opts: DescribeOptions = {},
): Promise<LotTrace> {
  return await describeLots(db, await closure(db, lotIds, "up"), opts);
}

/** The lots made from these, all the way forward, with themselves; where their stock went. */
export async function traceDown(
  db: Db,
  lotIds: number[],
  opts: DescribeOptions = {},
): Promise<LotTrace> {
  return await describeLots(db, await closure(db, lotIds, "down"), opts);
}

/** Lots whose stock a customer reference got (sold) or was promised (open reservation). */
export async function lotsOfRefs(db: Db, refs: MoveRef[]): Promise<number[]> {
  if (refs.length === 0) return [];
  const kinds = refs.map((r) => r.kind);
  const ids = refs.map((r) => String(r.id));
  const rows = await db`
    with wanted(kind, id) as (select * from unnest(${kinds}::text[], ${ids}::text[]))
    select m.lot_id from inv_moves m join wanted w on m.ref_kind = w.kind and m.ref_id = w.id
    where m.kind = 'sale'
    union
    select r.lot_id from inv_reservations r join wanted w on r.ref_kind = w.kind and r.ref_id = w.id
    where r.status = 'open'`;
  return rows.map((r) => Number(r.lot_id));
}

/** A lot's id by its code (as printed on the pack), or null. */
export async function lotIdByCode(db: Db, code: string): Promise<number | null> {
  const [row] = await db`select id from inv_lots where code = ${code.trim().toUpperCase()}`;
  return row ? Number(row.id) : null;
}

/** The recall context's view of inventory (its port `InventoryForRecall`). */
export function inventoryForRecall(setLotStatus: InventoryPort["setLotStatus"]) {
  return { traceUp, traceDown, describeLots, lotsOfRefs, lotIdByCode, setLotStatus };
}
