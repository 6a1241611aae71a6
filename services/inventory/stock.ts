/** Read models for staff: locations, items, stock per item, lots, moves, reservations, expiry. */
import { addDays, isDate } from "@/services/platform/dhaka.ts";
import { rowToItem } from "./port.ts";
import type { Db, Item, Location, LotStatus, ReservationRow } from "./types.ts";

export async function listLocations(db: Db, activeOnly = true): Promise<Location[]> {
  const rows = await db`
    select * from inv_locations where active or not ${activeOnly} order by sort_order, code`;
  return rows.map((r) => ({
    id: Number(r.id),
    code: r.code,
    nameEn: r.name_en,
    nameBn: r.name_bn,
    kind: r.kind,
    tempClass: r.temp_class,
    deviceId: r.device_id ?? null,
    vatRegistered: r.vat_registered,
    bin: r.bin ?? null,
    sellable: r.sellable,
    active: r.active,
  }));
}

export async function listItems(db: Db, activeOnly = true): Promise<Item[]> {
  const rows = await db`
    select * from inv_items where active or not ${activeOnly} order by kind, code`;
  return rows.map(rowToItem);
}

export interface StockRow {
  itemId: number;
  code: string;
  nameEn: string;
  nameBn: string;
  kind: string;
  base: string;
  shopSku: string | null;
  onHand: number;
  reserved: number;
  /** Released, unexpired on the date, not reserved. */
  available: number;
  /** On hand in lots that are not released (quarantine, hold, rejected). */
  blocked: number;
  reorderPoint: number | null;
}

export async function stockByItem(db: Db, on: string): Promise<StockRow[]> {
  const rows = await db`
    select i.id, i.code, i.name_en, i.name_bn, i.kind, i.base, i.shop_sku, i.reorder_point,
      coalesce(sum(b.on_hand), 0)::int as on_hand,
      coalesce(sum(b.reserved), 0)::int as reserved,
      coalesce(sum(b.on_hand - b.reserved) filter (where l.status = 'released'
        and (l.expires_on is null or l.expires_on >= ${on}::date)), 0)::int as available,
      coalesce(sum(b.on_hand) filter (where l.status <> 'released'), 0)::int as blocked
    from inv_items i
    left join inv_balances b on b.item_id = i.id
    left join inv_lots l on l.id = b.lot_id
    where i.active
    group by i.id order by i.kind, i.code`;
  return rows.map((r) => ({
    itemId: Number(r.id),
    code: r.code,
    nameEn: r.name_en,
    nameBn: r.name_bn,
    kind: r.kind,
    base: r.base,
    shopSku: r.shop_sku ?? null,
    onHand: r.on_hand,
    reserved: r.reserved,
    available: r.available,
    blocked: r.blocked,
    reorderPoint: r.reorder_point ?? null,
  }));
}

export interface LotQuery {
  itemCode?: string;
  locationCode?: string;
  status?: LotStatus;
  /** Only lots with stock (default true). */
  inStock?: boolean;
  limit?: number;
}

export interface LotRow {
  id: number;
  code: string;
  itemCode: string;
  itemName: string;
  locationCode: string;
  status: LotStatus;
  producedOn: string;
  expiresOn: string | null;
  onHand: number;
  reserved: number;
}

/** Lots (per location holding them), earliest expiry first. */
export async function listLots(db: Db, q: LotQuery = {}): Promise<LotRow[]> {
  const limit = Math.min(Math.max(q.limit ?? 200, 1), 1000);
  const rows = await db`
    select l.id, l.code, i.code as item_code, i.name_en, loc.code as location_code, l.status,
      l.produced_on::text as produced_on, l.expires_on::text as expires_on, b.on_hand, b.reserved
    from inv_balances b
    join inv_lots l on l.id = b.lot_id
    join inv_items i on i.id = l.item_id
    join inv_locations loc on loc.id = b.location_id
    where (${q.itemCode ?? null}::text is null or i.code = ${q.itemCode ?? null})
      and (${q.locationCode ?? null}::text is null or loc.code = ${q.locationCode ?? null})
      and (${q.status ?? null}::text is null or l.status = ${q.status ?? null})
      and (b.on_hand > 0 or not ${q.inStock ?? true})
    order by l.expires_on nulls last, l.id, loc.sort_order
    limit ${limit}`;
  return rows.map((r) => ({
    id: Number(r.id),
    code: r.code,
    itemCode: r.item_code,
    itemName: r.name_en,
    locationCode: r.location_code,
    status: r.status,
    producedOn: r.produced_on,
    expiresOn: r.expires_on ?? null,
    onHand: r.on_hand,
    reserved: r.reserved,
  }));
}

export async function movesOfLot(db: Db, lotId: number) {
  const rows = await db`
    select m.id, m.at, loc.code as location_code, m.qty, m.kind, m.ref_kind, m.ref_id,
      m.actor_name, m.note
    from inv_moves m join inv_locations loc on loc.id = m.location_id
    where m.lot_id = ${lotId} order by m.id`;
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at as Date,
    locationCode: r.location_code as string,
    qty: r.qty as number,
    kind: r.kind as string,
    ref: { kind: r.ref_kind as string, id: r.ref_id as string },
    actorName: r.actor_name as string,
    note: (r.note ?? null) as string | null,
  }));
}

/** The open (and fulfilled) reservations of refs: what to pick, from which lot and location. */
export async function reservationsOf(
  db: Db,
  refs: { kind: string; id: string }[],
): Promise<ReservationRow[]> {
  if (refs.length === 0) return [];
  const rows = await db`
    select r.ref_kind, r.ref_id, r.line_index, i.code as item_code, i.shop_sku, r.lot_id,
      l.code as lot_code, loc.code as location_code, l.expires_on::text as expires_on,
      r.qty, r.status
    from inv_reservations r
    join unnest(${refs.map((r) => r.kind)}::text[], ${refs.map((r) => r.id)}::text[])
      as q (kind, id) on q.kind = r.ref_kind and q.id = r.ref_id
    join inv_items i on i.id = r.item_id
    join inv_lots l on l.id = r.lot_id
    join inv_locations loc on loc.id = r.location_id
    where r.status in ('open', 'fulfilled')
    order by r.ref_id, r.line_index, l.expires_on nulls last, r.id`;
  return rows.map((r) => ({
    refKind: r.ref_kind,
    refId: r.ref_id,
    lineIndex: r.line_index,
    itemCode: r.item_code,
    shopSku: r.shop_sku ?? null,
    lotId: Number(r.lot_id),
    lotCode: r.lot_code,
    locationCode: r.location_code,
    expiresOn: r.expires_on ?? null,
    qty: r.qty,
    status: r.status,
  }));
}

/** Lots with stock that expire within `days` of `on` (or already have), earliest first. */
export async function nearExpiry(db: Db, on: string, days: number) {
  if (!isDate(on)) return [];
  const until = addDays(on, Math.max(0, Math.min(days, 365)));
  const rows = await db`
    select l.id, l.code, i.code as item_code, i.name_en, i.name_bn, loc.code as location_code,
      l.status, l.expires_on::text as expires_on, b.on_hand, b.reserved
    from inv_balances b
    join inv_lots l on l.id = b.lot_id
    join inv_items i on i.id = l.item_id
    join inv_locations loc on loc.id = b.location_id
    where b.on_hand > 0 and l.expires_on is not null and l.expires_on <= ${until}::date
    order by l.expires_on, l.id`;
  return rows.map((r) => ({
    lotId: Number(r.id),
    lotCode: r.code as string,
    itemCode: r.item_code as string,
    itemName: { en: r.name_en as string, bn: r.name_bn as string },
    locationCode: r.location_code as string,
    status: r.status as LotStatus,
    expiresOn: r.expires_on as string,
    expired: (r.expires_on as string) < on,
    onHand: r.on_hand as number,
    reserved: r.reserved as number,
  }));
}
