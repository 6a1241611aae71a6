-- IoT: device registry, telemetry storage (TimescaleDB when present, plain tables otherwise),
-- dead letters, alarm rules and alarms, milk tanks and their holds, duty contacts.
-- See docs/mqtt.md for the device contract and services/iot/* for the code that owns these tables.

-- Bulk milk tanks. A cold-chain breach sets status 'held' (with an open row in tank_holds) until
-- a farm manager releases it. Owned by the IoT context; the farm module refers to tanks by id.
create table tanks (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
  name text not null check (length(btrim(name)) between 1 and 120),
  capacity_l integer check (capacity_l > 0),
  status text not null default 'ok' check (status in ('ok', 'held')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Devices. id is the MQTT username and the {deviceId} level of its topics, so it is restricted to
-- characters that are safe in a topic level; 'svc-' is reserved for service credentials.
-- animal_tag is the animal's ear tag as text with no foreign key: the farm module's animals table
-- (with its `tag` column) comes later, and a collar must be registrable before the cow is.
-- secret_hash = SHA-256 of a 32-byte random secret (machine secret: a slow hash buys nothing).
create table devices (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{2,63}$' and id !~ '^svc-'),
  type text not null check (type in (
    'milk_meter', 'tank_thermometer', 'room_sensor', 'activity_collar', 'rfid_reader',
    'biogas_monitor', 'gps_tracker'
  )),
  name text not null check (length(btrim(name)) between 1 and 120),
  location_kind text check (location_kind in ('barn', 'pen', 'tank', 'room')),
  location text check (length(location) <= 120),
  animal_tag text check (length(btrim(animal_tag)) between 1 and 40),
  tank_id text references tanks (id),
  -- When the current animal/tank assignment began: per-animal baselines only use readings since.
  assigned_at timestamptz,
  firmware_version text check (length(firmware_version) <= 64),
  notes text check (length(notes) <= 2000),
  secret_hash bytea not null check (length(secret_hash) = 32),
  secret_rotated_at timestamptz not null default now(),
  revoked_at timestamptz,
  -- last_seen_at: any message (receive time); last_reading_at: newest reading time (device clock,
  -- capped at the receive time). Silence rules use last_reading_at.
  last_seen_at timestamptz,
  last_reading_at timestamptz,
  -- The last status message (online, battery, signal), as received.
  status jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint devices_one_assignment check (animal_tag is null or tank_id is null)
);
create index devices_type_idx on devices (type) where revoked_at is null;
create index devices_tank_idx on devices (tank_id) where tank_id is not null;
create index devices_animal_idx on devices (animal_tag) where animal_tag is not null;

-- Raw readings, one row per (device, metric, time). Duplicates (a device re-sending after a lost
-- PUBACK, a simulator fault) are dropped by the unique index with ON CONFLICT DO NOTHING. No
-- foreign key on device_id: it would cost every insert, and the ingest only writes rows for
-- registered devices anyway.
create table telemetry (
  device_id text not null,
  metric text not null,
  at timestamptz not null,
  value double precision not null,
  animal_tag text,
  tank_id text
);
create unique index telemetry_device_metric_at_key on telemetry (device_id, metric, at);

-- Which storage plan runs on this database. Pure so that the branch choice can be unit-tested:
--   'timescale'  hypertable + continuous aggregates + compression (Community licence)
--   'hypertable' hypertable + drop_chunks, with the fallback rollup tables (Apache licence)
--   'plain'      plain table, BRIN index on time, fallback rollup tables and retention job
create function iot_storage_plan(timescale_available boolean, license text) returns text
language sql immutable as $$
  select case
    when not coalesce(timescale_available, false) then 'plain'
    when license = 'timescale' then 'timescale'
    else 'hypertable'
  end;
$$;

-- The plan that was applied (one row); the jobs and the ingest read it.
create table iot_storage (
  singleton boolean primary key default true check (singleton),
  mode text not null check (mode in ('timescale', 'hypertable', 'plain')),
  detail text,
  decided_at timestamptz not null default now()
);

-- Hourly and daily rollups share their names and columns with the continuous aggregates that
-- replace them under TimescaleDB. Daily buckets are farm days (Asia/Dhaka, UTC+6, no DST).
-- value_sumsq lets callers derive a standard deviation from rollups.
do $$
declare
  plan text := iot_storage_plan(sd_timescale_available(), sd_timescale_license());
  detail text;
begin
  if plan in ('timescale', 'hypertable') then
    begin
      create extension if not exists timescaledb;
      perform create_hypertable('telemetry', 'at', chunk_time_interval => interval '1 day',
        create_default_indexes => false, if_not_exists => true);
    exception when others then
      detail := 'hypertable not created, plain table used: ' || sqlerrm;
      plan := 'plain';
    end;
  end if;

  if plan = 'timescale' then
    begin
      execute $v$
        create materialized view telemetry_hourly
        with (timescaledb.continuous, timescaledb.materialized_only = false) as
        select time_bucket(interval '1 hour', at) as bucket, device_id, metric,
          count(*) as samples, sum(value) as value_sum, sum(value * value) as value_sumsq,
          min(value) as value_min, max(value) as value_max, avg(value) as value_avg
        from telemetry group by 1, 2, 3 with no data $v$;
      execute $v$
        create materialized view telemetry_daily
        with (timescaledb.continuous, timescaledb.materialized_only = false) as
        select time_bucket(interval '1 day', bucket, "offset" => interval '-6 hours') as bucket,
          device_id, metric, sum(samples)::bigint as samples, sum(value_sum) as value_sum,
          sum(value_sumsq) as value_sumsq, min(value_min) as value_min,
          max(value_max) as value_max, sum(value_sum) / sum(samples) as value_avg
        from telemetry_hourly group by 1, 2, 3 with no data $v$;
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
    exception when others then
      detail := 'continuous aggregates not created, rollup tables used: ' || sqlerrm;
      plan := 'hypertable';
    end;
  end if;

  if plan <> 'timescale' then
    create table telemetry_hourly (
      bucket timestamptz not null,
      device_id text not null,
      metric text not null,
      samples bigint not null,
      value_sum double precision not null,
      value_sumsq double precision not null,
      value_min double precision not null,
      value_max double precision not null,
      value_avg double precision not null,
      primary key (device_id, metric, bucket)
    );
    create index telemetry_hourly_bucket_idx on telemetry_hourly (bucket);
    create table telemetry_daily (like telemetry_hourly including all);
  end if;

  if plan = 'plain' then
    create index telemetry_at_brin on telemetry using brin (at);
  end if;

  insert into iot_storage (mode, detail) values (plan, detail);
end
$$;

-- (device, hour) buckets written since the rollup job last looked; fallback rollups only. The
-- ingest upserts a bucket at most every few seconds per device, the job recomputes the buckets
-- marked since its previous run (minus a safety margin) and forgets marks older than a day.
create table telemetry_dirty (
  device_id text not null,
  bucket timestamptz not null,
  marked_at timestamptz not null default now(),
  primary key (device_id, bucket)
);
create index telemetry_dirty_marked_idx on telemetry_dirty (marked_at);

-- Watermarks and last results of the scheduled IoT jobs.
create table iot_job_state (
  name text primary key,
  watermark timestamptz,
  last_run_at timestamptz,
  last_result jsonb
);

-- Messages that could not be stored: bad JSON, wrong shape, unknown or revoked device, readings
-- out of range. The raw payload is kept (cut at 64 KiB) for diagnosis.
create table telemetry_dead_letters (
  id bigint generated always as identity primary key,
  received_at timestamptz not null default now(),
  topic text not null,
  device_id text,
  reason text not null,
  payload bytea not null,
  payload_size integer not null
);
create index telemetry_dead_letters_received_idx on telemetry_dead_letters (received_at desc);
create index telemetry_dead_letters_device_idx on telemetry_dead_letters (device_id, received_at desc);

-- Device events ({deviceId}/event): door open, reboot, milking start/stop, error codes.
create table device_events (
  id bigint generated always as identity primary key,
  device_id text not null,
  at timestamptz not null,
  kind text not null,
  data jsonb not null default '{}'::jsonb,
  received_at timestamptz not null default now()
);
create unique index device_events_dedupe_key on device_events (device_id, at, kind);

-- Alarm rules. params is checked per kind by services/iot/alarm_rules.ts (Zod).
create table alarm_rules (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
  name text not null,
  kind text not null check (kind in (
    'threshold', 'rate', 'silence', 'activity_spike', 'rumination_drop'
  )),
  device_type text check (device_type in (
    'milk_meter', 'tank_thermometer', 'room_sensor', 'activity_collar', 'rfid_reader',
    'biogas_monitor', 'gps_tracker'
  )),
  device_id text references devices (id),
  metric text,
  severity text not null check (severity in ('info', 'warning', 'critical')),
  -- A firing alarm of this rule on a tank's thermometer holds that tank's milk.
  holds_tank boolean not null default false,
  params jsonb not null default '{}'::jsonb,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- The default rule set (dairy-domain.md, cold chain and collar practice).
insert into alarm_rules (id, name, kind, device_type, metric, severity, holds_tank, params) values
  ('tank-warm', 'Bulk milk above 4 °C for 30 min after the cooling window', 'threshold',
   'tank_thermometer', 'temperature_c', 'warning', false,
   '{"op": ">", "value": 4, "durationS": 1800, "graceS": 7200}'),
  ('tank-hot', 'Bulk milk above 8 °C', 'threshold',
   'tank_thermometer', 'temperature_c', 'critical', true,
   '{"op": ">", "value": 8, "durationS": 0}'),
  ('tank-rising', 'Bulk milk warming more than 2 °C in 15 min outside milking', 'rate',
   'tank_thermometer', 'temperature_c', 'warning', false,
   '{"op": ">", "change": 2, "windowS": 900, "graceS": 7200}'),
  ('tank-thermometer-silent', 'Tank thermometer silent for 10 min', 'silence',
   'tank_thermometer', null, 'warning', false, '{"silentS": 600}'),
  ('room-sensor-silent', 'Room sensor silent for 30 min', 'silence',
   'room_sensor', null, 'info', false, '{"silentS": 1800}'),
  ('collar-silent', 'Activity collar silent for 2 h', 'silence',
   'activity_collar', null, 'info', false, '{"silentS": 7200}'),
  ('biogas-silent', 'Biogas monitor silent for 30 min', 'silence',
   'biogas_monitor', null, 'info', false, '{"silentS": 1800}'),
  ('heat-suspected', 'Activity well above the cow''s own normal (likely heat)', 'activity_spike',
   'activity_collar', 'steps', 'info', false,
   '{"windowH": 2, "baselineDays": 10, "minDays": 5, "sigma": 2.5, "minRatio": 1.6}'),
  ('rumination-drop', 'Rumination well below the cow''s own normal (possible illness)',
   'rumination_drop', 'activity_collar', 'rumination_min', 'warning', false,
   '{"windowH": 6, "baselineDays": 10, "minDays": 5, "sigma": 2, "maxRatio": 0.7}');

create table alarms (
  id bigint generated always as identity primary key,
  rule_id text not null references alarm_rules (id),
  device_id text not null references devices (id),
  tank_id text references tanks (id),
  animal_tag text,
  severity text not null check (severity in ('info', 'warning', 'critical')),
  state text not null default 'open' check (state in ('open', 'acknowledged', 'resolved')),
  message text not null,
  -- The value that fired the alarm and the latest value seen while it stays active.
  value double precision,
  last_value double precision,
  opened_at timestamptz not null,
  last_evaluated_at timestamptz not null,
  acknowledged_at timestamptz,
  acknowledged_by uuid,
  ack_note text,
  resolved_at timestamptz,
  resolved_by uuid,
  resolution text check (resolution in ('auto', 'manual')),
  constraint alarms_state_fields check (
    (state = 'open' and acknowledged_at is null and resolved_at is null)
    or (state = 'acknowledged' and acknowledged_at is not null and resolved_at is null)
    or (state = 'resolved' and resolved_at is not null and resolution is not null)
  )
);
-- At most one active alarm per rule and device.
create unique index alarms_one_active_key on alarms (rule_id, device_id) where state <> 'resolved';
create index alarms_active_idx on alarms (opened_at desc) where state <> 'resolved';
create index alarms_device_idx on alarms (device_id, opened_at desc);

-- What happened to each alarm and who did it (acknowledgements are also in audit_log).
create table alarm_events (
  id bigint generated always as identity primary key,
  alarm_id bigint not null references alarms (id),
  at timestamptz not null,
  kind text not null check (kind in ('opened', 'acknowledged', 'resolved', 'notified')),
  actor_id uuid,
  note text
);
create index alarm_events_alarm_idx on alarm_events (alarm_id, id);

create table tank_holds (
  id bigint generated always as identity primary key,
  tank_id text not null references tanks (id),
  alarm_id bigint references alarms (id),
  reason text not null,
  held_at timestamptz not null,
  released_at timestamptz,
  released_by uuid,
  release_note text,
  constraint tank_holds_release check ((released_at is null) = (released_by is null))
);
create unique index tank_holds_one_open_key on tank_holds (tank_id) where released_at is null;

-- Who is told about alarms, by which channel. Phone numbers here are duty numbers entered for
-- alarm SMS, not customers' personal data. on_duty_from/to are farm-local times (Asia/Dhaka);
-- both null = always on duty; from > to spans midnight.
create table duty_contacts (
  id bigint generated always as identity primary key,
  name text not null check (length(btrim(name)) between 1 and 120),
  channel text not null check (channel in ('sms', 'email', 'whatsapp')),
  address text not null check (length(address) between 3 and 320),
  min_severity text not null default 'warning' check (min_severity in ('info', 'warning', 'critical')),
  on_duty_from time,
  on_duty_to time,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  constraint duty_contacts_hours check ((on_duty_from is null) = (on_duty_to is null))
);
