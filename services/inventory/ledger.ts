/**
 * The move ledger and its balance cache. Every change of stock is one inv_moves row; the
 * inv_balances row of its (lot, location) changes in the same statement group, so the cache never
 * drifts from the ledger (tests/inventory/ledger_test.ts checks `ledgerMismatches`).
 */
import type { Actor, Db, MoveKind, MoveRef } from "./types.ts";
import { emitWebhookEvent } from "@/services/webhooks/mod.ts";

export interface MoveInput {
  lotId: number;
  locationId: number;
  itemId: number;
  /** Signed: + in, − out. Callers check stock (under lock) before taking out. */
  qty: number;
  kind: MoveKind;
  ref: MoveRef;
  actor: Actor;
  at: Date;
  note?: string | null;
}

/** Writes one move and applies it to the (lot, location) balance. */
export async function applyMove(db: Db, m: MoveInput): Promise<void> {
  await db`
    insert into inv_moves (at, lot_id, location_id, qty, kind, ref_kind, ref_id, actor_id,
      actor_name, note)
    values (${m.at}, ${m.lotId}, ${m.locationId}, ${m.qty}, ${m.kind}, ${m.ref.kind}, ${m.ref.id},
      ${m.actor.id}, ${m.actor.name}, ${m.note ?? null})`;
  if (m.qty < 0) {
    // An UPDATE, not an upsert: the row exists (stock was checked), and an INSERT's row is
    // checked against `on_hand >= 0` before its conflict is found.
    await db`
      update inv_balances set on_hand = on_hand + ${m.qty}
      where lot_id = ${m.lotId} and location_id = ${m.locationId}`;
    await lowStockEvent(db, m);
    return;
  }
  await db`
    insert into inv_balances (lot_id, location_id, item_id, on_hand)
    values (${m.lotId}, ${m.locationId}, ${m.itemId}, ${m.qty})
    on conflict (lot_id, location_id) do update set on_hand = inv_balances.on_hand + excluded.on_hand`;
}

/**
 * Partners' webhooks (services/webhooks): inventory.low_stock when this move takes the item's
 * stock on hand from at or above its reorder point to below it (once per crossing).
 */
async function lowStockEvent(db: Db, m: MoveInput): Promise<void> {
  const [i] = await db`
    select i.code, i.shop_sku, i.reorder_point, i.reorder_qty, i.base,
      coalesce(sum(b.on_hand), 0)::int as on_hand
    from inv_items i left join inv_balances b on b.item_id = i.id
    where i.id = ${m.itemId} and i.reorder_point is not null
    group by i.id`;
  if (!i || !(i.on_hand < i.reorder_point && i.on_hand - m.qty >= i.reorder_point)) return;
  await emitWebhookEvent(db, {
    type: "inventory.low_stock",
    data: {
      item: i.code,
      sku: i.shop_sku ?? null,
      onHand: i.on_hand,
      unit: i.base,
      reorderPoint: i.reorder_point,
      reorderQty: i.reorder_qty ?? null,
    },
    dedupeKey: `inventory.low_stock:${m.itemId}:${m.at.toISOString()}:${m.lotId}`,
    at: m.at,
  });
}

/** Changes the reserved quantity of a (lot, location) balance. */
export async function shiftReserved(
  db: Db,
  lotId: number,
  locationId: number,
  delta: number,
): Promise<void> {
  await db`
    update inv_balances set reserved = reserved + ${delta}
    where lot_id = ${lotId} and location_id = ${locationId}`;
}

/**
 * (lot, location) pairs whose cached balance differs from the ledger (sum of moves, sum of open
 * reservations); empty when the cache is right.
 */
export async function ledgerMismatches(db: Db): Promise<
  { lotId: number; locationId: number; cached: [number, number]; ledger: [number, number] }[]
> {
  const rows = await db`
    with m as (
      select lot_id, location_id, sum(qty)::int as on_hand from inv_moves group by 1, 2
    ), r as (
      select lot_id, location_id, sum(qty)::int as reserved from inv_reservations
      where status = 'open' group by 1, 2
    ), l as (
      select coalesce(m.lot_id, r.lot_id) as lot_id, coalesce(m.location_id, r.location_id)
        as location_id, coalesce(m.on_hand, 0) as on_hand, coalesce(r.reserved, 0) as reserved
      from m full join r on r.lot_id = m.lot_id and r.location_id = m.location_id
    )
    select coalesce(b.lot_id, l.lot_id) as lot_id, coalesce(b.location_id, l.location_id)
      as location_id, coalesce(b.on_hand, 0) as b_on, coalesce(b.reserved, 0) as b_res,
      coalesce(l.on_hand, 0) as l_on, coalesce(l.reserved, 0) as l_res
    from inv_balances b full join l on l.lot_id = b.lot_id and l.location_id = b.location_id
    where coalesce(b.on_hand, 0) <> coalesce(l.on_hand, 0)
      or coalesce(b.reserved, 0) <> coalesce(l.reserved, 0)`;
  return rows.map((r) => ({
    lotId: Number(r.lot_id),
    locationId: Number(r.location_id),
    cached: [r.b_on, r.b_res],
    ledger: [r.l_on, r.l_res],
  }));
}
