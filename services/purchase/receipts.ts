/**
 * Goods received against a purchase order: partial receipts, each received line a new lot in
 * inventory (through the port, in this transaction) with the supplier's lot code and expiry from
 * the label; medicine and ingredients enter in quarantine until quality releases them. A receipt
 * may exceed what is still due only by the order's tolerance.
 */
import type postgres from "postgres";
import { parseInput } from "@/services/platform/errors.ts";
import { isoDate, text, z } from "@/services/platform/schema.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import type { PurchaseLedger, ReceiptEvent } from "@/services/accounting/port.ts";
import { PurchaseError } from "./errors.ts";
import { type Actor, type OfOrderLine, type PurchaseInventory, QC_ON_RECEIPT } from "./port.ts";
import { fromBase, lineNet, toBase, type Unit } from "./units.ts";
import { audit } from "./audit.ts";

const optionalDate = z.union([z.literal(""), isoDate()]).optional().transform((v) => v || null);

export const receiptLineSchema = z.object({
  orderLineId: z.coerce.number().int().min(1),
  /** In the order line's unit; empty or 0 = nothing of this line came. */
  qty: z.union([z.string(), z.number()]).optional().default(""),
  supplierLot: text(60).optional().transform((v) => v || null),
  producedOn: optionalDate,
  expiresOn: optionalDate,
});

export const receiptSchema = z.object({
  receivedOn: isoDate(),
  locationCode: text(40, { min: 1 }),
  note: text(500).optional().transform((v) => v ?? ""),
  lines: z.array(receiptLineSchema).min(1).max(100),
});
export type ReceiptInput = z.input<typeof receiptSchema>;

export interface ReceiptLine extends OfOrderLine {
  lotId: number;
  lotCode: string;
  supplierLot: string | null;
  expiresOn: string | null;
  lotStatus: string;
}

export interface Receipt {
  id: number;
  number: string;
  orderId: number;
  orderNumber: string;
  supplierName: string;
  receivedOn: string;
  locationCode: string;
  receivedByName: string;
  note: string;
  lines: ReceiptLine[];
}

const dateOf = (v: unknown): string | null =>
  v == null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);

export function receiveGoods(
  db: Db,
  inventory: PurchaseInventory,
  orderId: number,
  input: ReceiptInput,
  actor: Actor,
  ledger?: PurchaseLedger,
): Promise<{ id: number; number: string; status: string; lots: number[] }> {
  const v = parseInput(receiptSchema, input);
  return inTx(db, async (tx) => {
    const [o] = await tx`
      select o.*, s.name as supplier_name from pur_orders o
      join pur_suppliers s on s.id = o.supplier_id where o.id = ${orderId} for update of o`;
    if (!o) throw new PurchaseError("order_unknown", "No such purchase order");
    if (!["sent", "partially_received"].includes(o.status)) {
      throw new PurchaseError("order_status", "The order cannot do this in its status", {
        status: o.status,
      });
    }
    const lines = await tx`
      select l.*, (select coalesce(sum(qty_base), 0) from pur_receipt_lines rl
                   where rl.order_line_id = l.id)::bigint as received_base
      from pur_order_lines l where l.order_id = ${orderId}`;
    const byId = new Map(lines.map((l) => [l.id as number, l]));
    const [{ id }] = await tx`
      select nextval(pg_get_serial_sequence('pur_receipts', 'id'))::int as id`;
    const number = `GRN-${v.receivedOn.slice(0, 4)}-${String(id).padStart(5, "0")}`;
    await tx`
      insert into pur_receipts (id, number, order_id, received_on, location_code, note,
        received_by, received_by_name)
      values (${id}, ${number}, ${orderId}, ${v.receivedOn}, ${v.locationCode}, ${v.note},
        ${actor.id}, ${actor.name})`;
    const lots: number[] = [];
    const valued: ReceiptEvent["lines"] = [];
    for (const [i, line] of v.lines.entries()) {
      if (String(line.qty).trim() === "" || Number(line.qty) === 0) continue;
      const l: postgres.Row | undefined = byId.get(line.orderLineId);
      if (!l) throw new PurchaseError("invalid", "Not a line of this order", {}, `lines.${i}.qty`);
      const qty = toBase(line.qty, l.unit as Unit);
      if (qty === null) {
        throw new PurchaseError("qty_invalid", "Enter a quantity above zero", {}, `lines.${i}.qty`);
      }
      const ordered = Number(l.qty_base);
      const already = Number(l.received_base);
      const ceiling = Math.floor(ordered * (100 + o.over_receipt_pct) / 100);
      if (already + qty > ceiling) {
        throw new PurchaseError("over_receipt", "More than ordered (beyond the tolerance)", {
          item: l.item_name,
          max: fromBase(Math.max(0, ceiling - already), l.unit),
          unit: l.unit,
          pct: o.over_receipt_pct,
        }, `lines.${i}.qty`);
      }
      const item = await inventory.item(tx, l.item_code);
      if (!item) {
        throw new PurchaseError("item_unknown", "No such item", { code: l.item_code });
      }
      const status = QC_ON_RECEIPT.has(item.kind) ? "quarantine" : "released";
      const lot = await inventory.receive(tx, {
        itemCode: l.item_code,
        locationCode: v.locationCode,
        qty,
        producedOn: line.producedOn ?? v.receivedOn,
        expiresOn: line.expiresOn ?? undefined,
        status,
        ref: { kind: "purchase", id: number },
        actor,
        attrs: {
          supplier: o.supplier_name,
          supplierLot: line.supplierLot,
          purchaseOrder: o.number,
        },
      });
      lots.push(lot.lotId);
      valued.push({
        itemCode: l.item_code,
        kind: item.kind,
        valueMinor: lineNet(qty, Number(l.unit_price_minor), Number(l.unit_factor)),
        qty,
      });
      // Several deliveries of one line may come in one receipt: the lines stay separate.
      await tx`
        insert into pur_receipt_lines (receipt_id, order_line_id, qty_base, lot_id, lot_code,
          supplier_lot, expires_on, lot_status)
        values (${id}, ${l.id}, ${qty}, ${lot.lotId}, ${lot.lotCode}, ${line.supplierLot},
          ${line.expiresOn}, ${status})`;
      l.received_base = already + qty;
    }
    if (lots.length === 0) {
      throw new PurchaseError("nothing_received", "Enter what arrived on at least one line");
    }
    const complete = lines.every((l) => Number(l.received_base) >= Number(l.qty_base));
    const status = complete ? "received" : "partially_received";
    await tx`update pur_orders set status = ${status} where id = ${orderId}`;
    await ledger?.purchaseReceipt(tx, {
      receiptNumber: number,
      supplierId: o.supplier_id,
      orderNumber: o.number,
      lines: valued,
    });
    await audit(tx, actor, "purchase.receipt.create", ["pur_order", orderId], {
      receipt: number,
      lots,
      status,
    });
    return { id, number, status, lots };
  });
}

export async function listReceipts(
  db: Db,
  q: { orderId?: number; limit?: number } = {},
): Promise<Receipt[]> {
  const heads = await db`
    select r.*, o.number as order_number, s.name as supplier_name from pur_receipts r
    join pur_orders o on o.id = r.order_id join pur_suppliers s on s.id = o.supplier_id
    where (${q.orderId ?? null}::int is null or r.order_id = ${q.orderId ?? null})
    order by r.id desc limit ${q.limit ?? 100}`;
  if (heads.length === 0) return [];
  const ids = heads.map((h) => h.id as number);
  const lines = await db`
    select rl.*, l.item_code, l.item_name, l.unit from pur_receipt_lines rl
    join pur_order_lines l on l.id = rl.order_line_id
    where rl.receipt_id = any(${ids}::int[]) order by rl.id`;
  return heads.map((h) => ({
    id: h.id,
    number: h.number,
    orderId: h.order_id,
    orderNumber: h.order_number,
    supplierName: h.supplier_name,
    receivedOn: dateOf(h.received_on)!,
    locationCode: h.location_code,
    receivedByName: h.received_by_name,
    note: h.note ?? "",
    lines: lines.filter((l) => l.receipt_id === h.id).map((l) => ({
      orderLineId: l.order_line_id,
      itemCode: l.item_code,
      itemName: l.item_name,
      unit: l.unit,
      qtyBase: Number(l.qty_base),
      lotId: Number(l.lot_id),
      lotCode: l.lot_code,
      supplierLot: l.supplier_lot,
      expiresOn: dateOf(l.expires_on),
      lotStatus: l.lot_status,
    })),
  }));
}
