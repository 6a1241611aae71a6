/**
 * Purchase requests (someone asks for an item) and purchase orders to a supplier, with lines in
 * the supplier's unit converted to inventory base units. An order goes draft → sent → partially
 * received → received → closed, or is cancelled before anything arrives.
 */
import type postgres from "postgres";
import { parseInput } from "@/services/platform/errors.ts";
import { isoDate, money, text, z } from "@/services/platform/schema.ts";
import { type Db, inTx, type Tx } from "@/services/platform/tx.ts";
import { PurchaseError } from "./errors.ts";
import type { Actor, PurchaseInventory } from "./port.ts";
import { isUnit, lineNet, toBase, type Unit, UNIT_CODES, UNITS, vatOf } from "./units.ts";
import { audit } from "./audit.ts";

export const ORDER_STATUSES = [
  "draft",
  "sent",
  "partially_received",
  "received",
  "closed",
  "cancelled",
] as const;
export type OrderStatus = typeof ORDER_STATUSES[number];

export interface OrderLine {
  id: number;
  lineNo: number;
  itemCode: string;
  itemName: string;
  base: string;
  unit: string;
  unitFactor: number;
  qtyBase: number;
  unitPriceMinor: number;
  vatRateBp: number;
  netMinor: number;
  vatMinor: number;
  receivedBase: number;
  billedBase: number;
}

export interface Order {
  id: number;
  number: string;
  supplierId: number;
  supplierName: string;
  supplierBin: string | null;
  supplierAddress: string;
  supplierPhone: string;
  status: OrderStatus;
  orderedOn: string;
  expectedOn: string | null;
  deliverTo: string;
  overReceiptPct: number;
  note: string;
  createdByName: string;
  netMinor: number;
  vatMinor: number;
  totalMinor: number;
  lines: OrderLine[];
}

export type OrderSummary = Omit<Order, "lines" | "supplierAddress" | "supplierPhone"> & {
  lineCount: number;
};

const dateOf = (v: unknown): string | null =>
  v == null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);

// ---- line input -----------------------------------------------------------------------------

export const lineSchema = z.object({
  itemCode: text(60, { min: 1 }),
  unit: z.string().refine(isUnit, { message: `One of ${UNIT_CODES.join(", ")}` }),
  qty: z.union([z.string(), z.number()]),
  /** Price per unit in poisha; empty = the supplier's price list. */
  unitPriceMinor: money().optional(),
  vatRateBp: z.coerce.number().int().min(0).max(10_000).optional(),
});
export type LineInput = z.input<typeof lineSchema>;

async function insertLine(
  tx: Tx,
  inventory: PurchaseInventory,
  order: { id: number; supplierId: number },
  input: LineInput,
  at: string,
  requestId: number | null = null,
  knownQtyBase?: number,
) {
  const v = parseInput(lineSchema, input);
  const unit = v.unit as Unit;
  const item = await inventory.item(tx, v.itemCode);
  if (!item) {
    throw new PurchaseError("item_unknown", "No such item", { code: v.itemCode }, `${at}itemCode`);
  }
  if (UNITS[unit].base !== item.base) {
    throw new PurchaseError("unit_mismatch", "This unit does not fit the item", {
      base: item.base,
    }, `${at}unit`);
  }
  const qtyBase = knownQtyBase ?? toBase(v.qty, unit);
  if (qtyBase === null) {
    throw new PurchaseError("qty_invalid", "Enter a quantity above zero", {}, `${at}qty`);
  }
  const [price] = await tx`
    select unit, unit_price_minor, vat_rate_bp from pur_price_list
    where supplier_id = ${order.supplierId} and item_code = ${v.itemCode}`;
  let unitPrice = v.unitPriceMinor;
  if (unitPrice === undefined && price) {
    // The price list's price is per its own unit: convert to the line's unit.
    const perBase = Number(price.unit_price_minor) / UNITS[price.unit as Unit].factor;
    unitPrice = Math.round(perBase * UNITS[unit].factor);
  }
  if (unitPrice === undefined) {
    throw new PurchaseError("no_price", "This supplier has no price for the item: enter one", {
      code: v.itemCode,
    }, `${at}unitPriceMinor`);
  }
  const vatRate = v.vatRateBp ?? price?.vat_rate_bp ?? 0;
  const [{ n }] = await tx`
    select coalesce(max(line_no), 0) + 1 as n from pur_order_lines where order_id = ${order.id}`;
  await tx`
    insert into pur_order_lines (order_id, line_no, item_code, item_name, base, unit, unit_factor,
      qty_base, unit_price_minor, vat_rate_bp, request_id)
    values (${order.id}, ${n}, ${item.code}, ${item.nameEn}, ${item.base}, ${unit},
      ${UNITS[unit].factor}, ${qtyBase}, ${unitPrice}, ${vatRate}, ${requestId})`;
}

// ---- orders -----------------------------------------------------------------------------------

export const orderSchema = z.object({
  supplierId: z.coerce.number({ error: "Choose a supplier" }).int().min(1, "Choose a supplier"),
  deliverTo: text(40, { min: 1 }),
  expectedOn: z.union([z.literal(""), isoDate()]).optional().transform((v) => v || null),
  note: text(500).optional().transform((v) => v ?? ""),
  overReceiptPct: z.coerce.number().int().min(0).max(50).optional().default(5),
  lines: z.array(z.unknown()).max(100, "At most 100 lines").default([]),
});
export type OrderInput = z.input<typeof orderSchema> & { lines?: LineInput[] };

async function activeSupplier(tx: Tx, id: number) {
  const [s] = await tx`select id, active, name from pur_suppliers where id = ${id}`;
  if (!s) throw new PurchaseError("supplier_unknown", "No such supplier", {}, "supplierId");
  if (!s.active) {
    throw new PurchaseError("supplier_inactive", "This supplier is inactive", {}, "supplierId");
  }
  return s;
}

async function newOrderRow(
  tx: Tx,
  v: {
    supplierId: number;
    deliverTo: string;
    expectedOn: string | null;
    note: string;
    overReceiptPct: number;
  },
  actor: Actor,
  today: string,
): Promise<{ id: number; number: string }> {
  const [{ id }] = await tx`select nextval(pg_get_serial_sequence('pur_orders', 'id'))::int as id`;
  const number = `PO-${today.slice(0, 4)}-${String(id).padStart(5, "0")}`;
  await tx`
    insert into pur_orders (id, number, supplier_id, ordered_on, expected_on, deliver_to,
      over_receipt_pct, note, created_by, created_by_name)
    values (${id}, ${number}, ${v.supplierId}, ${today}, ${v.expectedOn}, ${v.deliverTo},
      ${v.overReceiptPct}, ${v.note}, ${actor.id}, ${actor.name})`;
  return { id, number };
}

/** A draft order with its lines (all or nothing). */
export function createOrder(
  db: Db,
  inventory: PurchaseInventory,
  input: OrderInput,
  actor: Actor,
  today: string,
): Promise<{ id: number; number: string }> {
  const v = parseInput(orderSchema, input);
  return inTx(db, async (tx) => {
    await activeSupplier(tx, v.supplierId);
    const o = await newOrderRow(tx, v, actor, today);
    for (const [i, line] of (input.lines ?? []).entries() as Iterable<[number, LineInput]>) {
      await insertLine(tx, inventory, { id: o.id, supplierId: v.supplierId }, line, `lines.${i}.`);
    }
    await audit(tx, actor, "purchase.order.create", ["pur_order", o.id], {
      number: o.number,
      supplierId: v.supplierId,
      lines: input.lines?.length ?? 0,
    });
    return o;
  });
}

async function lockOrder(tx: Tx, id: number) {
  const [o] = await tx`select * from pur_orders where id = ${id} for update`;
  if (!o) throw new PurchaseError("order_unknown", "No such purchase order");
  return o;
}

function assertStatus(o: postgres.Row, allowed: OrderStatus[]) {
  if (!allowed.includes(o.status)) {
    throw new PurchaseError("order_status", "The order cannot do this in its status", {
      status: o.status,
    });
  }
}

/** Adds a line to a draft order. */
export function addOrderLine(
  db: Db,
  inventory: PurchaseInventory,
  orderId: number,
  line: LineInput,
  actor: Actor,
): Promise<void> {
  return inTx(db, async (tx) => {
    const o = await lockOrder(tx, orderId);
    assertStatus(o, ["draft"]);
    await insertLine(tx, inventory, { id: o.id, supplierId: o.supplier_id }, line, "");
    await audit(tx, actor, "purchase.order.line_add", ["pur_order", orderId], {
      item: line.itemCode,
      qty: String(line.qty),
      unit: line.unit,
    });
  });
}

export function removeOrderLine(db: Db, orderId: number, lineId: number, actor: Actor) {
  return inTx(db, async (tx) => {
    const o = await lockOrder(tx, orderId);
    assertStatus(o, ["draft"]);
    const gone = await tx`
      delete from pur_order_lines where id = ${lineId} and order_id = ${orderId} returning id,
        request_id`;
    if (gone[0]?.request_id) {
      await tx`update pur_requests set status = 'open', order_id = null, decided_at = null,
               decided_by_name = null where id = ${gone[0].request_id}`;
    }
    await audit(tx, actor, "purchase.order.line_remove", ["pur_order", orderId], { lineId });
  });
}

async function transition(
  db: Db,
  orderId: number,
  from: OrderStatus[],
  to: OrderStatus,
  actor: Actor,
  extra: Record<string, unknown> = {},
) {
  return await inTx(db, async (tx) => {
    const o = await lockOrder(tx, orderId);
    assertStatus(o, from);
    if (to === "sent") {
      const [{ n }] = await tx`select count(*)::int as n from pur_order_lines
                               where order_id = ${orderId}`;
      if (n === 0) throw new PurchaseError("order_empty", "The order has no lines");
      await activeSupplier(tx, o.supplier_id);
    }
    const stamp = to === "sent"
      ? tx`sent_at = now()`
      : to === "closed"
      ? tx`closed_at = now()`
      : to === "cancelled"
      ? tx`cancelled_at = now()`
      : tx``;
    await tx`update pur_orders set status = ${to}, ${stamp} where id = ${orderId}`;
    await audit(tx, actor, `purchase.order.${to}`, ["pur_order", orderId], {
      number: o.number,
      from: o.status,
      ...extra,
    });
  });
}

export const sendOrder = (db: Db, orderId: number, actor: Actor) =>
  transition(db, orderId, ["draft"], "sent", actor);

/** Cancels an order nothing was received on yet. */
export const cancelOrder = (db: Db, orderId: number, actor: Actor) =>
  transition(db, orderId, ["draft", "sent"], "cancelled", actor);

/** Closes an order: fully received, or short-closed (the rest will not come). */
export const closeOrder = (db: Db, orderId: number, actor: Actor) =>
  transition(db, orderId, ["partially_received", "received"], "closed", actor);

function lineFromRow(r: postgres.Row): OrderLine {
  const qtyBase = Number(r.qty_base);
  const unitPrice = Number(r.unit_price_minor);
  const net = lineNet(qtyBase, unitPrice, r.unit_factor);
  return {
    id: r.id,
    lineNo: r.line_no,
    itemCode: r.item_code,
    itemName: r.item_name,
    base: r.base,
    unit: r.unit,
    unitFactor: r.unit_factor,
    qtyBase,
    unitPriceMinor: unitPrice,
    vatRateBp: r.vat_rate_bp,
    netMinor: net,
    vatMinor: vatOf(net, r.vat_rate_bp),
    receivedBase: Number(r.received_base ?? 0),
    billedBase: Number(r.billed_base ?? 0),
  };
}

export async function orderLines(db: Db, orderId: number): Promise<OrderLine[]> {
  const rows = await db`
    select l.*,
      (select coalesce(sum(qty_base), 0) from pur_receipt_lines rl
        where rl.order_line_id = l.id) as received_base,
      (select coalesce(sum(bl.qty_base), 0) from pur_bill_lines bl
        join pur_bills b on b.id = bl.bill_id and b.status <> 'cancelled'
        where bl.order_line_id = l.id) as billed_base
    from pur_order_lines l where l.order_id = ${orderId} order by l.line_no`;
  return rows.map(lineFromRow);
}

function summaryFromRow(r: postgres.Row) {
  return {
    id: r.id,
    number: r.number,
    supplierId: r.supplier_id,
    supplierName: r.supplier_name,
    supplierBin: r.supplier_bin,
    status: r.status,
    orderedOn: dateOf(r.ordered_on)!,
    expectedOn: dateOf(r.expected_on),
    deliverTo: r.deliver_to,
    overReceiptPct: r.over_receipt_pct,
    note: r.note ?? "",
    createdByName: r.created_by_name,
  };
}

export async function getOrder(db: Db, id: number): Promise<Order | null> {
  const [r] = await db`
    select o.*, s.name as supplier_name, s.bin as supplier_bin, s.address as supplier_address,
      s.contact_phone as supplier_phone
    from pur_orders o join pur_suppliers s on s.id = o.supplier_id where o.id = ${id}`;
  if (!r) return null;
  const lines = await orderLines(db, id);
  const netMinor = lines.reduce((a, l) => a + l.netMinor, 0);
  const vatMinor = lines.reduce((a, l) => a + l.vatMinor, 0);
  return {
    ...summaryFromRow(r),
    supplierAddress: r.supplier_address ?? "",
    supplierPhone: r.supplier_phone ?? "",
    netMinor,
    vatMinor,
    totalMinor: netMinor + vatMinor,
    lines,
  };
}

export async function listOrders(
  db: Db,
  q: { status?: string; supplierId?: number; limit?: number } = {},
): Promise<OrderSummary[]> {
  const rows = await db`
    select o.*, s.name as supplier_name, s.bin as supplier_bin,
      count(l.id)::int as line_count,
      coalesce(sum(round(l.qty_base::numeric * l.unit_price_minor / l.unit_factor)), 0)::bigint
        as net_minor,
      coalesce(sum(round(round(l.qty_base::numeric * l.unit_price_minor / l.unit_factor)
        * l.vat_rate_bp / 10000)), 0)::bigint as vat_minor
    from pur_orders o join pur_suppliers s on s.id = o.supplier_id
    left join pur_order_lines l on l.order_id = o.id
    where (${q.status ?? null}::text is null or o.status = ${q.status ?? null})
      and (${q.supplierId ?? null}::int is null or o.supplier_id = ${q.supplierId ?? null})
    group by o.id, s.id
    order by o.id desc limit ${q.limit ?? 200}`;
  return rows.map((r) => ({
    ...summaryFromRow(r),
    lineCount: r.line_count,
    netMinor: Number(r.net_minor),
    vatMinor: Number(r.vat_minor),
    totalMinor: Number(r.net_minor) + Number(r.vat_minor),
  }));
}

// ---- requests -------------------------------------------------------------------------------

export interface PurchaseRequest {
  id: number;
  itemCode: string;
  unit: string;
  qtyBase: number;
  neededBy: string;
  reason: string;
  status: "open" | "approved" | "rejected";
  requestedByName: string;
  decidedByName: string | null;
  decisionNote: string;
  orderId: number | null;
  orderNumber: string | null;
  createdAt: Date;
}

export const requestSchema = z.object({
  itemCode: text(60, { min: 1 }),
  unit: z.string().refine(isUnit, { message: `One of ${UNIT_CODES.join(", ")}` }),
  qty: z.union([z.string(), z.number()]),
  neededBy: isoDate(),
  reason: text(300, { min: 1 }),
});
export type RequestInput = z.input<typeof requestSchema>;

export function createRequest(
  db: Db,
  inventory: PurchaseInventory,
  input: RequestInput,
  actor: Actor,
): Promise<{ id: number }> {
  const v = parseInput(requestSchema, input);
  return inTx(db, async (tx) => {
    const item = await inventory.item(tx, v.itemCode);
    if (!item) {
      throw new PurchaseError("item_unknown", "No such item", { code: v.itemCode }, "itemCode");
    }
    if (UNITS[v.unit as Unit].base !== item.base) {
      throw new PurchaseError("unit_mismatch", "This unit does not fit the item", {
        base: item.base,
      }, "unit");
    }
    const qtyBase = toBase(v.qty, v.unit as Unit);
    if (qtyBase === null) {
      throw new PurchaseError("qty_invalid", "Enter a quantity above zero", {}, "qty");
    }
    const [row] = await tx`
      insert into pur_requests (item_code, unit, qty_base, needed_by, reason, requested_by,
        requested_by_name)
      values (${item.code}, ${v.unit}, ${qtyBase}, ${v.neededBy}, ${v.reason}, ${actor.id},
        ${actor.name})
      returning id`;
    await audit(tx, actor, "purchase.request.create", ["pur_request", row.id], {
      item: item.code,
      qtyBase,
    });
    return { id: row.id };
  });
}

export async function listRequests(db: Db, q: { status?: string } = {}) {
  const rows = await db`
    select r.*, o.number as order_number from pur_requests r
    left join pur_orders o on o.id = r.order_id
    where (${q.status ?? null}::text is null or r.status = ${q.status ?? null})
    order by (r.status = 'open') desc, r.needed_by, r.id desc limit 300`;
  return rows.map((r): PurchaseRequest => ({
    id: r.id,
    itemCode: r.item_code,
    unit: r.unit,
    qtyBase: Number(r.qty_base),
    neededBy: dateOf(r.needed_by)!,
    reason: r.reason,
    status: r.status,
    requestedByName: r.requested_by_name,
    decidedByName: r.decided_by_name,
    decisionNote: r.decision_note ?? "",
    orderId: r.order_id,
    orderNumber: r.order_number,
    createdAt: r.created_at,
  }));
}

export const decisionSchema = z.object({
  approve: z.boolean(),
  /** On approval: the supplier to order from (default: the item's preferred supplier). */
  supplierId: z.coerce.number().int().min(1).optional(),
  unitPriceMinor: money().optional(),
  deliverTo: text(40).optional(),
  note: text(300).optional().transform((v) => v ?? ""),
});
export type RequestDecision = z.input<typeof decisionSchema>;

/**
 * Approves a request into the supplier's open draft order (a new draft when there is none), or
 * rejects it. Approving needs a supplier: the one chosen, else the item's preferred supplier.
 */
export function decideRequest(
  db: Db,
  inventory: PurchaseInventory,
  id: number,
  input: RequestDecision,
  actor: Actor,
  today: string,
  defaultLocation: string,
): Promise<{ orderId: number | null }> {
  const v = parseInput(decisionSchema, input);
  return inTx(db, async (tx) => {
    const [r] = await tx`select * from pur_requests where id = ${id} for update`;
    if (!r) throw new PurchaseError("request_status", "No such request");
    if (r.status !== "open") {
      throw new PurchaseError("request_status", "This request was already decided", {
        status: r.status,
      });
    }
    let orderId: number | null = null;
    if (v.approve) {
      let supplierId = v.supplierId;
      if (!supplierId) {
        const [p] = await tx`select supplier_id from pur_price_list
                             where item_code = ${r.item_code} and preferred`;
        supplierId = p?.supplier_id;
      }
      if (!supplierId) {
        throw new PurchaseError("no_price", "Choose a supplier for this item", {
          code: r.item_code,
        }, "supplierId");
      }
      await activeSupplier(tx, supplierId);
      const [draft] = await tx`
        select id from pur_orders where supplier_id = ${supplierId} and status = 'draft'
        order by id desc limit 1 for update`;
      orderId = draft?.id ?? (await newOrderRow(
        tx,
        {
          supplierId,
          deliverTo: v.deliverTo || defaultLocation,
          expectedOn: r.needed_by ? dateOf(r.needed_by) : null,
          note: "",
          overReceiptPct: 5,
        },
        actor,
        today,
      )).id;
      await insertLine(
        tx,
        inventory,
        { id: orderId!, supplierId },
        {
          itemCode: r.item_code,
          unit: r.unit,
          qty: "1",
          unitPriceMinor: v.unitPriceMinor,
        },
        "",
        id,
        Number(r.qty_base),
      );
    }
    await tx`
      update pur_requests set status = ${v.approve ? "approved" : "rejected"},
        decided_by_name = ${actor.name}, decided_at = now(), decision_note = ${v.note},
        order_id = ${orderId}
      where id = ${id}`;
    const action = v.approve ? "purchase.request.approve" : "purchase.request.reject";
    await audit(tx, actor, action, ["pur_request", id], { orderId, note: v.note });
    return { orderId };
  });
}
