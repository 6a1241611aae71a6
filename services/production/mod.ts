/**
 * The production context's one door (issue 12 §5). `createProduction({ sql, clock, inventory })`
 * returns the use cases of the production screens: bills of materials by version with effective
 * dates, the Mushak 4.3 declaration printed from them, production orders (plan → start, consuming
 * lots FEFO or by hand → finish, receiving product and by-product lots with their lineage) and the
 * fat/SNF standardisation calculator. Stock is inventory's: every lot taken or made goes through
 * its port (`inventory`), inside production's transaction. Tables: `prod_*` (migration 0420).
 */
import type { Sql } from "@/services/platform/db.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { parseInput } from "@/services/platform/errors.ts";
import { z } from "@/services/platform/schema.ts";
import * as boms from "./boms.ts";
import type { InvActor, ProductionInventory, ProductionLedger } from "./inventory_port.ts";
import type { LotQuery, LotRow } from "@/services/inventory/mod.ts";
import { mushak43 } from "./mushak.ts";
import * as orders from "./orders.ts";
import { blendOf, standardise } from "./standardise.ts";

export interface ProductionDeps {
  sql: Sql;
  clock: { now(): Date };
  /** The inventory context's port (services/inventory/mod.ts). */
  inventory: ProductionInventory;
  /** Inventory's lot list (the start form offers released lots to choose by hand). */
  lots?: (q: LotQuery) => Promise<LotRow[]>;
  /** The books (accounting's port): work in progress, goods made at cost, yield variance. */
  ledger?: ProductionLedger;
}

const pct = (max: number) =>
  z.coerce.number({ error: "Enter a percentage" }).min(0, "Enter a percentage").max(
    max,
    "Enter a percentage",
  );
const standardiseSchema = z.object({
  milkMl: z.coerce.number({ error: "Enter the milk in ml" }).int("Enter the milk in ml")
    .min(1, "Enter the milk in ml").max(1_000_000_000, "Enter the milk in ml"),
  fatPct: pct(20),
  snfPct: pct(20),
  targetFatPct: pct(20),
  targetSnfPct: pct(20),
});

export function createProduction(deps: ProductionDeps) {
  const { sql, clock, inventory } = deps;
  const today = () => dhakaDate(clock.now());
  const change = (actor: InvActor) => ({
    db: sql,
    inventory,
    actor,
    at: clock.now(),
    ledger: deps.ledger,
  });
  return {
    /** Today in Dhaka by the door's clock. */
    today,
    // bills of materials
    listBoms: (opts: { on?: string; q?: string } = {}) =>
      boms.listBoms(sql, opts.on ?? today(), opts.q ?? ""),
    getBom: (id: number) => boms.getBom(sql, id),
    bomVersions: (outputItemCode: string) => boms.bomVersions(sql, outputItemCode),
    bomInForce: (outputItemCode: string, on?: string) =>
      boms.bomInForce(sql, outputItemCode, on ?? today()),
    saveBomVersion: (form: unknown, actor: InvActor) =>
      boms.saveBomVersion(sql, inventory, form, actor),
    /** The Mushak 4.3 declaration of a product from the BoM in force on `on`. */
    mushak43: (outputItemCode: string, on?: string) =>
      mushak43(sql, inventory, outputItemCode, on ?? today()),
    // production orders
    listOrders: (filter: Parameters<typeof orders.listOrders>[1] = {}) =>
      orders.listOrders(sql, filter),
    getOrder: (id: number) => orders.getOrder(sql, id),
    createOrder: (form: unknown, actor: InvActor) => orders.createOrder(sql, form, actor),
    previewPicks: (id: number, on?: string) =>
      orders.previewPicks(sql, inventory, id, on ?? today()),
    /**
     * What the start form shows: the order, the lots FEFO would take today (nothing taken) and the
     * released lots of each input, earliest expiry first, to choose by hand instead.
     */
    startView: async (id: number) => {
      const detail = await orders.getOrder(sql, id);
      const plan: orders.PickPlan = detail.order.status === "planned"
        ? await orders.previewPicks(sql, inventory, id, today())
        : { ok: true, picks: [] };
      const candidates: { lineNo: number; itemCode: string; lots: LotRow[] }[] = [];
      for (const i of detail.inputs) {
        const lots = deps.lots && detail.order.status === "planned"
          ? await deps.lots({ itemCode: i.itemCode, status: "released", limit: 20 })
          : [];
        candidates.push({ lineNo: i.lineNo, itemCode: i.itemCode, lots });
      }
      return { detail, plan, candidates };
    },
    startOrder: (id: number, form: unknown, actor: InvActor) =>
      orders.startOrder(change(actor), id, form),
    finishOrder: (id: number, form: unknown, actor: InvActor) =>
      orders.finishOrder(change(actor), id, form),
    cancelOrder: (id: number, actor: InvActor) => orders.cancelOrder(sql, id, actor, clock.now()),
    /** The fat/SNF calculator (ValidationError on input it cannot use). */
    standardise: (form: unknown) => standardise(parseInput(standardiseSchema, form)),
    blendOf,
  };
}

export type Production = ReturnType<typeof createProduction>;

export { ProductionError } from "./errors.ts";
export type { ProductionCode } from "./errors.ts";
export { productionCatalogs } from "./messages.ts";
export type { Bom, BomListRow } from "./boms.ts";
export type { OrderDetail, OrderRow, OrderStatus, PickPlan } from "./orders.ts";
export { OUTPUT_LOCATIONS } from "./orders.ts";
export type { Mushak43 } from "./mushak.ts";
export type { StandardiseResult } from "./standardise.ts";
export type { InvActor, ProductionInventory } from "./inventory_port.ts";
export { seedProduction } from "./demo.ts";
export { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
/** Query and path parsing the production pages use. */
export { cleanQuery, isoDate, optionalId, pathId } from "@/services/platform/schema.ts";
