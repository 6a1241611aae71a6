/**
 * What production needs of the inventory context (issue 12's inventory contract, the port the
 * inventory door hands other contexts). Production never reads `inv_*` tables: it asks this port,
 * inside its own transaction, so a consumption, the output lots and the order's rows commit
 * together.
 */
import type { Tx } from "@/services/platform/db.ts";

export type Base = "ml" | "g" | "pc";
export type ItemKind =
  | "raw_milk"
  | "ingredient"
  | "packaging"
  | "finished"
  | "byproduct"
  | "feed"
  | "medicine";
export type LotStatus = "quarantine" | "released" | "hold" | "rejected";
export interface InvActor {
  id: string | null;
  name: string;
}
export interface ProductionRef {
  kind: "production";
  id: string;
}

/** The fields of an inventory item production reads. */
export interface InvItem {
  code: string;
  nameEn: string;
  nameBn: string;
  kind: ItemKind;
  base: Base;
  shelfLifeDays: number | null;
}

/** The fields of an inventory lot production reads. */
export interface InvLot {
  id: number;
  code: string;
  itemCode: string;
  status: LotStatus;
  expiresOn: string | null;
  onHand: number;
  attrs: Record<string, unknown>;
}

export interface ProductionInventory {
  ensureItem(tx: Tx, i: {
    code: string;
    nameEn: string;
    nameBn: string;
    kind: ItemKind;
    base: Base;
    shelfLifeDays?: number | null;
    shopSku?: string | null;
  }): Promise<{ itemId: number }>;
  item(tx: Tx, code: string): Promise<InvItem | null>;
  receive(tx: Tx, r: {
    itemCode: string;
    locationCode: string;
    qty: number;
    lotCode?: string;
    producedOn: string;
    expiresOn?: string | null;
    status?: LotStatus;
    ref: ProductionRef | { kind: "opening" | "intake" | "purchase"; id: string };
    actor: InvActor;
    attrs?: Record<string, unknown>;
  }): Promise<{ lotId: number; lotCode: string }>;
  consume(tx: Tx, c: {
    lotId: number;
    qty: number;
    reason: "production" | "scrap";
    ref: ProductionRef;
    actor: InvActor;
    note?: string;
  }): Promise<void>;
  reserve(tx: Tx, r: {
    ref: ProductionRef;
    lines: { itemCode?: string; qty: number; minShelfDays?: number }[];
    on: string;
    locationCodes?: string[];
  }): Promise<
    | {
      ok: true;
      picks: {
        lineIndex: number;
        lotId: number;
        lotCode: string;
        locationCode: string;
        qty: number;
        expiresOn: string;
      }[];
    }
    | { ok: false; short: { lineIndex: number; wanted: number; available: number }[] }
  >;
  releaseReservation(tx: Tx, ref: ProductionRef): Promise<void>;
  linkLots(
    tx: Tx,
    l: { parentLotId: number; childLotId: number; qty: number; ref: ProductionRef },
  ): Promise<void>;
  lot(tx: Tx, lotId: number): Promise<InvLot | null>;
  setLotStatus(
    tx: Tx,
    s: { lotId: number; status: LotStatus; reason: string; actor: InvActor },
  ): Promise<void>;
}
