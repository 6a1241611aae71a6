/**
 * Supplier bills matched three ways per line: what was ordered, what was received (less what
 * other bills already charged) and what is billed, and the billed price against the order's.
 * A bill whose lines all match can be approved for payment; a bill with a mismatch needs an
 * approval with a reason. Approved bills carry their input VAT, numbered in approval order, so
 * accounting reads them with a cursor (`approvedBillsAfter`) and posts each once.
 */
import type postgres from "postgres";
import { addDays } from "@/services/platform/dhaka.ts";
import { parseInput } from "@/services/platform/errors.ts";
import { isoDate, money, text, z } from "@/services/platform/schema.ts";
import { type Db, inTx, type Tx } from "@/services/platform/tx.ts";
import type { BillEvent, PurchaseLedger } from "@/services/accounting/port.ts";
import { PurchaseError } from "./errors.ts";
import type { Actor, OfOrderLine } from "./port.ts";
import { lineNet, toBase, type Unit, vatOf } from "./units.ts";
import { audit } from "./audit.ts";

export type LineMatch = "matched" | "qty_mismatch" | "price_mismatch" | "qty_price_mismatch";

/** One line's three-way match: billed qty against received (still unbilled), price against PO. */
export function matchLine(
  l: { billedBase: number; receivedBase: number; priceMinor: number; poPriceMinor: number },
): LineMatch {
  const qtyOk = l.billedBase === l.receivedBase;
  const priceOk = l.priceMinor === l.poPriceMinor;
  return qtyOk && priceOk
    ? "matched"
    : !qtyOk && !priceOk
    ? "qty_price_mismatch"
    : qtyOk
    ? "price_mismatch"
    : "qty_mismatch";
}

export const billLineSchema = z.object({
  orderLineId: z.coerce.number().int().min(1),
  /** In the order line's unit; empty = not on this bill. */
  qty: z.union([z.string(), z.number()]).optional().default(""),
  unitPriceMinor: z.union([z.literal(""), money()]).optional(),
  /** The VAT the supplier's invoice (Mushak 6.3) shows; empty = the order's rate applied. */
  vatMinor: z.union([z.literal(""), money()]).optional(),
});

export const billSchema = z.object({
  orderId: z.coerce.number().int().min(1),
  billNumber: text(60, { min: 1 }),
  billDate: isoDate(),
  lines: z.array(billLineSchema).min(1).max(100),
});
export type BillInput = z.input<typeof billSchema>;

export interface BillLine extends OfOrderLine {
  unitFactor: number;
  unitPriceMinor: number;
  netMinor: number;
  vatMinor: number;
  orderedBase: number;
  receivedBase: number;
  poPriceMinor: number;
  match: LineMatch;
}

export interface Bill {
  id: number;
  supplierId: number;
  supplierName: string;
  supplierBin: string | null;
  orderId: number;
  orderNumber: string;
  billNumber: string;
  billDate: string;
  dueOn: string;
  matchStatus: "matched" | "mismatch";
  status: "entered" | "approved" | "cancelled";
  netMinor: number;
  vatMinor: number;
  totalMinor: number;
  enteredByName: string;
  approvedByName: string | null;
  approvedAt: Date | null;
  approvalReason: string | null;
  lines: BillLine[];
}

const dateOf = (v: unknown): string =>
  v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);

export function enterBill(db: Db, input: BillInput, actor: Actor): Promise<{ id: number }> {
  const v = parseInput(billSchema, input);
  return inTx(db, async (tx) => {
    const [o] = await tx`
      select o.*, s.payment_terms_days from pur_orders o
      join pur_suppliers s on s.id = o.supplier_id where o.id = ${v.orderId} for update of o`;
    if (!o) throw new PurchaseError("order_unknown", "No such purchase order");
    if (o.status === "draft" || o.status === "cancelled") {
      throw new PurchaseError("order_status", "The order cannot do this in its status", {
        status: o.status,
      });
    }
    const [dup] = await tx`select 1 from pur_bills where supplier_id = ${o.supplier_id}
                           and bill_number = ${v.billNumber} and status <> 'cancelled'`;
    if (dup) {
      throw new PurchaseError(
        "bill_taken",
        "This supplier's bill is already entered",
        {},
        "billNumber",
      );
    }
    const rows = await tx`
      select l.*,
        (select coalesce(sum(qty_base), 0) from pur_receipt_lines rl
          where rl.order_line_id = l.id)::bigint as received_base,
        (select coalesce(sum(bl.qty_base), 0) from pur_bill_lines bl
          join pur_bills b on b.id = bl.bill_id and b.status <> 'cancelled'
          where bl.order_line_id = l.id)::bigint as billed_base
      from pur_order_lines l where l.order_id = ${v.orderId}`;
    const byId = new Map(rows.map((r) => [r.id as number, r]));
    const lines: Omit<BillLine, "itemCode" | "itemName" | "unit" | "unitFactor">[] = [];
    for (const [i, line] of v.lines.entries()) {
      if (String(line.qty).trim() === "") continue;
      const l = byId.get(line.orderLineId);
      if (!l) {
        throw new PurchaseError(
          "bill_line_unknown",
          "Not a line of this order",
          {},
          `lines.${i}.qty`,
        );
      }
      const qty = String(line.qty).trim() === "0" ? 0 : toBase(line.qty, l.unit as Unit);
      if (qty === null) {
        throw new PurchaseError("qty_invalid", "Enter a quantity above zero", {}, `lines.${i}.qty`);
      }
      const poPrice = Number(l.unit_price_minor);
      const price = line.unitPriceMinor === "" || line.unitPriceMinor === undefined
        ? poPrice
        : line.unitPriceMinor;
      const net = lineNet(qty, price, l.unit_factor);
      const vat = line.vatMinor === "" || line.vatMinor === undefined
        ? vatOf(net, l.vat_rate_bp)
        : line.vatMinor;
      const receivedUnbilled = Number(l.received_base) - Number(l.billed_base);
      lines.push({
        orderLineId: l.id,
        qtyBase: qty,
        unitPriceMinor: price,
        netMinor: net,
        vatMinor: vat,
        orderedBase: Number(l.qty_base),
        receivedBase: receivedUnbilled,
        poPriceMinor: poPrice,
        match: matchLine({
          billedBase: qty,
          receivedBase: receivedUnbilled,
          priceMinor: price,
          poPriceMinor: poPrice,
        }),
      });
    }
    if (lines.length === 0) throw new PurchaseError("bill_empty", "Enter at least one billed line");
    const net = lines.reduce((a, l) => a + l.netMinor, 0);
    const vat = lines.reduce((a, l) => a + l.vatMinor, 0);
    const matchStatus = lines.every((l) => l.match === "matched") ? "matched" : "mismatch";
    const [bill] = await tx`
      insert into pur_bills (supplier_id, order_id, bill_number, bill_date, match_status,
        net_minor, vat_minor, total_minor, due_on, entered_by_name)
      values (${o.supplier_id}, ${o.id}, ${v.billNumber}, ${v.billDate}, ${matchStatus}, ${net},
        ${vat}, ${net + vat}, ${addDays(v.billDate, o.payment_terms_days)}, ${actor.name})
      returning id`;
    for (const l of lines) {
      await tx`
        insert into pur_bill_lines (bill_id, order_line_id, qty_base, unit_price_minor, net_minor,
          vat_minor, ordered_base, received_base, po_price_minor, match)
        values (${bill.id}, ${l.orderLineId}, ${l.qtyBase}, ${l.unitPriceMinor}, ${l.netMinor},
          ${l.vatMinor}, ${l.orderedBase}, ${l.receivedBase}, ${l.poPriceMinor}, ${l.match})`;
    }
    await audit(tx, actor, "purchase.bill.enter", ["pur_bill", bill.id], {
      billNumber: v.billNumber,
      order: o.number,
      matchStatus,
      net,
      vat,
    });
    return { id: bill.id };
  });
}

export const approvalSchema = z.object({
  reason: text(500).optional().transform((v) => v ?? ""),
});

/** Approves a bill for payment; a bill that does not match needs the approver's reason. */
export function approveBill(
  db: Db,
  id: number,
  input: z.input<typeof approvalSchema>,
  actor: Actor,
  ledger?: PurchaseLedger,
): Promise<void> {
  const v = parseInput(approvalSchema, input);
  return inTx(db, async (tx) => {
    const [b] = await tx`select * from pur_bills where id = ${id} for update`;
    if (!b) throw new PurchaseError("bill_status", "No such bill");
    if (b.status !== "entered") {
      throw new PurchaseError("bill_status", "This bill was already decided", { status: b.status });
    }
    if (b.match_status !== "matched" && v.reason === "") {
      throw new PurchaseError(
        "reason_required",
        "The bill does not match the order and receipts: give a reason to approve it",
        {},
        "reason",
      );
    }
    // Approvals take their number one at a time, so numbers commit in order and a reader's
    // cursor never passes a bill that commits later with a smaller number.
    await tx`select pg_advisory_xact_lock(7215368790412339431::bigint)`;
    await tx`
      update pur_bills set status = 'approved', approved_by = ${actor.id},
        approved_by_name = ${actor.name}, approved_at = now(),
        approval_reason = ${v.reason || null}, approval_seq = nextval('pur_bill_approval_seq')
      where id = ${id}`;
    await ledger?.supplierBill(tx, await billEvent(tx, b));
    await audit(tx, actor, "purchase.bill.approve", ["pur_bill", id], {
      matchStatus: b.match_status,
      reason: v.reason || null,
    });
  });
}

/** Cancels an entered bill (entered by mistake, or the supplier sends a corrected one). */
export function cancelBill(db: Db, id: number, actor: Actor): Promise<void> {
  return inTx(db, async (tx) => {
    const [b] = await tx`select status from pur_bills where id = ${id} for update`;
    if (!b) throw new PurchaseError("bill_status", "No such bill");
    if (b.status !== "entered") {
      throw new PurchaseError("bill_status", "This bill was already decided", { status: b.status });
    }
    await tx`update pur_bills set status = 'cancelled' where id = ${id}`;
    await audit(tx, actor, "purchase.bill.cancel", ["pur_bill", id]);
  });
}

function billFromRow(r: postgres.Row, lines: postgres.Row[]): Bill {
  return {
    id: r.id,
    supplierId: r.supplier_id,
    supplierName: r.supplier_name,
    supplierBin: r.supplier_bin,
    orderId: r.order_id,
    orderNumber: r.order_number,
    billNumber: r.bill_number,
    billDate: dateOf(r.bill_date),
    dueOn: dateOf(r.due_on),
    matchStatus: r.match_status,
    status: r.status,
    netMinor: Number(r.net_minor),
    vatMinor: Number(r.vat_minor),
    totalMinor: Number(r.total_minor),
    enteredByName: r.entered_by_name,
    approvedByName: r.approved_by_name,
    approvedAt: r.approved_at,
    approvalReason: r.approval_reason,
    lines: lines.filter((l) => l.bill_id === r.id).map((l) => ({
      orderLineId: l.order_line_id,
      itemCode: l.item_code,
      itemName: l.item_name,
      unit: l.unit,
      unitFactor: l.unit_factor,
      qtyBase: Number(l.qty_base),
      unitPriceMinor: Number(l.unit_price_minor),
      netMinor: Number(l.net_minor),
      vatMinor: Number(l.vat_minor),
      orderedBase: Number(l.ordered_base),
      receivedBase: Number(l.received_base),
      poPriceMinor: Number(l.po_price_minor),
      match: l.match,
    })),
  };
}

async function loadBills(db: Db, heads: postgres.Row[]): Promise<Bill[]> {
  if (heads.length === 0) return [];
  const lines = await db`
    select bl.*, l.item_code, l.item_name, l.unit, l.unit_factor from pur_bill_lines bl
    join pur_order_lines l on l.id = bl.order_line_id
    where bl.bill_id = any(${heads.map((h) => h.id as number)}::int[]) order by l.line_no`;
  return heads.map((h) => billFromRow(h, [...lines]));
}

export async function listBills(
  db: Db,
  q: { status?: string; match?: string; orderId?: number; limit?: number } = {},
): Promise<Bill[]> {
  const heads = await db`
    select b.*, s.name as supplier_name, s.bin as supplier_bin, o.number as order_number
    from pur_bills b join pur_suppliers s on s.id = b.supplier_id
    join pur_orders o on o.id = b.order_id
    where (${q.status ?? null}::text is null or b.status = ${q.status ?? null})
      and (${q.match ?? null}::text is null or b.match_status = ${q.match ?? null})
      and (${q.orderId ?? null}::int is null or b.order_id = ${q.orderId ?? null})
    order by b.id desc limit ${q.limit ?? 100}`;
  return await loadBills(db, heads);
}

export async function getBill(db: Db, id: number): Promise<Bill | null> {
  const heads = await db`
    select b.*, s.name as supplier_name, s.bin as supplier_bin, o.number as order_number
    from pur_bills b join pur_suppliers s on s.id = b.supplier_id
    join pur_orders o on o.id = b.order_id where b.id = ${id}`;
  return (await loadBills(db, heads))[0] ?? null;
}

/** An approved bill as accounting posts it (payable to the supplier, input VAT receivable). */
export interface ApprovedBill {
  /** The cursor: strictly increasing in approval order. */
  seq: number;
  billId: number;
  supplierId: number;
  supplierName: string;
  /** Null for an unregistered supplier (its VAT is not admissible as input credit). */
  supplierBin: string | null;
  billNumber: string;
  billDate: string;
  dueOn: string;
  orderNumber: string;
  netMinor: number;
  vatMinor: number;
  totalMinor: number;
  approvedAt: Date;
  lines: { itemCode: string; netMinor: number; vatMinor: number; vatRateBp: number }[];
}

/**
 * Approved bills after `cursor` (0 for the start), oldest approval first, with the next cursor.
 * Accounting keeps the cursor with its postings, so each bill posts once.
 */
export async function approvedBillsAfter(
  db: Db,
  cursor: number,
  limit = 100,
): Promise<{ bills: ApprovedBill[]; cursor: number }> {
  const heads = await db`
    select b.*, s.name as supplier_name, s.bin as supplier_bin, o.number as order_number
    from pur_bills b join pur_suppliers s on s.id = b.supplier_id
    join pur_orders o on o.id = b.order_id
    where b.status = 'approved' and b.approval_seq > ${cursor}
    order by b.approval_seq limit ${Math.min(Math.max(limit, 1), 1000)}`;
  if (heads.length === 0) return { bills: [], cursor };
  const lines = await db`
    select bl.bill_id, l.item_code, bl.net_minor, bl.vat_minor, l.vat_rate_bp
    from pur_bill_lines bl join pur_order_lines l on l.id = bl.order_line_id
    where bl.bill_id = any(${heads.map((h) => h.id as number)}::int[]) order by bl.id`;
  const bills = heads.map((h): ApprovedBill => ({
    seq: Number(h.approval_seq),
    billId: h.id,
    supplierId: h.supplier_id,
    supplierName: h.supplier_name,
    supplierBin: h.supplier_bin,
    billNumber: h.bill_number,
    billDate: dateOf(h.bill_date),
    dueOn: dateOf(h.due_on),
    orderNumber: h.order_number,
    netMinor: Number(h.net_minor),
    vatMinor: Number(h.vat_minor),
    totalMinor: Number(h.total_minor),
    approvedAt: h.approved_at,
    lines: lines.filter((l) => l.bill_id === h.id).map((l) => ({
      itemCode: l.item_code,
      netMinor: Number(l.net_minor),
      vatMinor: Number(l.vat_minor),
      vatRateBp: l.vat_rate_bp,
    })),
  }));
  return { bills, cursor: bills[bills.length - 1].seq };
}

/** An approved bill as the books see it: per line, the received value at the order's price. */
async function billEvent(tx: Tx, b: postgres.Row): Promise<BillEvent> {
  const lines = await tx`
    select bl.qty_base, bl.po_price_minor, bl.net_minor, bl.vat_minor, l.unit_factor
    from pur_bill_lines bl join pur_order_lines l on l.id = bl.order_line_id
    where bl.bill_id = ${b.id} order by bl.id`;
  return {
    billId: Number(b.id),
    billNumber: b.bill_number,
    supplierId: Number(b.supplier_id),
    lines: lines.map((l) => ({
      receivedValueMinor: lineNet(
        Number(l.qty_base),
        Number(l.po_price_minor),
        Number(l.unit_factor),
      ),
      netMinor: Number(l.net_minor),
      vatMinor: Number(l.vat_minor),
    })),
  };
}
