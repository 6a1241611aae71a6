/**
 * Opening stock in bulk (seeds, imports): items created if missing and one released lot per line,
 * each with its receipt move, balance and status event, in a few set-based statements (thousands
 * of lines in well under a second). Day-to-day receipts go through the port's `receive`.
 */
import { isDate } from "@/services/platform/dhaka.ts";
import { InventoryError } from "./errors.ts";
import type { Actor, Db, ItemInput } from "./types.ts";
import { type InventoryLedger, stockLines } from "./books.ts";

export interface OpeningLine {
  itemCode: string;
  locationCode: string;
  qty: number;
  producedOn: string;
  /** Default: producedOn + the item's shelf life. */
  expiresOn?: string | null;
  /** What the line is worth in poisha (go-live): the books take it in at that value. */
  valueMinor?: number;
}

export async function openingStock(
  db: Db,
  at: Date,
  items: ItemInput[],
  lines: OpeningLine[],
  actor: Actor,
  ledger?: InventoryLedger,
): Promise<{ items: number; lots: number }> {
  if (items.length) {
    const col = (k: keyof ItemInput, dflt: string | number | null = null) =>
      items.map((i) => (i[k] ?? dflt) as string | number | null);
    await db`
      insert into inv_items (code, name_en, name_bn, kind, base, shelf_life_days, min_shelf_days,
        shop_sku, reorder_point, reorder_qty)
      select * from unnest(${col("code")}::text[], ${col("nameEn")}::text[],
        ${col("nameBn")}::text[], ${col("kind")}::text[], ${col("base")}::text[],
        ${col("shelfLifeDays")}::int[], ${col("minShelfDays", 0)}::int[],
        ${col("shopSku")}::text[], ${col("reorderPoint")}::int[], ${col("reorderQty")}::int[])
      on conflict do nothing`;
  }
  const ok = lines.filter((l) => l.qty > 0);
  for (const l of ok) {
    const v = l.valueMinor;
    if (
      !Number.isSafeInteger(l.qty) || !isDate(l.producedOn) ||
      (v !== undefined && (!Number.isSafeInteger(v) || v < 0))
    ) {
      throw new InventoryError("bad_qty", "Bad opening line", { item: l.itemCode });
    }
  }
  if (!ok.length) return { items: items.length, lots: 0 };
  const codes = ok.map((l) => l.itemCode);
  const places = ok.map((l) => l.locationCode);
  const qtys = ok.map((l) => l.qty);
  const produced = ok.map((l) => l.producedOn);
  const expires = ok.map((l) => l.expiresOn ?? null);
  const given = ok.map((l) => (l.expiresOn !== undefined ? 1 : 0));
  const rows = await db`
    with x as (
      select * from unnest(${codes}::text[], ${places}::text[], ${qtys}::int[],
        ${produced}::date[], ${expires}::date[], ${given}::int[])
        as t (item_code, location_code, qty, produced_on, expires_on, expiry_given)
    ), ins as (
      insert into inv_lots (code, item_id, location_id, produced_on, expires_on, status, received_qty,
        ref_kind, ref_id, created_at)
      select i.code || '-' || to_char(x.produced_on, 'YYMMDD') || '-' || nextval('inv_lot_seq'),
        i.id, loc.id, x.produced_on,
        case when x.expiry_given = 1 then x.expires_on
          when i.shelf_life_days is null then null
          else x.produced_on + i.shelf_life_days end,
        'released', x.qty, 'opening', 'opening', ${at}
      from x join inv_items i on i.code = x.item_code
      join inv_locations loc on loc.code = x.location_code
      returning id, item_id, location_id, received_qty
    ), mv as (
      insert into inv_moves (at, lot_id, location_id, qty, kind, ref_kind, ref_id, actor_id,
        actor_name, note)
      select ${at}, id, location_id, received_qty, 'receipt', 'opening', 'opening', ${actor.id},
        ${actor.name}, 'opening stock' from ins
    ), ev as (
      insert into inv_lot_status_events (lot_id, from_status, to_status, reason, actor_id,
        actor_name, at)
      select id, null, 'released', 'opening stock', ${actor.id}, ${actor.name}, ${at} from ins
    )
    insert into inv_balances (lot_id, location_id, item_id, on_hand)
    select id, location_id, item_id, received_qty from ins
    returning lot_id`;
  if (rows.length !== ok.length) {
    throw new InventoryError("unknown_item", "Unknown item or location in opening stock", {});
  }
  const valued = ok.filter((l) => (l.valueMinor ?? 0) > 0);
  if (ledger && valued.length > 0) {
    // The books take the valued lines in (Dr inventory / Cr opening balance equity), once.
    const kinds = await db`select code, id from inv_items where code = any(${
      valued.map((l) => l.itemCode)
    }::text[])`;
    const idOf = new Map(kinds.map((k) => [k.code as string, Number(k.id)]));
    const byItem = new Map<string, { qty: number; value: number }>();
    for (const l of valued) {
      const e = byItem.get(l.itemCode) ?? { qty: 0, value: 0 };
      e.qty += l.qty;
      e.value += l.valueMinor!;
      byItem.set(l.itemCode, e);
    }
    const named = await stockLines(
      db,
      [...byItem].map(([code, e]) => ({ itemId: idOf.get(code)!, qty: e.qty })),
    );
    await ledger.stockOpened(db as never, {
      ref: `opening:${Math.min(...rows.map((r) => Number(r.lot_id)))}`,
      lines: named.map((n) => ({ ...n, valueMinor: byItem.get(n.itemCode)!.value })),
    });
  }
  return { items: items.length, lots: rows.length };
}
