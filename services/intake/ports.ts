/**
 * What the intake context needs of others, handed to createIntake by contexts.ts: the inventory
 * port (issue 12's contract; only the parts intake calls) and the farm's tank questions.
 */
import type { Db, Tx } from "@/services/platform/tx.ts";
import type { Role } from "@/services/identity/roles.ts";
import type { InventoryPort } from "@/services/inventory/mod.ts";

export type { FarmForIntake, TankCheck } from "@/services/farm/mod.ts";

/** Who acts: the inventory contract's actor plus the roles the service re-checks. */
export interface IntakeActor {
  id: string | null;
  name: string;
  roles: readonly Role[];
}

/** The parts of inventory's port (services/inventory/mod.ts `port`) intake calls. */
export type IntakeInventory = Pick<InventoryPort, "item" | "ensureItem" | "receive">;

export type { Db, Tx };

/** The books (accounting's port, handed over by contexts.ts): milk into stock, payouts. */
export type { IntakeLedger } from "@/services/accounting/mod.ts";
