/**
 * What the farm needs of inventory (issue 12 §8: feed and medicine come from the lots purchasing
 * receives): the stock items it may link, the free lots at its locations (earliest expiry first)
 * and consuming from a lot (reason `farm_use`, ref `{ kind: "farm", id }`) in the farm's
 * transaction. contexts.ts wires it (`inventoryForFarm(inventory)`); the farm never reads inv_*.
 */
import type { Db } from "@/services/platform/tx.ts";
import type { FreeLot, Inventory } from "@/services/inventory/mod.ts";

export interface FarmStockItem {
  code: string;
  nameEn: string;
  nameBn: string;
  kind: string;
  /** The stock unit: ml, g or pc. */
  base: "ml" | "g" | "pc";
}

/** A lot as the farm sees it: its item, state and what is free at the farm's locations. */
export interface FarmLotState {
  lotId: number;
  lotCode: string;
  itemCode: string;
  status: string;
  expiresOn: string | null;
  available: number;
}

/** Why a draw failed: inventory's code (short, not_released, expired, unknown_lot…) and params. */
export type DrawOutcome = { ok: true } | {
  ok: false;
  code: string;
  params: Record<string, unknown>;
  message: string;
};

export interface FarmInventory {
  item(tx: Db, code: string): Promise<FarmStockItem | null>;
  /** Active stock items of kinds feed and medicine (for the link on the manage screens). */
  items(): Promise<FarmStockItem[]>;
  freeLots(tx: Db, q: { itemCodes: string[]; locationCodes: string[]; on: string }): Promise<
    FreeLot[]
  >;
  lot(tx: Db, lotId: number, locationCodes: string[]): Promise<FarmLotState | null>;
  /** Takes qty (stock units) of the lot at the farm's locations; a refusal is returned. */
  consume(
    tx: Db,
    c: {
      lotId: number;
      qty: number;
      on: string;
      locationCodes: string[];
      refId: string;
      actor: { id: string | null; name: string };
      note?: string;
    },
  ): Promise<DrawOutcome>;
}

export type { FreeLot };

export function inventoryForFarm(inventory: Inventory): FarmInventory {
  const { port } = inventory;
  const toItem = (
    i: { code: string; nameEn: string; nameBn: string; kind: string; base: string },
  ) => ({
    code: i.code,
    nameEn: i.nameEn,
    nameBn: i.nameBn,
    kind: i.kind,
    base: i.base as FarmStockItem["base"],
  });
  return {
    async item(tx, code) {
      const i = await port.item(tx, code);
      return i && i.active ? toItem(i) : null;
    },
    async items() {
      return (await inventory.items()).filter((i) => i.kind === "feed" || i.kind === "medicine")
        .map(toItem);
    },
    freeLots: (tx, q) => port.freeLots(tx, q),
    async lot(tx, lotId, locationCodes) {
      const l = await port.lot(tx, lotId);
      if (!l) return null;
      const available = l.balances.filter((b) => locationCodes.includes(b.locationCode))
        .reduce((s, b) => s + b.onHand - b.reserved, 0);
      return {
        lotId: l.id,
        lotCode: l.code,
        itemCode: l.itemCode,
        status: l.status,
        expiresOn: l.expiresOn,
        available,
      };
    },
    async consume(tx, c) {
      try {
        await port.consume(tx, {
          lotId: c.lotId,
          qty: c.qty,
          reason: "farm_use",
          ref: { kind: "farm", id: c.refId },
          actor: c.actor,
          on: c.on,
          locationCodes: c.locationCodes,
          note: c.note,
        });
        return { ok: true };
      } catch (e) {
        const err = e as { name?: string; code?: string; params?: Record<string, unknown> };
        if (err?.name !== "InventoryError") throw e;
        return {
          ok: false,
          code: err.code ?? "short",
          params: err.params ?? {},
          message: (e as Error).message,
        };
      }
    },
  };
}
