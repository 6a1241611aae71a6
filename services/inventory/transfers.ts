/**
 * Transfers between locations: a draft (from, to, lines of lot and quantity) is dispatched — the
 * stock leaves the source as transfer moves, checked against what is available there under lock —
 * and later received: the same quantities enter the destination. Between the two the stock is in
 * transit (at no location). Each transfer carries a number of its fiscal year's series and is the
 * Mushak 6.5 transfer invoice when both locations are VAT-registered. Every step is audited.
 */
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { inTx } from "@/services/platform/tx.ts";
import { applyMove } from "./ledger.ts";
import type { Actor, Db, LotItem } from "./types.ts";
import {
  auditStep,
  lockDocument,
  lotItemOf,
  needLocation,
  needLot,
  pageOf,
  pageRows,
  type StaffLocation,
  takeable,
} from "./locations.ts";
import { parseQty, StockError } from "./units.ts";

export type TransferStatus = "draft" | "dispatched" | "received" | "cancelled";
export const TRANSFER_STATUSES: readonly TransferStatus[] = [
  "draft",
  "dispatched",
  "received",
  "cancelled",
];

export interface TransferLine extends LotItem {
  lineNo: number;
  qty: number;
  expiresOn: string | null;
}

export interface Transfer {
  id: number;
  number: string;
  status: TransferStatus;
  from: StaffLocation;
  to: StaffLocation;
  vehicle: string | null;
  note: string | null;
  createdAt: Date;
  createdBy: string;
  dispatchedAt: Date | null;
  dispatchedBy: string | null;
  receivedAt: Date | null;
  receivedBy: string | null;
  lines: TransferLine[];
  /** Both ends are VAT-registered premises: the document is a Mushak 6.5. */
  needsMushak: boolean;
}

/** "2026-27" for a date from 1 July 2026 to 30 June 2027. */
export function fiscalYear(date: string): string {
  const y = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 7 ? y : y - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

/** The next number of a document series in the fiscal year of `at` (Dhaka date). */
export async function nextDocNumber(tx: Db, series: string, at: Date): Promise<string> {
  const fy = fiscalYear(dhakaDate(at));
  const [r] = await tx`
    insert into inv_doc_series (series, fiscal_year, last) values (${series}, ${fy}, 1)
    on conflict (series, fiscal_year) do update set last = inv_doc_series.last + 1
    returning last`;
  return `${series}-${fy}-${String(r.last).padStart(5, "0")}`;
}

export interface LineInput {
  lot: string;
  qty: string;
  unit: string;
}

export interface NewTransferInput {
  from: string;
  to: string;
  vehicle?: string;
  note?: string;
  lines: LineInput[];
}

function cleanText(s: string | undefined, max: number, field: string): string | null {
  const t = (s ?? "").trim();
  if (t.length > max) throw new StockError("tooLong", {}, field);
  return t || null;
}

/** Checks one line (lot exists, quantity in its units, available at `from`) → lot id and qty. */
async function checkLine(tx: Db, from: StaffLocation, line: LineInput, field: string) {
  const lot = await needLot(tx, line.lot, `${field}.lot`);
  const qty = parseQty(line.qty, line.unit, lot.base, `${field}.qty`);
  await takeable(tx, lot, from, qty, `${field}.qty`);
  return { lot, qty };
}

/** Saves a draft transfer with its lines (lines may be empty and added later). */
export function createTransfer(
  db: Db,
  input: NewTransferInput,
  actor: Actor,
  at: Date,
): Promise<{ id: number; number: string }> {
  return inTx(db, async (tx) => {
    const from = await needLocation(tx, input.from, "from");
    const to = await needLocation(tx, input.to, "to");
    if (from.id === to.id) throw new StockError("sameLocation", {}, "to");
    const vehicle = cleanText(input.vehicle, 60, "vehicle");
    const note = cleanText(input.note, 500, "note");
    const lines = [];
    for (const [i, l] of input.lines.entries()) {
      lines.push(await checkLine(tx, from, l, `lines.${i}`));
    }
    const number = await nextDocNumber(tx, "TR", at);
    const [r] = await tx`
      insert into inv_transfers (number, from_location_id, to_location_id, vehicle, note,
        created_at, created_by_id, created_by_name)
      values (${number}, ${from.id}, ${to.id}, ${vehicle}, ${note}, ${at}, ${actor.id},
        ${actor.name})
      returning id`;
    const id = Number(r.id);
    for (const [i, l] of lines.entries()) {
      await tx`insert into inv_transfer_lines (transfer_id, line_no, lot_id, qty)
               values (${id}, ${i + 1}, ${l.lot.id}, ${l.qty})`;
    }
    await auditStep(tx, "transfer_created", number, actor, at, {
      from: from.code,
      to: to.code,
      lines: lines.map((l) => ({ lot: l.lot.code, qty: l.qty })),
    });
    return { id, number };
  });
}

const lockTransfer = (tx: Db, id: number, expect: TransferStatus[]) =>
  lockDocument(tx, "inv_transfers", id, expect, "transferState");

/** Adds a line to a draft. */
export function addTransferLine(
  db: Db,
  id: number,
  line: LineInput,
  actor: Actor,
  at: Date,
): Promise<void> {
  return inTx(db, async (tx) => {
    const t = await lockTransfer(tx, id, ["draft"]);
    const from = (await getTransfer(tx, id))!.from;
    const { lot, qty } = await checkLine(tx, from, line, "line");
    await tx`
      insert into inv_transfer_lines (transfer_id, line_no, lot_id, qty)
      values (${id}, (select coalesce(max(line_no), 0) + 1 from inv_transfer_lines
                      where transfer_id = ${id}), ${lot.id}, ${qty})`;
    await auditStep(tx, "transfer_line_added", t.number, actor, at, { lot: lot.code, qty });
  });
}

/** Removes a line from a draft. */
export function removeTransferLine(db: Db, id: number, lineNo: number): Promise<void> {
  return inTx(db, async (tx) => {
    await lockTransfer(tx, id, ["draft"]);
    await tx`delete from inv_transfer_lines where transfer_id = ${id} and line_no = ${lineNo}`;
  });
}

/** The stock leaves the source: one transfer move out per line, each checked under lock. */
export function dispatchTransfer(db: Db, id: number, actor: Actor, at: Date): Promise<void> {
  return inTx(db, async (tx) => {
    const row = await lockTransfer(tx, id, ["draft"]);
    const t = (await getTransfer(tx, id))!;
    if (!t.lines.length) throw new StockError("noLines", {}, "form", 409);
    await moveLines(tx, t, "out", actor, at);
    await tx`update inv_transfers set status = 'dispatched', dispatched_at = ${at},
               dispatched_by_name = ${actor.name} where id = ${id}`;
    await auditStep(tx, "transfer_dispatched", row.number, actor, at, {
      from: t.from.code,
      to: t.to.code,
      lines: t.lines.map((l) => [l.lotCode, l.qty]),
    });
  });
}

async function itemOf(tx: Db, lotId: number): Promise<number> {
  const [r] = await tx`select item_id from inv_lots where id = ${lotId}`;
  return Number(r.item_id);
}

/**
 * One transfer move per line: out of the source (each checked under lock) when dispatched, into
 * the destination when received.
 */
async function moveLines(tx: Db, t: Transfer, way: "out" | "in", actor: Actor, at: Date) {
  const out = way === "out";
  for (const l of t.lines) {
    if (out) {
      await takeable(tx, { id: l.lotId, code: l.lotCode, base: l.base }, t.from, l.qty, "form");
    }
    await applyMove(tx, {
      lotId: l.lotId,
      locationId: out ? t.from.id : t.to.id,
      itemId: await itemOf(tx, l.lotId),
      qty: out ? -l.qty : l.qty,
      kind: "transfer",
      ref: { kind: "transfer", id: t.number },
      actor,
      at,
      note: out ? `→ ${t.to.code}` : `← ${t.from.code}`,
    });
  }
}

/** The stock arrives: one transfer move in per line at the destination. */
export function receiveTransfer(db: Db, id: number, actor: Actor, at: Date): Promise<void> {
  return inTx(db, async (tx) => {
    const row = await lockTransfer(tx, id, ["dispatched"]);
    const t = (await getTransfer(tx, id))!;
    await moveLines(tx, t, "in", actor, at);
    await tx`update inv_transfers set status = 'received', received_at = ${at},
               received_by_name = ${actor.name} where id = ${id}`;
    await auditStep(tx, "transfer_received", row.number, actor, at, { to: t.to.code });
  });
}

/** A draft that will not go: cancelled (nothing moved). */
export function cancelTransfer(db: Db, id: number, actor: Actor, at: Date): Promise<void> {
  return inTx(db, async (tx) => {
    const row = await lockTransfer(tx, id, ["draft"]);
    await tx`update inv_transfers set status = 'cancelled' where id = ${id}`;
    await auditStep(tx, "transfer_cancelled", row.number, actor, at);
  });
}

async function locationById(db: Db, id: number): Promise<StaffLocation> {
  const [r] = await db`select code from inv_locations where id = ${id}`;
  return await needLocation(db, r.code);
}

export async function getTransfer(db: Db, id: number): Promise<Transfer | null> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2 ** 62) return null;
  const [t] = await db`select * from inv_transfers where id = ${id}`;
  if (!t) return null;
  const lines = await db`
    select tl.line_no, tl.lot_id, tl.qty, l.code as lot_code, l.expires_on::text as expires_on,
      i.code as item_code, i.name_en, i.name_bn, i.base
    from inv_transfer_lines tl join inv_lots l on l.id = tl.lot_id
    join inv_items i on i.id = l.item_id
    where tl.transfer_id = ${id} order by tl.line_no`;
  const from = await locationById(db, Number(t.from_location_id));
  const to = await locationById(db, Number(t.to_location_id));
  return {
    id: Number(t.id),
    number: t.number,
    status: t.status,
    from,
    to,
    vehicle: t.vehicle,
    note: t.note,
    createdAt: t.created_at,
    createdBy: t.created_by_name,
    dispatchedAt: t.dispatched_at,
    dispatchedBy: t.dispatched_by_name,
    receivedAt: t.received_at,
    receivedBy: t.received_by_name,
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      ...lotItemOf(l),
      qty: l.qty,
      expiresOn: l.expires_on,
    })),
    needsMushak: from.vatRegistered && to.vatRegistered,
  };
}

export interface TransferSummary {
  id: number;
  number: string;
  status: TransferStatus;
  fromCode: string;
  toCode: string;
  lines: number;
  createdAt: Date;
  createdBy: string;
}

export async function listTransfers(
  db: Db,
  q: { status?: TransferStatus; limit?: number; offset?: number } = {},
): Promise<{ rows: TransferSummary[]; total: number }> {
  const { limit, offset } = pageOf(q);
  const status = q.status ?? null;
  return await pageRows(
    db`select t.id, t.number, t.status, f.code as f, o.code as o, t.created_at, t.created_by_name,
         (select count(*) from inv_transfer_lines tl where tl.transfer_id = t.id)::int as lines
       from inv_transfers t join inv_locations f on f.id = t.from_location_id
       join inv_locations o on o.id = t.to_location_id
       where (${status}::text is null or t.status = ${status})
       order by t.id desc limit ${limit} offset ${offset}`,
    db`select count(*)::int as n from inv_transfers
       where (${status}::text is null or status = ${status})`,
    (r) => ({
      id: Number(r.id),
      number: r.number,
      status: r.status,
      fromCode: r.f,
      toCode: r.o,
      lines: r.lines,
      createdAt: r.created_at,
      createdBy: r.created_by_name,
    }),
  );
}
