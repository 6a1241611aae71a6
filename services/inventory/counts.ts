/**
 * Cycle counts: a count sheet for a location lists every lot with stock there and what the ledger
 * expects; staff enter what they find and submit; a second person (or a manager) approves, which
 * posts one count-adjustment move per lot with a variance, or rejects with a reason. Audited.
 *
 * A lot found at the location that the ledger does not show there can be added to an open sheet
 * (`addCountLine`): an existing lot by its code, or a lot nobody recorded (item, new lot code or
 * a generated one, expiry). Its line expects what the ledger holds there (nothing) and counts what
 * was found, so approval posts a positive count move into the location. A new lot is recorded
 * when it is added (ref "count", received quantity the one found); when the count is rejected it
 * stays without stock, and a recount can add it again by its code.
 */
import { dhakaDate, isDate } from "@/services/platform/dhaka.ts";
import { inTx } from "@/services/platform/tx.ts";
import { applyMove } from "./ledger.ts";
import { type InventoryLedger, stockLines } from "./books.ts";
import type { Actor, Base, Db, LotItem } from "./types.ts";
import {
  auditStep,
  lockDocument,
  lotItemOf,
  needLocation,
  needLot,
  pageOf,
  pageRows,
} from "./locations.ts";
import { parseQty, StockError } from "./units.ts";

export type CountStatus = "open" | "submitted" | "approved" | "rejected";
export const COUNT_STATUSES: readonly CountStatus[] = ["open", "submitted", "approved", "rejected"];

export interface CountLine extends LotItem {
  expiresOn: string | null;
  expected: number;
  counted: number | null;
  /** counted − expected, null until counted. */
  variance: number | null;
}

export interface Count {
  id: number;
  status: CountStatus;
  locationCode: string;
  locationNameEn: string;
  locationNameBn: string;
  createdAt: Date;
  createdBy: string;
  countedAt: Date | null;
  countedById: string | null;
  countedBy: string | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  reason: string | null;
  lines: CountLine[];
}

/** Opens a count of a location: the sheet is what the ledger holds there now. */
export function startCount(
  db: Db,
  locationCode: string,
  actor: Actor,
  at: Date,
): Promise<{ id: number }> {
  return inTx(db, async (tx) => {
    const loc = await needLocation(tx, locationCode, "location");
    const [busy] = await tx`select id from inv_counts where location_id = ${loc.id}
                            and status in ('open', 'submitted') for update`;
    if (busy) throw new StockError("openCount", { location: loc.code }, "location", 409);
    const [r] = await tx`
      insert into inv_counts (location_id, created_at, created_by_id, created_by_name)
      values (${loc.id}, ${at}, ${actor.id}, ${actor.name}) returning id`;
    const id = Number(r.id);
    await tx`
      insert into inv_count_lines (count_id, lot_id, expected)
      select ${id}, lot_id, on_hand from inv_balances
      where location_id = ${loc.id} and on_hand > 0`;
    await auditStep(tx, "count_started", id, actor, at, { location: loc.code });
    return { id };
  });
}

const lockCount = (tx: Db, id: number, expect: CountStatus[]) =>
  lockDocument(tx, "inv_counts", id, expect, "countState");

/**
 * Records counted quantities (`entries`: lot id → quantity text and unit); an empty quantity
 * leaves that lot not counted. All or nothing.
 */
export function recordCounted(
  db: Db,
  id: number,
  entries: { lotId: number; qty: string; unit: string }[],
): Promise<void> {
  return inTx(db, async (tx) => {
    await lockCount(tx, id, ["open"]);
    const lines = new Map(
      (await tx`select cl.lot_id, i.base from inv_count_lines cl
                join inv_lots l on l.id = cl.lot_id join inv_items i on i.id = l.item_id
                where cl.count_id = ${id}`).map((r) => [Number(r.lot_id), r.base as Base]),
    );
    for (const e of entries) {
      const base = lines.get(e.lotId);
      if (!base) throw new StockError("unknownLot", { lot: e.lotId }, "form");
      const qty = e.qty.trim() === ""
        ? null
        : parseQty(e.qty, e.unit, base, `counted.${e.lotId}`, { allowZero: true });
      await tx`update inv_count_lines set counted = ${qty}
               where count_id = ${id} and lot_id = ${e.lotId}`;
    }
  });
}

/** What the counter found that is not on the sheet: a lot code, or an item for a new lot. */
export interface FoundLotInput {
  /** An existing lot's code; with `item` too, the lot must be of that item. */
  lotCode?: string;
  /** The item's code: for a new lot (no `lotCode`), or to check the lot's item. */
  item?: string;
  /** A new lot's code (capitals, digits, dashes); generated when empty. */
  newLotCode?: string;
  /** A new lot's expiry (YYYY-MM-DD); required when the item expires. */
  expiresOn?: string;
  qty: string;
  unit: string;
}

const LOT_CODE = /^[A-Z0-9][A-Z0-9-]{1,79}$/;
const blank = (v: string | undefined) => (v ?? "").trim();

/**
 * Adds a lot found at the counted location to an open count: counted `qty`, expected what the
 * ledger holds there. Unknown lot or item, a lot of another item, a lot already on the sheet, a
 * taken or malformed new lot code, a missing or bad expiry: a StockError (4xx), nothing written.
 */
export function addCountLine(
  db: Db,
  id: number,
  input: FoundLotInput,
  actor: Actor,
  at: Date,
): Promise<{ lotId: number; lotCode: string }> {
  return inTx(db, async (tx) => {
    const c = await lockCount(tx, id, ["open"]);
    const lotCode = blank(input.lotCode).toUpperCase();
    const itemCode = blank(input.item).toUpperCase();
    if (!lotCode && !itemCode) throw new StockError("lotOrItem", {}, "lotCode");
    let item: { id: number; code: string; base: Base; kind: string; shelf: number | null } | null =
      null;
    if (itemCode) {
      const [r] = await tx`select id, code, base, kind, shelf_life_days from inv_items
                           where code = ${itemCode.slice(0, 60)}`;
      if (!r) throw new StockError("unknownItem", { item: itemCode }, "item");
      item = {
        id: Number(r.id),
        code: r.code,
        base: r.base,
        kind: r.kind,
        shelf: r.shelf_life_days,
      };
    }
    let lot: { id: number; code: string; base: Base };
    let isNew = false;
    if (lotCode) {
      const found = await needLot(tx, lotCode, "lotCode");
      if (item && found.itemId !== item.id) {
        throw new StockError("wrongItem", { lot: found.code, item: item.code }, "item");
      }
      lot = { id: found.id, code: found.code, base: found.base };
    } else {
      const expiresOn = blank(input.expiresOn);
      if (expiresOn && !isDate(expiresOn)) throw new StockError("badExpiry", {}, "expiresOn");
      if (!expiresOn && item!.shelf !== null) {
        throw new StockError("expiryRequired", {}, "expiresOn");
      }
      let code = blank(input.newLotCode).toUpperCase();
      if (code && !LOT_CODE.test(code)) throw new StockError("badLotCode", {}, "newLotCode");
      const today = dhakaDate(at);
      if (!code) {
        const [s] = await tx`select nextval('inv_lot_seq')::text as n`;
        code = `${item!.code}-${today.slice(2).replaceAll("-", "")}-${s.n}`;
      }
      const [taken] = await tx`select 1 from inv_lots where code = ${code}`;
      if (taken) throw new StockError("lotCodeTaken", { lot: code }, "newLotCode", 409);
      lot = { id: 0, code, base: item!.base };
      isNew = true;
      // Produced on an unknown day: today, or the expiry when that is earlier.
      const producedOn = expiresOn && expiresOn < today ? expiresOn : today;
      const status = item!.kind === "raw_milk" || item!.kind === "ingredient"
        ? "quarantine"
        : "released";
      const qty = parseQty(input.qty, input.unit, item!.base, "qty");
      const [r] = await tx`
        insert into inv_lots (code, item_id, location_id, produced_on, expires_on, status,
          received_qty, ref_kind, ref_id, created_at)
        values (${code}, ${item!.id}, ${c.location_id}, ${producedOn}, ${expiresOn || null},
          ${status}, ${qty}, 'count', ${String(id)}, ${at})
        returning id`;
      lot.id = Number(r.id);
      await tx`
        insert into inv_lot_status_events (lot_id, from_status, to_status, reason, actor_id,
          actor_name, at)
        values (${lot.id}, null, ${status}, ${`found in count ${id}`}, ${actor.id},
          ${actor.name}, ${at})`;
    }
    const [onSheet] = await tx`select 1 from inv_count_lines
                               where count_id = ${id} and lot_id = ${lot.id}`;
    if (onSheet) throw new StockError("alreadyOnSheet", { lot: lot.code }, "lotCode", 409);
    const qty = parseQty(input.qty, input.unit, lot.base, "qty", { allowZero: !isNew });
    const [bal] = await tx`select on_hand from inv_balances
                           where lot_id = ${lot.id} and location_id = ${c.location_id}`;
    await tx`insert into inv_count_lines (count_id, lot_id, expected, counted)
             values (${id}, ${lot.id}, ${bal?.on_hand ?? 0}, ${qty})`;
    await auditStep(tx, "count_line_added", id, actor, at, {
      lot: lot.code,
      newLot: isNew,
      counted: qty,
    });
    return { lotId: lot.id, lotCode: lot.code };
  });
}

/** The counter is done: every lot must have a counted quantity. */
export function submitCount(db: Db, id: number, actor: Actor, at: Date): Promise<void> {
  return inTx(db, async (tx) => {
    await lockCount(tx, id, ["open"]);
    const [missing] = await tx`select 1 from inv_count_lines
                               where count_id = ${id} and counted is null limit 1`;
    if (missing) throw new StockError("notCounted", {}, "form", 409);
    await tx`update inv_counts set status = 'submitted', counted_at = ${at},
               counted_by_id = ${actor.id}, counted_by_name = ${actor.name} where id = ${id}`;
    await auditStep(tx, "count_submitted", id, actor, at);
  });
}

/**
 * Approves a submitted count: someone other than the counter, or a manager. Each lot's variance
 * (counted − expected) becomes a count move; a variance that would take more than is now on hand
 * (or under what is reserved) is refused.
 */
export function approveCount(
  db: Db,
  id: number,
  actor: Actor & { manager?: boolean },
  at: Date,
  ledger?: InventoryLedger,
): Promise<{ adjusted: number }> {
  return inTx(db, async (tx) => {
    const c = await lockCount(tx, id, ["submitted"]);
    if (!actor.manager && actor.id !== null && actor.id === c.counted_by_id) {
      throw new StockError("selfApproval", {}, "form", 409);
    }
    const [loc] = await tx`select code from inv_locations where id = ${c.location_id}`;
    await tx`select 1 from inv_balances where location_id = ${c.location_id}
             and lot_id in (select lot_id from inv_count_lines where count_id = ${id})
             for update`;
    const lines = await tx`
      select cl.lot_id, cl.expected, cl.counted, l.code, l.item_id, b.on_hand, b.reserved
      from inv_count_lines cl join inv_lots l on l.id = cl.lot_id
      left join inv_balances b on b.lot_id = cl.lot_id and b.location_id = ${c.location_id}
      where cl.count_id = ${id} and cl.counted <> cl.expected
      order by cl.lot_id`;
    const adjustments = [];
    for (const l of lines) {
      const variance = l.counted - l.expected;
      const onHand = l.on_hand ?? 0;
      if (onHand + variance < (l.reserved ?? 0)) {
        throw new StockError(
          "moreThanOnHand",
          {
            lot: l.code,
            location: loc.code,
            available: onHand - (l.reserved ?? 0),
          },
          "form",
          409,
        );
      }
      await applyMove(tx, {
        lotId: Number(l.lot_id),
        locationId: Number(c.location_id),
        itemId: Number(l.item_id),
        qty: variance,
        kind: "count",
        ref: { kind: "count", id: String(id) },
        actor,
        at,
        note: `count ${id}: expected ${l.expected}, counted ${l.counted}`,
      });
      adjustments.push({ lot: l.code, expected: l.expected, counted: l.counted, variance });
    }
    if (ledger && lines.length > 0) {
      const diffs = await stockLines(
        tx,
        lines.map((l) => ({ itemId: Number(l.item_id), qty: l.counted - l.expected })),
      );
      await ledger.stockCounted(tx, {
        countId: id,
        locationCode: loc.code,
        lines: diffs.map((d) => ({ itemCode: d.itemCode, kind: d.kind, diff: d.qty })),
      });
    }
    // A lot first recorded by this count was received as what was finally counted.
    await tx`update inv_lots l set received_qty = cl.counted from inv_count_lines cl
             where cl.count_id = ${id} and cl.lot_id = l.id and cl.counted > 0
               and l.ref_kind = 'count' and l.ref_id = ${String(id)}`;
    await tx`update inv_counts set status = 'approved', decided_at = ${at},
               decided_by_id = ${actor.id}, decided_by_name = ${actor.name} where id = ${id}`;
    await auditStep(tx, "count_approved", id, actor, at, {
      location: loc.code,
      countedBy: c.counted_by_name,
      adjustments,
    });
    return { adjusted: adjustments.length };
  });
}

/** Rejects a submitted count (nothing moves); the location may be counted again. */
export function rejectCount(
  db: Db,
  id: number,
  reason: string,
  actor: Actor,
  at: Date,
): Promise<void> {
  return inTx(db, async (tx) => {
    await lockCount(tx, id, ["submitted", "open"]);
    const why = reason.trim();
    if (!why) throw new StockError("badReason", {}, "reason");
    if (why.length > 500) throw new StockError("tooLong", {}, "reason");
    await tx`update inv_counts set status = 'rejected', decided_at = ${at}, reason = ${why},
               decided_by_id = ${actor.id}, decided_by_name = ${actor.name} where id = ${id}`;
    await auditStep(tx, "count_rejected", id, actor, at, { reason: why });
  });
}

export async function getCount(db: Db, id: number): Promise<Count | null> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2 ** 62) return null;
  const [c] = await db`
    select c.*, l.code, l.name_en, l.name_bn from inv_counts c
    join inv_locations l on l.id = c.location_id where c.id = ${id}`;
  if (!c) return null;
  const lines = await db`
    select cl.*, l.code as lot_code, l.expires_on::text as expires_on, i.code as item_code,
      i.name_en, i.name_bn, i.base
    from inv_count_lines cl join inv_lots l on l.id = cl.lot_id
    join inv_items i on i.id = l.item_id
    where cl.count_id = ${id} order by i.code, l.expires_on nulls last, l.code`;
  return {
    id: Number(c.id),
    status: c.status,
    locationCode: c.code,
    locationNameEn: c.name_en,
    locationNameBn: c.name_bn,
    createdAt: c.created_at,
    createdBy: c.created_by_name,
    countedAt: c.counted_at,
    countedById: c.counted_by_id,
    countedBy: c.counted_by_name,
    decidedAt: c.decided_at,
    decidedBy: c.decided_by_name,
    reason: c.reason,
    lines: lines.map((l) => ({
      ...lotItemOf(l),
      expiresOn: l.expires_on,
      expected: l.expected,
      counted: l.counted,
      variance: l.counted === null ? null : l.counted - l.expected,
    })),
  };
}

export interface CountSummary {
  id: number;
  status: CountStatus;
  locationCode: string;
  createdAt: Date;
  createdBy: string;
  lines: number;
  variances: number;
}

export async function listCounts(
  db: Db,
  q: { limit?: number; offset?: number } = {},
): Promise<{ rows: CountSummary[]; total: number }> {
  const { limit, offset } = pageOf(q);
  return await pageRows(
    db`select c.id, c.status, l.code, c.created_at, c.created_by_name,
         (select count(*) from inv_count_lines x where x.count_id = c.id)::int as lines,
         (select count(*) from inv_count_lines x
          where x.count_id = c.id and x.counted <> x.expected)::int as variances
       from inv_counts c join inv_locations l on l.id = c.location_id
       order by c.id desc limit ${limit} offset ${offset}`,
    db`select count(*)::int as n from inv_counts`,
    (r) => ({
      id: Number(r.id),
      status: r.status,
      locationCode: r.code,
      createdAt: r.created_at,
      createdBy: r.created_by_name,
      lines: r.lines,
      variances: r.variances,
    }),
  );
}
