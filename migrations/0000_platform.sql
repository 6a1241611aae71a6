-- Platform helpers that later migrations rely on. Runs first on both backends (PostgreSQL server
-- and embedded PGlite).

-- Trigram search (shop catalogue). Trusted extension: a database owner may create it.
create extension if not exists pg_trgm;

-- True when `create extension timescaledb` can succeed in this database: the package is on the
-- server AND its library is preloaded (shared_preload_libraries), or the extension already exists.
-- Listing in pg_available_extensions alone is not enough: without the preload, CREATE EXTENSION
-- fails. Use it in conditional DO blocks:
--   do $$ begin if sd_timescale_available() then create extension if not exists timescaledb;
--   end if; end $$;
create or replace function sd_timescale_available() returns boolean
language sql stable as $$
  select exists (select 1 from pg_extension where extname = 'timescaledb')
    or (
      exists (select 1 from pg_available_extensions where name = 'timescaledb')
      and coalesce(current_setting('shared_preload_libraries', true), '')
        ~ '(^|[\s,])"?timescaledb"?($|[\s,])'
    );
$$;

-- 'timescale' (Community licence: continuous aggregates, compression, add_*_policy jobs),
-- 'apache' (hypertables, time_bucket, drop_chunks only) or null when TimescaleDB is not loaded.
create or replace function sd_timescale_license() returns text
language sql stable as $$
  select nullif(current_setting('timescaledb.license', true), '');
$$;

-- True when continuous aggregates and compression can be used: TimescaleDB installed in this
-- database under the Community licence. Call it after the migration that creates the extension.
create or replace function sd_timescale_community() returns boolean
language sql stable as $$
  select exists (select 1 from pg_extension where extname = 'timescaledb')
    and sd_timescale_license() is not distinct from 'timescale';
$$;
