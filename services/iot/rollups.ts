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
import { type Db, inTx } from "./db_util.ts";

export type StorageMode = "timescale" | "hypertable" | "plain";

export async function storageMode(db: Db): Promise<StorageMode> {
  const [row] = await db`select mode from iot_storage`;
  return (row?.mode ?? "plain") as StorageMode;
}

export interface RollupResult {
  mode: StorageMode;
  /** Hourly rows written (0 under continuous aggregates, which refresh themselves). */
  hourly: number;
  daily: number;
}

export async function runRollups(
  db: Db,
  opts: { marginS?: number } = {},
): Promise<RollupResult> {
  const mode = await storageMode(db);
  if (mode === "timescale") return { mode, hourly: 0, daily: 0 };
  const marginS = opts.marginS ?? 120;
  return await inTx(db, async (tx) => {
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
      on conflict (device_id, metric, bucket) do update set samples = excluded.samples,
        value_sum = excluded.value_sum, value_sumsq = excluded.value_sumsq,
        value_min = excluded.value_min, value_max = excluded.value_max,
        value_avg = excluded.value_avg`;
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
      on conflict (device_id, metric, bucket) do update set samples = excluded.samples,
        value_sum = excluded.value_sum, value_sumsq = excluded.value_sumsq,
        value_min = excluded.value_min, value_max = excluded.value_max,
        value_avg = excluded.value_avg`;
    const result = { mode, hourly: hourly.count, daily: daily.count };
    await tx`
      update iot_job_state set watermark = ${state.run_start}, last_run_at = now(),
        last_result = ${tx.json(result)}
      where name = 'rollup'`;
    await tx`delete from telemetry_dirty where marked_at < ${state.run_start}::timestamptz - interval '1 day'`;
    return result;
  });
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
  await db`
    insert into iot_job_state (name, last_run_at, last_result)
    values ('retention', now(), ${db.json(result as never)})
    on conflict (name) do update set last_run_at = now(), last_result = excluded.last_result`;
  return result;
}
