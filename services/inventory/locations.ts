/**
 * Locations for the warehouse staff: the list with what each holds, creating and editing one
 * (kind, temperature class, the IoT device watching it, VAT registration with BIN and address for
 * the Mushak 6.5). Audited. Also the lookups the other screens share (location and lot by code).
 */
import type { Row } from "postgres";
import { z } from "zod";
import { appendAudit } from "@/services/audit/mod.ts";
import { inTx } from "@/services/platform/tx.ts";
import type {
  Actor,
  Base,
  Db,
  Location,
  LocationKind,
  LotItem,
  LotStatus,
  TempClass,
} from "./types.ts";
import { listLocations } from "./stock.ts";
import { StockError } from "./units.ts";

export const LOCATION_KINDS: readonly LocationKind[] = [
  "farm_chiller",
  "silo",
  "cold_room",
  "dry_store",
  "depot",
  "van",
];
export const TEMP_CLASSES: readonly TempClass[] = ["frozen", "chilled", "ambient"];

/** A location as the warehouse screens show it: with its address and the lots it holds. */
export interface StaffLocation extends Location {
  /** Printed on the Mushak 6.5. */
  address: string | null;
  /** Lots with stock here now. */
  lots: number;
}

/** A 13-digit BIN as printed: 9 digits, a dash, the 4-digit branch. */
export function formatBin(bin: string | null): string {
  if (!bin) return "";
  return bin.length === 13 ? `${bin.slice(0, 9)}-${bin.slice(9)}` : bin;
}

/** Every location (in use first), with its address and how many lots have stock there. */
export async function listStaffLocations(db: Db): Promise<StaffLocation[]> {
  const [all, extra] = await Promise.all([
    listLocations(db, false),
    db`select l.id, l.address, (select count(*) from inv_balances b
         where b.location_id = l.id and b.on_hand > 0)::int as lots
       from inv_locations l`,
  ]);
  const more = new Map(extra.map((r) => [Number(r.id), r]));
  return all
    .map((l) => ({
      ...l,
      address: more.get(l.id)?.address ?? null,
      lots: more.get(l.id)?.lots ?? 0,
    }))
    .sort((a, b) => Number(b.active) - Number(a.active));
}

export async function locationByCode(db: Db, code: string): Promise<StaffLocation | null> {
  const want = (code ?? "").trim().toUpperCase();
  return (await listStaffLocations(db)).find((l) => l.code === want) ?? null;
}

/** The location or a StockError (404 when `field` is "form", else 422 on the field). */
export async function needLocation(db: Db, code: string, field = "form"): Promise<StaffLocation> {
  const l = await locationByCode(db, code ?? "");
  if (!l) {
    throw new StockError(
      "unknownLocation",
      { location: code },
      field,
      field === "form" ? 404 : 422,
    );
  }
  return l;
}

/** A lot as the screens look it up by code: its item and where its stock is. */
export interface LotRef {
  id: number;
  code: string;
  itemId: number;
  itemCode: string;
  itemNameEn: string;
  itemNameBn: string;
  base: Base;
  status: LotStatus;
  producedOn: string;
  expiresOn: string | null;
}

export async function lotByCode(db: Db, code: string): Promise<LotRef | null> {
  const [r] = await db`
    select l.id, l.code, l.item_id, i.code as item_code, i.name_en, i.name_bn, i.base, l.status,
      l.produced_on::text as produced_on, l.expires_on::text as expires_on
    from inv_lots l join inv_items i on i.id = l.item_id
    where l.code = ${code.trim().toUpperCase().slice(0, 80)}`;
  return r
    ? {
      id: Number(r.id),
      code: r.code,
      itemId: Number(r.item_id),
      itemCode: r.item_code,
      itemNameEn: r.name_en,
      itemNameBn: r.name_bn,
      base: r.base,
      status: r.status,
      producedOn: r.produced_on,
      expiresOn: r.expires_on,
    }
    : null;
}

export async function needLot(db: Db, code: string, field = "lot"): Promise<LotRef> {
  const l = await lotByCode(db, code ?? "");
  if (!l) throw new StockError("unknownLot", { lot: code }, field, field === "form" ? 404 : 422);
  return l;
}

/**
 * Locks a lot's balance at a location and checks `qty` can leave it (on hand − reserved);
 * StockError "moreThanOnHand" / "notAtLocation" on `field` otherwise.
 */
export async function takeable(
  tx: Db,
  lot: { id: number; code: string; base: Base },
  location: { id: number; code: string },
  qty: number,
  field = "qty",
): Promise<void> {
  const [b] = await tx`
    select on_hand, reserved from inv_balances
    where lot_id = ${lot.id} and location_id = ${location.id} for update`;
  if (!b || b.on_hand <= 0) {
    throw new StockError("notAtLocation", { lot: lot.code, location: location.code }, field, 409);
  }
  const available = b.on_hand - b.reserved;
  if (qty > available) {
    throw new StockError(
      "moreThanOnHand",
      {
        lot: lot.code,
        location: location.code,
        available,
        base: lot.base,
      },
      field,
      409,
    );
  }
}

const text = (max: number) => z.string().trim().max(max, "tooLong");

export const locationSchema = z.object({
  code: z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, "badCode"),
  nameEn: z.string().trim().min(1, "nameRequired").max(120, "tooLong"),
  nameBn: z.string().trim().min(1, "nameRequired").max(120, "tooLong"),
  kind: z.enum(LOCATION_KINDS as [LocationKind, ...LocationKind[]], "badKind"),
  tempClass: z.enum(TEMP_CLASSES as [TempClass, ...TempClass[]], "badTemp"),
  deviceId: text(64).transform((s) => s || null).refine(
    (s) => s === null || /^[a-z0-9][a-z0-9-]{2,63}$/.test(s),
    "badDevice",
  ),
  vatRegistered: z.boolean(),
  bin: text(20).transform((s) => s.replace(/[\s-]/g, "") || null).refine(
    (s) => s === null || /^[0-9]{9,13}$/.test(s),
    "badBin",
  ),
  address: text(300).transform((s) => s || null),
  sellable: z.boolean(),
  active: z.boolean(),
}).superRefine((l, ctx) => {
  if (l.vatRegistered && !l.bin) {
    ctx.addIssue({ code: "custom", path: ["bin"], message: "binRequired" });
  }
});
export type LocationInput = z.input<typeof locationSchema>;

function parseLocation(input: LocationInput) {
  const r = locationSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new StockError(issue.message, {}, String(issue.path[0] ?? "form"));
}

/**
 * Creates a location (`code` null) or edits the one with that code (its code stays). Audited as
 * inventory.location_created / inventory.location_updated with the values saved.
 */
export function saveLocation(
  db: Db,
  code: string | null,
  input: LocationInput,
  actor: Actor,
  at: Date,
): Promise<StaffLocation> {
  const l = parseLocation(code ? { ...input, code } : input);
  return inTx(db, async (tx) => {
    if (code === null) {
      const [taken] = await tx`select 1 from inv_locations where code = ${l.code}`;
      if (taken) throw new StockError("codeTaken", {}, "code", 409);
      await tx`
        insert into inv_locations (code, name_en, name_bn, kind, temp_class, device_id,
          vat_registered, bin, address, sellable, active,
          sort_order)
        values (${l.code}, ${l.nameEn}, ${l.nameBn}, ${l.kind}, ${l.tempClass}, ${l.deviceId},
          ${l.vatRegistered}, ${l.bin}, ${l.address}, ${l.sellable}, ${l.active},
          (select coalesce(max(sort_order), 0) + 10 from inv_locations))`;
    } else {
      const [r] = await tx`
        update inv_locations set name_en = ${l.nameEn}, name_bn = ${l.nameBn}, kind = ${l.kind},
          temp_class = ${l.tempClass}, device_id = ${l.deviceId},
          vat_registered = ${l.vatRegistered}, bin = ${l.bin}, address = ${l.address},
          sellable = ${l.sellable}, active = ${l.active}
        where code = ${l.code} returning id`;
      if (!r) throw new StockError("unknownLocation", { location: code }, "form", 404);
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: code === null ? "inventory.location_created" : "inventory.location_updated",
      entity: "inv_location",
      entityId: l.code,
      data: l,
      at,
    });
    return (await locationByCode(tx, l.code))!;
  });
}

/** A list page's limit and offset, clamped (at most 200 rows). */
export function pageOf(q: { limit?: number; offset?: number }): { limit: number; offset: number } {
  return {
    limit: Math.min(Math.max(q.limit ?? 50, 1), 200),
    offset: Math.max(q.offset ?? 0, 0),
  };
}

/** The lot-and-item columns of a row (`lot_id, lot_code, item_code, name_en, name_bn, base`). */
export function lotItemOf(r: Row): LotItem {
  return {
    lotId: Number(r.lot_id),
    lotCode: r.lot_code,
    itemCode: r.item_code,
    itemNameEn: r.name_en,
    itemNameBn: r.name_bn,
    base: r.base,
  };
}

/** A page of a list: the page's rows (each through `row`) and the count of all (`n`). */
export async function pageRows<T>(
  rows: PromiseLike<readonly Row[]>,
  count: PromiseLike<readonly Row[]>,
  row: (r: Row) => T,
): Promise<{ rows: T[]; total: number }> {
  const [page, [c]] = await Promise.all([rows, count]);
  return { rows: page.map(row), total: Number(c.n) };
}

/**
 * Audits a step of a warehouse document: `step` is `count_<what>` (entity `inv_count`) or
 * `transfer_<what>` (entity `inv_transfer`); the action is `inventory.<step>`.
 */
export function auditStep(
  tx: Parameters<typeof appendAudit>[0],
  step: `${"count" | "transfer"}_${string}`,
  id: number | string,
  actor: Actor,
  at: Date,
  data?: object,
) {
  return appendAudit(tx, {
    actorId: actor.id,
    action: `inventory.${step}`,
    entity: `inv_${step.slice(0, step.indexOf("_"))}`,
    entityId: id,
    data,
    at,
  });
}

/**
 * Locks a warehouse document (a transfer or a count) and checks its status is one of `expect`:
 * StockError 404 when there is none, `stateCode` (409) when it is in another state.
 */
export async function lockDocument(
  tx: Db,
  table: "inv_transfers" | "inv_counts",
  id: number,
  expect: readonly string[],
  stateCode: string,
): Promise<Record<string, any>> {
  const rows = Number.isSafeInteger(id) && id > 0
    ? await (table === "inv_transfers"
      ? tx`select * from inv_transfers where id = ${id} for update`
      : tx`select * from inv_counts where id = ${id} for update`)
    : [];
  if (!rows[0]) throw new StockError("notFound", {}, "form", 404);
  if (!expect.includes(rows[0].status)) {
    throw new StockError(stateCode, { status: rows[0].status }, "form", 409);
  }
  return rows[0];
}
