/**
 * What the intake context needs of others, handed to createIntake by contexts.ts: the inventory
 * port (issue 12's contract; only the parts intake calls) and the farm's tank questions.
 */
import type { Db, Tx } from "@/services/platform/tx.ts";
import type { Role } from "@/services/identity/roles.ts";

export type { FarmForIntake, TankCheck } from "@/services/farm/mod.ts";

export type LotStatus = "quarantine" | "released" | "hold" | "rejected";

/** Who acts: the inventory contract's actor plus the roles the service re-checks. */
export interface IntakeActor {
  id: string | null;
  name: string;
  roles: readonly Role[];
}

/** The parts of inventory's port (services/inventory/mod.ts `port`) intake calls. */
export interface IntakeInventory {
  ensureItem(tx: Tx, i: {
    code: string;
    nameEn: string;
    nameBn: string;
    kind: "raw_milk";
    base: "ml";
    shelfLifeDays?: number | null;
  }): Promise<{ itemId: number }>;
  receive(tx: Tx, r: {
    itemCode: string;
    locationCode: string;
    qty: number;
    lotCode?: string;
    producedOn: string;
    expiresOn?: string | null;
    status?: LotStatus;
    ref: { kind: "intake"; id: string };
    actor: { id: string | null; name: string };
    attrs?: Record<string, unknown>;
  }): Promise<{ lotId: number; lotCode: string }>;
}

export type { Db, Tx };
