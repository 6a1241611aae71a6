/**
 * What quality needs of the other contexts, handed to createQuality by contexts.ts: inventory's
 * lot status changes and holds (its port, issue 12's inventory contract) and IoT's opened alarms.
 */
import type { Tx } from "@/services/platform/tx.ts";
export type { OpenedAlarm, QualityIot } from "@/services/iot/quality_port.ts";

export type LotStatus = "quarantine" | "released" | "hold" | "rejected";
export interface Actor {
  id: string | null;
  name: string;
}

/** A lot as quality shows and judges it. */
export interface QcLot {
  id: number;
  code: string;
  itemCode: string;
  itemName: string;
  itemKind: string;
  status: LotStatus;
  locationCode: string | null;
  onHand: number;
  base: string;
  producedOn: string | null;
  expiresOn: string | null;
}

/** The part of inventory's port quality calls (in quality's transaction). */
export interface QualityInventory {
  setLotStatus(
    tx: Tx,
    s: { lotId: number; status: LotStatus; reason: string; actor: Actor },
  ): Promise<void>;
  holdAtLocation(
    tx: Tx,
    h: { locationCode?: string; deviceId?: string; reason: string; actor: Actor },
  ): Promise<number[]>;
  lot(tx: Tx | null, lotId: number): Promise<QcLot | null>;
  /** Lots in these statuses with stock (the screens' queue), newest first. */
  lotsByStatus(statuses: LotStatus[], limit: number): Promise<QcLot[]>;
  /** The active items a plan may test (the plans page's choice), by code. */
  items(): Promise<{ code: string; nameEn: string; nameBn: string; kind: string }[]>;
}

/** Who acts when the cold-chain job holds lots. */
export const SYSTEM_ACTOR: Actor = { id: null, name: "cold chain monitor" };
