/**
 * Forward-only schema migrations from `migrations/NNNN_name.sql`.
 *
 * - Files are applied in version order, each in its own transaction together with its row in
 *   `schema_migrations` (version, name, sha256 checksum, applied_at): a failing file leaves
 *   nothing behind. A file must not contain BEGIN/COMMIT of its own.
 * - Every step takes a transaction-scoped advisory lock (pg_advisory_xact_lock), so instances
 *   starting together apply each file exactly once. Being transaction-scoped it needs no second
 *   connection, which matters on the embedded database (a pool of one).
 * - Versions are numbered in ranges per bounded context, so a lower-numbered file added after a
 *   higher one was applied is normal: it is applied (in order among the pending ones).
 * - An applied file whose content changed, or an applied version whose file is gone, stops the
 *   run with a MigrationError before anything is applied. Checksums are taken over the content
 *   with CRLF line ends normalised to LF, so a Windows checkout does not count as an edit.
 */
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import type { Sql, Tx } from "./db.ts";

/** `NNNN_name.sql`: four digits, underscore, lower-case snake_case name. */
export const MIGRATION_FILE_PATTERN = /^(\d{4})_([a-z0-9][a-z0-9_]*)\.sql$/;

/** The project's migrations folder, independent of the working directory. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations", import.meta.url));

// Fixed key for pg_advisory_xact_lock; any constant works as long as nothing else uses it.
const LOCK_KEY = "7215368790412339001";

export class MigrationError extends Error {
  constructor(message: string, readonly file?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MigrationError";
  }
}

export interface MigrationFile {
  version: string;
  name: string;
  file: string;
  checksum: string;
  sql: string;
}

export interface MigrationState {
  version: string;
  name: string;
  /** The file name; for "missing" it is rebuilt from the recorded version and name. */
  file: string;
  applied_at: Date | null;
  /** "edited": applied, but the file changed since; "missing": applied, but the file is gone. */
  state: "applied" | "pending" | "edited" | "missing";
}

interface AppliedRow {
  version: string;
  name: string;
  checksum: string;
  applied_at: Date;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

const fileName = (version: string, name: string) => `${version}_${name}.sql`;

/** Top-level transaction control would end our transaction and half-apply the file. */
const TRANSACTION_CONTROL =
  /^\s*((begin|commit|rollback|abort)(\s+(work|transaction))?|start\s+transaction|end\s+(work|transaction))\s*;/im;

/** Reads and checks the migration files of `dir`, sorted by version. */
export async function readMigrations(
  dir: string = DEFAULT_MIGRATIONS_DIR,
): Promise<MigrationFile[]> {
  const files: MigrationFile[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name.startsWith(".") || entry.name.toLowerCase() === "readme.md") continue;
      const m = MIGRATION_FILE_PATTERN.exec(entry.name);
      if (!entry.isFile || !m) {
        throw new MigrationError(
          `${entry.name} in ${dir} is not a migration: files there must be named NNNN_name.sql ` +
            `(four digits, underscore, lower-case snake_case name)`,
          entry.name,
        );
      }
      const raw = await Deno.readTextFile(`${dir}/${entry.name}`);
      const sql = raw.replace(/\r\n/g, "\n");
      if (TRANSACTION_CONTROL.test(sql)) {
        throw new MigrationError(
          `${entry.name} contains its own BEGIN/COMMIT/ROLLBACK; remove it: every migration ` +
            `already runs in a transaction`,
          entry.name,
        );
      }
      files.push({
        version: m[1],
        name: m[2],
        file: entry.name,
        checksum: await sha256Hex(sql),
        sql,
      });
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new MigrationError(`No migrations folder at ${dir}`, undefined, { cause: err });
    }
    throw err;
  }
  files.sort((a, b) => a.version.localeCompare(b.version));
  for (let i = 1; i < files.length; i++) {
    if (files[i].version === files[i - 1].version) {
      throw new MigrationError(
        `${files[i - 1].file} and ${files[i].file} share version ${files[i].version}; ` +
          `renumber one of them`,
        files[i].file,
      );
    }
  }
  return files;
}

async function lockAndEnsureTable(tx: Tx): Promise<void> {
  await tx.unsafe(`select pg_advisory_xact_lock(${LOCK_KEY})`);
  await tx`
    create table if not exists schema_migrations (
      version text primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`;
}

/** Throws if an applied migration was edited or removed. */
function checkApplied(files: MigrationFile[], rows: AppliedRow[], dir: string): void {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  for (const row of rows) {
    const f = byVersion.get(row.version);
    if (!f) {
      throw new MigrationError(
        `${fileName(row.version, row.name)} was applied to this database but is not in ${dir} ` +
          `(renamed or deleted? migrations are forward-only: restore it)`,
        fileName(row.version, row.name),
      );
    }
    if (f.checksum !== row.checksum) {
      throw new MigrationError(
        `${f.file} was edited after it was applied (checksum ${row.checksum.slice(0, 12)}… ` +
          `recorded, ${f.checksum.slice(0, 12)}… now); restore it and put the change in a new ` +
          `migration`,
        f.file,
      );
    }
  }
}

/** "line N" for a Postgres error position (1-based character offset into the file). */
function lineOf(text: string, position: string | undefined): string {
  const pos = Number(position);
  if (!position || !Number.isInteger(pos) || pos < 1) return "";
  const before = Array.from(text).slice(0, pos - 1).join("");
  return ` (line ${before.split("\n").length})`;
}

function describeFailure(f: MigrationFile, err: unknown): MigrationError {
  if (err instanceof postgres.PostgresError) {
    const extra = [err.detail && `detail: ${err.detail}`, err.hint && `hint: ${err.hint}`]
      .filter(Boolean).join("; ");
    return new MigrationError(
      `${f.file} failed${lineOf(f.sql, err.position)}: ${err.message}` +
        (extra ? ` (${extra})` : "") + "; nothing from it was applied",
      f.file,
      { cause: err },
    );
  }
  return new MigrationError(`${f.file} failed: ${(err as Error)?.message ?? String(err)}`, f.file, {
    cause: err,
  });
}

/**
 * Applies every pending migration of `dir`. Returns the file names applied by this call (files
 * another instance applied meanwhile are not listed).
 */
export async function migrate(
  sql: Sql,
  dir: string = DEFAULT_MIGRATIONS_DIR,
): Promise<{ applied: string[] }> {
  const files = await readMigrations(dir);
  const rows = await sql.begin(async (tx) => {
    await lockAndEnsureTable(tx);
    return await tx<
      AppliedRow[]
    >`select version, name, checksum, applied_at from schema_migrations`;
  });
  checkApplied(files, rows, dir);
  const done = new Set(rows.map((r) => r.version));
  const applied: string[] = [];
  for (const f of files) {
    if (done.has(f.version)) continue;
    const didApply = await sql.begin(async (tx) => {
      await lockAndEnsureTable(tx);
      const [row] = await tx<AppliedRow[]>`
        select version, name, checksum, applied_at from schema_migrations
        where version = ${f.version}`;
      if (row) { // another instance applied it while we waited for the lock
        checkApplied([f], [row], dir);
        return false;
      }
      try {
        await tx.unsafe(f.sql);
      } catch (err) {
        throw describeFailure(f, err);
      }
      await tx`
        insert into schema_migrations (version, name, checksum)
        values (${f.version}, ${f.name}, ${f.checksum})`;
      return true;
    });
    if (didApply) applied.push(f.file);
  }
  return { applied };
}

/** Every migration known to the folder or the database, in version order, with its state. */
export async function migrationStatus(
  sql: Sql,
  dir: string = DEFAULT_MIGRATIONS_DIR,
): Promise<MigrationState[]> {
  const files = await readMigrations(dir);
  const [{ exists }] = await sql<{ exists: boolean }[]>`
    select to_regclass('schema_migrations') is not null as exists`;
  const rows = exists
    ? await sql<AppliedRow[]>`select version, name, checksum, applied_at from schema_migrations`
    : [];
  const byVersion = new Map(rows.map((r) => [r.version, r]));
  const states: MigrationState[] = files.map((f) => {
    const row = byVersion.get(f.version);
    byVersion.delete(f.version);
    return {
      version: f.version,
      name: f.name,
      file: f.file,
      applied_at: row?.applied_at ?? null,
      state: !row ? "pending" : row.checksum === f.checksum ? "applied" : "edited",
    };
  });
  for (const row of byVersion.values()) {
    states.push({
      version: row.version,
      name: row.name,
      file: fileName(row.version, row.name),
      applied_at: row.applied_at,
      state: "missing",
    });
  }
  return states.sort((a, b) => a.version.localeCompare(b.version));
}

export interface TimescaleInfo {
  /** The timescaledb package is installed on the server (pg_available_extensions). */
  available: boolean;
  /** CREATE EXTENSION timescaledb has been run in this database. */
  installed: boolean;
  /** The extension's version in this database, when installed. */
  version: string | null;
  /** `timescaledb.license`: known once the library is loaded, else null. */
  license: "timescale" | "apache" | null;
  /** Hypertables of this database's schema (from the catalog). */
  hypertables: string[];
  /** Continuous aggregates that exist (view names, from the catalog). */
  continuousAggregates: string[];
  /** Hypertables with native compression configured (compression settings in the catalog). */
  compression: string[];
  /** Background jobs that exist: policy procedure and the table or view it works on. */
  jobs: { proc: string; target: string | null }[];
}

/**
 * What TimescaleDB runs on this database, read from its catalog (not inferred from the licence:
 * a failed setup step shows up as a missing aggregate, setting or job).
 */
export async function timescaleInfo(sql: Sql): Promise<TimescaleInfo> {
  const [row] = await sql<
    { available: boolean; installed: boolean; version: string | null; license: string | null }[]
  >`
    select
      exists (select 1 from pg_available_extensions where name = 'timescaledb') as available,
      exists (select 1 from pg_extension where extname = 'timescaledb') as installed,
      (select extversion from pg_extension where extname = 'timescaledb') as version,
      current_setting('timescaledb.license', true) as license`;
  const license = row.license === "timescale" || row.license === "apache" ? row.license : null;
  const info: TimescaleInfo = {
    available: row.available,
    installed: row.installed,
    version: row.version ?? null,
    license,
    hypertables: [],
    continuousAggregates: [],
    compression: [],
    jobs: [],
  };
  if (!row.installed) return info;
  const names = async (query: Promise<{ name: string }[]>) => (await query).map((r) => r.name);
  info.hypertables = await names(sql`
    select hypertable_name::text as name from timescaledb_information.hypertables
    where hypertable_schema = current_schema() order by 1`);
  info.continuousAggregates = await names(sql`
    select view_name::text as name from timescaledb_information.continuous_aggregates
    where view_schema = current_schema() order by 1`);
  info.compression = await names(sql`
    select distinct hypertable_name::text as name from timescaledb_information.compression_settings
    where hypertable_schema = current_schema() order by 1`);
  // User-defined actions have no hypertable; the policies of a continuous aggregate act on its
  // materialization hypertable, shown here by the view's name.
  info.jobs = (await sql<{ proc: string; target: string | null }[]>`
    select j.proc_name::text as proc,
      coalesce(c.view_name, j.hypertable_name)::text as target
    from timescaledb_information.jobs j
    left join timescaledb_information.continuous_aggregates c
      on c.materialization_hypertable_schema = j.hypertable_schema
      and c.materialization_hypertable_name = j.hypertable_name
    where j.job_id >= 1000
    order by 1, 2`).map((r) => ({ proc: r.proc, target: r.target }));
  return info;
}
