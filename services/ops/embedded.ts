/**
 * Backups of the embedded mode (no DATABASE_URL): a consistent snapshot of the PGlite database
 * (PGlite's own `dumpDataDir`, taken while this process holds the one connection, right after a
 * CHECKPOINT, so no transaction is half-way), the KV store and the generated secrets, in one
 * encrypted archive `${DATA_DIR}/backups/sd-<UTC time>.sdbak`; the newest BACKUP_KEEP are kept.
 *
 * The running app takes them every BACKUP_INTERVAL_HOURS (startEmbeddedBackups, from main.ts);
 * `deno task backup` takes one at once: directly when the app is stopped, else by asking the
 * running app (a request file it looks for every few seconds). Restoring needs the app stopped.
 */
import { basename, join } from "node:path";
import type { Config } from "@/services/platform/config.ts";
import { type EmbeddedDatabase, openEmbedded } from "@/services/platform/db.ts";
import { EmbeddedPgLockedError, startEmbeddedPg } from "@/services/platform/embedded_pg.ts";
import { openKv } from "@/services/platform/kv.ts";
import { jobSucceeded, metrics } from "@/services/platform/metrics.ts";
import { loadOrCreateSecret } from "@/services/platform/secrets.ts";
import { addAppState, openArchive, restoreAppState, sealArchive } from "./archive.ts";
import {
  checkAudit,
  type CheckLine,
  checkMigrations,
  compareWithSource,
  drillSummary,
  newestRow,
  tableFigures,
} from "./checks.ts";
import { startServingApp } from "./app_probe.ts";

type Cfg = Pick<
  Config,
  "DATA_DIR" | "KV_PATH" | "BACKUP_CIPHER_PASS" | "BACKUP_KEEP" | "BACKUP_INTERVAL_HOURS"
>;

export const backupDir = (config: Pick<Config, "DATA_DIR">) =>
  join(config.DATA_DIR.replace(/\/+$/, ""), "backups");
export const pgDir = (config: Pick<Config, "DATA_DIR">) =>
  join(config.DATA_DIR.replace(/\/+$/, ""), "pg");
const REQUEST_FILE = "snapshot.request";

/** The backup passphrase: BACKUP_CIPHER_PASS or the one generated in DATA_DIR. */
export function backupPassphrase(config: Pick<Config, "DATA_DIR" | "BACKUP_CIPHER_PASS">) {
  return loadOrCreateSecret(config.DATA_DIR, "backup_passphrase", config.BACKUP_CIPHER_PASS, 32);
}

export interface Snapshot {
  path: string;
  createdAt: Date;
  bytes: number;
}

const stampOf = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
const SNAPSHOT_NAME = /^sd-(\d{8}T\d{6}Z)(-\d+)?\.sdbak$/;

function parseStamp(s: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s)!;
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}

/** The snapshots in DATA_DIR/backups, oldest first. */
export async function listSnapshots(config: Pick<Config, "DATA_DIR">): Promise<Snapshot[]> {
  const out: Snapshot[] = [];
  try {
    for await (const e of Deno.readDir(backupDir(config))) {
      const m = e.isFile ? SNAPSHOT_NAME.exec(e.name) : null;
      if (!m) continue;
      const path = join(backupDir(config), e.name);
      out.push({ path, createdAt: parseStamp(m[1]), bytes: (await Deno.stat(path)).size });
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Takes a snapshot of the open embedded database and `kv` now, then removes the oldest beyond
 * BACKUP_KEEP. Returns the new snapshot.
 */
export async function takeSnapshot(
  db: EmbeddedDatabase,
  kv: Deno.Kv,
  config: Cfg,
  now: Date = new Date(),
): Promise<Snapshot> {
  const passphrase = await backupPassphrase(config);
  const files = new Map<string, Uint8Array>();
  let meta: Record<string, unknown>;
  // Holding the pool's one connection: no transaction of this process is open during the dump.
  const conn = await db.sql.reserve();
  try {
    await conn`checkpoint`;
    const figures = await tableFigures(conn);
    const newest = await newestRow(conn);
    const dump = await db.embedded.pglite.dumpDataDir("gzip");
    files.set("pg.tar.gz", new Uint8Array(await dump.arrayBuffer()));
    meta = {
      newestRow: newest?.toISOString() ?? null,
      rows: Object.fromEntries([...figures].map(([t, f]) => [t, f.rows])),
    };
  } finally {
    conn.release();
  }
  meta.kvEntries = (await addAppState(files, kv, config.DATA_DIR)).kvEntries;
  const sealed = await sealArchive(passphrase, "embedded", files, meta, now);
  const dir = backupDir(config);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  let path = join(dir, `sd-${stampOf(now)}.sdbak`);
  for (let i = 1; await exists(path); i++) path = join(dir, `sd-${stampOf(now)}-${i}.sdbak`);
  const tmp = `${path}.partial`;
  await Deno.writeFile(tmp, sealed, { mode: 0o600 });
  await Deno.rename(tmp, path);
  const all = await listSnapshots(config);
  for (const old of all.slice(0, Math.max(0, all.length - config.BACKUP_KEEP))) {
    await Deno.remove(old.path).catch(() => {});
  }
  jobSucceeded("backup", now);
  backupGauge.set(now.getTime() / 1000, NO_LABELS);
  return { path, createdAt: now, bytes: sealed.length };
}

const NO_LABELS = {};
const backupGauge = metrics.gauge(
  "backup_last_success_timestamp_seconds",
  "Unix time of the newest complete backup (embedded snapshot or pgBackRest backup)",
);

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Registers the backup-age gauge: the newest snapshot's time, read at each scrape. */
export function registerEmbeddedBackupMetrics(config: Pick<Config, "DATA_DIR">): void {
  metrics.onCollect(async () => {
    const all = await listSnapshots(config);
    const newest = all.at(-1);
    if (newest) backupGauge.set(newest.createdAt.getTime() / 1000, NO_LABELS);
  });
}

/**
 * The running app's schedule: a snapshot whenever the newest is BACKUP_INTERVAL_HOURS old (so a
 * restart does not reset the clock) or `deno task backup` asked for one.
 */
export function startEmbeddedBackups(opts: {
  db: EmbeddedDatabase;
  kv: Deno.Kv;
  config: Cfg;
  clock?: { now(): Date };
  pollMs?: number;
  /** Scheduled snapshots start this long after the app (not to slow its start); default 60 s. */
  startDelayMs?: number;
  log?: (line: string) => void;
}): { stop(): Promise<void> } {
  const clock = opts.clock ?? { now: () => new Date() };
  const scheduledFrom = Date.now() + (opts.startDelayMs ?? 60_000);
  const log = opts.log ?? ((l) => console.log(l));
  const request = join(backupDir(opts.config), REQUEST_FILE);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  const tick = async () => {
    const now = clock.now();
    const asked = await exists(request);
    const newest = (await listSnapshots(opts.config)).at(-1);
    const due = Date.now() >= scheduledFrom && (!newest ||
      now.getTime() - newest.createdAt.getTime() >= opts.config.BACKUP_INTERVAL_HOURS * 3600_000);
    if (!asked && !due) return;
    const s = await takeSnapshot(opts.db, opts.kv, opts.config, now);
    if (asked) await Deno.remove(request).catch(() => {});
    log(`[backup] snapshot ${basename(s.path)} (${(s.bytes / 1e6).toFixed(1)} MB)`);
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().catch((e) => log(`[backup] snapshot failed: ${(e as Error).message}`))
        .finally(() => {
          running = null;
          schedule();
        });
    }, opts.pollMs ?? 5000);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * `deno task backup` in embedded mode: a snapshot now. With the app stopped this process opens
 * the database itself; with it running, it leaves a request and waits for the app's snapshot.
 */
export async function backupEmbeddedNow(
  config: Cfg,
  log: (line: string) => void,
  waitMs = 180_000,
): Promise<Snapshot> {
  let db: EmbeddedDatabase | null = null;
  try {
    db = await openEmbedded({ dataDir: pgDir(config) });
  } catch (e) {
    if (
      !(e instanceof EmbeddedPgLockedError || (e as Error).cause instanceof EmbeddedPgLockedError)
    ) {
      throw e;
    }
  }
  if (db) {
    const kv = await openKv(config);
    try {
      return await takeSnapshot(db, kv, config);
    } finally {
      kv.close();
      await db.close();
    }
  }
  log("The app is running: asking it for a snapshot…");
  const before = (await listSnapshots(config)).at(-1)?.path;
  await Deno.mkdir(backupDir(config), { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(join(backupDir(config), REQUEST_FILE), new Date().toISOString());
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const newest = (await listSnapshots(config)).at(-1);
    if (
      newest && newest.path !== before && !(await exists(join(backupDir(config), REQUEST_FILE)))
    ) {
      return newest;
    }
  }
  throw new Error(`the running app took no snapshot within ${waitMs / 1000} s (is it this one?)`);
}

/** The snapshot to restore: `file`, else the newest taken at or before `to`, else the newest. */
export async function pickSnapshot(
  config: Pick<Config, "DATA_DIR">,
  opts: { file?: string; to?: Date } = {},
): Promise<Snapshot> {
  if (opts.file) {
    const st = await Deno.stat(opts.file);
    const m = SNAPSHOT_NAME.exec(basename(opts.file));
    return { path: opts.file, createdAt: m ? parseStamp(m[1]) : st.mtime!, bytes: st.size };
  }
  const all = await listSnapshots(config);
  const fitting = opts.to ? all.filter((s) => s.createdAt <= opts.to!) : all;
  const pick = fitting.at(-1);
  if (!pick) {
    throw new Error(
      opts.to
        ? `no snapshot in ${backupDir(config)} taken at or before ${opts.to.toISOString()}`
        : `no snapshot in ${backupDir(config)}`,
    );
  }
  return pick;
}

export interface EmbeddedRestoreResult {
  snapshot: Snapshot;
  kvEntries: number;
  secrets: string[];
  /** Where the replaced database was moved (kept until removed by hand). */
  previous: string | null;
}

/**
 * Replaces DATA_DIR/pg (moved aside, not deleted) and the KV store with a snapshot's. The app must
 * be stopped. Secrets missing in DATA_DIR are written; existing ones only with `overwriteSecrets`.
 */
export async function restoreEmbedded(
  config: Cfg,
  opts: { file?: string; to?: Date; overwriteSecrets?: boolean; dataDir?: string } = {},
): Promise<EmbeddedRestoreResult> {
  const target = opts.dataDir ? { ...config, DATA_DIR: opts.dataDir, KV_PATH: undefined } : config;
  const snapshot = await pickSnapshot(config, opts);
  const archive = await openArchive(
    await backupPassphrase(config),
    await Deno.readFile(snapshot.path),
    snapshot.path,
  );
  const pg = archive.files.get("pg.tar.gz");
  if (!pg) throw new Error(`${snapshot.path} holds no embedded database (a server-mode archive?)`);
  // The app must not be running: take the directory's lock ourselves while we swap it.
  const dir = pgDir(target);
  await Deno.mkdir(target.DATA_DIR, { recursive: true });
  const lock = await Deno.open(`${dir}.lock`, { create: true, write: true });
  if (!(await lock.tryLock(true))) {
    lock.close();
    throw new EmbeddedPgLockedError(dir);
  }
  let previous: string | null = null;
  try {
    if (await exists(dir)) {
      previous = `${dir}.before-restore-${stampOf(new Date())}`;
      await Deno.rename(dir, previous);
    }
  } finally {
    lock.close();
  }
  const restored = await startEmbeddedPg({ dataDir: dir, loadDataDir: new Blob([pg as BlobPart]) });
  await restored.pglite.query("checkpoint");
  await restored.stop();
  const kv = await openKv(target);
  try {
    const state = await restoreAppState(
      archive.files,
      kv,
      target.DATA_DIR,
      opts.overwriteSecrets ?? false,
    );
    return { snapshot, ...state, previous };
  } finally {
    kv.close();
  }
}

export interface DrillReport {
  ok: boolean;
  lines: string[];
  rpoSeconds: number | null;
  rtoSeconds: number;
}

/**
 * The drill, embedded: restores the newest snapshot into a scratch DATA_DIR, checks it (and
 * compares it with the live database when the app is stopped), and starts the app on it.
 */
export async function drillEmbedded(
  config: Cfg,
  opts: { serve?: boolean; log?: (line: string) => void } = {},
): Promise<DrillReport> {
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  const lines: string[] = [];
  const checks: CheckLine[] = [];
  const scratch = await Deno.makeTempDir({ prefix: "sd-drill-" });
  let rpo: number | null = null;
  try {
    log("restoring the newest snapshot into a scratch directory…");
    const r = await restoreEmbedded(config, { dataDir: scratch, overwriteSecrets: true });
    lines.push(
      `restored ${basename(r.snapshot.path)} (taken ${r.snapshot.createdAt.toISOString()})`,
    );
    const copy = await openEmbedded({ dataDir: pgDir({ DATA_DIR: scratch }) });
    let recovered: Date | null;
    try {
      checks.push(await checkMigrations(copy.sql), await checkAudit(copy.sql));
      recovered = await newestRow(copy.sql);
      let source: EmbeddedDatabase | null = null;
      try {
        source = await openEmbedded({ dataDir: pgDir(config) });
      } catch { /* the app is running: compare with what the snapshot recorded */ }
      if (source) {
        try {
          const written = await newestRow(source.sql);
          if (written && recovered) {
            rpo = Math.max(0, (written.getTime() - recovered.getTime()) / 1000);
          }
          const cmp = await compareWithSource(copy.sql, source.sql, recovered ?? new Date(0));
          checks.push(...cmp.lines);
        } finally {
          await source.close();
        }
      } else {
        rpo = (Date.now() - r.snapshot.createdAt.getTime()) / 1000;
        lines.push("the app is running: RPO measured against now (an upper bound)");
      }
    } finally {
      await copy.close();
    }
    lines.push(`newest row recovered: ${recovered?.toISOString() ?? "none"}`);
    let rto = (performance.now() - t0) / 1000;
    if (opts.serve ?? true) {
      log("starting the app on the restored copy…");
      const app = await startServingApp({
        DATA_DIR: scratch,
        KV_PATH: join(scratch, "kv.sqlite3"),
      });
      rto = (performance.now() - t0) / 1000;
      await app.stop();
      lines.push(`the app served the restored copy at ${app.url}`);
    }
    const summary = drillSummary(checks, rpo, rto, opts.serve ?? true);
    lines.push(...summary.lines);
    return { ok: summary.ok, lines, rpoSeconds: rpo, rtoSeconds: rto };
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}
