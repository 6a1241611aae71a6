/**
 * The inventory context's door: items, units, locations, lots, the move ledger, reservations and
 * lot links (issue 12). `createInventory({ sql, clock })` returns the staff use cases and `port`,
 * the contract other contexts receive from contexts.ts (types.ts `InventoryPort`): shop,
 * subscriptions, production, quality, purchase and milk intake all move stock through it, inside
 * their own transactions.
 *
 * Owns (tables, migrations/0400_inventory.sql): inv_units, inv_items, inv_locations, inv_lots,
 * inv_moves (the ledger), inv_balances (its cache per lot and location), inv_reservations,
 * inv_lot_links, inv_lot_status_events; inv_lot_seq.
 */
import type { Sql } from "@/services/platform/db.ts";
import { inTx } from "@/services/platform/tx.ts";
import { availabilityByExpiry, availableBySku, portOf } from "./port.ts";
import { ledgerMismatches } from "./ledger.ts";
import * as stock from "./stock.ts";
import { type StaffContact, staffScreens } from "./screens.ts";
import { type OpeningLine, openingStock } from "./opening.ts";
import type { InventoryPort, MoveRef } from "./types.ts";
import { inventoryDashboardFigures } from "./dashboard_figures.ts";
import type { InventoryLedger } from "./books.ts";

export type {
  Actor,
  Base,
  ConsumeInput,
  Db,
  FreeLot,
  InventoryPort,
  Item,
  ItemInput,
  ItemKind,
  Location,
  LocationKind,
  Lot,
  LotBalance,
  LotStatus,
  MoveRef,
  MoveRefKind,
  Pick,
  ReceiveInput,
  ReservationRow,
  ReserveInput,
  ReserveLine,
  ReserveResult,
  TempClass,
} from "./types.ts";
export { BASES, ITEM_KINDS, LOT_STATUSES, MOVE_REF_KINDS } from "./types.ts";
export { InventoryError } from "./errors.ts";
export type { InventoryErrorCode } from "./errors.ts";
export { inventoryCatalogs } from "./messages.ts";
export type { InventoryMessages } from "./messages.ts";
export type { LotQuery, LotRow, StockRow } from "./stock.ts";
export type { OpeningLine } from "./opening.ts";
export * from "./screens.ts";

export interface InventoryDeps {
  sql: Sql;
  clock?: { now(): Date };
  /** Warehouse staff to send expiry alerts to (identity's, wired in contexts.ts). */
  staffContacts?: () => Promise<StaffContact[]>;
  /** The books (accounting's port): scrap, count differences, goods shipped, farm use at cost. */
  ledger?: InventoryLedger;
}

export function createInventory(deps: InventoryDeps) {
  const { sql } = deps;
  const clock = deps.clock ?? { now: () => new Date() };
  const port: InventoryPort = {
    ...portOf(clock, deps.ledger),
    availableBySku: (skus, on) => availableBySku(sql, skus, on),
  };
  return {
    port,
    // ---- staff (the warehouse screens) ----
    locations: (activeOnly = true) => stock.listLocations(sql, activeOnly),
    items: (activeOnly = true) => stock.listItems(sql, activeOnly),
    /** Stock per item (on hand, reserved, available), from the ledger's cache. */
    stockByItem: (on: string) => stock.stockByItem(sql, on),
    lots: (q: stock.LotQuery) => stock.listLots(sql, q),
    /** Sellable packs per SKU and lot expiry date on a day (the public API's availability). */
    availabilityByExpiry: (skus: string[], on: string) => availabilityByExpiry(sql, skus, on),
    lot: (lotId: number) => port.lot(sql, lotId),
    movesOfLot: (lotId: number) => stock.movesOfLot(sql, lotId),
    /** Open reservations of a ref (the picking sheet: lot and location per line). */
    reservationsOf: (refs: MoveRef[]) => stock.reservationsOf(sql, refs),
    /** Lots with stock expiring on or before `until`. */
    nearExpiry: (on: string, days: number) => stock.nearExpiry(sql, on, days),
    receive: (r: Parameters<InventoryPort["receive"]>[1]) => inTx(sql, (tx) => port.receive(tx, r)),
    setLotStatus: (s: Parameters<InventoryPort["setLotStatus"]>[1]) =>
      inTx(sql, (tx) => port.setLotStatus(tx, s)),
    /**
     * Opening stock in bulk (seeds, imports): missing items created, one released lot per line.
     */
    openingStock: (
      items: Parameters<InventoryPort["ensureItem"]>[1][],
      lines: OpeningLine[],
      actor: { id: string | null; name: string },
    ) => inTx(sql, (tx) => openingStock(tx, clock.now(), items, lines, actor, deps.ledger)),
    /** Balances that differ from the ledger (empty when all is well; for checks and tests). */
    ledgerMismatches: () => ledgerMismatches(sql),
    /** The back office home page's lot figures for one day (dashboard_figures.ts). */
    dashboardFigures: (day: string, nearDays?: number) =>
      inventoryDashboardFigures(sql, day, nearDays),
    // Locations, transfers (Mushak 6.5), cycle counts, scrap, expiry alerts (screens.ts).
    ...staffScreens({ sql, clock, staffContacts: deps.staffContacts, ledger: deps.ledger }),
  };
}

export type Inventory = ReturnType<typeof createInventory>;
export { inventoryForRecall } from "./lineage.ts";
