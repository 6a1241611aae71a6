/**
 * The inventory port (issue 12's contract, types.ts `InventoryPort`): items, receipts into lots,
 * consumption, FEFO reservations, fulfilment, lot status, holds, lineage links and availability.
 * Every method takes the caller's transaction (or the pool) so stock commits with the caller's
 * change.
 *
 * Locking (no oversell, no deadlock): `reserve` share-locks the items of its lines (sorted by id; a
 * lot's status change locks its item for update), picks FEFO from an unlocked read and applies the
 * picks in one statement that locks the balances (sorted by lot, location) and checks they still
 * fit — else it reads again under those locks; everything else that changes balances locks them
 * in (lot, location) order too. inv_balances' check
 * `reserved <= on_hand` is the last guard.
 */
import { appendAudit } from "@/services/audit/mod.ts";
import { emitWebhookEvent } from "@/services/webhooks/mod.ts";
import { addDays, dhakaDate, isDate } from "@/services/platform/dhaka.ts";
import type { Tx } from "@/services/platform/tx.ts";
import { INT4_MAX } from "@/services/platform/schema.ts";
import { InventoryError } from "./errors.ts";
import { applyMove, shiftReserved } from "./ledger.ts";
import { reservationsOf } from "./stock.ts";
import { type InventoryLedger, stockLines } from "./books.ts";
import type {
  Actor,
  Db,
  InventoryPort,
  Item,
  ItemInput,
  Lot,
  LotStatus,
  MoveRef,
  Pick,
  ReserveInput,
  ReserveResult,
} from "./types.ts";
import { ITEM_KINDS, LOT_STATUSES, MOVE_REF_KINDS } from "./types.ts";

const ITEM_CODE = /^[A-Z0-9][A-Z0-9-]{1,59}$/;
const LOT_CODE = /^[A-Z0-9][A-Z0-9-]{1,79}$/;
const SKU = /^[A-Z0-9][A-Z0-9-]{1,39}$/;
/** Refs that sell to customers: they reserve from sellable locations only (unless told). */
const CUSTOMER_REFS = new Set(["shop_order", "subscription", "b2b"]);

function checkQty(qty: number, field = "qty"): void {
  if (!Number.isSafeInteger(qty) || qty <= 0 || qty > INT4_MAX) {
    throw new InventoryError("bad_qty", "Enter a whole quantity above zero", { qty }, field);
  }
}

function checkRef(ref: MoveRef): void {
  if (!MOVE_REF_KINDS.includes(ref?.kind) || !ref.id || String(ref.id).length > 80) {
    throw new InventoryError("bad_qty", "Unknown stock reference", { ref: ref?.kind }, "ref");
  }
}

function dateText(d: unknown): string | null {
  if (d == null) return null;
  if (d instanceof Date) return d.toISOString().slice(0, 10);
  return String(d).slice(0, 10);
}

export function rowToItem(r: Record<string, any>): Item {
  return {
    id: Number(r.id),
    code: r.code,
    nameEn: r.name_en,
    nameBn: r.name_bn,
    kind: r.kind,
    base: r.base,
    shelfLifeDays: r.shelf_life_days ?? null,
    minShelfDays: r.min_shelf_days ?? 0,
    shopSku: r.shop_sku ?? null,
    reorderPoint: r.reorder_point ?? null,
    reorderQty: r.reorder_qty ?? null,
    active: r.active,
  };
}

export async function ensureItem(db: Db, i: ItemInput): Promise<{ itemId: number }> {
  if (!ITEM_CODE.test(i.code ?? "")) {
    throw new InventoryError("unknown_item", "Item codes are capitals, digits and dashes", {
      code: i.code,
    }, "code");
  }
  if (!ITEM_KINDS.includes(i.kind) || !["ml", "g", "pc"].includes(i.base)) {
    throw new InventoryError("unknown_item", "Unknown item kind or base unit", {
      code: i.code,
    }, "kind");
  }
  if (i.shopSku != null && !SKU.test(i.shopSku)) {
    throw new InventoryError("unknown_item", "Not a shop SKU", { sku: i.shopSku }, "shopSku");
  }
  if (i.shopSku) {
    const [other] = await db`
      select code from inv_items where shop_sku = ${i.shopSku} and code <> ${i.code}`;
    if (other) {
      throw new InventoryError("sku_taken", "Another item already stocks this SKU", {
        sku: i.shopSku,
        code: other.code,
      }, "shopSku");
    }
  }
  const [cur] = await db`select id, base from inv_items where code = ${i.code}`;
  if (cur && cur.base !== i.base) {
    const [lot] = await db`select 1 from inv_lots where item_id = ${cur.id} limit 1`;
    if (lot) {
      throw new InventoryError("base_changed", "The item has stock: its base unit cannot change", {
        code: i.code,
      }, "base");
    }
  }
  const has = (k: keyof ItemInput) => i[k] !== undefined;
  const [row] = await db`
    insert into inv_items (code, name_en, name_bn, kind, base, shelf_life_days, min_shelf_days,
      shop_sku, reorder_point, reorder_qty)
    values (${i.code}, ${i.nameEn}, ${i.nameBn}, ${i.kind}, ${i.base}, ${i.shelfLifeDays ?? null},
      ${i.minShelfDays ?? 0}, ${i.shopSku ?? null}, ${i.reorderPoint ?? null},
      ${i.reorderQty ?? null})
    on conflict (code) do update set
      name_en = excluded.name_en, name_bn = excluded.name_bn, kind = excluded.kind,
      base = excluded.base,
      shelf_life_days = case when ${has("shelfLifeDays")} then excluded.shelf_life_days
        else inv_items.shelf_life_days end,
      min_shelf_days = case when ${has("minShelfDays")} then excluded.min_shelf_days
        else inv_items.min_shelf_days end,
      shop_sku = case when ${has("shopSku")} then excluded.shop_sku else inv_items.shop_sku end,
      reorder_point = case when ${has("reorderPoint")} then excluded.reorder_point
        else inv_items.reorder_point end,
      reorder_qty = case when ${has("reorderQty")} then excluded.reorder_qty
        else inv_items.reorder_qty end,
      updated_at = now()
    returning id`;
  return { itemId: Number(row.id) };
}

export async function getItem(db: Db, code: string): Promise<Item | null> {
  const [r] = await db`select * from inv_items where code = ${code}`;
  return r ? rowToItem(r) : null;
}

async function locationByCode(db: Db, code: string): Promise<{ id: number; code: string }> {
  const [l] = await db`select id, code from inv_locations where code = ${code} and active`;
  if (!l) {
    throw new InventoryError("unknown_location", "No such location", { code }, "locationCode");
  }
  return { id: Number(l.id), code: l.code };
}

/** `${item}-${yymmdd}-${n}`: readable on a label, unique by the sequence. */
async function newLotCode(db: Db, itemCode: string, producedOn: string): Promise<string> {
  const [s] = await db`select nextval('inv_lot_seq')::text as n`;
  return `${itemCode}-${producedOn.slice(2).replaceAll("-", "")}-${s.n}`;
}

export function portOf(clock: { now(): Date }, ledger?: InventoryLedger): InventoryPort {
  const now = () => clock.now();

  async function receive(db: Db, r: Parameters<InventoryPort["receive"]>[1]) {
    checkQty(r.qty);
    checkRef(r.ref);
    if (!isDate(r.producedOn ?? "")) {
      throw new InventoryError("bad_date", "Enter the production date", {}, "producedOn");
    }
    if (r.expiresOn != null && (!isDate(r.expiresOn) || r.expiresOn < r.producedOn)) {
      throw new InventoryError(
        "bad_date",
        "Expiry must be a date on or after production",
        {},
        "expiresOn",
      );
    }
    if (r.status !== undefined && !LOT_STATUSES.includes(r.status)) {
      throw new InventoryError("bad_status", "Unknown lot status", { status: r.status }, "status");
    }
    const item = await getItem(db, r.itemCode);
    if (!item || !item.active) {
      throw new InventoryError("unknown_item", "No such item", { code: r.itemCode }, "itemCode");
    }
    const loc = await locationByCode(db, r.locationCode);
    const expiresOn = r.expiresOn !== undefined
      ? r.expiresOn
      : item.shelfLifeDays != null
      ? addDays(r.producedOn, item.shelfLifeDays)
      : null;
    const status: LotStatus = r.status ??
      (item.kind === "raw_milk" || item.kind === "ingredient" ? "quarantine" : "released");
    let code = r.lotCode;
    if (code != null) {
      if (!LOT_CODE.test(code)) {
        throw new InventoryError("lot_code_taken", "Lot codes are capitals, digits and dashes", {
          code,
        }, "lotCode");
      }
      const [taken] = await db`select 1 from inv_lots where code = ${code}`;
      if (taken) {
        throw new InventoryError(
          "lot_code_taken",
          "This lot code is already used",
          { code },
          "lotCode",
        );
      }
    } else code = await newLotCode(db, item.code, r.producedOn);
    const at = now();
    const [lot] = await db`
      insert into inv_lots (code, item_id, location_id, produced_on, expires_on, status, attrs,
        received_qty, ref_kind, ref_id, created_at)
      values (${code}, ${item.id}, ${loc.id}, ${r.producedOn}, ${expiresOn}, ${status},
        ${db.json((r.attrs ?? {}) as any)}, ${r.qty}, ${r.ref.kind}, ${r.ref.id}, ${at})
      returning id`;
    const lotId = Number(lot.id);
    await applyMove(db, {
      lotId,
      locationId: loc.id,
      itemId: item.id,
      qty: r.qty,
      kind: r.ref.kind === "return" ? "return" : "receipt",
      ref: r.ref,
      actor: r.actor,
      at,
    });
    await db`
      insert into inv_lot_status_events (lot_id, from_status, to_status, reason, actor_id,
        actor_name, at)
      values (${lotId}, null, ${status}, ${"received: " + r.ref.kind + " " + r.ref.id},
        ${r.actor.id}, ${r.actor.name}, ${at})`;
    return { lotId, lotCode: code };
  }

  async function consume(db: Db, c: Parameters<InventoryPort["consume"]>[1]) {
    checkQty(c.qty);
    checkRef(c.ref);
    const [lot] = await db`
      select l.id, l.code, l.status, l.item_id, l.location_id, l.expires_on::text as expires_on
      from inv_lots l
      where l.id = ${c.lotId}`;
    if (!lot) throw new InventoryError("unknown_lot", "No such lot", { lotId: c.lotId }, "lotId");
    if (c.reason !== "scrap" && lot.status !== "released") {
      throw new InventoryError("not_released", "Lot {lot} is {status}, not released", {
        lot: lot.code,
        status: lot.status,
      }, "lotId");
    }
    if (c.reason === "farm_use") {
      const on = c.on && isDate(c.on) ? c.on : dhakaDate(now());
      if (lot.expires_on !== null && lot.expires_on < on) {
        throw new InventoryError("expired", "Lot {lot} expired on {expiresOn}", {
          lot: lot.code,
          expiresOn: lot.expires_on,
        }, "lotId");
      }
    }
    const only = c.locationCodes ?? null;
    const bals = await db`
      select b.location_id, b.on_hand, b.reserved from inv_balances b
      join inv_locations loc on loc.id = b.location_id
      where b.lot_id = ${c.lotId} and (${only}::text[] is null or loc.code = any(${only}::text[]))
      order by b.location_id for update of b`;
    const home = Number(lot.location_id);
    const order = [...bals].sort((a, b) =>
      Number(Number(b.location_id) === home) - Number(Number(a.location_id) === home)
    );
    const free = order.reduce((s, b) => s + b.on_hand - b.reserved, 0);
    if (free < c.qty) {
      throw new InventoryError("short", "Lot {lot} has only {available} free", {
        lot: lot.code,
        available: free,
        wanted: c.qty,
      }, "qty");
    }
    let left = c.qty;
    const at = now();
    for (const b of order) {
      const take = Math.min(left, b.on_hand - b.reserved);
      if (take <= 0) continue;
      await applyMove(db, {
        lotId: c.lotId,
        locationId: Number(b.location_id),
        itemId: Number(lot.item_id),
        qty: -take,
        kind: c.reason === "scrap" ? "scrap" : "consume",
        ref: c.ref,
        actor: c.actor,
        at,
        note: c.note ?? null,
      });
      left -= take;
      if (left === 0) break;
    }
    if (ledger && c.reason === "farm_use") {
      await ledger.stockIssued(db as Tx, {
        ref: `${c.ref.kind}:${c.ref.id}:${c.lotId}`,
        purpose: "farm_use",
        lines: await stockLines(db, [{ itemId: Number(lot.item_id), qty: c.qty }]),
      });
    }
  }

  async function freeLots(
    db: Db,
    q: { itemCodes: string[]; locationCodes: string[]; on: string },
  ) {
    if (q.itemCodes.length === 0 || q.locationCodes.length === 0 || !isDate(q.on ?? "")) {
      return [];
    }
    const rows = await db`
      select l.id, l.code, i.code as item_code, l.expires_on::text as expires_on,
        sum(b.on_hand - b.reserved)::int as available
      from inv_balances b
      join inv_lots l on l.id = b.lot_id
      join inv_items i on i.id = l.item_id
      join inv_locations loc on loc.id = b.location_id
      where i.code = any(${q.itemCodes}::text[]) and loc.code = any(${q.locationCodes}::text[])
        and loc.active and l.status = 'released' and b.on_hand > b.reserved
        and (l.expires_on is null or l.expires_on >= ${q.on}::date)
      group by l.id, l.code, i.code, l.expires_on
      order by l.expires_on nulls last, l.id`;
    return rows.map((r) => ({
      lotId: Number(r.id),
      lotCode: r.code,
      itemCode: r.item_code,
      expiresOn: r.expires_on,
      available: r.available,
    }));
  }

  /** `lineIndexes` (internal, re-picking): the line numbers to record instead of 0, 1, … */
  async function reserve(
    db: Db,
    r: ReserveInput,
    lineIndexes?: number[],
  ): Promise<ReserveResult> {
    checkRef(r.ref);
    if (!isDate(r.on ?? "")) throw new InventoryError("bad_date", "Enter the date", {}, "on");
    r.lines.forEach((l, i) => checkQty(l.qty, `lines.${i}.qty`));
    const codes = r.lines.flatMap((l) => (l.itemCode ? [l.itemCode] : []));
    const skus = r.lines.flatMap((l) => (!l.itemCode && l.shopSku ? [l.shopSku] : []));
    // The items, share-locked in id order: reservations of one item go on side by side, while a
    // lot's status change (which locks its item for update) waits for them and they for it.
    const items = await db`
      select id, code, shop_sku, min_shelf_days from inv_items
      where active and (code = any(${codes}::text[]) or shop_sku = any(${skus}::text[]))
      order by id for share`;
    const itemOf = (l: ReserveInput["lines"][number]) =>
      items.find((i) => (l.itemCode ? i.code === l.itemCode : i.shop_sku === l.shopSku));
    const locs = r.locationCodes ?? null;
    const customer = CUSTOMER_REFS.has(r.ref.kind);
    const ids = items.map((i) => i.id);
    const candidates = (lock: boolean) => {
      if (ids.length === 0) return Promise.resolve([]);
      const q = db`
        select b.lot_id, b.location_id, b.item_id, b.on_hand, b.reserved, l.code as lot_code,
          l.expires_on::text as expires_on, loc.code as location_code, loc.sort_order
        from inv_balances b
        join inv_lots l on l.id = b.lot_id
        join inv_locations loc on loc.id = b.location_id
        where b.item_id = any(${ids}::bigint[]) and b.on_hand > b.reserved
          and l.status = 'released' and loc.active
          and (l.expires_on is null or l.expires_on >= ${r.on}::date)
          and (${locs}::text[] is null or loc.code = any(${locs}::text[]))
          and (${locs}::text[] is not null or not ${customer} or loc.sellable)
        order by b.lot_id, b.location_id`;
      return lock ? db`${q} for update of b` : q;
    };
    const pick = (rows: Record<string, any>[]) => {
      const free = new Map(rows.map((b) => [b, b.on_hand - b.reserved]));
      const picks: (Pick & { b: Record<string, any> })[] = [];
      const short: { lineIndex: number; wanted: number; available: number }[] = [];
      r.lines.forEach((line, lineIndex) => {
        const item = itemOf(line);
        if (!item) {
          short.push({ lineIndex, wanted: line.qty, available: 0 });
          return;
        }
        const minDays = line.minShelfDays ?? item.min_shelf_days ?? 0;
        const latest = addDays(r.on, minDays);
        const candidates = rows
          .filter((b) =>
            b.item_id === item.id && free.get(b)! > 0 &&
            (b.expires_on === null || b.expires_on >= latest)
          )
          .sort((a, b) =>
            (a.expires_on ?? "9999").localeCompare(b.expires_on ?? "9999") ||
            a.sort_order - b.sort_order || Number(a.lot_id) - Number(b.lot_id)
          );
        const available = candidates.reduce((s, b) => s + free.get(b)!, 0);
        if (available < line.qty) {
          short.push({ lineIndex, wanted: line.qty, available });
          return;
        }
        let left = line.qty;
        for (const b of candidates) {
          const take = Math.min(left, free.get(b)!);
          free.set(b, free.get(b)! - take);
          picks.push({
            lineIndex,
            lotId: Number(b.lot_id),
            lotCode: b.lot_code,
            locationCode: b.location_code,
            qty: take,
            expiresOn: b.expires_on ?? "",
            b,
          });
          left -= take;
          if (left === 0) break;
        }
      });
      return { picks, short };
    };
    const at = now();
    // One statement whatever the size of the order: the picked balances locked in (lot,
    // location) order, checked against what is free now, the reservations written and the
    // balances raised — or nothing at all when a pick no longer fits. The balances' locks are
    // held from here to the commit only.
    const apply = async (picks: (Pick & { b: Record<string, any> })[]) => {
      const [res] = await db`
        with x as (
          select * from unnest(${picks.map((p) => p.lotId)}::bigint[],
            ${picks.map((p) => p.b.location_id)}::bigint[],
            ${picks.map((p) => p.b.item_id)}::bigint[],
            ${picks.map((p) => lineIndexes?.[p.lineIndex] ?? p.lineIndex)}::int[],
            ${picks.map((p) => p.qty)}::int[]) as x (lot_id, location_id, item_id, line_index, qty)
        ), need as (
          select lot_id, location_id, sum(qty)::int as qty from x group by 1, 2
        ), locked as (
          select b.lot_id, b.location_id, b.on_hand, b.reserved from inv_balances b
          where (b.lot_id, b.location_id) in (select lot_id, location_id from need)
          order by b.lot_id, b.location_id for update
        ), fits as (
          select count(*) = (select count(*) from need) and coalesce(bool_and(
            k.on_hand - k.reserved >= n.qty), true) as ok
          from need n join locked k using (lot_id, location_id)
        ), ins as (
          insert into inv_reservations (lot_id, location_id, item_id, line_index, qty, ref_kind,
            ref_id, created_at)
          select x.lot_id, x.location_id, x.item_id, x.line_index, x.qty, ${r.ref.kind},
            ${r.ref.id}, ${at}
          from x where (select ok from fits)
          returning 1
        ), upd as (
          update inv_balances b set reserved = b.reserved + n.qty
          from need n
          where b.lot_id = n.lot_id and b.location_id = n.location_id and (select ok from fits)
          returning 1
        )
        select (select ok from fits) as ok, (select count(*) from ins) + (select count(*) from upd)
          as written`;
      return res.ok === true;
    };
    // Read without locks and apply; when another order took what was free in between, read
    // again under the balances' locks (then the picks fit by construction).
    let { picks, short } = pick(await candidates(false));
    if (short.length === 0 && !(await apply(picks))) {
      ({ picks, short } = pick(await candidates(true)));
      if (short.length === 0 && !(await apply(picks))) {
        throw new Error("inventory: locked picks did not fit");
      }
    }
    if (short.length > 0) return { ok: false, short };
    return { ok: true, picks: picks.map(({ b: _b, ...p }) => p) };
  }

  /** Closes ref's open reservations (in lock order) and returns them. */
  async function closeReservations(db: Db, ref: MoveRef, status: "released" | "fulfilled") {
    const open = await db`
      select b.lot_id, b.location_id from inv_balances b
      where (b.lot_id, b.location_id) in (
        select lot_id, location_id from inv_reservations
        where ref_kind = ${ref.kind} and ref_id = ${ref.id} and status = 'open')
      order by b.lot_id, b.location_id for update`;
    if (open.length === 0) return [];
    const closed = await db`
      update inv_reservations set status = ${status}, closed_at = ${now()}
      where ref_kind = ${ref.kind} and ref_id = ${ref.id} and status = 'open'
      returning id, lot_id, location_id, item_id, qty`;
    return closed;
  }

  async function releaseReservation(db: Db, ref: MoveRef) {
    const closed = await closeReservations(db, ref, "released");
    for (const [k, qty] of sumByBalance(closed)) {
      await shiftReserved(db, k.lotId, k.locationId, -qty);
    }
  }

  async function fulfil(db: Db, ref: MoveRef, actor: Actor) {
    const closed = await closeReservations(db, ref, "fulfilled");
    const at = now();
    for (const [k, qty] of sumByBalance(closed)) {
      await shiftReserved(db, k.lotId, k.locationId, -qty);
      await applyMove(db, {
        lotId: k.lotId,
        locationId: k.locationId,
        itemId: k.itemId,
        qty: -qty,
        kind: "sale",
        ref,
        actor,
        at,
      });
    }
    if (ledger && closed.length > 0) {
      // The cost of the lots shipped (the first reservation tells one fulfilment from the next).
      const first = Math.min(...closed.map((r) => Number(r.id)));
      await ledger.stockIssued(db as Tx, {
        ref: `${ref.kind}:${ref.id}:${first}`,
        purpose: "sale",
        lines: await stockLines(
          db,
          closed.map((r) => ({ itemId: Number(r.item_id), qty: Number(r.qty) })),
        ),
      });
    }
  }

  async function setLotStatus(db: Db, s: Parameters<InventoryPort["setLotStatus"]>[1]) {
    if (!LOT_STATUSES.includes(s.status)) {
      throw new InventoryError("bad_status", "Unknown lot status", { status: s.status }, "status");
    }
    const reason = (s.reason ?? "").trim().slice(0, 500);
    if (!reason) throw new InventoryError("bad_status", "Give a reason", {}, "reason");
    // The item first, then the lot (no key update: reservations referencing it may go on), the
    // same order as reserve's, so a re-pick below cannot deadlock with a checkout.
    const [head] = await db`select item_id from inv_lots where id = ${s.lotId}`;
    if (!head) throw new InventoryError("unknown_lot", "No such lot", { lotId: s.lotId }, "lotId");
    await db`select id from inv_items where id = ${head.item_id} for update`;
    const [lot] = await db`
      select id, code, status from inv_lots where id = ${s.lotId} for no key update`;
    if (lot.status === s.status) return;
    const at = now();
    await db`update inv_lots set status = ${s.status} where id = ${s.lotId}`;
    await db`
      insert into inv_lot_status_events (lot_id, from_status, to_status, reason, actor_id,
        actor_name, at)
      values (${s.lotId}, ${lot.status}, ${s.status}, ${reason}, ${s.actor.id}, ${s.actor.name},
        ${at})`;
    await appendAudit(db as any, {
      actorId: s.actor.id,
      action: "inventory.lot_status",
      entity: "inv_lot",
      entityId: s.lotId,
      data: { lot: lot.code, from: lot.status, to: s.status, reason, by: s.actor.name },
      at,
    });
    if (s.status === "hold") {
      // Partners' webhooks (services/webhooks): lot.on_hold, in this transaction.
      await emitWebhookEvent(db, {
        type: "lot.on_hold",
        data: { lot: lot.code, from: lot.status, reason },
        dedupeKey: `lot.on_hold:${s.lotId}:${at.toISOString()}`,
        at,
      });
    }
    if (s.status !== "released") await repick(db, s.lotId, at);
  }

  /**
   * A lot that stops being sellable gives up its open reservations: each is moved to other
   * lots (FEFO from today) where stock allows; what cannot be moved stays unreserved, and the
   * picking sheet shows the line without a lot.
   */
  async function repick(db: Db, lotId: number, at: Date) {
    const open = await db`
      select id, location_id, line_index, qty, ref_kind, ref_id, item_id from inv_reservations
      where lot_id = ${lotId} and status = 'open' order by location_id, id`;
    if (open.length === 0) return;
    await db`
      update inv_reservations set status = 'released', closed_at = ${at}
      where id = any(${open.map((o) => o.id)}::bigint[])`;
    for (const [k, qty] of sumByBalance(open.map((o) => ({ ...o, lot_id: lotId })))) {
      await shiftReserved(db, k.lotId, k.locationId, -qty);
    }
    const [item] = await db`select code from inv_items where id = ${open[0].item_id}`;
    const today = dhakaDate(at);
    for (const o of open) {
      const again = (qty: number) =>
        reserve(db, {
          ref: { kind: o.ref_kind, id: o.ref_id },
          lines: [{ itemCode: item.code, qty }],
          on: today,
        }, [o.line_index]);
      const r = await again(o.qty);
      // Not all of it: as much as the other lots have.
      if (!r.ok && r.short[0].available > 0) await again(r.short[0].available);
    }
  }

  async function holdAtLocation(db: Db, h: Parameters<InventoryPort["holdAtLocation"]>[1]) {
    if (!h.locationCode && !h.deviceId) return [];
    const lots = await db`
      select distinct b.lot_id from inv_balances b
      join inv_locations loc on loc.id = b.location_id
      join inv_lots l on l.id = b.lot_id
      where b.on_hand > 0 and l.status in ('released', 'quarantine')
        and (loc.code = ${h.locationCode ?? null} or loc.device_id = ${h.deviceId ?? null})
      order by b.lot_id`;
    const ids = lots.map((l) => Number(l.lot_id));
    // Their items locked in id order first (as reserve does), then lot by lot.
    await db`
      select id from inv_items
      where id in (select item_id from inv_lots where id = any(${ids}::bigint[]))
      order by id for update`;
    for (const lotId of ids) {
      await setLotStatus(db, { lotId, status: "hold", reason: h.reason, actor: h.actor });
    }
    return ids;
  }

  async function linkLots(db: Db, l: Parameters<InventoryPort["linkLots"]>[1]) {
    checkQty(l.qty);
    checkRef(l.ref);
    if (l.parentLotId === l.childLotId) {
      throw new InventoryError("unknown_lot", "A lot cannot be made from itself", {}, "lotId");
    }
    await db`
      insert into inv_lot_links (parent_lot_id, child_lot_id, qty, ref_kind, ref_id, created_at)
      values (${l.parentLotId}, ${l.childLotId}, ${l.qty}, ${l.ref.kind}, ${l.ref.id}, ${now()})`;
  }

  async function lot(db: Db, lotId: number): Promise<Lot | null> {
    if (!Number.isSafeInteger(lotId)) return null;
    const [r] = await db`
      select l.*, l.produced_on::text as produced, l.expires_on::text as expires,
        i.code as item_code, i.name_en, i.name_bn, i.base, loc.code as location_code
      from inv_lots l join inv_items i on i.id = l.item_id
      join inv_locations loc on loc.id = l.location_id
      where l.id = ${lotId}`;
    if (!r) return null;
    const bals = await db`
      select loc.code, b.on_hand, b.reserved from inv_balances b
      join inv_locations loc on loc.id = b.location_id
      where b.lot_id = ${lotId} and (b.on_hand > 0 or b.location_id = ${r.location_id})
      order by loc.sort_order, loc.code`;
    const onHand = bals.reduce((s, b) => s + b.on_hand, 0);
    const reserved = bals.reduce((s, b) => s + b.reserved, 0);
    return {
      id: Number(r.id),
      code: r.code,
      itemId: Number(r.item_id),
      itemCode: r.item_code,
      itemName: { en: r.name_en, bn: r.name_bn },
      base: r.base,
      locationCode: r.location_code,
      balances: bals.map((b) => ({
        locationCode: b.code,
        onHand: b.on_hand,
        reserved: b.reserved,
      })),
      status: r.status,
      producedOn: dateText(r.produced)!,
      expiresOn: dateText(r.expires),
      receivedQty: r.received_qty,
      onHand,
      reserved,
      available: onHand - reserved,
      attrs: r.attrs ?? {},
      ref: { kind: r.ref_kind, id: r.ref_id },
    };
  }

  /**
   * Goods a customer gave back in good condition: `qty` of a lot that left for `ref` (a sale)
   * returns into that lot where it left from. Never more than the ref took of the lot less what
   * came back already.
   */
  /** Each lot `ref` sold from gets back what is still out (sold − returned); the total back. */
  async function returnAll(db: Db, ref: MoveRef, actor: Actor, note?: string): Promise<number> {
    checkRef(ref);
    const out = await db`
      select lot_id, -sum(qty)::int as qty from inv_moves
      where ref_kind = ${ref.kind} and ref_id = ${ref.id} and kind in ('sale', 'return')
      group by lot_id having -sum(qty) > 0 order by lot_id`;
    let total = 0;
    for (const l of out) {
      await returnToLot(db, { lotId: Number(l.lot_id), qty: Number(l.qty), ref, actor, note });
      total += Number(l.qty);
    }
    return total;
  }

  async function returnToLot(db: Db, r: Parameters<InventoryPort["returnToLot"]>[1]) {
    checkQty(r.qty);
    checkRef(r.ref);
    const [lot] = await db`select id, item_id from inv_lots where id = ${r.lotId} for update`;
    if (!lot) throw new InventoryError("unknown_lot", "No such lot", { lotId: r.lotId }, "lotId");
    const moves = await db`
      select location_id, kind, sum(qty)::int as qty from inv_moves
      where lot_id = ${r.lotId} and ref_kind = ${r.ref.kind} and ref_id = ${r.ref.id}
        and kind in ('sale', 'return')
      group by location_id, kind order by location_id`;
    const sold = moves.filter((m) => m.kind === "sale").reduce((t, m) => t - m.qty, 0);
    const back = moves.filter((m) => m.kind === "return").reduce((t, m) => t + m.qty, 0);
    if (r.qty > sold - back) {
      throw new InventoryError("bad_qty", "More than left this lot for {ref}", {
        ref: r.ref.id,
        left: sold - back,
      }, "qty");
    }
    const from = moves.find((m) => m.kind === "sale")!;
    await applyMove(db, {
      lotId: r.lotId,
      locationId: Number(from.location_id),
      itemId: Number(lot.item_id),
      qty: r.qty,
      kind: "return",
      ref: r.ref,
      actor: r.actor,
      note: r.note,
      at: now(),
    });
  }

  return {
    ensureItem,
    item: getItem,
    receive,
    returnToLot,
    returnAll,
    consume,
    reserve,
    releaseReservation,
    fulfil,
    setLotStatus,
    holdAtLocation,
    linkLots,
    lot,
    picksOf: reservationsOf,
    freeLots,
    // Bound to the pool by the door (createInventory), which has `sql`.
    availableBySku: () => {
      throw new Error("availableBySku is bound by createInventory");
    },
  };
}

/**
 * The stock a shop SKU can sell on `on` (FROM … WHERE): unreserved balances of released lots at
 * active sellable locations, fresh enough for the item's minimum shelf days.
 */
const sellableStock = (db: Db, skus: string[], on: string) =>
  db`
    from inv_items i
    join inv_balances b on b.item_id = i.id and b.on_hand > b.reserved
    join inv_lots l on l.id = b.lot_id and l.status = 'released'
    join inv_locations loc on loc.id = b.location_id and loc.sellable and loc.active
    where i.active and i.shop_sku = any(${skus}::text[])
      and (l.expires_on is null or l.expires_on >= ${on}::date + i.min_shelf_days)`;

/**
 * Available per shop SKU on a date: released lots at sellable locations, not expired and with at
 * least the item's minimum shelf days left on `on` (what `reserve` would pick for a shop order).
 */
export async function availableBySku(
  db: Db,
  skus: string[],
  on: string,
): Promise<Map<string, number>> {
  const out = new Map<string, number>(skus.map((s) => [s, 0]));
  if (skus.length === 0 || !isDate(on)) return out;
  const rows = await db`
    select i.shop_sku, coalesce(sum(b.on_hand - b.reserved), 0)::int as n
    ${sellableStock(db, skus, on)}
    group by i.shop_sku`;
  for (const r of rows) out.set(r.shop_sku, r.n);
  return out;
}

function sumByBalance(rows: readonly Record<string, any>[]) {
  const m = new Map<string, { lotId: number; locationId: number; itemId: number; qty: number }>();
  for (const r of rows) {
    const k = `${r.lot_id}:${r.location_id}`;
    const e = m.get(k) ??
      {
        lotId: Number(r.lot_id),
        locationId: Number(r.location_id),
        itemId: Number(r.item_id),
        qty: 0,
      };
    e.qty += r.qty;
    m.set(k, e);
  }
  return [...m.values()].sort((a, b) => a.lotId - b.lotId || a.locationId - b.locationId)
    .map((e) => [e, e.qty] as const);
}

/**
 * Available packs per shop SKU and expiry date on `on` (the same lots as `availableBySku`): what
 * a buyer can order by lot date (the public API's availability).
 */
export async function availabilityByExpiry(
  db: Db,
  skus: string[],
  on: string,
): Promise<{ sku: string; expiresOn: string | null; available: number }[]> {
  if (skus.length === 0 || !isDate(on)) return [];
  const rows = await db`
    select i.shop_sku, to_char(l.expires_on, 'YYYY-MM-DD') as expires_on,
      sum(b.on_hand - b.reserved)::int as n
    ${sellableStock(db, skus, on)}
    group by i.shop_sku, l.expires_on
    order by i.shop_sku, l.expires_on nulls last`;
  return rows.map((r) => ({ sku: r.shop_sku, expiresOn: r.expires_on, available: r.n }));
}
