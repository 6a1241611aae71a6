/**
 * Feed and medicine from stock (issue 12 §8). A medicine or feed item linked to an inventory item
 * (`stock_item_code`) is drawn from the lots purchasing received at the farm's locations
 * (`farm_settings.stock_locations`) through inventory's port, in the farm's transaction:
 * - a treatment names its lot (or the earliest-expiring lot that holds the dose is proposed) and
 *   draws the dose; medicines stocked in packs (a 100 ml bottle) open a pack and use what is left
 *   in it first (`farm_open_packs`);
 * - a feeding draws its kilograms FEFO; a corrected feeding draws only the difference (less:
 *   the surplus is listed to put back);
 * - entered on a page, a draw that stock cannot meet (short, held, expired, wrong lot) refuses
 *   the whole entry (FarmRuleError, 409); synced from an offline phone, the entry is kept (it
 *   happened) and the shortfall is listed for the manager (`farm_stock_draws` status "short")
 *   with a `stock_shortfall` alert.
 * Medicines and feeds without a link are recorded as before, without stock.
 */
import { z } from "@/services/platform/schema.ts";
import { NotFoundError, parseInput } from "@/services/platform/errors.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { camelRow } from "@/services/platform/rows.ts";
import { type Actor, assertFarmCan } from "./actor.ts";
import { auditFarm } from "./audit.ts";
import { FarmRuleError } from "./errors.ts";
import type { FarmInventory, FreeLot } from "./inventory_port.ts";

/** What a recording that may draw stock is given (sync sets `lenientStock`). */
export interface StockOpts {
  stock?: FarmInventory;
  /** An offline entry synced late: keep it and flag what stock could not give. */
  lenientStock?: boolean;
}

const ITEM_CODE = /^[A-Z0-9][A-Z0-9-]{1,59}$/;

export async function farmStockLocations(db: Db): Promise<string[]> {
  const [s] = await db`select stock_locations from farm_settings`;
  return s?.stock_locations ?? ["FARM-STORE"];
}

function invActor(actor: Actor) {
  return { id: actor.userId, name: "Farm" };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

interface Failure {
  code: "stock_short" | "no_stock" | "lot_held" | "lot_expired" | "lot_wrong";
  message: string;
  params: Record<string, string | number>;
}

/** Inventory's refusal (a race between the list and the draw) as the farm's words. */
function fromInventory(
  r: { code: string; params: Record<string, unknown>; message: string },
  lotCode: string,
): Failure {
  if (r.code === "not_released") {
    return {
      code: "lot_held",
      message: `Lot ${lotCode} is not released`,
      params: { lot: lotCode, status: String(r.params.status ?? "hold") },
    };
  }
  if (r.code === "expired") {
    return {
      code: "lot_expired",
      message: `Lot ${lotCode} has expired`,
      params: { lot: lotCode, date: String(r.params.expiresOn ?? "") },
    };
  }
  return {
    code: "stock_short",
    message: `Lot ${lotCode} has not enough left`,
    params: { lot: lotCode, available: Number(r.params.available ?? 0), wanted: "", unit: "" },
  };
}

async function raiseShortfall(
  tx: Db,
  drawId: string,
  animalId: number | null,
  data: Record<string, string | number | null>,
): Promise<void> {
  await tx`
    insert into farm_alerts (kind, severity, animal_id, ref, message, data)
    values ('stock_shortfall', 'warning', ${animalId}, ${`draw:${drawId}`},
      ${`${data.what}: ${data.qty} ${data.unit} of ${data.item} could not be drawn from stock (${data.why}). Reconcile the farm store.`},
      ${tx.json(data as never)})
    on conflict (kind, ref) do nothing`;
}

async function insertDraw(
  tx: Db,
  d: {
    source: "treatment" | "feeding";
    sourceId: string | number;
    itemCode: string;
    lotId: number | null;
    lotCode: string | null;
    qty: number;
    status: "drawn" | "short" | "surplus";
    reason?: string | null;
    at: Date;
  },
): Promise<string> {
  const [r] = await tx`
    insert into farm_stock_draws (source, source_id, item_code, lot_id, lot_code, qty, status,
      reason, at)
    values (${d.source}, ${d.sourceId}, ${d.itemCode}, ${d.lotId}, ${d.lotCode}, ${d.qty},
      ${d.status}, ${d.reason ?? null}, ${d.at})
    returning id::text`;
  return r.id;
}

/** Why the lot named cannot give the dose. */
async function whyNot(
  tx: Db,
  stock: FarmInventory,
  lotId: number,
  itemCode: string,
  item: string,
  locs: string[],
  on: string,
): Promise<Failure> {
  const l = await stock.lot(tx, lotId, locs);
  if (!l || l.itemCode !== itemCode) {
    return {
      code: "lot_wrong",
      message: `This lot is not ${item} in the farm store`,
      params: { lot: l?.lotCode ?? String(lotId), item },
    };
  }
  if (l.status !== "released") {
    return {
      code: "lot_held",
      message: `Lot ${l.lotCode} is ${l.status}`,
      params: { lot: l.lotCode, status: l.status },
    };
  }
  if (l.expiresOn !== null && l.expiresOn < on) {
    return {
      code: "lot_expired",
      message: `Lot ${l.lotCode} expired on ${l.expiresOn}`,
      params: { lot: l.lotCode, date: l.expiresOn },
    };
  }
  return {
    code: "stock_short",
    message: `Lot ${l.lotCode} has nothing left at the farm`,
    params: { lot: l.lotCode, available: 0, wanted: "", unit: "" },
  };
}

/**
 * Draws a treatment's dose from the medicine's stock (when it is linked). Returns the lot used
 * (or named, when the shortfall is flagged), null when the medicine is not linked.
 */
export async function drawForTreatment(
  tx: Db,
  opts: StockOpts,
  t: {
    treatmentId: string;
    animalId: number;
    medicineId: number;
    dose: number;
    lotId: number | null;
    on: string;
    at: Date;
    actor: Actor;
  },
): Promise<{ lotId: number | null; lotCode: string | null } | null> {
  // The medicine's row locked: doses of one medicine queue here, so two phones syncing at once
  // cannot both open a bottle for the same open pack.
  const [med] = await tx`
    select id, name, unit, stock_item_code, units_per_stock from medicines
    where id = ${t.medicineId} for update`;
  const stock = opts.stock;
  if (!stock || !med?.stock_item_code) return null;
  const code: string = med.stock_item_code;
  const ups = Number(med.units_per_stock);
  const locs = await farmStockLocations(tx);
  const lots = await stock.freeLots(tx, { itemCodes: [code], locationCodes: locs, on: t.on });
  const ids = lots.map((l) => l.lotId);
  const opens = ids.length === 0 ? [] : await tx`
    select lot_id, units_left from farm_open_packs where lot_id = any(${ids}::bigint[])
    order by lot_id for update`;
  const openOf = (id: number) =>
    Number(opens.find((o) => Number(o.lot_id) === id)?.units_left ?? 0);
  const unitsOf = (l: FreeLot) => round2(openOf(l.lotId) + l.available * ups);
  let failure: Failure | null = null;
  let pick: FreeLot | undefined;
  if (t.lotId !== null) {
    pick = lots.find((l) => l.lotId === t.lotId);
    if (!pick) failure = await whyNot(tx, stock, t.lotId, code, med.name, locs, t.on);
  } else {
    // The earliest expiry that holds the whole dose.
    pick = lots.find((l) => unitsOf(l) >= t.dose);
    if (!pick) {
      failure = lots.length === 0
        ? {
          code: "no_stock",
          message: `There is no ${med.name} in the farm store`,
          params: { item: med.name },
        }
        : {
          code: "stock_short",
          message: `Lot ${lots[0].lotCode} has only ${unitsOf(lots[0])} ${med.unit}`,
          params: {
            lot: lots[0].lotCode,
            available: unitsOf(lots[0]),
            wanted: t.dose,
            unit: med.unit,
          },
        };
    }
  }
  if (pick && !failure && unitsOf(pick) < t.dose) {
    failure = {
      code: "stock_short",
      message: `Lot ${pick.lotCode} has only ${unitsOf(pick)} ${med.unit}`,
      params: { lot: pick.lotCode, available: unitsOf(pick), wanted: t.dose, unit: med.unit },
    };
  }
  if (pick && !failure) {
    const left = openOf(pick.lotId);
    const packs = left >= t.dose ? 0 : Math.ceil((t.dose - left) / ups - 1e-9);
    if (packs > 0) {
      const r = await stock.consume(tx, {
        lotId: pick.lotId,
        qty: packs,
        on: t.on,
        locationCodes: locs,
        refId: `treatment:${t.treatmentId}`,
        actor: invActor(t.actor),
        note: `${med.name} ${t.dose} ${med.unit}`,
      });
      if (!r.ok) failure = fromInventory(r, pick.lotCode);
    }
    if (!failure) {
      const rest = round2(left + packs * ups - t.dose);
      if (rest > 0) {
        await tx`
          insert into farm_open_packs (lot_id, medicine_id, units_left)
          values (${pick.lotId}, ${med.id}, ${rest})
          on conflict (lot_id) do update set units_left = excluded.units_left`;
      } else await tx`delete from farm_open_packs where lot_id = ${pick.lotId}`;
      if (packs > 0) {
        await insertDraw(tx, {
          source: "treatment",
          sourceId: t.treatmentId,
          itemCode: code,
          lotId: pick.lotId,
          lotCode: pick.lotCode,
          qty: packs,
          status: "drawn",
          at: t.at,
        });
      }
      return { lotId: pick.lotId, lotCode: pick.lotCode };
    }
  }
  const f = failure!;
  if (!opts.lenientStock) throw new FarmRuleError(f.code, f.message, f.params, "lotId");
  const lotCode = typeof f.params.lot === "string" ? f.params.lot : null;
  const packs = Math.max(1, Math.ceil(t.dose / ups - 1e-9));
  const drawId = await insertDraw(tx, {
    source: "treatment",
    sourceId: t.treatmentId,
    itemCode: code,
    lotId: t.lotId,
    lotCode,
    qty: packs,
    status: "short",
    reason: f.message,
    at: t.at,
  });
  await raiseShortfall(tx, drawId, t.animalId, {
    what: "treatment",
    item: med.name,
    qty: t.dose,
    unit: med.unit,
    lot: lotCode,
    why: f.code,
    drawId,
  });
  return { lotId: t.lotId, lotCode };
}

/**
 * Draws a feeding's kilograms (grams in stock) FEFO from the feed's lots, or the difference when
 * the feeding was recorded before; a feeding corrected down lists the surplus to put back.
 */
export async function drawForFeeding(
  tx: Db,
  opts: StockOpts,
  f: {
    feedingId: string;
    feedItemId: number;
    quantityKg: number;
    on: string;
    at: Date;
    actor: Actor;
  },
): Promise<void> {
  const [fi] =
    await tx`select id, name, stock_item_code from feed_items where id = ${f.feedItemId}`;
  const stock = opts.stock;
  if (!stock || !fi?.stock_item_code) return;
  const code: string = fi.stock_item_code;
  const grams = Math.round(f.quantityKg * 1000);
  const [acc] = await tx`
    select coalesce(sum(case when status = 'surplus' then -qty else qty end), 0)::int as g
    from farm_stock_draws where source = 'feeding' and source_id = ${f.feedingId}`;
  const delta = grams - acc.g;
  const base = {
    source: "feeding" as const,
    sourceId: f.feedingId,
    itemCode: code,
    at: f.at,
  };
  if (delta === 0) return;
  if (delta < 0) {
    await insertDraw(tx, {
      ...base,
      lotId: null,
      lotCode: null,
      qty: -delta,
      status: "surplus",
      reason: "feeding corrected down",
    });
    return;
  }
  const locs = await farmStockLocations(tx);
  const lots = await stock.freeLots(tx, { itemCodes: [code], locationCodes: locs, on: f.on });
  const total = lots.reduce((s, l) => s + l.available, 0);
  const kg = (g: number) => Math.round(g / 100) / 10;
  const shortMsg = (have: number): Failure => ({
    code: lots.length === 0 ? "no_stock" : "stock_short",
    message: `Only ${kg(have)} kg of ${fi.name} in the farm store`,
    params: lots.length === 0
      ? { item: fi.name }
      : { lot: fi.name, available: kg(have), wanted: kg(delta), unit: "kg" },
  });
  if (total < delta && !opts.lenientStock) {
    const s = shortMsg(total);
    throw new FarmRuleError(s.code, s.message, s.params, "quantityKg");
  }
  let left = delta;
  for (const l of lots) {
    if (left === 0) break;
    const take = Math.min(left, l.available);
    const r = await stock.consume(tx, {
      lotId: l.lotId,
      qty: take,
      on: f.on,
      locationCodes: locs,
      refId: `feeding:${f.feedingId}`,
      actor: invActor(f.actor),
    });
    if (!r.ok) {
      if (!opts.lenientStock) {
        const x = fromInventory(r, l.lotCode);
        throw new FarmRuleError(x.code, x.message, x.params, "quantityKg");
      }
      continue;
    }
    await insertDraw(tx, {
      ...base,
      lotId: l.lotId,
      lotCode: l.lotCode,
      qty: take,
      status: "drawn",
    });
    left -= take;
  }
  if (left > 0) {
    const s = shortMsg(delta - left);
    const drawId = await insertDraw(tx, {
      ...base,
      lotId: null,
      lotCode: null,
      qty: left,
      status: "short",
      reason: s.message,
    });
    await raiseShortfall(tx, drawId, null, {
      what: "feeding",
      item: fi.name,
      qty: kg(left),
      unit: "kg",
      lot: null,
      why: s.code,
      drawId,
    });
  }
}

// ---- what the pages show ------------------------------------------------------------------

export interface StockLot {
  lotId: number;
  lotCode: string;
  expiresOn: string | null;
  /** In the medicine's units (open pack included) or kg for feed. */
  units: number;
}

export interface StockOnHand {
  itemCode: string;
  /** Total at the farm's locations, in the medicine's units or kg. */
  units: number;
  lots: StockLot[];
}

/**
 * Stock at the farm's locations of farm records linked to inventory items (id → on hand): each
 * free lot turned into the record's units by `units`, the total rounded by `round`.
 */
async function linkedStock<R extends { id: number; stock_item_code: string }>(
  db: Db,
  stock: FarmInventory,
  on: string,
  records: readonly R[],
  units: (lot: FreeLot, record: R) => number,
  round: (total: number) => number,
): Promise<Map<number, StockOnHand>> {
  const out = new Map<number, StockOnHand>();
  if (records.length === 0) return out;
  const lots = await stock.freeLots(db, {
    itemCodes: [...new Set(records.map((r) => r.stock_item_code))],
    locationCodes: await farmStockLocations(db),
    on,
  });
  for (const r of records) {
    const mine = lots.filter((l) => l.itemCode === r.stock_item_code).map((l) => ({
      lotId: l.lotId,
      lotCode: l.lotCode,
      expiresOn: l.expiresOn,
      units: units(l, r),
    }));
    out.set(r.id, {
      itemCode: r.stock_item_code,
      units: round(mine.reduce((s, l) => s + l.units, 0)),
      lots: mine,
    });
  }
  return out;
}

/** Stock per linked medicine (id → on hand in its units, open packs counted, earliest expiry first). */
export async function medicineStock(
  db: Db,
  stock: FarmInventory | undefined,
  on: string,
): Promise<Map<number, StockOnHand>> {
  if (!stock) return new Map();
  const meds = await db<{ id: number; stock_item_code: string; units_per_stock: string }[]>`
    select id, stock_item_code, units_per_stock from medicines
    where active and stock_item_code is not null`;
  const opens = meds.length === 0 ? [] : await db`
    select p.lot_id, p.units_left from farm_open_packs p`;
  const openUnits = (lotId: number) =>
    Number(opens.find((o) => Number(o.lot_id) === lotId)?.units_left ?? 0);
  return await linkedStock(
    db,
    stock,
    on,
    meds,
    (l, m) => round2(l.available * Number(m.units_per_stock) + openUnits(l.lotId)),
    round2,
  );
}

/** Stock per linked feed item (id → kg at the farm's locations). */
export async function feedStock(
  db: Db,
  stock: FarmInventory | undefined,
  on: string,
): Promise<Map<number, StockOnHand>> {
  if (!stock) return new Map();
  const feeds = await db<{ id: number; stock_item_code: string }[]>`
    select id, stock_item_code from feed_items where active and stock_item_code is not null`;
  return await linkedStock(
    db,
    stock,
    on,
    feeds,
    (l) => l.available / 1000,
    (kg) => Math.round(kg * 10) / 10,
  );
}

export interface StockDrawRow {
  id: string;
  source: "treatment" | "feeding";
  sourceId: string;
  itemCode: string;
  lotCode: string | null;
  /** Stock units (packs, grams). */
  qty: number;
  status: "short" | "surplus";
  reason: string | null;
  at: Date;
}

/** The manager's "stock to reconcile": shortfalls of late offline entries, surpluses. */
export async function stockToReconcile(db: Db, limit = 50): Promise<StockDrawRow[]> {
  const rows = await db`
    select id::text, source, source_id::text, item_code, lot_code, qty, status, reason, at
    from farm_stock_draws where status <> 'drawn' and resolved_at is null
    order by at desc, id desc limit ${limit}`;
  return rows.map((r) => camelRow<StockDrawRow>(r));
}

/** The store was put right: the line (and its alert) leave the list. */
export async function resolveStockDraw(db: Db, id: string, actor: Actor): Promise<void> {
  assertFarmCan(actor, "farm.manage");
  if (!/^\d{1,18}$/.test(id ?? "")) throw new NotFoundError("Nothing to reconcile");
  await inTx(db, async (tx) => {
    const rows = await tx`
      update farm_stock_draws set resolved_at = now(), resolved_by = ${actor.userId}
      where id = ${id} and status <> 'drawn' and resolved_at is null returning item_code, qty`;
    if (!rows.length) throw new NotFoundError("Nothing to reconcile");
    await tx`
      update farm_alerts set resolved_at = now(), resolved_by = ${actor.userId}
      where kind = 'stock_shortfall' and ref = ${`draw:${id}`} and resolved_at is null`;
    await auditFarm(tx, actor.userId, "farm.stock.reconcile", "farm_stock_draw", id, rows[0]);
  });
}

// ---- links to stock items (manage screens) ------------------------------------------------

/** Forms without the stock fields (the feed page's quick price form) leave the link alone. */
function hasLink(input: unknown): boolean {
  return typeof input === "object" && input !== null && "stockItemCode" in input;
}

const emptyToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

export const medicineLinkSchema = z.object({
  stockItemCode: z.preprocess(
    emptyToNull,
    z.string().trim().regex(ITEM_CODE, "Choose a stock item").nullish(),
  ),
  unitsPerStock: z.preprocess(
    emptyToNull,
    z.coerce.number({ error: "Enter a number" }).positive("Must be more than 0").max(100_000)
      .nullish(),
  ),
});

export const feedLinkSchema = z.object({
  stockItemCode: medicineLinkSchema.shape.stockItemCode,
});

/** Links a medicine to a stock item of kind medicine (unit and stock unit must agree). */
export async function linkMedicine(
  tx: Db,
  stock: FarmInventory | undefined,
  medicineId: number,
  input: unknown,
): Promise<void> {
  if (!hasLink(input)) return;
  const l = parseInput(medicineLinkSchema, input);
  const [med] = await tx`select unit from medicines where id = ${medicineId}`;
  if (!med) throw new NotFoundError("No such medicine");
  let ups = l.unitsPerStock ?? 1;
  if (l.stockItemCode) {
    const item = stock ? await stock.item(tx, l.stockItemCode) : null;
    if (!item || item.kind !== "medicine") {
      throw new FarmRuleError("stock_link", "Choose a stock item of kind medicine", {
        item: l.stockItemCode,
      }, "stockItemCode");
    }
    if (item.base !== "pc") {
      if (item.base !== med.unit) {
        throw new FarmRuleError("stock_unit", "The stock item is counted in another unit", {
          unit: med.unit,
          base: item.base,
        }, "stockItemCode");
      }
      ups = 1;
    }
  }
  await tx`
    update medicines set stock_item_code = ${l.stockItemCode ?? null}, units_per_stock = ${ups}
    where id = ${medicineId}`;
}

/** Links a feed item to a stock item of kind feed counted in grams. */
export async function linkFeedItem(
  tx: Db,
  stock: FarmInventory | undefined,
  feedItemId: number,
  input: unknown,
): Promise<void> {
  if (!hasLink(input)) return;
  const l = parseInput(feedLinkSchema, input);
  if (l.stockItemCode) {
    const item = stock ? await stock.item(tx, l.stockItemCode) : null;
    if (!item || item.kind !== "feed") {
      throw new FarmRuleError("stock_link", "Choose a stock item of kind feed", {
        item: l.stockItemCode,
      }, "stockItemCode");
    }
    if (item.base !== "g") {
      throw new FarmRuleError("stock_unit", "The stock item is counted in another unit", {
        unit: "kg",
        base: item.base,
      }, "stockItemCode");
    }
  }
  await tx`update feed_items set stock_item_code = ${l.stockItemCode ?? null}
    where id = ${feedItemId}`;
}
