-- Milkings the IoT context publishes for the farm: one row per milk-meter milking (device, time),
-- written by the ingest in the same transaction as the milking's telemetry rows. The farm reads
-- them in id order after its own cursor (farm_job_state 'meter_milkings') and records each one as
-- a milk record under a ledger id derived from (device, time), so reading one twice adds nothing.
create table iot_milkings (
  id bigserial primary key,
  device_id text not null,
  at timestamptz not null,
  animal_tag text not null,
  tank_id text,
  yield_kg double precision not null,
  fat_pct double precision,
  snf_pct double precision,
  conductivity_ms_cm double precision,
  duration_s double precision,
  published_at timestamptz not null default now(),
  unique (device_id, at)
);
