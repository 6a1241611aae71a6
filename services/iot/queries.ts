/**
 * Read models for the live screens: the farm overview (tanks, today's milk by session, open
 * alarms, device health) and a device's page (latest values, series at a resolution that fits
 * the range). Every query goes through an index: telemetry by (device_id, metric, at).
 */
import { type Alarm, farmDayStart, listAlarms, SESSIONS } from "./alarms.ts";
import { type DeviceType, METRICS } from "./contract.ts";
import type { Db } from "@/services/platform/tx.ts";
import { type Device, getDevice } from "./devices.ts";
import { listTanks, type Tank } from "./tanks.ts";

const MIN = 60_000;
/** A device counts as online when it sent anything in this window. */
export const ONLINE_WINDOW_MS = 15 * MIN;

export interface TankOverview extends Tank {
  temperatureC: number | null;
  temperatureAt: Date | null;
  thermometerId: string | null;
}

export interface SessionMilk {
  session: "morning" | "evening" | "other";
  kg: number;
  milkings: number;
  cows: number;
}

export interface FarmOverview {
  at: Date;
  tanks: TankOverview[];
  milkToday: { day: string; totalKg: number; sessions: SessionMilk[] };
  alarms: { active: Alarm[]; critical: number; warning: number; info: number };
  devices: { total: number; online: number; offline: number; byType: Record<string, number> };
}

/** Latest temperature per tank from its thermometers (the newest reading wins). */
async function tankTemperatures(db: Db, now: Date) {
  const rows = await db`
    select distinct on (d.tank_id) d.tank_id, d.id as device_id, l.at, l.value
    from devices d
    cross join lateral (
      select at, value from telemetry t
      where t.device_id = d.id and t.metric = 'temperature_c' and t.at <= ${now}
      order by t.at desc limit 1) l
    where d.type = 'tank_thermometer' and d.tank_id is not null and d.revoked_at is null
    order by d.tank_id, l.at desc`;
  return new Map(rows.map((r) => [r.tank_id as string, r]));
}

/** Today's (farm day, Asia/Dhaka) milk by milking session, from the milk meters. */
export async function milkToday(
  db: Db,
  now: Date = new Date(),
): Promise<FarmOverview["milkToday"]> {
  const start = farmDayStart(now);
  const rows = await db`
    select ((extract(epoch from t.at)::bigint / 60 + 360) % 1440)::int as minute,
      t.value, t.animal_tag
    from devices d
    join telemetry t on t.device_id = d.id and t.metric = 'yield_kg'
      and t.at >= ${start} and t.at <= ${now}
    where d.type = 'milk_meter'`;
  const acc = new Map<
    SessionMilk["session"],
    { kg: number; milkings: number; cows: Set<string> }
  >();
  for (const name of ["morning", "evening", "other"] as const) {
    acc.set(name, { kg: 0, milkings: 0, cows: new Set() });
  }
  for (const r of rows) {
    const s = SESSIONS.find((x) => r.minute >= x.from && r.minute < x.to)?.name ?? "other";
    const a = acc.get(s)!;
    a.kg += r.value;
    a.milkings++;
    if (r.animal_tag) a.cows.add(r.animal_tag);
  }
  const sessions = [...acc].map(([session, a]) => ({
    session,
    kg: Math.round(a.kg * 10) / 10,
    milkings: a.milkings,
    cows: a.cows.size,
  }));
  const local = new Date(start.getTime() + 6 * 3_600_000).toISOString().slice(0, 10);
  return {
    day: local,
    totalKg: Math.round(sessions.reduce((s, x) => s + x.kg, 0) * 10) / 10,
    sessions,
  };
}

export async function farmOverview(db: Db, opts: { now?: Date } = {}): Promise<FarmOverview> {
  const now = opts.now ?? new Date();
  const [tanks, temps, milk, active, health] = await Promise.all([
    listTanks(db),
    tankTemperatures(db, now),
    milkToday(db, now),
    listAlarms(db, { state: "active", limit: 50 }),
    db`
      select type, count(*)::int as n,
        count(*) filter (where last_seen_at > ${new Date(now.getTime() - ONLINE_WINDOW_MS)})::int
          as online
      from devices where revoked_at is null group by type`,
  ]);
  const byType: Record<string, number> = {};
  let total = 0;
  let online = 0;
  for (const r of health) {
    byType[r.type] = r.n;
    total += r.n;
    online += r.online;
  }
  return {
    at: now,
    tanks: tanks.map((t) => {
      const r = temps.get(t.id);
      return {
        ...t,
        temperatureC: r ? r.value : null,
        temperatureAt: r ? r.at : null,
        thermometerId: r ? r.device_id : null,
      };
    }),
    milkToday: milk,
    alarms: {
      active,
      critical: active.filter((a) => a.severity === "critical").length,
      warning: active.filter((a) => a.severity === "warning").length,
      info: active.filter((a) => a.severity === "info").length,
    },
    devices: { total, online, offline: total - online, byType },
  };
}

export interface LatestValue {
  metric: string;
  at: Date;
  value: number;
}

/** The newest value of each metric a device has (its type's metrics, battery and signal). */
export async function latestValues(
  db: Db,
  deviceId: string,
  type: DeviceType,
): Promise<LatestValue[]> {
  const metrics = [...METRICS[type], "battery_pct", "rssi_dbm"];
  const rows = await db`
    select m.metric, l.at, l.value
    from unnest(${metrics}::text[]) with ordinality as m(metric, ord)
    cross join lateral (
      select at, value from telemetry t
      where t.device_id = ${deviceId} and t.metric = m.metric
      order by t.at desc limit 1) l
    order by m.ord`;
  return rows.map((r) => ({ metric: r.metric, at: r.at, value: r.value }));
}

export interface DeviceSummary {
  device: Device;
  online: boolean;
  latest: LatestValue[];
  alarms: Alarm[];
  readings24h: number;
  deadLetters24h: number;
}

export async function deviceSummary(
  db: Db,
  deviceId: string,
  opts: { now?: Date } = {},
): Promise<DeviceSummary | null> {
  const now = opts.now ?? new Date();
  const device = await getDevice(db, deviceId);
  if (!device) return null;
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const [latest, alarms, [counts]] = await Promise.all([
    latestValues(db, deviceId, device.type),
    listAlarms(db, { state: "all", deviceId, limit: 20 }),
    db`
      select
        (select count(*)::int from telemetry
          where device_id = ${deviceId} and at > ${dayAgo} and at <= ${now}) as readings,
        (select count(*)::int from telemetry_dead_letters
          where device_id = ${deviceId} and received_at > ${dayAgo}) as dead`,
  ]);
  return {
    device,
    online: !!device.lastSeenAt && now.getTime() - device.lastSeenAt.getTime() < ONLINE_WINDOW_MS,
    latest,
    alarms,
    readings24h: counts.readings,
    deadLetters24h: counts.dead,
  };
}

export type Resolution = "raw" | "hour" | "day";

export interface SeriesQuery {
  deviceId: string;
  metric: string;
  from: Date;
  to: Date;
  /** "auto" (default): raw up to 2 days, hourly up to 120 days, daily beyond. */
  resolution?: Resolution | "auto";
  /** Raw ranges with more readings than this are averaged into equal buckets. */
  maxPoints?: number;
}

/**
 * A series in columns (what a uPlot chart wants): times in ms, and for aggregated resolutions the
 * bucket average in `value` with min and max alongside.
 */
export interface Series {
  resolution: Resolution;
  /** Bucket width for aggregated series (0 for raw readings). */
  bucketSeconds: number;
  at: number[];
  value: number[];
  min: number[] | null;
  max: number[] | null;
}

export function chooseResolution(from: Date, to: Date): Resolution {
  const span = to.getTime() - from.getTime();
  if (span <= 2 * 86_400_000) return "raw";
  if (span <= 120 * 86_400_000) return "hour";
  return "day";
}

export async function deviceSeries(db: Db, q: SeriesQuery): Promise<Series> {
  if (!(q.to.getTime() > q.from.getTime())) throw new RangeError("`to` must be after `from`");
  const resolution = !q.resolution || q.resolution === "auto"
    ? chooseResolution(q.from, q.to)
    : q.resolution;
  const maxPoints = Math.min(Math.max(q.maxPoints ?? 2000, 2), 20_000);
  if (resolution === "raw") {
    const [{ n }] = await db`
      select count(*)::int as n from telemetry
      where device_id = ${q.deviceId} and metric = ${q.metric}
        and at >= ${q.from} and at <= ${q.to}`;
    if (n <= maxPoints) {
      const rows = await db`
        select (extract(epoch from at) * 1000)::float8 as t, value from telemetry
        where device_id = ${q.deviceId} and metric = ${q.metric}
          and at >= ${q.from} and at <= ${q.to}
        order by at`;
      return {
        resolution,
        bucketSeconds: 0,
        at: rows.map((r) => r.t),
        value: rows.map((r) => r.value),
        min: null,
        max: null,
      };
    }
    const bucketSeconds = Math.ceil((q.to.getTime() - q.from.getTime()) / 1000 / maxPoints);
    const rows = await db`
      select (extract(epoch from date_bin(make_interval(secs => ${bucketSeconds}), at, ${q.from}))
          * 1000)::float8 as t, avg(value) as value, min(value) as min, max(value) as max
      from telemetry
      where device_id = ${q.deviceId} and metric = ${q.metric} and at >= ${q.from} and at <= ${q.to}
      group by 1 order by 1`;
    return columns("raw", bucketSeconds, rows);
  }
  const rows = resolution === "hour"
    ? await db`
      select (extract(epoch from bucket) * 1000)::float8 as t, value_avg as value,
        value_min as min, value_max as max
      from telemetry_hourly
      where device_id = ${q.deviceId} and metric = ${q.metric}
        and bucket >= ${q.from} and bucket <= ${q.to}
      order by bucket`
    : await db`
      select (extract(epoch from bucket) * 1000)::float8 as t, value_avg as value,
        value_min as min, value_max as max
      from telemetry_daily
      where device_id = ${q.deviceId} and metric = ${q.metric}
        and bucket >= ${q.from} and bucket <= ${q.to}
      order by bucket`;
  return columns(resolution, resolution === "hour" ? 3600 : 86400, rows);
}

function columns(resolution: Resolution, bucketSeconds: number, rows: Record<string, number>[]) {
  return {
    resolution,
    bucketSeconds,
    at: rows.map((r) => r.t),
    value: rows.map((r) => r.value),
    min: rows.map((r) => r.min),
    max: rows.map((r) => r.max),
  };
}
