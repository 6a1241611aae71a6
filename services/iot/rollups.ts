/**
 * Rollups and retention for telemetry when TimescaleDB's continuous aggregates are not there
 * (the 'plain' and 'hypertable' storage modes; see migrations/0100_iot.sql).
 *
 * Rollups are incremental: the ingest marks the (device, hour) buckets it writes in
 * telemetry_dirty (at most every few seconds per bucket), and runRollups recomputes, from the raw
 * rows, every bucket marked since its previous run minus a safety margin, then the farm days
 * (Asia/Dhaka) those hours belong to from the hourly rows. Recomputing rather than adding makes
 * a run idempotent and immune to duplicates and late readings. The margin must exceed the
 * ingest's re-mark interval plus its longest transaction.
 */
import type { Sql } from "@/services/platform/db.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { dhakaDate, dhakaDayStart } from "@/services/platform/dhaka.ts";
import { type TimescaleInfo, timescaleInfo } from "@/services/platform/migrate.ts";

export type StorageMode = "timescale" | "hypertable" | "plain";

export async function storageMode(db: Db): Promise<StorageMode> {
  const [row] = await db`select mode from iot_storage`;
  return (row?.mode ?? "plain") as StorageMode;
}

/** The storage plan that runs, what the server allows now, and why (migrations 0100, 0250). */
export interface StorageStatus {
  mode: StorageMode;
  /** The plan this server's TimescaleDB and licence allow, checked now. */
  allowed: StorageMode;
  /** Why this plan runs (or why it fell back), as recorded by the migration. */
  reason: string;
  /** The error that made a setup step fail, if one did. */
  detail: string | null;
  decidedAt: Date | null;
  /** True when the mode is below what the server allows. */
  downgraded: boolean;
  /**
   * True when the mode needs more than the server allows now (TimescaleDB removed, or its licence
   * changed to Apache after the migrations): writes to the telemetry would fail.
   */
  unsupported: boolean;
}

const RANK: Record<StorageMode, number> = { plain: 0, hypertable: 1, timescale: 2 };

/** `allowed` overrides what the server allows (tests: a server with more than this machine). */
export async function storageStatus(
  db: Db,
  opts: { allowed?: StorageMode } = {},
): Promise<StorageStatus> {
  const [row] = await db`
    select s.mode, s.reason, s.detail, s.decided_at,
      iot_storage_plan(sd_timescale_available(), sd_timescale_license()) as allowed
    from (select 1) one left join iot_storage s on true`;
  const mode = (row.mode ?? "plain") as StorageMode;
  const allowed = opts.allowed ?? row.allowed as StorageMode;
  const downgraded = RANK[mode] < RANK[allowed];
  const unsupported = RANK[mode] > RANK[allowed];
  let reason: string = row.reason ?? row.detail ?? "no reason recorded";
  if (downgraded && !reason.startsWith("DOWNGRADE")) {
    reason = `DOWNGRADE: the server allows ${allowed} but this database uses ${mode} (${reason})`;
  }
  return {
    mode,
    allowed,
    reason,
    detail: row.detail ?? null,
    decidedAt: row.decided_at ?? null,
    downgraded,
    unsupported,
  };
}

/** One line for the start-up log and the worker: which plan runs and why. */
export function describeStorage(s: StorageStatus): string {
  const gap = s.downgraded || s.unsupported ? ` (server allows ${s.allowed})` : "";
  return `IoT storage: ${s.mode}${gap}: ${s.reason}`;
}

export class StorageDowngradeError extends Error {
  constructor(readonly status: StorageStatus) {
    super(
      `${describeStorage(status)}. Refusing to start on a storage plan below what the server ` +
        `allows: fix the cause (iot_storage.detail) and run \`select iot_storage_apply()\` in the ` +
        `database, or set IOT_ALLOW_FALLBACK=1 to accept the fallback (docs/iot_storage.md).`,
    );
    this.name = "StorageDowngradeError";
  }
}

/** The database was set up for a plan the server no longer supports; no setting can accept it. */
export class StorageUnsupportedError extends Error {
  constructor(readonly status: StorageStatus) {
    super(
      `${describeStorage(status)}. This database was set up for ${status.mode}, which the server ` +
        `no longer supports (TimescaleDB removed or \`timescaledb.license\` changed): readings ` +
        `could not be stored. Restore the server's TimescaleDB and licence (docs/iot_storage.md).`,
    );
    this.name = "StorageUnsupportedError";
  }
}

/**
 * The storage status, after checking that the database does not run a plan below what the server
 * allows (StorageDowngradeError unless `allowFallback`, IOT_ALLOW_FALLBACK=1) nor one above it
 * (StorageUnsupportedError, always).
 */
export async function checkStorage(
  db: Db,
  opts: { allowFallback: boolean; allowed?: StorageMode },
): Promise<StorageStatus> {
  const s = await storageStatus(db, opts);
  if (s.unsupported) throw new StorageUnsupportedError(s);
  if (s.downgraded && !opts.allowFallback) throw new StorageDowngradeError(s);
  return s;
}

export interface RollupResult {
  mode: StorageMode;
  /**
   * Hourly rows written; under continuous aggregates (which refresh themselves) the number of
   * late windows refreshed.
   */
  hourly: number;
  daily: number;
}

/** A rollup row computed again replaces the stored one of its device, metric and bucket. */
const replaceRollupRow = (tx: Db) =>
  tx`
    on conflict (device_id, metric, bucket) do update set samples = excluded.samples,
      value_sum = excluded.value_sum, value_sumsq = excluded.value_sumsq,
      value_min = excluded.value_min, value_max = excluded.value_max,
      value_avg = excluded.value_avg`;

export async function runRollups(
  db: Db,
  opts: { marginS?: number; now?: Date } = {},
): Promise<RollupResult> {
  const mode = await storageMode(db);
  if (mode === "timescale") return await refreshLate(db as Sql, opts.now);
  const marginS = opts.marginS ?? 120;
  return await inTx(db, async (tx) => {
    // Late windows only matter to continuous aggregates; the dirty marks cover them here.
    await tx`delete from telemetry_late`;
    await tx`insert into iot_job_state (name) values ('rollup') on conflict do nothing`;
    const [state] = await tx`
      select watermark, now() as run_start from iot_job_state where name = 'rollup' for update`;
    const since: Date | null = state.watermark
      ? new Date(state.watermark.getTime() - marginS * 1000)
      : null;
    await tx`
      create temporary table if not exists rollup_dirty (device_id text, bucket timestamptz)
      on commit drop`;
    await tx`
      insert into rollup_dirty
      select device_id, bucket from telemetry_dirty
      where ${since}::timestamptz is null or marked_at >= ${since}::timestamptz`;
    const hourly = await tx`
      insert into telemetry_hourly as h (bucket, device_id, metric, samples, value_sum,
        value_sumsq, value_min, value_max, value_avg)
      select d.bucket, t.device_id, t.metric, count(*), sum(t.value), sum(t.value * t.value),
        min(t.value), max(t.value), avg(t.value)
      from rollup_dirty d
      join telemetry t on t.device_id = d.device_id
        and t.at >= d.bucket and t.at < d.bucket + interval '1 hour'
      group by d.bucket, t.device_id, t.metric
      ${replaceRollupRow(tx)}`;
    const daily = await tx`
      with days as (
        select distinct device_id,
          date_bin(interval '1 day', bucket, timestamptz '2000-01-01 00:00:00+06') as day
        from rollup_dirty)
      insert into telemetry_daily as dd (bucket, device_id, metric, samples, value_sum,
        value_sumsq, value_min, value_max, value_avg)
      select days.day, h.device_id, h.metric, sum(h.samples), sum(h.value_sum),
        sum(h.value_sumsq), min(h.value_min), max(h.value_max), sum(h.value_sum) / sum(h.samples)
      from days
      join telemetry_hourly h on h.device_id = days.device_id
        and h.bucket >= days.day and h.bucket < days.day + interval '1 day'
      group by days.day, h.device_id, h.metric
      ${replaceRollupRow(tx)}`;
    const result = { mode, hourly: hourly.count, daily: daily.count };
    await tx`
      update iot_job_state set watermark = ${state.run_start}, last_run_at = now(),
        last_result = ${tx.json(result)}
      where name = 'rollup'`;
    await tx`delete from telemetry_dirty where marked_at < ${state.run_start}::timestamptz - interval '1 day'`;
    return result;
  });
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Under continuous aggregates: refreshes the windows of readings that committed later than the
 * refresh policies look back (telemetry_late, marked by the ingest), hourly then daily, and
 * forgets them. refresh_continuous_aggregate cannot run in a transaction, so `db` must be a pool;
 * it only re-materialises the parts of the window that changed, so one window from the oldest
 * to the newest mark is cheap. Returns the number of windows refreshed in `hourly` and `daily`.
 */
export async function refreshLate(db: Sql, now: Date = new Date()): Promise<RollupResult> {
  const [w] = await db`
    select max(id) as id, min(from_at) as from_at, max(to_at) as to_at, count(*)::int as n
    from telemetry_late`;
  if (!w.id) return { mode: "timescale", hourly: 0, daily: 0 };
  const from = (w.from_at as Date).getTime();
  const to = (w.to_at as Date).getTime();
  const hFrom = new Date(Math.floor(from / HOUR_MS) * HOUR_MS);
  const hTo = new Date(Math.floor(to / HOUR_MS) * HOUR_MS + HOUR_MS);
  // Farm days (Asia/Dhaka).
  const day = (t: number) => dhakaDayStart(dhakaDate(t)).getTime();
  const dFrom = new Date(day(from));
  const dTo = new Date(day(to) + DAY_MS);
  // Never past the policies' end offsets: a bucket still filling stays real-time (materialising
  // it early would freeze it until the policy reaches it).
  const hEnd = new Date(
    Math.min(hTo.getTime(), Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS),
  );
  const dEnd = new Date(Math.min(dTo.getTime(), day(now.getTime() - DAY_MS)));
  if (hEnd > hFrom) {
    await db`call refresh_continuous_aggregate('telemetry_hourly', ${hFrom}::timestamptz, ${hEnd}::timestamptz)`;
  }
  if (dEnd > dFrom) {
    await db`call refresh_continuous_aggregate('telemetry_daily', ${dFrom}::timestamptz, ${dEnd}::timestamptz)`;
  }
  await db`delete from telemetry_late where id <= ${w.id}`;
  const result: RollupResult = { mode: "timescale", hourly: w.n, daily: w.n };
  await db`
    insert into iot_job_state (name, last_run_at, last_result)
    values ('late_refresh', now(), ${db.json({ ...result, from: hFrom, to: hEnd } as never)})
    on conflict (name) do update set last_run_at = now(), last_result = excluded.last_result`;
  return result;
}

export interface RetentionOptions {
  now?: Date;
  /** Raw readings and device events are kept this many days (TELEMETRY_RETENTION_DAYS). */
  retentionDays: number;
  /** Hourly and daily rollups: three years by default. */
  aggregateDays?: number;
  deadLetterDays?: number;
  /** Rows deleted per statement on a plain table (keeps transactions short). */
  batch?: number;
}

export interface RetentionResult {
  telemetry: number;
  hourly: number;
  daily: number;
  deadLetters: number;
  events: number;
}

export async function runRetention(db: Db, opts: RetentionOptions): Promise<RetentionResult> {
  const now = opts.now ?? new Date();
  const day = 86_400_000;
  // Whole hours, so that an hourly bucket is never half deleted.
  const cutoff = new Date(
    Math.floor((now.getTime() - opts.retentionDays * day) / 3_600_000) *
      3_600_000,
  );
  const aggCutoff = new Date(now.getTime() - (opts.aggregateDays ?? 3 * 365) * day);
  const dlCutoff = new Date(now.getTime() - (opts.deadLetterDays ?? 30) * day);
  const batch = opts.batch ?? 50_000;
  const mode = await storageMode(db);
  const result: RetentionResult = { telemetry: 0, hourly: 0, daily: 0, deadLetters: 0, events: 0 };

  if (mode === "plain") {
    for (;;) {
      const r = await db`
        delete from telemetry where ctid = any(array(
          select ctid from telemetry where at < ${cutoff} limit ${batch}))`;
      result.telemetry += r.count;
      if (r.count < batch) break;
    }
  } else {
    // Whole chunks (a count of chunks, not rows). Works under both TimescaleDB licences.
    const r = await db`select drop_chunks('telemetry', older_than => ${cutoff}::timestamptz)`;
    result.telemetry = r.length;
  }
  if (mode === "timescale") {
    // Continuous aggregates carry their own retention policies (migration).
  } else {
    result.hourly = (await db`delete from telemetry_hourly where bucket < ${aggCutoff}`).count;
    result.daily = (await db`delete from telemetry_daily where bucket < ${aggCutoff}`).count;
  }
  result.deadLetters =
    (await db`delete from telemetry_dead_letters where received_at < ${dlCutoff}`).count;
  result.events = (await db`delete from device_events where at < ${cutoff}`).count;
  // The milkings published for the farm go with their raw readings (the farm has long read them).
  await db`delete from iot_milkings where at < ${cutoff}`;
  await db`
    insert into iot_job_state (name, last_run_at, last_result)
    values ('retention', now(), ${db.json(result as never)})
    on conflict (name) do update set last_run_at = now(), last_result = excluded.last_result`;
  return result;
}

export interface StorageReport {
  storage: StorageStatus;
  ts: TimescaleInfo;
  /** Late-reading windows waiting for a refresh. */
  lateWindows: number;
}

/** What the storage page shows: the plan in use, TimescaleDB's parts and the late windows. */
export async function storageReport(db: Sql): Promise<StorageReport> {
  const [storage, ts, [late]] = await Promise.all([
    storageStatus(db),
    timescaleInfo(db),
    db`select count(*)::int as n from telemetry_late`,
  ]);
  return { storage, ts, lateWindows: late.n };
}
