/**
 * Scrap: stock written off with a reason (expired, damaged, cold-chain breach, sample, failed
 * quality, other). Any lot status may be scrapped — held and rejected lots are what usually is —
 * but never more than is on hand and not reserved at that location. One scrap move, one record,
 * one audit row, in one transaction.
 */
import { appendAudit } from "@/services/audit/mod.ts";
import { inTx } from "@/services/platform/tx.ts";
import { applyMove } from "./ledger.ts";
import type { Actor, Db, LotItem } from "./types.ts";
import { type InventoryLedger, stockLines } from "./books.ts";
import { lotItemOf, needLocation, needLot, pageOf, pageRows, takeable } from "./locations.ts";
import { parseQty, StockError } from "./units.ts";

export const SCRAP_REASONS = [
  "expired",
  "damaged",
  "cold_chain",
  "sample",
  "quality",
  "other",
] as const;
export type ScrapReason = typeof SCRAP_REASONS[number];

export interface ScrapInput {
  lot: string;
  location: string;
  qty: string;
  unit: string;
  reason: string;
  note?: string;
}

export function scrapStock(
  db: Db,
  input: ScrapInput,
  actor: Actor,
  at: Date,
  ledger?: InventoryLedger,
): Promise<{ id: number; qty: number }> {
  return inTx(db, async (tx) => {
    const lot = await needLot(tx, input.lot, "lot");
    const loc = await needLocation(tx, input.location, "location");
    const qty = parseQty(input.qty, input.unit, lot.base);
    if (!(SCRAP_REASONS as readonly string[]).includes(input.reason)) {
      throw new StockError("badReason", {}, "reason");
    }
    const note = (input.note ?? "").trim() || null;
    if (note && note.length > 500) throw new StockError("tooLong", {}, "note");
    await takeable(tx, lot, loc, qty);
    const [r] = await tx`
      insert into inv_scraps (lot_id, location_id, qty, reason, note, at, actor_id, actor_name)
      values (${lot.id}, ${loc.id}, ${qty}, ${input.reason}, ${note}, ${at}, ${actor.id},
        ${actor.name})
      returning id`;
    const id = Number(r.id);
    await applyMove(tx, {
      lotId: lot.id,
      locationId: loc.id,
      itemId: lot.itemId,
      qty: -qty,
      kind: "scrap",
      ref: { kind: "scrap", id: String(id) },
      actor,
      at,
      note: note ? `${input.reason}: ${note}` : input.reason,
    });
    if (ledger) {
      const [line] = await stockLines(tx, [{ itemId: lot.itemId, qty }]);
      await ledger.stockScrapped(tx, {
        scrapId: id,
        lotCode: lot.code,
        reason: input.reason,
        line,
      });
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: "inventory.scrapped",
      entity: "inv_lot",
      entityId: lot.code,
      data: { location: loc.code, qty, base: lot.base, reason: input.reason, note },
      at,
    });
    return { id, qty };
  });
}

export interface ScrapRecord extends LotItem {
  id: number;
  locationCode: string;
  qty: number;
  reason: ScrapReason;
  note: string | null;
  at: Date;
  actorName: string;
}

export async function listScraps(
  db: Db,
  q: { limit?: number; offset?: number } = {},
): Promise<{ rows: ScrapRecord[]; total: number }> {
  const { limit, offset } = pageOf(q);
  return await pageRows(
    db`select s.*, l.code as lot_code, i.code as item_code, i.name_en, i.name_bn, i.base,
         loc.code as loc_code
       from inv_scraps s join inv_lots l on l.id = s.lot_id join inv_items i on i.id = l.item_id
       join inv_locations loc on loc.id = s.location_id
       order by s.at desc, s.id desc limit ${limit} offset ${offset}`,
    db`select count(*)::int as n from inv_scraps`,
    (r) => ({
      id: Number(r.id),
      ...lotItemOf(r),
      locationCode: r.loc_code,
      qty: r.qty,
      reason: r.reason,
      note: r.note,
      at: r.at,
      actorName: r.actor_name,
    }),
  );
}
