/**
 * Views of the live screens, shared by /farm/live, its event stream and the back office's device
 * page: the overview as island props, and a device's view (summary, latest values, charts for a
 * range). Offered through the IoT door (services/iot/mod.ts).
 */
import type { Db } from "@/services/platform/tx.ts";
import type { Alarm } from "./alarms.ts";
import { listRules } from "./alarm_rules.ts";
import type { DeviceType } from "./contract.ts";
import { METRICS } from "./contract.ts";
import { deviceSeries, deviceSummary, farmOverview, type Series } from "./queries.ts";
import type { Tank } from "./tanks.ts";
import type {
  LiveAlarmView,
  LiveMilkView,
  LiveTankView,
  TankBands,
} from "@/components/IotFormat.ts";

export function toLiveAlarm(a: Alarm): LiveAlarmView {
  return {
    id: a.id,
    severity: a.severity,
    state: a.state,
    message: a.message,
    deviceId: a.deviceId,
    tankId: a.tankId,
    openedAt: a.openedAt.getTime(),
  };
}

export function tankStatus(t: Tank): Pick<LiveTankView, "id" | "status" | "holdReason" | "heldAt"> {
  return {
    id: t.id,
    status: t.status,
    holdReason: t.hold?.reason ?? null,
    heldAt: t.hold?.heldAt.getTime() ?? null,
  };
}

/**
 * The tank colour bands from the enabled "above" thresholds on tank thermometers: the lowest is
 * "warm", the highest "hot" (4 °C and 8 °C with the default rules).
 */
export async function tankBands(db: Db): Promise<TankBands> {
  const values = (await listRules(db, { enabledOnly: true }))
    .filter((r) =>
      r.kind === "threshold" && r.deviceType === "tank_thermometer" &&
      r.metric === "temperature_c" && (r.params as { op: string }).op === ">"
    )
    .map((r) => (r.params as { value: number }).value);
  if (!values.length) return { warm: 4, hot: 8 };
  return { warm: Math.min(...values), hot: Math.max(...values) };
}

export interface FarmLiveData {
  tanks: LiveTankView[];
  milk: LiveMilkView;
  alarms: LiveAlarmView[];
  bands: TankBands;
  devices: { total: number; online: number; byType: Record<string, number> };
  now: number;
}

export async function loadFarmLive(db: Db, now = new Date()): Promise<FarmLiveData> {
  const [o, bands] = await Promise.all([farmOverview(db, { now }), tankBands(db)]);
  return {
    tanks: o.tanks.map((t) => ({
      ...tankStatus(t),
      name: t.name,
      capacityL: t.capacityL,
      temperatureC: t.temperatureC,
      temperatureAt: t.temperatureAt?.getTime() ?? null,
      thermometerId: t.thermometerId,
    })),
    milk: o.milkToday,
    alarms: o.alarms.active.map(toLiveAlarm),
    bands,
    devices: { total: o.devices.total, online: o.devices.online, byType: o.devices.byType },
    now: now.getTime(),
  };
}

// ---- a device's page ------------------------------------------------------------------------

const HOUR = 3_600_000;
export const RANGES = {
  "6h": 6 * HOUR,
  "24h": 24 * HOUR,
  "7d": 7 * 24 * HOUR,
  "30d": 30 * 24 * HOUR,
  "1y": 365 * 24 * HOUR,
} as const;
export type RangeKey = keyof typeof RANGES;

export function parseRange(v: string | null): RangeKey {
  return v && v in RANGES ? v as RangeKey : "24h";
}

/** Ranges up to this long are drawn from raw readings, so live readings can be appended. */
const LIVE_SPAN_MS = RANGES["24h"];

/** A metric's series as the chart draws it. */
export interface ChartData extends Series {
  metric: string;
}

export interface DeviceView {
  device: {
    id: string;
    type: DeviceType;
    name: string;
    locationKind: string | null;
    location: string | null;
    animalTag: string | null;
    tankId: string | null;
    firmwareVersion: string | null;
    notes: string | null;
    revokedAt: number | null;
    lastSeenAt: number | null;
    createdAt: number;
    secretRotatedAt: number;
    status: Record<string, unknown> | null;
  };
  online: boolean;
  latest: { metric: string; value: number; at: number }[];
  alarms: Alarm[];
  readings24h: number;
  deadLetters24h: number;
  range: RangeKey;
  charts: ChartData[];
  /** Whether new readings are appended to the charts (short ranges of an active device). */
  live: boolean;
  now: number;
}

const round = (v: number) => Math.round(v * 1000) / 1000;
const POINTS = 720;

export async function loadDeviceView(
  db: Db,
  id: string,
  range: RangeKey,
  now = new Date(),
): Promise<DeviceView | null> {
  const s = await deviceSummary(db, id, { now });
  if (!s) return null;
  const d = s.device;
  // Charts for the metrics this device has ever sent (its type's, then battery and signal).
  const sent = new Set(s.latest.map((l) => l.metric));
  const metrics = [...METRICS[d.type], "battery_pct", "rssi_dbm"].filter((x) => sent.has(x));
  const from = new Date(now.getTime() - RANGES[range]);
  const charts: ChartData[] = [];
  for (const metric of metrics) {
    const series = await deviceSeries(db, {
      deviceId: id,
      metric,
      from,
      to: now,
      maxPoints: POINTS,
    });
    charts.push({
      metric,
      resolution: series.resolution,
      bucketSeconds: series.bucketSeconds,
      at: series.at,
      value: series.value.map(round),
      min: series.min?.map(round) ?? null,
      max: series.max?.map(round) ?? null,
    });
  }
  return {
    device: {
      id: d.id,
      type: d.type,
      name: d.name,
      locationKind: d.locationKind,
      location: d.location,
      animalTag: d.animalTag,
      tankId: d.tankId,
      firmwareVersion: d.firmwareVersion,
      notes: d.notes,
      revokedAt: d.revokedAt?.getTime() ?? null,
      lastSeenAt: d.lastSeenAt?.getTime() ?? null,
      createdAt: d.createdAt.getTime(),
      secretRotatedAt: d.secretRotatedAt.getTime(),
      status: d.status,
    },
    online: s.online,
    latest: s.latest.map((l) => ({ metric: l.metric, value: l.value, at: l.at.getTime() })),
    alarms: s.alarms,
    readings24h: s.readings24h,
    deadLetters24h: s.deadLetters24h,
    range,
    charts,
    live: RANGES[range] <= LIVE_SPAN_MS && !d.revokedAt,
    now: now.getTime(),
  };
}
