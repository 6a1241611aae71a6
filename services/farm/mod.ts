/**
 * The farm context's one door. main.ts builds it once (`createFarm({ sql, clock, iot })`); routes
 * and workers call its use cases and never the farm's tables or files. It owns the herd register,
 * milk records, health, reproduction, feeding, settings, the offline-sync ledger and the farm
 * jobs; what it needs of IoT (milkings, tanks, alarms) comes through `iot` (iot_port.ts), and
 * feed and medicine stock (lots purchasing received) through `inventory` (inventory_port.ts).
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Db } from "@/services/platform/tx.ts";
import type { Actor } from "./actor.ts";
import * as animals from "./animals.ts";
import * as calendar from "./calendar.ts";
import * as csvImport from "./csv_import.ts";
import * as dashboard from "./dashboard.ts";
import { farmDashboardFigures } from "./dashboard_figures.ts";
import { farmDay } from "./dates.ts";
import * as feed from "./feed.ts";
import * as groups from "./groups.ts";
import * as health from "./health.ts";
import * as herdData from "./herd_data.ts";
import type { FarmIot } from "./iot_port.ts";
import { farmForIntake } from "./intake_port.ts";
import * as jobs from "./jobs.ts";
import * as milk from "./milk.ts";
import * as repro from "./repro.ts";
import * as settings from "./settings.ts";
import * as sync from "./sync.ts";
import * as stock from "./stock.ts";
import type { FarmInventory } from "./inventory_port.ts";
import { inTx } from "@/services/platform/tx.ts";
import * as vaccines from "./vaccines.ts";

export interface FarmDeps {
  sql: Sql;
  /** What IoT offers the farm (services/iot/mod.ts `forFarm()`). */
  iot: FarmIot;
  clock?: { now(): Date };
  /** Feed and medicine lots at the farm (inventory_port.ts `inventoryForFarm`). */
  inventory?: FarmInventory;
}

export function createFarm(deps: FarmDeps) {
  const { sql, iot } = deps;
  const inv = deps.inventory;
  const now = () => deps.clock?.now() ?? new Date();
  const bind = <A extends unknown[], R>(fn: (db: Db, ...a: A) => R) => (...a: A): R =>
    fn(sql, ...a);
  return {
    /** Today's farm day (Asia/Dhaka) by the door's clock. */
    today: () => farmDay(now()),
    // herd register
    getAnimal: (id: number) => animals.getAnimal(sql, id, now()),
    getAnimalByTag: (tag: string) => animals.getAnimalByTag(sql, tag, now()),
    listAnimals: (query?: animals.AnimalQuery) => animals.listAnimals(sql, query, now()),
    recorderAnimals: () => animals.recorderAnimals(sql, now()),
    listGroups: bind(animals.listGroups),
    listBulls: bind(animals.listBulls),
    createAnimal: bind(animals.createAnimal),
    updateAnimal: bind(animals.updateAnimal),
    exitAnimal: bind(animals.exitAnimal),
    pedigree: bind(animals.pedigree),
    offspring: bind(animals.offspring),
    importAnimalsCsv: bind(csvImport.importAnimalsCsv),
    // groups, feeds, rations, medicines, vaccination schedules (the manage screens)
    listAllGroups: bind(groups.listAllGroups),
    createGroup: bind(groups.createGroup),
    renameGroup: bind(groups.renameGroup),
    setGroupActive: bind(groups.setGroupActive),
    listFeedItems: bind(feed.listFeedItems),
    listAllFeedItems: bind(feed.listAllFeedItems),
    /** Creates (or re-prices) a feed item by name, and links it to stock when the form says. */
    saveFeedItem: (input: Record<string, unknown>, actor: Actor) =>
      inTx(sql, async (tx) => {
        const id = await feed.saveFeedItem(tx, input as never, actor);
        await stock.linkFeedItem(tx, inv, id, input);
        return id;
      }),
    /** Edits a feed item and its link to a stock item (`stockItemCode`, counted in grams). */
    updateFeedItem: (id: number, input: Record<string, unknown>, actor: Actor) =>
      inTx(sql, async (tx) => {
        await feed.updateFeedItem(tx, id, input as never, actor);
        await stock.linkFeedItem(tx, inv, id, input);
      }),
    listRations: bind(feed.listRations),
    createRation: bind(feed.createRation),
    updateRation: bind(feed.updateRation),
    currentRations: bind(feed.currentRations),
    recordFeeding: (
      input: Parameters<typeof feed.recordFeeding>[1],
      actor: Actor,
      opts: { clientId?: string } = {},
    ) => feed.recordFeeding(sql, input, actor, { ...opts, stock: inv }),
    feedRation: (input: { date: string; groupId: number }, actor: Actor) =>
      feed.feedRation(sql, input, actor, { stock: inv }),
    feedingsOn: bind(feed.feedingsOn),
    feedCostBetween: bind(feed.feedCostBetween),
    listMedicines: bind(health.listMedicines),
    listAllMedicines: bind(health.listAllMedicines),
    /**
     * Creates (id null) or edits a medicine and its link to a stock item (`stockItemCode`,
     * `unitsPerStock`: its units in one stock unit).
     */
    saveMedicine: (id: number | null, input: Record<string, unknown>, actor: Actor) =>
      inTx(sql, async (tx) => {
        const saved = await health.saveMedicine(tx, id, input as never, actor);
        await stock.linkMedicine(tx, inv, saved, input);
        return saved;
      }),
    /** Stock per linked medicine / feed at the farm's locations (lots earliest expiry first). */
    medicineStock: () => stock.medicineStock(sql, inv, farmDay(now())),
    feedStock: () => stock.feedStock(sql, inv, farmDay(now())),
    /** Stock items the farm may link (kinds medicine and feed). */
    stockItems: () => inv?.items() ?? Promise.resolve([]),
    stockToReconcile: bind(stock.stockToReconcile),
    resolveStockDraw: bind(stock.resolveStockDraw),
    listScheduleRows: bind(vaccines.listScheduleRows),
    saveSchedule: bind(vaccines.saveSchedule),
    // health
    recordTreatment: (
      input: health.TreatmentInput,
      actor: Actor,
      opts: { clientId?: string } = {},
    ) => health.recordTreatment(sql, input, actor, { ...opts, stock: inv, now: now() }),
    listAlerts: bind(health.listAlerts),
    resolveAlert: bind(health.resolveAlert),
    listTreatments: bind(health.listTreatments),
    underWithdrawal: () => health.underWithdrawal(sql, now()),
    listSchedules: bind(health.listSchedules),
    vaccinationsDue: bind(health.vaccinationsDue),
    // reproduction
    animalEvents: bind(repro.animalEvents),
    recordPregnancyCheck: bind(repro.recordPregnancyCheck),
    recordDryOff: bind(repro.recordDryOff),
    setDoNotBreed: bind(repro.setDoNotBreed),
    // milk
    recordMilking: (input: milk.MilkingInput, actor: Actor, opts: { clientId?: string } = {}) =>
      milk.recordMilking(sql, input, actor, { ...opts, iot, now: now() }),
    recordTankIntake: (
      input: Parameters<typeof milk.recordTankIntake>[1],
      actor: Actor,
      opts: { clientId?: string } = {},
    ) => milk.recordTankIntake(sql, input, actor, { ...opts, iot }),
    dayTotals: bind(milk.dayTotals),
    farmDailyTotals: bind(milk.farmDailyTotals),
    animalMilkings: bind(milk.animalMilkings),
    lactationSummaries: bind(milk.lactationSummaries),
    // overviews
    herdDashboard: bind(dashboard.herdDashboard),
    loadHerdData: bind(herdData.loadHerdData),
    /** The back office home page's milk figure for one day (dashboard_figures.ts). */
    dashboardFigures: bind(farmDashboardFigures),
    dueList: calendar.dueList,
    getSettings: bind(settings.getSettings),
    updateSettings: bind(settings.updateSettings),
    // the staff PWA's offline sync
    syncEntries: (entries: unknown[], actor: Actor) =>
      sync.syncEntries(sql, entries, actor, iot, inv, now()),
    // scheduled work (milkings IoT published → milk records; calves → heifers)
    runJobs: (at?: Date) => jobs.runFarmJobs(sql, iot, at ?? now()),
    /** What intake asks of the farm about a bulk tank (services/farm/intake_port.ts). */
    forIntake: () => farmForIntake(iot),
    startJobs: (opts: { intervalMs?: number; signal?: AbortSignal; log?: (m: string) => void }) =>
      jobs.startFarmJobs(sql, iot, { ...opts, clock: deps.clock }),
  };
}

export type Farm = ReturnType<typeof createFarm>;

export { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
/** A query parameter as a positive int4 id, or null. */
export { optionalId } from "@/services/platform/schema.ts";

export type { Actor } from "./actor.ts";
export type { FarmIot, MeterMilking } from "./iot_port.ts";
export { type FarmInventory, type FarmStockItem, inventoryForFarm } from "./inventory_port.ts";
export type { StockDrawRow, StockLot, StockOnHand } from "./stock.ts";
export type { FarmForIntake, TankCheck } from "./intake_port.ts";
export { FarmRuleError } from "./errors.ts";
export { type FarmMessages, farmMessages, fill } from "./messages.ts";
export { addDays, daysBetween, farmDay, isIsoDate } from "./dates.ts";
export {
  ANIMAL_STATUSES,
  type AnimalRow,
  BREEDS,
  EXIT_REASONS,
  type FarmGroup,
  type PedigreeNode,
  type RecorderAnimal,
} from "./animals.ts";
export type { DueItem } from "./calendar.ts";
export { type ImportReport, MAX_IMPORT_BYTES } from "./csv_import.ts";
export type { HerdDashboard } from "./dashboard.ts";
export type { FeedingRow, FeedItem, FeedItemRow, Ration } from "./feed.ts";
export { GROUP_KINDS, type GroupRow } from "./groups.ts";
export {
  CONDITIONS,
  type FarmAlert,
  type Medicine,
  type MedicineRow,
  ROUTES,
  type TreatmentRow,
  type VaccinationSchedule,
} from "./health.ts";
export { daysInMilk, feedCostPerLitre, kgToLitres } from "./kpi.ts";
export { type DayTotals, type FarmDaily, type LactationSummary, SESSIONS } from "./milk.ts";
export type { ReproEventRow } from "./repro.ts";
export { SCHEDULE_STATUSES, type ScheduleRow } from "./vaccines.ts";
export { syncRequestSchema } from "./sync.ts";
export { farmForRecall } from "./trace.ts";
