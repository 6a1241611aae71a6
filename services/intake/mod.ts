/**
 * The intake context's one door (issue 12 §4 milk intake). contexts.ts builds it once:
 * `createIntake({ sql, clock, keyring, inventory: inventory.port, farm: farm.forIntake(), secret })`.
 * It owns the `intake_*` tables (migrations/0440): tank receipts, contract farmers, collection
 * points, the fat/SNF price chart, deliveries, the point-day lots, statements, deductions and the
 * farmers' sign-in codes. Farmers' phone and bKash numbers are stored encrypted with a blind
 * index for lookup (farmer_numbers.ts); `sealFarmerNumbers()` encrypts rows written before
 * migration 0441 (main.ts runs it at start-up, and the door runs it once before its first use of
 * the farmers). Raw milk enters stock through inventory's port (`receive`), and the farm
 * says whether a tank may be received (`tankCheck`) and which cows' milk went in (`cowsInTank`).
 */
import type { Sql } from "@/services/platform/db.ts";
import { NotFoundError } from "@/services/platform/errors.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import type { Db } from "@/services/platform/tx.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { sealFarmerNumbers } from "./farmer_numbers.ts";
import * as deliveries from "./deliveries.ts";
import * as access from "./farmer_access.ts";
import type { FarmForIntake, IntakeActor, IntakeInventory, IntakeLedger } from "./ports.ts";
import * as register from "./register.ts";
import * as statements from "./statements.ts";
import * as tanks from "./tanks.ts";

export interface IntakeDeps {
  sql: Sql;
  clock?: { now(): Date };
  /** Encrypts farmers' phone and bKash numbers and keys the phone's blind index. */
  keyring: Keyring;
  /** Inventory's port (services/inventory/mod.ts): intake lots enter stock through `receive`. */
  inventory: IntakeInventory;
  /** The farm's answers about its bulk tanks (services/farm/mod.ts `forIntake()`). */
  farm: FarmForIntake;
  /** Signs the farmers' access tokens (the app secret). */
  secret: string;
  /** The books (accounting's port): milk into stock owed to farmers, statements paid. */
  ledger?: IntakeLedger;
}

export function createIntake(deps: IntakeDeps) {
  const { sql } = deps;
  const now = () => deps.clock?.now() ?? new Date();
  const tankDeps = { inventory: deps.inventory, farm: deps.farm, now, ledger: deps.ledger };
  const { keyring } = deps;
  const bind = <A extends unknown[], R>(fn: (db: Db, ...a: A) => R) => (...a: A): R =>
    fn(sql, ...a);
  // Rows written before migration 0441 are encrypted once per door, before the farmers are read.
  let sealing: Promise<number> | null = null;
  const seal = () =>
    sealing ??= sealFarmerNumbers(sql, keyring).catch((e) => {
      sealing = null;
      throw e;
    });
  /** `fn(sql, keyring, …)` once the farmers' numbers are sealed. */
  const sealed =
    <A extends unknown[], R>(fn: (db: Db, k: Keyring, ...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      await seal();
      return fn(sql, keyring, ...a);
    };
  return {
    now,
    /** Encrypts the numbers of farmers written before migration 0441 (start-up; idempotent). */
    sealFarmerNumbers: seal,
    /** Today in Asia/Dhaka by the door's clock (form defaults). */
    today: () => dhakaDate(now()),
    // bulk tanks
    receiveTank: (input: tanks.TankReceiptInput, actor: IntakeActor) =>
      tanks.receiveTank(sql, tankDeps, input, actor),
    listTankReceipts: bind(tanks.listTankReceipts),
    // registers
    listFarmers: sealed(register.listFarmers),
    getFarmer: sealed(register.getFarmer),
    saveFarmer: sealed(register.saveFarmer),
    listPoints: bind(register.listPoints),
    createPoint: bind(register.createPoint),
    listCharts: bind(register.listCharts),
    chartOn: bind(register.chartOn),
    saveChart: bind(register.saveChart),
    addDeduction: (input: Parameters<typeof register.addDeduction>[1], actor: IntakeActor) =>
      register.addDeduction(sql, input, actor, now()),
    // deliveries at collection points
    recordDelivery: (input: deliveries.DeliveryInput, actor: IntakeActor) =>
      deliveries.recordDelivery(sql, input, actor, now()),
    listDeliveries: bind(deliveries.listDeliveries),
    pointDays: bind(deliveries.pointDays),
    receivePointDay: (
      input: Parameters<typeof deliveries.receivePointDay>[2],
      actor: IntakeActor,
    ) => deliveries.receivePointDay(sql, deps, input, actor, now()),
    // statements and payouts
    buildStatements: (input: Record<string, unknown>, actor: IntakeActor) =>
      statements.buildStatements(sql, input, actor, now()),
    listStatements: sealed(statements.listStatements),
    getStatement: sealed(statements.getStatement),
    markPaid: (input: Parameters<typeof statements.markPaid>[1], actor: IntakeActor) =>
      statements.markPaid(sql, input, actor, now(), deps.ledger),
    payoutFile: sealed(statements.payoutFile),
    // the farmer's phone page
    startFarmerSignIn: sealed((db, k, input: Record<string, unknown>) =>
      access.startFarmerSignIn(db, k, input, now())
    ),
    completeFarmerSignIn: sealed((db, k, input: Record<string, unknown>) =>
      access.completeFarmerSignIn(db, k, deps.secret, input, now())
    ),
    /** The farmer a page's access token names, or null. */
    farmerOfToken: (token: string | null | undefined) =>
      access.farmerOfToken(deps.secret, token, now()),
    /** What a signed-in farmer sees: themself, recent deliveries with tests, statements. */
    async farmerHome(farmerId: number) {
      await seal();
      const farmer = await register.getFarmer(sql, keyring, farmerId);
      if (!farmer || !farmer.active) throw new NotFoundError("No such farmer");
      const [recent, own] = await Promise.all([
        deliveries.listDeliveries(sql, { farmerId, limit: 60 }),
        statements.listStatements(sql, keyring, { farmerId }),
      ]);
      return { farmer, deliveries: recent, statements: own.slice(0, 36) };
    },
    /** One delivery of this farmer; another farmer's is "not found". */
    async farmerDelivery(farmerId: number, deliveryId: number) {
      const [d] = await deliveries.listDeliveries(sql, { id: deliveryId, farmerId });
      if (!d) throw new NotFoundError("No such delivery");
      return d;
    },
    /** One statement of this farmer, with its deliveries; another farmer's is "not found". */
    async farmerStatement(farmerId: number, statementId: number) {
      await seal();
      const s = await statements.getStatement(sql, keyring, statementId);
      if (s.farmerId !== farmerId) throw new NotFoundError("No such statement");
      const lines = await deliveries.listDeliveries(sql, {
        farmerId,
        from: s.periodStart,
        to: s.periodEnd,
        limit: 100,
      });
      return { statement: s, deliveries: lines };
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;

export { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
export { IntakeError, type IntakeErrorCode } from "./errors.ts";
export type { FarmForIntake, IntakeActor, IntakeInventory } from "./ports.ts";
export { amountFor, periodOf, type Price, type PriceChart, priceFor } from "./pricing.ts";
export { type CollectionPoint, type Farmer, normalisePhone } from "./register.ts";
export { type Delivery, DELIVERY_SESSIONS, REJECT_REASONS } from "./deliveries.ts";
export { PAY_METHODS, type Statement } from "./statements.ts";
export { TANK_SESSIONS, type TankReceiptResult, type TankReceiptRow } from "./tanks.ts";
export { TOKEN_TTL_MS } from "./farmer_access.ts";
export { type IntakeMessages, intakeMessages } from "./messages.ts";
export { intakeError } from "./translate.ts";
/** Path and query ids (a bad one is a 404 / null). */
export { optionalId, pathId } from "@/services/platform/schema.ts";
export { intakeForRecall } from "./trace.ts";
