-- IoT storage, second pass: the TimescaleDB Community plan for real, and no silent downgrade.
--
-- 0100_iot.sql bucketed hours with no offset while the daily continuous aggregate built on them
-- used an offset of -6 hours (farm days, Asia/Dhaka); TimescaleDB refuses two different origins,
-- its `exception when others` swallowed the error, and Community servers ended with a hypertable
-- and the fallback rollup tables. This file (forward-only; 0100 stays as it was) brings such a
-- database, or one with no plan applied yet, to the plan the server's licence allows:
--
--   'timescale'  (Community) hypertable, hourly and daily continuous aggregates with the same
--                bucket offset, compression after 7 days, refresh and retention policies. The
--                fallback rollup tables are replaced by the aggregates under the same names; the
--                aggregates recompute from the raw readings (the IoT jobs materialise the history
--                on their first run, see telemetry_late). A rollup table holding buckets that end
--                before the oldest raw reading (which the aggregates cannot reproduce) is kept,
--                renamed telemetry_hourly_0100 / telemetry_daily_0100; otherwise it is dropped.
--   'hypertable' (Apache licence) and 'plain' (no TimescaleDB): unchanged, the fallback rollups.
--
-- iot_storage records what runs (mode), what the server allows (expected) and why (reason). When
-- the mode falls below the expected plan (a step failed here), the reason says which and the
-- application refuses to start unless IOT_ALLOW_FALLBACK=1 (services/iot/rollups.ts); after
-- fixing the cause, `select iot_storage_apply();` tries again.

alter table iot_storage
  add column expected text check (expected in ('timescale', 'hypertable', 'plain')),
  add column reason text;

-- 0 plain, 1 hypertable, 2 timescale: a mode below the expected one is a downgrade.
create function iot_storage_rank(mode text) returns integer
language sql immutable as $$
  select case mode when 'plain' then 0 when 'hypertable' then 1 when 'timescale' then 2 end;
$$;

-- Time windows of readings that committed later than the refresh policies look back (see
-- services/iot/telemetry.ts, LATE_AFTER_MS). Under continuous aggregates the IoT jobs refresh
-- these windows explicitly, outside the insert transaction, and delete the rows; the fallback
-- rollups recompute late buckets from telemetry_dirty anyway and only clear this table.
create table telemetry_late (
  id bigint generated always as identity primary key,
  from_at timestamptz not null,
  to_at timestamptz not null,
  marked_at timestamptz not null default now(),
  check (from_at <= to_at)
);

-- Brings the database to the plan the server allows and records the outcome; returns the mode.
-- Run by this migration, and by hand after fixing the cause of a recorded downgrade or after
-- adding TimescaleDB to the server: `select iot_storage_apply();`.
create function iot_storage_apply() returns text
language plpgsql as $$
declare
  v_expected text := iot_storage_plan(sd_timescale_available(), sd_timescale_license());
  v_mode text := coalesce((select s.mode from iot_storage s), 'plain');
  v_reason text;
  failure text;
  oldest timestamptz;
  newest timestamptz;
begin
  -- Apache licence on a database that began without TimescaleDB: the hypertable, rollups kept.
  if v_expected = 'hypertable' and v_mode = 'plain' then
    begin
      create extension if not exists timescaledb;
      drop index if exists telemetry_at_brin;
      perform create_hypertable('telemetry', 'at', chunk_time_interval => interval '1 day',
        create_default_indexes => false, migrate_data => true, if_not_exists => true);
      v_mode := 'hypertable';
    exception when others then
      failure := sqlerrm;
    end;
  end if;

  if v_expected = 'timescale' and v_mode <> 'timescale' then
    begin
      create extension if not exists timescaledb;
      if not exists (
        select 1 from timescaledb_information.hypertables
        where hypertable_schema = current_schema() and hypertable_name = 'telemetry'
      ) then
        drop index if exists telemetry_at_brin;
        perform create_hypertable('telemetry', 'at', chunk_time_interval => interval '1 day',
          create_default_indexes => false, migrate_data => true);
      end if;

      -- The fallback rollup tables make way for the aggregates of the same names. Rows that the
      -- raw data can no longer reproduce (older than the oldest reading) are kept aside.
      select min(at), max(at) into oldest, newest from telemetry;
      if to_regclass('telemetry_hourly') is not null then
        if exists (select 1 from telemetry_hourly
                   where oldest is null or bucket + interval '1 hour' <= oldest) then
          alter table telemetry_hourly rename to telemetry_hourly_0100;
          alter index if exists telemetry_hourly_pkey rename to telemetry_hourly_0100_pkey;
          alter index if exists telemetry_hourly_bucket_idx rename to telemetry_hourly_0100_bucket_idx;
          comment on table telemetry_hourly_0100 is
            'Fallback hourly rollups kept by 0250 (older than the raw readings); not read by the app';
        else
          drop table telemetry_hourly;
        end if;
      end if;
      if to_regclass('telemetry_daily') is not null then
        if exists (select 1 from telemetry_daily
                   where oldest is null or bucket + interval '1 day' <= oldest) then
          alter table telemetry_daily rename to telemetry_daily_0100;
          alter index if exists telemetry_daily_pkey rename to telemetry_daily_0100_pkey;
          alter index if exists telemetry_daily_bucket_idx rename to telemetry_daily_0100_bucket_idx;
          comment on table telemetry_daily_0100 is
            'Fallback daily rollups kept by 0250 (older than the raw readings); not read by the app';
        else
          drop table telemetry_daily;
        end if;
      end if;

      -- Same columns as the fallback tables. Both buckets carry the offset of farm days (UTC+6):
      -- an hour offset by -6 h is the same hour, and the daily aggregate needs the same origin.
      execute $v$
        create materialized view telemetry_hourly
        with (timescaledb.continuous, timescaledb.materialized_only = false) as
        select time_bucket(interval '1 hour', at, "offset" => interval '-6 hours') as bucket,
          device_id, metric, count(*) as samples, sum(value) as value_sum,
          sum(value * value) as value_sumsq, min(value) as value_min, max(value) as value_max,
          avg(value) as value_avg
        from telemetry group by 1, 2, 3 with no data $v$;
      execute $v$
        create materialized view telemetry_daily
        with (timescaledb.continuous, timescaledb.materialized_only = false) as
        select time_bucket(interval '1 day', bucket, "offset" => interval '-6 hours') as bucket,
          device_id, metric, sum(samples)::bigint as samples, sum(value_sum) as value_sum,
          sum(value_sumsq) as value_sumsq, min(value_min) as value_min,
          max(value_max) as value_max, sum(value_sum) / sum(samples) as value_avg
        from telemetry_hourly group by 1, 2, 3 with no data $v$;
      -- Refresh windows: readings later than these start offsets are refreshed by the IoT jobs
      -- from telemetry_late (docs/iot_storage.md).
      perform add_continuous_aggregate_policy('telemetry_hourly',
        start_offset => interval '3 days', end_offset => interval '1 hour',
        schedule_interval => interval '5 minutes');
      perform add_continuous_aggregate_policy('telemetry_daily',
        start_offset => interval '10 days', end_offset => interval '1 day',
        schedule_interval => interval '1 hour');
      execute $v$ alter table telemetry set (timescaledb.compress,
        timescaledb.compress_segmentby = 'device_id, metric',
        timescaledb.compress_orderby = 'at') $v$;
      perform add_compression_policy('telemetry', interval '7 days');
      perform add_retention_policy('telemetry_hourly', interval '3 years');
      perform add_retention_policy('telemetry_daily', interval '3 years');

      -- Materialise the history on the IoT jobs' next run (a refresh cannot run in here).
      if oldest is not null then
        insert into telemetry_late (from_at, to_at) values (oldest, newest);
      end if;
      v_mode := 'timescale';
    exception when others then
      failure := sqlerrm;
    end;
  end if;

  v_reason := case
    when failure is not null then
      format('DOWNGRADE: the server allows %s but %s is used, because setting it up failed: %s',
        v_expected, v_mode, failure)
    when iot_storage_rank(v_mode) < iot_storage_rank(v_expected) then
      format('DOWNGRADE: the server allows %s but this database uses %s (%s)', v_expected, v_mode,
        coalesce((select s.detail from iot_storage s), 'applied before the server had it'))
    when v_mode = 'timescale' then
      'TimescaleDB under the Community licence: hypertable, continuous aggregates, compression '
        'after 7 days, refresh and retention policies'
    when v_mode = 'hypertable' then
      format('TimescaleDB under the %s licence: hypertable and drop_chunks; continuous aggregates '
        'and compression need the Community licence, so the fallback rollups and retention job '
        'run', coalesce(sd_timescale_license(), 'unknown'))
    else
      'No TimescaleDB on this server: plain table with a BRIN index, fallback rollups and '
        'retention job'
  end;
  if failure is not null then
    raise warning 'IoT storage: %', v_reason;
  end if;

  insert into iot_storage (mode, expected, reason) values (v_mode, v_expected, v_reason)
  on conflict (singleton) do update set mode = excluded.mode, expected = excluded.expected,
    reason = excluded.reason,
    detail = coalesce(failure,
      case when excluded.mode = iot_storage.mode then iot_storage.detail end),
    decided_at = now();
  return v_mode;
end
$$;

select iot_storage_apply();
