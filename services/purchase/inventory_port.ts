/**
 * Purchasing's view of the inventory door (services/inventory/mod.ts): items, receiving lots,
 * the stock per item for reorder points and the receiving locations. contexts.ts wires it.
 */
import type { Inventory } from "@/services/inventory/mod.ts";
import type { PurchaseInventory } from "./port.ts";

export function inventoryForPurchase(inventory: Inventory): PurchaseInventory {
  const { port } = inventory;
  return {
    item: async (tx, code) => {
      const i = await port.item(tx, code);
      return i && i.active ? i : null;
    },
    receive: (tx, r) => port.receive(tx, r),
    async reorderCandidates(on) {
      const rows = (await inventory.stockByItem(on)).filter((r) => r.reorderPoint !== null);
      const items = new Map((await inventory.items()).map((i) => [i.code, i]));
      const out = [];
      for (const r of rows) {
        const item = items.get(r.code);
        if (!item) continue;
        out.push({
          ...item,
          reorderPoint: r.reorderPoint!,
          reorderQty: item.reorderQty,
          available: r.available,
        });
      }
      return out;
    },
    locations: async () =>
      (await inventory.locations()).map((l) => ({
        code: l.code,
        nameEn: l.nameEn,
        nameBn: l.nameBn,
      })),
  };
}
