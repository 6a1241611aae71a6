/**
 * What production needs of the inventory context: its port (issue 12's inventory contract,
 * services/inventory/mod.ts), handed to `createProduction` by contexts.ts. Production never reads
 * `inv_*` tables: it calls the port inside its own transaction, so a consumption, the output lots
 * and the order's rows commit together.
 */
export type {
  Actor as InvActor,
  Base,
  InventoryPort as ProductionInventory,
  Item as InvItem,
  ItemKind,
} from "@/services/inventory/mod.ts";

/** Production's moves and lot links all carry the order number as their reference. */
export interface ProductionRef {
  kind: "production";
  id: string;
}

/** The books (accounting's port, handed over by contexts.ts): inputs taken, goods made at cost. */
export type { ProductionLedger } from "@/services/accounting/mod.ts";
