/**
 * What purchasing needs of inventory (the inventory contract of issue 12, narrowed): an item's
 * kind and base unit, receiving stock as a lot, and the items whose available stock fell below
 * their reorder point. contexts.ts hands the inventory port in; tests may hand a fake.
 */
import type { Tx } from "@/services/platform/tx.ts";
import type { ItemInput, ItemKind, ReceiveInput } from "@/services/inventory/mod.ts";

export type { Actor, ItemKind, LotStatus } from "@/services/inventory/mod.ts";

/** An item as inventory's contract describes it, without what only the shop and stock use. */
export type PurchaseItem = Omit<ItemInput, "minShelfDays" | "shopSku">;

/** A line of a receipt or a bill: which order line, which item, how much in base units. */
export interface OfOrderLine {
  orderLineId: number;
  itemCode: string;
  itemName: string;
  unit: string;
  qtyBase: number;
}

export interface ReorderCandidate extends PurchaseItem {
  reorderPoint: number;
  reorderQty: number | null;
  /** On hand − reserved, released and unexpired stock, in base units. */
  available: number;
}

export interface PurchaseInventory {
  item(tx: Tx, code: string): Promise<PurchaseItem | null>;
  receive(
    tx: Tx,
    r: ReceiveInput & { ref: { kind: "purchase"; id: string } },
  ): Promise<{ lotId: number; lotCode: string }>;
  /**
   * Items with a reorder point, with their available stock on `on` (YYYY-MM-DD). Read on its own
   * connection, never inside a purchasing transaction (the embedded database has one connection).
   */
  reorderCandidates(on: string): Promise<ReorderCandidate[]>;
  /** Receiving locations staff may choose (code and names). */
  locations?(): Promise<{ code: string; nameEn: string; nameBn: string }[]>;
}

/** Items that need a quality check before use: they enter stock in quarantine. */
export const QC_ON_RECEIPT: ReadonlySet<ItemKind> = new Set(["medicine", "ingredient"]);
