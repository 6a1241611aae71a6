/**
 * Databases for tests: each call gets its own fresh database, dropped afterwards, so tests run in
 * parallel and never depend on each other.
 *
 * - TEST_DATABASE_URL set (a server; its database is only used for CREATE/DROP DATABASE): the
 *   migrations are applied once to a template database `sd_tpl_<hash of migrations/>` (guarded by
 *   an advisory lock so parallel test processes build it once; changed migrations → a new hash →
 *   a new template), then every call is a cheap `CREATE DATABASE sd_test_… TEMPLATE sd_tpl_…`.
 *   The template takes no connections (so TimescaleDB's scheduler cannot hold it) and a copy
 *   that still meets another user (SQLSTATE 55006) is retried with a bounded backoff.
 * - Otherwise: embedded PGlite in memory. Once per test process a migrated cluster is dumped to
 *   a tarball; every call starts a new PGlite from it (~0.3 s instead of ~3 s for initdb).
 *
 * `deno task test:embedded` runs the tests with TEST_DATABASE_URL removed; an empty value counts
 * as unset too.
 */
import postgres from "postgres";
import { type Config, loadConfig } from "@/services/platform/config.ts";
import { type Database, openDatabase, openEmbedded } from "@/services/platform/db.ts";
import { DEFAULT_MIGRATIONS_DIR, migrate } from "@/services/platform/migrate.ts";

/** The server used by the tests, or undefined for the embedded database. */
export function testDatabaseUrl(): string | undefined {
  return Deno.env.get("TEST_DATABASE_URL") || undefined;
}

const tempDirs: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const dir of tempDirs) {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch { /* already gone */ }
  }
});

/**
 * A Config for tests: defaults, a fresh temporary DATA_DIR (removed when the test process ends),
 * in-memory KV, no DATABASE_URL unless overridden.
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const dir = Deno.makeTempDirSync({ prefix: "sd_test_" });
  tempDirs.push(dir);
  return { ...loadConfig({ DATA_DIR: dir, KV_PATH: ":memory:" }), ...overrides };
}

/** A fresh, fully migrated database for `fn`, dropped afterwards. */
export async function withTestDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const url = testDatabaseUrl();
  if (url) return await withServerDb(url, await serverTemplate(url), fn);
  const db = await openEmbedded({ loadDataDir: await embeddedDump("migrated") });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * A fresh database with no migrations applied (for testing migrations themselves). `url` is its
 * connection URL on a server (open more pools with it), undefined when embedded.
 */
export async function withEmptyDb<T>(
  fn: (db: Database, url: string | undefined) => Promise<T>,
): Promise<T> {
  const url = testDatabaseUrl();
  if (url) return await withServerDb(url, "template0", fn);
  const db = await openEmbedded({ loadDataDir: await embeddedDump("empty") });
  try {
    return await fn(db, undefined);
  } finally {
    await db.close();
  }
}

// ---- server -------------------------------------------------------------------------------

const TEMPLATE_LOCK_KEY = "7215368790412339002";
const STALE_TEMPLATE_MS = 60 * 60 * 1000;
const STALE_TEST_DB_MS = 6 * 60 * 60 * 1000;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = "/" + encodeURIComponent(database);
  return u.toString();
}

async function maintenance<T>(url: string, fn: (m: postgres.Sql) => Promise<T>): Promise<T> {
  const m = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await fn(m);
  } finally {
    await m.end({ timeout: 5 });
  }
}

async function withServerDb<T>(
  url: string,
  template: string,
  fn: (db: Database, url: string) => Promise<T>,
): Promise<T> {
  const name = `sd_test_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 8)}`;
  await maintenance(url, (m) => createFromTemplate(m, name, template));
  try {
    const dbUrl = withDatabase(url, name);
    const db = await openDatabase(testConfig({ DATABASE_URL: dbUrl, DATABASE_POOL_SIZE: 4 }));
    try {
      return await fn(db, dbUrl);
    } finally {
      await db.close();
    }
  } finally {
    await maintenance(url, (m) => m.unsafe(`drop database if exists "${name}" with (force)`));
  }
}

/**
 * CREATE DATABASE … TEMPLATE fails with 55006 ("source database is being accessed by other
 * users") while anything is connected to the template: on a TimescaleDB server its scheduler, or
 * another process's CREATE DATABASE copying the same template. Retried with a bounded backoff
 * (about 20 s in all); the templates themselves disallow connections, see buildServerTemplate.
 */
async function createFromTemplate(m: postgres.Sql, name: string, template: string) {
  for (let attempt = 0, delay = 50;; attempt++, delay = Math.min(delay * 2, 2000)) {
    try {
      await m.unsafe(`create database "${name}" template "${template}"`);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== "55006" || attempt >= 15) throw err;
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    }
  }
}

async function migrationsHash(dir: string): Promise<string> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) if (e.isFile) names.push(e.name);
  names.sort();
  const parts = await Promise.all(
    names.map(async (n) => `${n}\0${await Deno.readTextFile(`${dir}/${n}`)}\0`),
  );
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("")));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

let templatePromise: Promise<string> | undefined;

/** The name of a migrated template database for the current migrations, built if missing. */
function serverTemplate(url: string): Promise<string> {
  templatePromise ??= buildServerTemplate(url).catch((err) => {
    templatePromise = undefined; // let the next test retry (and report) rather than cache a failure
    throw err;
  });
  return templatePromise;
}

async function buildServerTemplate(url: string): Promise<string> {
  return await maintenance(url, async (m) => {
    // The migrations choose the IoT storage plan from the server's TimescaleDB and licence: a
    // template built under one licence is not reused under another.
    const [{ plan }] = await m<{ plan: string }[]>`
      select case
        when not (exists (select 1 from pg_available_extensions where name = 'timescaledb')
          and coalesce(current_setting('shared_preload_libraries', true), '')
            ~ '(^|[\\s,])"?timescaledb"?($|[\\s,])') then 'p'
        when current_setting('timescaledb.license', true) = 'apache' then 'a'
        else 't' end as plan`;
    const name = `sd_tpl_${await migrationsHash(DEFAULT_MIGRATIONS_DIR)}_${plan}`;
    await m.unsafe(`select pg_advisory_lock(${TEMPLATE_LOCK_KEY})`);
    try {
      const [row] = await m<{ datistemplate: boolean }[]>`
        select datistemplate from pg_database where datname = ${name}`;
      if (row?.datistemplate) return name;
      // Not marked as a template: a build that died half-way. Start again.
      if (row) await m.unsafe(`drop database "${name}" with (force)`);
      await m.unsafe(`create database "${name}" template template0`);
      try {
        const db = await openDatabase(
          testConfig({ DATABASE_URL: withDatabase(url, name), DATABASE_POOL_SIZE: 1 }),
        );
        try {
          await migrate(db.sql, DEFAULT_MIGRATIONS_DIR);
          // TimescaleDB runs a scheduler in every database that has the extension; on the
          // template it would hold a connection that makes copies fail. Stop it (it is not
          // restarted: connections to the template are turned off below).
          await db.sql`
            do $$ begin
              if exists (select 1 from pg_extension where extname = 'timescaledb') then
                perform _timescaledb_functions.stop_background_workers();
              end if;
            end $$`;
        } finally {
          await db.close();
        }
        await m.unsafe(`alter database "${name}" is_template true allow_connections false`);
        await m`
          select pg_terminate_backend(pid) from pg_stat_activity
          where datname = ${name} and pid <> pg_backend_pid()`;
        await m.unsafe(
          `comment on database "${name}" is 'smart-dairy test template ${Date.now()}'`,
        );
      } catch (err) {
        await m.unsafe(`drop database if exists "${name}" with (force)`);
        throw err;
      }
      await dropStale(m, name);
      return name;
    } finally {
      await m.unsafe(`select pg_advisory_unlock(${TEMPLATE_LOCK_KEY})`);
    }
  });
}

/** Drops templates of old migration sets and test databases left by killed test processes. */
async function dropStale(m: postgres.Sql, keep: string): Promise<void> {
  const now = Date.now();
  const rows = await m<{ datname: string; note: string | null }[]>`
    select datname, shobj_description(oid, 'pg_database') as note from pg_database
    where datname like 'sd\\_tpl\\_%' or datname like 'sd\\_test\\_%'`;
  for (const { datname, note } of rows) {
    try {
      if (datname.startsWith("sd_tpl_") && datname !== keep) {
        const built = Number(/template (\d+)$/.exec(note ?? "")?.[1] ?? 0);
        if (now - built < STALE_TEMPLATE_MS) continue;
        await m.unsafe(`alter database "${datname}" is_template false`);
        await m.unsafe(`drop database "${datname}"`);
      } else if (datname.startsWith("sd_test_")) {
        const created = parseInt(datname.split("_")[2], 36);
        if (!(now - created > STALE_TEST_DB_MS)) continue;
        await m.unsafe(`drop database "${datname}" with (force)`);
      }
    } catch { /* in use or already dropped by another process: leave it */ }
  }
}

// ---- embedded -----------------------------------------------------------------------------

const dumps = new Map<"empty" | "migrated", Promise<Blob>>();

/** A tarball of an embedded cluster, empty or migrated, made once per test process. */
function embeddedDump(kind: "empty" | "migrated"): Promise<Blob> {
  let dump = dumps.get(kind);
  if (!dump) {
    dump = (async () => {
      const db = await openEmbedded(
        kind === "empty" ? {} : {
          loadDataDir: await embeddedDump("empty"),
        },
      );
      try {
        if (kind === "migrated") await migrate(db.sql, DEFAULT_MIGRATIONS_DIR);
        return await db.embedded.pglite.dumpDataDir("none");
      } finally {
        await db.close();
      }
    })();
    dump.catch(() => dumps.delete(kind));
    dumps.set(kind, dump);
  }
  return dump;
}

/**
 * A fresh migrated server database and its connection URL, for tests that start other processes
 * on the same database (the API's hourly limit across two app processes); null when the tests
 * run embedded (one process owns PGlite).
 */
export async function withServerTestDb<T>(
  fn: (db: Database, url: string) => Promise<T>,
): Promise<T | null> {
  const url = testDatabaseUrl();
  if (!url) return null;
  return await withServerDb(url, await serverTemplate(url), fn);
}
