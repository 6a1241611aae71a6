/**
 * The purchase context's one door (issue 12 §8): suppliers and price lists, purchase requests,
 * purchase orders, receipts into inventory lots, supplier bills matched three ways with their
 * input VAT, and reorder proposals. Tables `pur_*` (migrations/0430); inventory is reached only
 * through the port handed in (`inventory`), inside purchasing's transaction.
 *
 *   const purchase = createPurchase({ sql, clock, inventory: purchaseInventory(inventory) });
 */
import type { PurchaseLedger } from "@/services/accounting/port.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import type { Sql } from "@/services/platform/db.ts";
import type { Db } from "@/services/platform/tx.ts";
import * as bills from "./bills.ts";
import * as orders from "./orders.ts";
import type { Actor, PurchaseInventory } from "./port.ts";
import * as receipts from "./receipts.ts";
import * as reorder from "./reorder.ts";
import * as suppliers from "./suppliers.ts";
import { purchaseDashboardFigures } from "./dashboard_figures.ts";

export interface PurchaseDeps {
  sql: Sql;
  clock?: { now(): Date };
  inventory: PurchaseInventory;
  /** The books (accounting's port): receipts and approved bills post in our transactions. */
  ledger?: PurchaseLedger;
  /** Where goods are received when nobody says (the plant's dry store). */
  defaultLocation?: string;
}

export function createPurchase(deps: PurchaseDeps) {
  const { sql, inventory } = deps;
  const today = () => dhakaDate(deps.clock?.now() ?? new Date());
  const home = deps.defaultLocation ?? "PLANT-DRY";
  const bind = <A extends unknown[], R>(fn: (db: Db, ...a: A) => R) => (...a: A): R =>
    fn(sql, ...a);
  /** Binds a use case that also reaches inventory. */
  const withStock = <A extends unknown[], R>(
    fn: (db: Db, inv: PurchaseInventory, ...a: A) => R,
  ) =>
  (...a: A): R => fn(sql, inventory, ...a);
  return {
    today,
    defaultLocation: home,
    /** Receiving locations to choose from (empty when inventory does not list them). */
    locations: async () => (await inventory.locations?.()) ?? [],
    /** An inventory item by code (name, base unit, kind) for the forms. */
    item: (code: string) => sql.begin((tx) => inventory.item(tx, code)),
    // suppliers and price lists
    listSuppliers: bind(suppliers.listSuppliers),
    getSupplier: bind(suppliers.getSupplier),
    createSupplier: bind(suppliers.createSupplier),
    updateSupplier: bind(suppliers.updateSupplier),
    priceList: bind(suppliers.priceList),
    setPrice: withStock(suppliers.setPrice),
    // requests
    createRequest: withStock(orders.createRequest),
    listRequests: bind(orders.listRequests),
    decideRequest: (id: number, input: orders.RequestDecision, actor: Actor) =>
      orders.decideRequest(sql, inventory, id, input, actor, today(), home),
    // orders
    createOrder: (input: orders.OrderInput, actor: Actor) =>
      orders.createOrder(sql, inventory, input, actor, today()),
    addOrderLine: withStock(orders.addOrderLine),
    removeOrderLine: bind(orders.removeOrderLine),
    sendOrder: bind(orders.sendOrder),
    cancelOrder: bind(orders.cancelOrder),
    closeOrder: bind(orders.closeOrder),
    getOrder: bind(orders.getOrder),
    listOrders: bind(orders.listOrders),
    // receipts
    receiveGoods: (orderId: number, input: receipts.ReceiptInput, actor: Actor) =>
      receipts.receiveGoods(sql, inventory, orderId, input, actor, deps.ledger),
    listReceipts: bind(receipts.listReceipts),
    // bills
    enterBill: bind(bills.enterBill),
    approveBill: (id: number, input: Parameters<typeof bills.approveBill>[2], actor: Actor) =>
      bills.approveBill(sql, id, input, actor, deps.ledger),
    cancelBill: bind(bills.cancelBill),
    getBill: bind(bills.getBill),
    listBills: bind(bills.listBills),
    /** For accounting (issue 13): approved bills with their input VAT after a cursor. */
    approvedBillsAfter: bind(bills.approvedBillsAfter),
    /** The back office home page's approvals waiting (dashboard_figures.ts). */
    dashboardFigures: () => purchaseDashboardFigures(sql),
    // reorder proposals
    reorderProposals: () => reorder.reorderProposals(sql, inventory, today()),
    orderFromProposal: (supplierId: number, actor: Actor) =>
      reorder.orderFromProposal(sql, inventory, supplierId, actor, today(), home),
  };
}

export type Purchase = ReturnType<typeof createPurchase>;

export { PurchaseError, type PurchaseErrorCode } from "./errors.ts";
export { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
export type {
  Actor,
  ItemKind,
  LotStatus,
  PurchaseInventory,
  PurchaseItem,
  ReorderCandidate,
} from "./port.ts";
export { QC_ON_RECEIPT } from "./port.ts";
export { normaliseBin, SUPPLIER_CATEGORIES } from "./suppliers.ts";
export type { PriceListEntry, Supplier, SupplierCategory, SupplierInput } from "./suppliers.ts";
export { ORDER_STATUSES } from "./orders.ts";
export type { Order, OrderLine, OrderStatus, OrderSummary, PurchaseRequest } from "./orders.ts";
export type { Receipt, ReceiptLine } from "./receipts.ts";
export { matchLine } from "./bills.ts";
export type { ApprovedBill, Bill, BillLine, LineMatch } from "./bills.ts";
export type { Proposal, ProposalLine } from "./reorder.ts";
export { fromBase, isUnit, lineNet, toBase, UNIT_CODES, UNITS, unitsFor, vatOf } from "./units.ts";
export { type PurchaseMessages, purchaseMessages } from "./messages.ts";
export { inventoryForPurchase } from "./inventory_port.ts";
/** Query and path ids for the pages (a bad path id is a 404). */
export { optionalId, pathId } from "@/services/platform/schema.ts";
