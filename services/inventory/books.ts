/**
 * What inventory tells the books (accounting's port, handed over by contexts.ts as
 * `InventoryLedger`): scrap, approved count differences and stock that left to customers or to
 * the farm, each in the move's own transaction. The books value the quantities (FIFO or moving
 * average per item) and post the entry; inventory only names items, kinds and quantities.
 */
import type { InventoryLedger } from "@/services/accounting/mod.ts";
import type { Db, ItemKind } from "./types.ts";

export type { InventoryLedger };

/** Item code and kind per item id (the books name items by code). */
export async function itemKinds(
  db: Db,
  itemIds: number[],
): Promise<Map<number, { itemCode: string; kind: ItemKind }>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db`select id, code, kind from inv_items where id = any(${itemIds}::bigint[])`;
  return new Map(rows.map((r) => [Number(r.id), { itemCode: r.code, kind: r.kind }]));
}

/** Sums quantities per item (several lots or locations of one item make one line). */
export async function stockLines(
  db: Db,
  moves: { itemId: number; qty: number }[],
): Promise<{ itemCode: string; kind: ItemKind; qty: number }[]> {
  const byItem = new Map<number, number>();
  for (const m of moves) byItem.set(m.itemId, (byItem.get(m.itemId) ?? 0) + m.qty);
  const kinds = await itemKinds(db, [...byItem.keys()]);
  return [...byItem].filter(([, q]) => q !== 0).map(([id, qty]) => ({ ...kinds.get(id)!, qty }));
}
