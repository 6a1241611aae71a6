/**
 * Inventory as quality sees it: the contract's port (lot status, holds by location, a lot, its
 * item) plus the warehouse door's lot list, turned into QualityInventory (ports.ts). Quality never
 * reads inv_* tables.
 */
import type { Inventory, Lot } from "@/services/inventory/mod.ts";
import type { Sql } from "@/services/platform/db.ts";
import type { Db } from "@/services/platform/tx.ts";
import type { LotStatus, QcLot, QualityInventory } from "./ports.ts";

/** What quality is handed of inventory's door (contexts.ts passes the door). */
export type InventoryDoor = Pick<Inventory, "port" | "lots" | "items">;

export function qualityInventory(sql: Sql, inv: InventoryDoor): QualityInventory {
  const toQc = async (db: Db, lot: Lot): Promise<QcLot> => {
    const item = await inv.port.item(db, lot.itemCode);
    const here = lot.balances.find((b) => b.onHand > 0) ?? lot.balances[0];
    return {
      id: lot.id,
      code: lot.code,
      itemCode: lot.itemCode,
      itemName: lot.itemName.en,
      itemKind: item?.kind ?? "",
      status: lot.status,
      locationCode: here?.locationCode ?? lot.locationCode,
      onHand: lot.onHand,
      base: lot.base,
      producedOn: lot.producedOn,
      expiresOn: lot.expiresOn,
    };
  };
  return {
    setLotStatus: (tx, s) => inv.port.setLotStatus(tx, s),
    holdAtLocation: (tx, h) => inv.port.holdAtLocation(tx, h),
    async lot(tx, lotId) {
      const db = tx ?? sql;
      const lot = await inv.port.lot(db, lotId);
      return lot ? await toQc(db, lot) : null;
    },
    async lotsByStatus(statuses: LotStatus[], limit: number) {
      const items = new Map((await inv.items(false)).map((i) => [i.code, i]));
      const out = new Map<number, QcLot>();
      for (const status of statuses) {
        for (const r of await inv.lots({ status, limit })) {
          const seen = out.get(r.id);
          if (seen) {
            seen.onHand += r.onHand;
            continue;
          }
          const item = items.get(r.itemCode);
          out.set(r.id, {
            id: r.id,
            code: r.code,
            itemCode: r.itemCode,
            itemName: r.itemName,
            itemKind: item?.kind ?? "",
            status: r.status,
            locationCode: r.locationCode,
            onHand: r.onHand,
            base: item?.base ?? "",
            producedOn: r.producedOn,
            expiresOn: r.expiresOn,
          });
        }
      }
      return [...out.values()].sort((a, b) => b.id - a.id).slice(0, limit);
    },
    async items() {
      return (await inv.items()).map((i) => ({
        code: i.code,
        nameEn: i.nameEn,
        nameBn: i.nameBn,
        kind: i.kind,
      }));
    },
  };
}
