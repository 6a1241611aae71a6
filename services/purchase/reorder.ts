/**
 * Reorder proposals: items whose available stock plus what is already on order fell below their
 * reorder point, grouped by the item's preferred supplier. A proposal becomes a draft purchase
 * order with one click (computed again at that moment, so it never orders twice).
 */
import { type Db, inTx, type Tx } from "@/services/platform/tx.ts";
import { PurchaseError } from "./errors.ts";
import { createOrder } from "./orders.ts";
import type { Actor, PurchaseInventory, ReorderCandidate } from "./port.ts";
import { fromBase, type Unit, UNITS } from "./units.ts";

export interface ProposalLine {
  itemCode: string;
  itemName: string;
  itemNameBn: string;
  base: string;
  available: number;
  onOrder: number;
  reorderPoint: number;
  /** What to order, in base units (whole supplier units). */
  qtyBase: number;
  unit: string;
  /** The quantity in the supplier's unit, as typed on an order line. */
  qty: string;
  unitPriceMinor: number | null;
}

export interface Proposal {
  supplierId: number | null;
  supplierName: string | null;
  lines: ProposalLine[];
}

async function compute(tx: Tx, candidates: ReorderCandidate[]): Promise<Proposal[]> {
  if (candidates.length === 0) return [];
  const codes = candidates.map((c) => c.code);
  const open = await tx`
    select l.item_code, sum(greatest(l.qty_base - coalesce(r.received, 0), 0))::bigint as due
    from pur_order_lines l join pur_orders o on o.id = l.order_id
    left join (select order_line_id, sum(qty_base) as received from pur_receipt_lines
               group by order_line_id) r on r.order_line_id = l.id
    where o.status in ('draft', 'sent', 'partially_received') and l.item_code = any(${codes})
    group by l.item_code`;
  const onOrder = new Map(open.map((r) => [r.item_code as string, Number(r.due)]));
  const prices = await tx`
    select p.item_code, p.supplier_id, p.unit, p.unit_price_minor, s.name as supplier_name
    from pur_price_list p join pur_suppliers s on s.id = p.supplier_id and s.active
    where p.preferred and p.item_code = any(${codes})`;
  const preferred = new Map(prices.map((p) => [p.item_code as string, p]));
  const groups = new Map<number | null, Proposal>();
  for (const c of candidates) {
    const due = onOrder.get(c.code) ?? 0;
    if (c.available + due >= c.reorderPoint) continue;
    const wanted = Math.max(c.reorderQty ?? 0, c.reorderPoint - c.available - due);
    const p = preferred.get(c.code);
    const unit = (p?.unit ?? c.base) as Unit;
    const factor = UNITS[unit]?.factor ?? 1;
    const qtyBase = Math.ceil(wanted / factor) * factor;
    const key = p ? p.supplier_id as number : null;
    const g: Proposal = groups.get(key) ??
      { supplierId: key, supplierName: p?.supplier_name ?? null, lines: [] };
    g.lines.push({
      itemCode: c.code,
      itemName: c.nameEn,
      itemNameBn: c.nameBn,
      base: c.base,
      available: c.available,
      onOrder: due,
      reorderPoint: c.reorderPoint,
      qtyBase,
      unit,
      qty: fromBase(qtyBase, unit),
      unitPriceMinor: p ? Number(p.unit_price_minor) : null,
    });
    groups.set(key, g);
  }
  // Suppliers by name; items nobody is preferred for last.
  return [...groups.values()].sort((a, b) =>
    a.supplierName === null ? 1 : b.supplierName === null ? -1 : a.supplierName.localeCompare(
      b.supplierName,
    )
  );
}

export async function reorderProposals(
  db: Db,
  inventory: PurchaseInventory,
  on: string,
): Promise<Proposal[]> {
  const candidates = await inventory.reorderCandidates(on);
  return await inTx(db, (tx) => compute(tx, candidates));
}

/** Turns the proposal for one supplier into a draft order (its lines at the list prices). */
export async function orderFromProposal(
  db: Db,
  inventory: PurchaseInventory,
  supplierId: number,
  actor: Actor,
  today: string,
  deliverTo: string,
): Promise<{ id: number; number: string }> {
  // Stock is read first (on its own connection); what is on order is read under the lock.
  const candidates = await inventory.reorderCandidates(today);
  return await inTx(db, async (tx) => {
    // One proposal turns into an order once, even when two people click together.
    await tx`select pg_advisory_xact_lock(7215368790412339430::bigint)`;
    const proposal = (await compute(tx, candidates)).find((p) => p.supplierId === supplierId);
    if (!proposal) {
      throw new PurchaseError("no_proposal", "Nothing to order from this supplier now");
    }
    return await createOrder(
      tx,
      inventory,
      {
        supplierId,
        deliverTo,
        note: "Reorder proposal",
        lines: proposal.lines.map((l) => ({ itemCode: l.itemCode, unit: l.unit, qty: l.qty })),
      },
      actor,
      today,
    );
  });
}
