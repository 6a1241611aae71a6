/**
 * The IoT context's one door. main.ts builds it once (`createIot({ sql, appSecret, mqttUrl })`);
 * routes, workers and other contexts call its use cases and never IoT's tables or files. It owns
 * devices, telemetry (and its rollups, dead letters, late marks), alarm rules and alarms, tanks
 * and their holds, duty contacts and the milkings it publishes for the farm (iot_milkings).
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Db, Tx } from "@/services/platform/tx.ts";
import type { FarmIot } from "@/services/farm/iot_port.ts";
import * as alarmRules from "./alarm_rules.ts";
import * as alarms from "./alarms.ts";
import { serviceCredentials } from "./credentials.ts";
import * as devices from "./devices.ts";
import * as duty from "./duty.ts";
import { type LiveFeed, type LiveFilter, openLiveFeed } from "./live.ts";
import * as milkings from "./milkings.ts";
import * as queries from "./queries.ts";
import { alarmsOpenedAfter, type QualityIot } from "./quality_port.ts";
import * as rollups from "./rollups.ts";
import * as tanks from "./tanks.ts";
import * as telemetry from "./telemetry.ts";
import * as views from "./views.ts";
import { iotDashboardFigures } from "./dashboard_figures.ts";

export interface IotDeps {
  sql: Sql;
  /** For the live feed's svc-live credentials (workers that open no live feed leave it out). */
  appSecret?: string;
  /** The broker the live screens subscribe to (as svc-live). */
  mqttUrl?: string;
  clock?: { now(): Date };
  /** Who a user id is (identity's names for the people named on alarm and tank pages). */
  people?: { displayName(userId: string): Promise<string | null> };
}

export function createIot(deps: IotDeps) {
  const { sql } = deps;
  const bind = <A extends unknown[], R>(fn: (db: Db, ...a: A) => R) => (...a: A): R =>
    fn(sql, ...a);
  return {
    // devices
    listDevices: bind(devices.listDevices),
    getDevice: bind(devices.getDevice),
    createDevice: bind(devices.createDevice),
    updateDevice: bind(devices.updateDevice),
    revokeDevice: bind(devices.revokeDevice),
    rotateDeviceSecret: bind(devices.rotateDeviceSecret),
    deviceInfos: bind(devices.deviceInfos),
    // alarm rules and alarms
    listRules: bind(alarmRules.listRules),
    getRule: bind(alarmRules.getRule),
    saveRule: bind(alarmRules.saveRule),
    setRuleEnabled: bind(alarmRules.setRuleEnabled),
    listAlarms: bind(alarms.listAlarms),
    getAlarm: bind(alarms.getAlarm),
    acknowledgeAlarm: bind(alarms.acknowledgeAlarm),
    resolveAlarm: bind(alarms.resolveAlarm),
    evaluateAlarms: bind(alarms.evaluateAlarms),
    // tanks
    listTanks: bind(tanks.listTanks),
    getTank: bind(tanks.getTank),
    createTank: bind(tanks.createTank),
    listTankHolds: bind(tanks.listTankHolds),
    releaseTankHold: bind(tanks.releaseTankHold),
    // duty roster
    listDutyContacts: bind(duty.listDutyContacts),
    createDutyContact: bind(duty.createDutyContact),
    updateDutyContact: bind(duty.updateDutyContact),
    // readings
    /** Writes one ingest batch in one transaction (telemetry and the milkings it completes). */
    writeBatch: (batch: telemetry.BatchWrite, opts?: { now?: number }) =>
      sql.begin((tx) => telemetry.writeBatch(tx, batch, opts)),
    listDeadLetters: bind(telemetry.listDeadLetters),
    milkToday: bind(queries.milkToday),
    farmOverview: bind(queries.farmOverview),
    deviceSummary: bind(queries.deviceSummary),
    deviceSeries: bind(queries.deviceSeries),
    /** The back office home page's tanks and alarms (dashboard_figures.ts). */
    dashboardFigures: bind(iotDashboardFigures),
    // storage plan, rollups and retention
    storageStatus: bind(rollups.storageStatus),
    storageMode: bind(rollups.storageMode),
    storageReport: () => rollups.storageReport(sql),
    runRollups: bind(rollups.runRollups),
    runRetention: bind(rollups.runRetention),
    // the live screens
    loadFarmLive: bind(views.loadFarmLive),
    loadDeviceView: bind(views.loadDeviceView),
    /** A live feed of readings and alarm changes from the broker, as svc-live. */
    async openLiveFeed(filter: LiveFilter, signal?: AbortSignal): Promise<LiveFeed> {
      if (!deps.mqttUrl || !deps.appSecret) throw new Error("createIot: no broker for live feeds");
      const credentials = await serviceCredentials(deps.appSecret, "svc-live");
      return openLiveFeed({ mqttUrl: deps.mqttUrl, credentials, filter, signal });
    },
    /** Display names of the people who acted (the handful named on one page), by user id. */
    async userNames(ids: (string | null | undefined)[]): Promise<Record<string, string>> {
      const unique = [...new Set(ids.filter((x): x is string => !!x))].slice(0, 50);
      const names = await Promise.all(
        unique.map((id) => deps.people?.displayName(id).catch(() => null) ?? null),
      );
      return Object.fromEntries(unique.map((id, i) => [id, names[i] ?? id.slice(0, 8)]));
    },
    /** What quality needs of IoT (createQuality's `iot`): the alarms opened, after a cursor. */
    forQuality: (): QualityIot => ({ alarmsOpenedAfter: (c, l) => alarmsOpenedAfter(sql, c, l) }),
    /** What the farm needs of IoT (createFarm's `iot`). */
    forFarm(): FarmIot {
      return {
        milkingsAfter: (cursor, limit) => milkings.milkingsAfter(sql, cursor, limit),
        milkingsById: (ids) => milkings.milkingsById(sql, ids),
        tankExists: async (tx, id) => (await tanks.getTank(tx, id)) !== null,
        holdTank: (tx: Tx, input) => tanks.holdTank(tx, input),
        alarmExists: async (tx, id) => (await alarms.getAlarm(tx, String(id))) !== null,
        tankHold: async (tx, id) => (await tanks.getTank(tx, id))?.hold ?? null,
      };
    },
  };
}

export type Iot = ReturnType<typeof createIot>;

export { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";

// The composition root's parts: the embedded broker, service credentials, the storage plan check.
export { startEmbeddedBroker } from "./broker.ts";
export { serviceCredentials } from "./credentials.ts";
export {
  checkStorage,
  StorageDowngradeError,
  storageStatus,
  StorageUnsupportedError,
} from "./rollups.ts";

export { iotCatalogs, iotFieldText, type IotMessages } from "./messages.ts";
export {
  DEFAULT_TOPIC_NAMESPACE,
  DEVICE_ID_PATTERN,
  DEVICE_TYPES,
  type DeviceType,
  MAX_PAYLOAD_BYTES,
  type MessageKind,
  METRICS,
  parseMessage,
  parseTopic,
  type Topics,
  topicsFor,
} from "./contract.ts";
export { type Device, type DeviceInfo, LOCATION_KINDS } from "./devices.ts";
export {
  type AlarmRule,
  RULE_KINDS,
  type RuleInput,
  type RuleKind,
  SEVERITIES,
} from "./alarm_rules.ts";
export {
  type Alarm,
  type AlarmChange,
  type AlarmEvent,
  type AlarmState,
  type EvaluateResult,
} from "./alarms.ts";
export type { Tank, TankHold } from "./tanks.ts";
export type { DutyContact } from "./duty.ts";
export type { LiveEvent, LiveFeed, LiveFilter } from "./live.ts";
export type { Milking } from "./milkings.ts";
export { ONLINE_WINDOW_MS, type Resolution } from "./queries.ts";
export {
  describeStorage,
  type RetentionResult,
  type RollupResult,
  type StorageReport,
  type StorageStatus,
} from "./rollups.ts";
export type { DeadLetter } from "./telemetry.ts";
export { type BatchWrite, DEAD_LETTER_MAX_BYTES, emptyBatch } from "./telemetry.ts";
export { pgCode } from "./db_util.ts";
export type { MqttCredentials } from "./credentials.ts";
export {
  type ChartData,
  type DeviceView,
  type FarmLiveData,
  parseRange,
  type RangeKey,
  RANGES,
  tankStatus,
  toLiveAlarm,
} from "./views.ts";
