/**
 * Production orders: planned output → the inputs the bill of materials in force asks for; start
 * consumes lots (picked FEFO by inventory, or chosen by hand) in one transaction; finish receives
 * the product lot (quarantine until quality releases it; expiry from the item's shelf life) and the
 * by-product lots, links every consumed lot to every output lot for lineage, and records the
 * actual against the expected yield — an order losing more than the BoM's tolerance is flagged.
 */
import { appendAudit } from "@/services/audit/mod.ts";
import type { Db, Sql, Tx } from "@/services/platform/tx.ts";
import { inTx } from "@/services/platform/tx.ts";
import { NotFoundError, parseInput, ValidationError } from "@/services/platform/errors.ts";
import { bigId, int, INT4_MAX, isoDate, text, z } from "@/services/platform/schema.ts";
import { camelRow } from "@/services/platform/rows.ts";
import { type Bom, bomInForce, getBom, type InputRole } from "./boms.ts";
import { ProductionError } from "./errors.ts";
import type {
  InvActor,
  ItemKind,
  ProductionInventory,
  ProductionLedger,
  ProductionRef,
} from "./inventory_port.ts";

export type OrderStatus = "planned" | "started" | "finished" | "cancelled";

/** Where production takes its inputs from (FEFO) and puts its output, unless told. */
export const PLANT_LOCATIONS = ["PLANT-SILO", "PLANT-COLD1", "PLANT-COLD2", "PLANT-DRY"];
export const DEFAULT_OUTPUT_LOCATION = "PLANT-COLD1";
/** Where finished and by-product lots may be put. */
export const OUTPUT_LOCATIONS = ["PLANT-COLD1", "PLANT-COLD2", "PLANT-DRY"] as const;

export interface OrderRow {
  id: number;
  number: string;
  bomId: number;
  outputItemCode: string;
  plannedQty: number;
  plannedOn: string;
  status: OrderStatus;
  outputLocation: string;
  note: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  producedOn: string | null;
  actualQty: number | null;
  expectedQty: number | null;
  lossBp: number | null;
  flagged: boolean;
}

export interface OrderInputLine {
  lineNo: number;
  itemCode: string;
  role: InputRole;
  requiredQty: number;
}
export interface Consumption {
  lineNo: number;
  itemCode: string;
  lotId: number;
  lotCode: string;
  qty: number;
  picked: "fefo" | "hand";
  attrs: Record<string, unknown> | null;
}
export interface Output {
  kind: "product" | "byproduct";
  itemCode: string;
  lotId: number;
  lotCode: string;
  qty: number;
  expiresOn: string | null;
}

const ORDER_COLUMNS =
  `id, number, bom_id, output_item_code, planned_qty, planned_on::text as planned_on,
  status, output_location, note, created_at, started_at, finished_at, produced_on::text as produced_on,
  actual_qty, expected_qty, loss_bp, flagged`;

const ref = (number: string): ProductionRef => ({ kind: "production", id: number });
const scaled = (qty: number, by: number, per: number) => Math.ceil(qty * by / per);
/** The largest quantity of one line (fits the int4 columns of inventory and production). */
const MAX_QTY = 1_000_000_000;

// ---- yield arithmetic ----------------------------------------------------------------------

/**
 * What the bill of materials expects of `mainConsumed` (of its main input): the output with the
 * normal loss, and the loss seen when `actual` came out (basis points; negative = a gain).
 */
export function yieldOf(
  bom: Pick<Bom, "outputQty" | "lossBp" | "inputs">,
  mainConsumed: number,
  actual: number,
) {
  const main = bom.inputs.find((i) => i.role === "main");
  const expected = main ? mainConsumed * bom.outputQty / main.qty : 0;
  // the output with no loss at all, of which the BoM's loss is the expected part
  const lossless = expected / (1 - bom.lossBp / 10_000);
  const lossBp = lossless > 0 ? Math.round((1 - actual / lossless) * 10_000) : 10_000;
  // (kept in int4 columns: absurd figures are capped, never an overflow)
  const cap = (n: number) => Math.max(-INT4_MAX, Math.min(INT4_MAX, n));
  return { expectedQty: cap(Math.round(expected)), lossBp: cap(lossBp) };
}

// ---- queries -------------------------------------------------------------------------------

export async function listOrders(
  db: Db,
  filter: { status?: OrderStatus | ""; q?: string; limit?: number } = {},
): Promise<OrderRow[]> {
  const status = filter.status ?? "";
  const q = filter.q ?? "";
  const rows = await db.unsafe(
    `select ${ORDER_COLUMNS} from prod_orders
     where ($1 = '' or status = $1) and ($2 = '' or number ilike $3 or output_item_code ilike $3)
     order by planned_on desc, id desc limit $4`,
    [status, q, `%${q}%`, Math.min(filter.limit ?? 200, 500)],
  );
  return (rows as Record<string, unknown>[]).map((r) => camelRow<OrderRow>(r));
}

export interface OrderDetail {
  order: OrderRow;
  bom: Bom;
  inputs: (OrderInputLine & {
    consumed: number;
    /** What the BoM asks for the actual output (after finish), else for the plan. */
    expectedForOutput: number;
  })[];
  consumptions: Consumption[];
  outputs: Output[];
  /** Yield figures (after finish). */
  yield: {
    expectedQty: number;
    actualQty: number;
    yieldBp: number;
    lossBp: number;
    bomLossBp: number;
    toleranceBp: number;
    flagged: boolean;
  } | null;
}

async function orderRow(db: Db, id: number, lock = false): Promise<OrderRow> {
  const rows = await db.unsafe(
    `select ${ORDER_COLUMNS} from prod_orders where id = $1 ${lock ? "for update" : ""}`,
    [id],
  );
  const row = (rows as Record<string, unknown>[])[0];
  if (!row) throw new NotFoundError("No such production order");
  return camelRow<OrderRow>(row);
}

/** Who changes an order, when, and through which inventory (the door builds it per call). */
export interface OrderChange {
  db: Db;
  inventory: ProductionInventory;
  actor: InvActor;
  at: Date;
  /** The books: work in progress at start, goods at cost and the yield variance at finish. */
  ledger?: ProductionLedger;
}

/** The item kinds of the codes (the books' inventory accounts go by kind). */
async function kindsOf(tx: Tx, inventory: ProductionInventory, codes: string[]) {
  const out = new Map<string, ItemKind>();
  for (const code of new Set(codes)) {
    const item = await inventory.item(tx, code);
    if (item) out.set(code, item.kind);
  }
  return out;
}

/** The order, locked for the change, refused unless it is in the status the change needs. */
async function lockedOrder(tx: Tx, id: number, want: "planned" | "started"): Promise<OrderRow> {
  const order = await orderRow(tx, id, true);
  if (order.status !== want) {
    throw new ProductionError(
      want === "planned" ? "not_planned" : "not_started",
      `Order ${order.number} is ${order.status}`,
      { number: order.number, status: order.status },
    );
  }
  return order;
}

/** Audits a change of an order, in its transaction. */
function auditOrder(
  tx: Tx,
  actor: InvActor,
  action: string,
  id: number,
  data: Record<string, unknown>,
  at?: Date,
) {
  return appendAudit(tx, {
    actorId: actor.id,
    action: `production.order_${action}`,
    entity: "prod_order",
    entityId: id,
    data,
    at,
  });
}

export async function getOrder(db: Db, id: number): Promise<OrderDetail> {
  const order = await orderRow(db, id);
  const bom = await getBom(db, order.bomId);
  const lines = (await db<Record<string, unknown>[]>`
    select line_no, item_code, role, required_qty from prod_order_inputs
    where order_id = ${id} order by line_no`).map((r) => camelRow<OrderInputLine>(r));
  const consumptions = (await db<Record<string, unknown>[]>`
    select line_no, item_code, lot_id::int as lot_id, lot_code, qty, picked, attrs
    from prod_consumptions where order_id = ${id} order by line_no, id`)
    .map((r) => camelRow<Consumption>(r));
  const outputs = (await db<Record<string, unknown>[]>`
    select kind, item_code, lot_id::int as lot_id, lot_code, qty, expires_on::text as expires_on
    from prod_outputs where order_id = ${id} order by kind desc, id`)
    .map((r) => camelRow<Output>(r));
  const basis = order.status === "finished" ? order.actualQty ?? 0 : order.plannedQty;
  const inputs = lines.map((l) => {
    const bomLine = bom.inputs.find((i) => i.lineNo === l.lineNo);
    return {
      ...l,
      consumed: consumptions.filter((c) => c.lineNo === l.lineNo).reduce((s, c) => s + c.qty, 0),
      expectedForOutput: bomLine ? scaled(bomLine.qty, basis, bom.outputQty) : 0,
    };
  });
  const y = order.status === "finished" && order.expectedQty !== null
    ? {
      expectedQty: order.expectedQty,
      actualQty: order.actualQty ?? 0,
      yieldBp: order.expectedQty > 0
        ? Math.round((order.actualQty ?? 0) * 10_000 / order.expectedQty)
        : 0,
      lossBp: order.lossBp ?? 0,
      bomLossBp: bom.lossBp,
      toleranceBp: bom.toleranceBp,
      flagged: order.flagged,
    }
    : null;
  return { order, bom, inputs, consumptions, outputs, yield: y };
}

// ---- create --------------------------------------------------------------------------------

const createSchema = z.object({
  outputItemCode: z.string().trim().toUpperCase().regex(
    /^[A-Z0-9][A-Z0-9-]{1,59}$/,
    "Choose a product",
  ),
  plannedQty: int(1, 1_000_000_000, "Enter a whole quantity above zero"),
  plannedOn: isoDate(),
  outputLocation: z.enum(OUTPUT_LOCATIONS, { error: "Choose a location" }).optional()
    .or(z.literal("")).transform((v) => v || DEFAULT_OUTPUT_LOCATION),

  note: text(1000, { multiline: true }).optional().transform((v) => v || null),
});

/** Plans an order: the BoM in force on the planned day, and the inputs it needs. */
export async function createOrder(db: Db, form: unknown, actor: InvActor): Promise<OrderRow> {
  const f = parseInput(createSchema, form);
  const id = await inTx(db, async (tx) => {
    const bom = await bomInForce(tx, f.outputItemCode, f.plannedOn);
    if (!bom) {
      throw new ProductionError(
        "no_bom",
        `No bill of materials for ${f.outputItemCode} is in force on ${f.plannedOn}`,
        { item: f.outputItemCode, date: f.plannedOn },
        "outputItemCode",
      );
    }
    const required = bom.inputs.map((i) => scaled(i.qty, f.plannedQty, bom.outputQty));
    if (required.some((q) => q > MAX_QTY)) {
      throw new ValidationError({ plannedQty: "The quantity is too large" });
    }
    const [{ id }] = await tx<{ id: number }[]>`
      select nextval(pg_get_serial_sequence('prod_orders', 'id'))::int as id`;
    const number = `MO-${String(id).padStart(5, "0")}`;
    await tx`insert into prod_orders (id, number, bom_id, output_item_code, planned_qty, planned_on,
        output_location, note, created_by)
      values (${id}, ${number}, ${bom.id}, ${bom.outputItemCode}, ${f.plannedQty},
        ${f.plannedOn}::date, ${f.outputLocation}, ${f.note}, ${actor.id})`;
    for (const [n, i] of bom.inputs.entries()) {
      await tx`insert into prod_order_inputs (order_id, line_no, item_code, role, required_qty)
        values (${id}, ${i.lineNo}, ${i.itemCode}, ${i.role}, ${required[n]})`;
    }
    await auditOrder(tx, actor, "planned", id, {
      number,
      item: bom.outputItemCode,
      qty: f.plannedQty,
      bom: bom.id,
    });
    return id;
  });
  return await orderRow(db, id);
}

// ---- start ---------------------------------------------------------------------------------

export interface PickLine {
  lineNo: number;
  lotId: number;
  lotCode: string;
  qty: number;
  expiresOn: string | null;
  attrs: Record<string, unknown> | null;
}

export type PickPlan =
  | { ok: true; picks: PickLine[] }
  | { ok: false; short: { lineNo: number; itemCode: string; wanted: number; available: number }[] };

/** A FEFO choice of lots for the order's inputs, with inventory's locks held by `tx`. */
async function fefoPicks(
  tx: Tx,
  inventory: ProductionInventory,
  order: OrderRow,
  lines: OrderInputLine[],
  on: string,
): Promise<PickPlan> {
  const r = await inventory.reserve(tx, {
    ref: ref(order.number),
    lines: lines.map((l) => ({ itemCode: l.itemCode, qty: l.requiredQty, minShelfDays: 0 })),
    on,
    locationCodes: PLANT_LOCATIONS,
  });
  if (!r.ok) {
    return {
      ok: false,
      short: r.short.map((s) => ({
        lineNo: lines[s.lineIndex].lineNo,
        itemCode: lines[s.lineIndex].itemCode,
        wanted: s.wanted,
        available: s.available,
      })),
    };
  }
  // Production takes the lots now: no reservation stays open.
  await inventory.releaseReservation(tx, ref(order.number));
  const picks: PickLine[] = [];
  for (const p of r.picks) {
    const lot = await inventory.lot(tx, p.lotId);
    picks.push({
      lineNo: lines[p.lineIndex].lineNo,
      lotId: p.lotId,
      lotCode: p.lotCode,
      qty: p.qty,
      expiresOn: p.expiresOn,
      attrs: lot?.attrs ?? null,
    });
  }
  return { ok: true, picks };
}

async function inputLines(db: Db, orderId: number): Promise<OrderInputLine[]> {
  return (await db<Record<string, unknown>[]>`
    select line_no, item_code, role, required_qty from prod_order_inputs
    where order_id = ${orderId} order by line_no`).map((r) => camelRow<OrderInputLine>(r));
}

class Preview extends Error {
  constructor(readonly plan: PickPlan) {
    super("preview");
  }
}

/** The lots FEFO would take for the order on `on`, without taking them (shown on the start form). */
export async function previewPicks(
  sql: Sql,
  inventory: ProductionInventory,
  id: number,
  on: string,
): Promise<PickPlan> {
  try {
    // Always rolled back: inventory's reservation only shows which lots FEFO takes.
    await sql.begin(async (tx) => {
      const order = await orderRow(tx, id);
      throw new Preview(await fefoPicks(tx, inventory, order, await inputLines(tx, id), on));
    });
  } catch (e) {
    if (e instanceof Preview) return e.plan;
    throw e;
  }
  throw new Error("unreachable");
}

const startSchema = z.object({
  mode: z.enum(["fefo", "hand"], { error: "Choose how lots are picked" }),
  on: isoDate(),
  picks: z.array(z.object({
    lineNo: int(1, 100, "Choose an input"),
    lotId: bigId("Enter a lot"),
    qty: int(1, 1_000_000_000, "Enter a whole quantity above zero"),
  })).max(200).default([]),
});
export type StartForm = z.input<typeof startSchema>;

/**
 * Starts a planned order: takes its inputs out of stock, all or nothing. FEFO lets inventory pick
 * released, unexpired lots earliest expiry first; by hand, each named lot must be a released lot of
 * the line's item with the stock. Short stock → 409 and nothing is written.
 */
export async function startOrder(c: OrderChange, id: number, form: unknown): Promise<OrderDetail> {
  const { db, inventory, actor, at } = c;
  const f = parseInput(startSchema, form);
  await inTx(db, async (tx) => {
    const order = await lockedOrder(tx, id, "planned");
    const lines = await inputLines(tx, id);
    let picks: (PickLine & { picked: "fefo" | "hand" })[];
    if (f.mode === "fefo") {
      const plan = await fefoPicks(tx, inventory, order, lines, f.on);
      if (!plan.ok) {
        const s = plan.short[0];
        throw new ProductionError(
          "short",
          `Not enough released ${s.itemCode}: ${s.wanted} needed, ${s.available} available`,
          { item: s.itemCode, wanted: s.wanted, available: s.available },
        );
      }
      picks = plan.picks.map((p) => ({ ...p, picked: "fefo" }));
    } else {
      if (f.picks.length === 0) {
        throw new ProductionError("no_picks", "Name the lots to use", {}, "picks");
      }
      picks = [];
      for (const p of f.picks) {
        const line = lines.find((l) => l.lineNo === p.lineNo);
        if (!line) throw new ProductionError("no_picks", "Name the lots to use", {}, "picks");
        const lot = await inventory.lot(tx, p.lotId);
        if (!lot) {
          throw new ProductionError("lot_unknown", `No lot ${p.lotId}`, { lot: p.lotId });
        }
        if (lot.itemCode !== line.itemCode) {
          throw new ProductionError("lot_item", `Lot ${lot.code} is not ${line.itemCode}`, {
            lot: lot.code,
            item: line.itemCode,
          });
        }
        if (lot.status !== "released") {
          throw new ProductionError("lot_status", `Lot ${lot.code} is ${lot.status}`, {
            lot: lot.code,
            status: lot.status,
          });
        }
        picks.push({
          lineNo: line.lineNo,
          lotId: p.lotId,
          lotCode: lot.code,
          qty: p.qty,
          expiresOn: lot.expiresOn,
          attrs: lot.attrs ?? null,
          picked: "hand",
        });
      }
      for (const l of lines) {
        if (!picks.some((p) => p.lineNo === l.lineNo)) {
          throw new ProductionError("no_picks", `Name a lot of ${l.itemCode}`, {
            item: l.itemCode,
          }, "picks");
        }
      }
    }
    for (const p of picks) {
      const line = lines.find((l) => l.lineNo === p.lineNo)!;
      try {
        await inventory.consume(tx, {
          lotId: p.lotId,
          qty: p.qty,
          reason: "production",
          ref: ref(order.number),
          actor,
        });
      } catch (e) {
        if ((e as { status?: number }).status === 409) {
          throw new ProductionError(
            "lot_short",
            `Lot ${p.lotCode} cannot give ${p.qty} of ${line.itemCode}`,
            { lot: p.lotCode, qty: p.qty, item: line.itemCode },
          );
        }
        throw e;
      }
      await tx`insert into prod_consumptions (order_id, line_no, item_code, lot_id, lot_code, qty,
          picked, attrs)
        values (${id}, ${p.lineNo}, ${line.itemCode}, ${p.lotId}, ${p.lotCode}, ${p.qty},
          ${p.picked}, ${p.attrs ? tx.json(p.attrs as never) : null})`;
    }
    if (c.ledger) {
      const codes = picks.map((p) => lines.find((l) => l.lineNo === p.lineNo)!.itemCode);
      const kinds = await kindsOf(tx, inventory, codes);
      await c.ledger.productionConsumed(tx, {
        orderNumber: order.number,
        lines: picks.map((p, i) => ({
          itemCode: codes[i],
          kind: kinds.get(codes[i])!,
          qty: p.qty,
        })),
      });
    }
    await tx`update prod_orders set status = 'started', started_at = ${at}, started_by = ${actor.id}
      where id = ${id}`;
    await auditOrder(tx, actor, "started", id, {
      number: order.number,
      mode: f.mode,
      lots: picks.map((p) => [p.lotCode, p.qty]),
    }, at);
  });
  return await getOrder(db, id);
}

// ---- finish --------------------------------------------------------------------------------

const finishSchema = z.object({
  actualQty: int(0, 1_000_000_000, "Enter the whole quantity made (0 or more)"),
  producedOn: isoDate(),
  byproducts: z.array(z.object({
    itemCode: z.string().trim().toUpperCase().regex(
      /^[A-Z0-9][A-Z0-9-]{1,59}$/,
      "Choose a by-product",
    ),
    qty: int(0, 1_000_000_000, "Enter a whole quantity (0 or more)"),
  })).max(10).default([]),
  note: text(1000, { multiline: true }).optional().transform((v) => v || null),
});
export type FinishForm = z.input<typeof finishSchema>;

/**
 * Finishes a started order: the product lot (quarantine until quality releases it) and the
 * by-product lots enter stock, each consumed lot is linked to each output lot, and the yield and
 * loss are recorded (flagged beyond the BoM's tolerance).
 */
export async function finishOrder(c: OrderChange, id: number, form: unknown): Promise<OrderDetail> {
  const { db, inventory, actor, at } = c;
  const f = parseInput(finishSchema, form);
  await inTx(db, async (tx) => {
    const order = await lockedOrder(tx, id, "started");
    const bom = await getBom(tx, order.bomId);
    for (const [n, b] of f.byproducts.entries()) {
      if (!bom.byproducts.some((x) => x.itemCode === b.itemCode)) {
        throw new ProductionError(
          "byproduct_unknown",
          `${b.itemCode} is not a by-product of this bill of materials`,
          { item: b.itemCode },
          `byproducts.${n}.itemCode`,
        );
      }
    }
    const consumed = await tx<{ lot_id: string; line_no: number; qty: number }[]>`
      select lot_id, line_no, qty from prod_consumptions where order_id = ${id}`;
    const outputs: { kind: "product" | "byproduct"; itemCode: string; qty: number }[] = [];
    if (f.actualQty > 0) {
      outputs.push({ kind: "product", itemCode: order.outputItemCode, qty: f.actualQty });
    }
    for (const b of f.byproducts) {
      if (b.qty > 0) outputs.push({ kind: "byproduct", itemCode: b.itemCode, qty: b.qty });
    }
    for (const o of outputs) {
      const lot = await inventory.receive(tx, {
        itemCode: o.itemCode,
        locationCode: order.outputLocation,
        qty: o.qty,
        producedOn: f.producedOn,
        status: "quarantine",
        ref: ref(order.number),
        actor,
        attrs: { productionOrder: order.number },
      });
      const got = await inventory.lot(tx, lot.lotId);
      await tx`insert into prod_outputs (order_id, kind, item_code, lot_id, lot_code, qty, expires_on)
        values (${id}, ${o.kind}, ${o.itemCode}, ${lot.lotId}, ${lot.lotCode}, ${o.qty},
          ${got?.expiresOn ?? null}::date)`;
      for (const c of consumed) {
        await inventory.linkLots(tx, {
          parentLotId: Number(c.lot_id),
          childLotId: lot.lotId,
          qty: c.qty,
          ref: ref(order.number),
        });
      }
    }
    const mainLine = bom.inputs.find((i) => i.role === "main");
    const mainConsumed = consumed.filter((c) => c.line_no === mainLine?.lineNo)
      .reduce((s, c) => s + c.qty, 0);
    const y = yieldOf(bom, mainConsumed, f.actualQty);
    const flagged = y.lossBp > bom.lossBp + bom.toleranceBp;
    if (c.ledger) {
      const kinds = await kindsOf(tx, inventory, outputs.map((o) => o.itemCode));
      await c.ledger.productionFinished(tx, {
        orderNumber: order.number,
        expectedQty: y.expectedQty,
        outputs: outputs.map((o) => ({
          itemCode: o.itemCode,
          kind: kinds.get(o.itemCode)!,
          qty: o.qty,
          role: o.kind,
        })),
      });
    }
    await tx`update prod_orders set status = 'finished', finished_at = ${at},
        finished_by = ${actor.id}, produced_on = ${f.producedOn}::date, actual_qty = ${f.actualQty},
        expected_qty = ${y.expectedQty}, loss_bp = ${y.lossBp}, flagged = ${flagged},
        note = coalesce(${f.note}, note)
      where id = ${id}`;
    await auditOrder(tx, actor, "finished", id, {
      number: order.number,
      actual: f.actualQty,
      lossBp: y.lossBp,
      flagged,
    }, at);
  });
  return await getOrder(db, id);
}

/** Cancels an order that has not started (nothing was taken from stock). */
export async function cancelOrder(db: Db, id: number, actor: InvActor, at: Date): Promise<void> {
  await inTx(db, async (tx) => {
    const order = await lockedOrder(tx, id, "planned");
    await tx`update prod_orders set status = 'cancelled' where id = ${id}`;
    await auditOrder(tx, actor, "cancelled", id, { number: order.number }, at);
  });
}
