/**
 * Backups of the server mode (DATABASE_URL): pgBackRest (Debian's package) on the machine that
 * runs PostgreSQL, with continuous WAL archiving. backup:setup writes its configuration (an
 * encrypted repository, aes-256-cbc; fulls kept 30 days; WAL kept for the 7 newest fulls, i.e.
 * 7 days with a daily full), points PostgreSQL's archive_command at it (archive_timeout =
 * BACKUP_ARCHIVE_TIMEOUT: the RPO), turns on track_commit_timestamp (the drill's "newest
 * transaction"), creates the stanza and checks that a WAL segment reaches the repository.
 *
 * Each `deno task backup` also writes the KV store and DATA_DIR's generated secrets, encrypted
 * (archive.ts), to `<repo>/files/<backup label>.sdbak`; archives of expired backups go with them.
 *
 * Run as root, pgBackRest and the PostgreSQL binaries run as BACKUP_OS_USER (runuser); run as
 * that user, directly. Debian clusters (pg_lsclusters) are stopped and started with pg_ctlcluster.
 */
import { dirname, join } from "node:path";
import postgres from "postgres";
import type { Config } from "@/services/platform/config.ts";
import { redactUrl } from "@/services/platform/db.ts";
import { jobSucceeded, metrics } from "@/services/platform/metrics.ts";
import { openKv } from "@/services/platform/kv.ts";
import {
  addAppState,
  openArchive,
  restoreAppState,
  sealArchive,
  writeSecretFiles,
} from "./archive.ts";
import { backupPassphrase } from "./embedded.ts";
import {
  checkAudit,
  type CheckLine,
  checkMigrations,
  compareWithSource,
  drillSummary,
  newestCommit,
  newestRow,
} from "./checks.ts";
import { freePort, startServingApp } from "./app_probe.ts";

export type ServerCfg = Pick<
  Config,
  | "DATABASE_URL"
  | "DATA_DIR"
  | "KV_PATH"
  | "BACKUP_REPO_PATH"
  | "BACKUP_CONFIG"
  | "BACKUP_STANZA"
  | "BACKUP_CIPHER_PASS"
  | "BACKUP_ARCHIVE_TIMEOUT"
  | "BACKUP_OS_USER"
>;
type Log = (line: string) => void;

export class BackupError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = "BackupError";
  }
}

// ---- running commands ----------------------------------------------------------------------

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

const isRoot = () => Deno.uid() === 0;

/** Runs `cmd` as BACKUP_OS_USER when we are root (and that user is not root). */
async function runAs(config: ServerCfg, cmd: string[], opts: { cwd?: string } = {}): Promise<Ran> {
  const argv = isRoot() && config.BACKUP_OS_USER !== "root"
    ? ["runuser", "-u", config.BACKUP_OS_USER, "--", ...cmd]
    : cmd;
  return await run(argv, opts);
}

async function run(argv: string[], opts: { cwd?: string } = {}): Promise<Ran> {
  let out;
  try {
    out = await new Deno.Command(argv[0], {
      args: argv.slice(1),
      cwd: opts.cwd ?? "/",
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new BackupError(
        `${argv[0]} is not installed (Debian: apt-get install ${
          argv[0] === "pgbackrest" ? "pgbackrest" : argv[0]
        })`,
      );
    }
    throw e;
  }
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function must(ran: Promise<Ran>, what: string): Promise<string> {
  const r = await ran;
  if (r.code !== 0) {
    throw new BackupError(`${what} failed (exit ${r.code}):\n${(r.stderr || r.stdout).trim()}`);
  }
  return r.stdout;
}

const pgbr = (config: ServerCfg, ...args: string[]) => [
  "pgbackrest",
  `--config=${config.BACKUP_CONFIG}`,
  `--stanza=${config.BACKUP_STANZA}`,
  ...args,
];

async function chown(config: ServerCfg, path: string, recursive = false) {
  if (!isRoot()) return;
  await must(
    run(["chown", ...(recursive ? ["-R"] : []), `${config.BACKUP_OS_USER}:`, path]),
    `chown ${path}`,
  );
}

// ---- the server -----------------------------------------------------------------------------

interface ServerFacts {
  dataDirectory: string;
  port: number;
  socketDir: string;
  major: number;
  database: string;
}

function needUrl(config: ServerCfg): string {
  if (!config.DATABASE_URL) {
    throw new BackupError("DATABASE_URL is not set: this is the embedded mode", 2);
  }
  return config.DATABASE_URL;
}

function connect(url: string, max = 2) {
  return postgres(url, { max, onnotice: () => {}, connect_timeout: 10 });
}

async function serverFacts(sql: postgres.Sql, url: string): Promise<ServerFacts> {
  const [r] = await sql`
    select current_setting('data_directory') as data_directory,
           current_setting('port')::int as port,
           current_setting('unix_socket_directories') as sockets,
           current_setting('server_version_num')::int as version,
           current_database() as database`;
  return {
    dataDirectory: r.data_directory,
    port: r.port,
    socketDir: String(r.sockets).split(",")[0].trim() || "/var/run/postgresql",
    major: Math.floor(r.version / 10000),
    database: new URL(url).pathname.slice(1) || r.database,
  };
}

interface DebianCluster {
  version: number;
  name: string;
  running: boolean;
}

/** The Debian cluster (pg_lsclusters) whose data directory this is, if any. */
async function debianCluster(dataDirectory: string): Promise<DebianCluster | null> {
  let r: Ran;
  try {
    r = await run(["pg_lsclusters", "--json"]);
  } catch {
    return null;
  }
  if (r.code !== 0) return null;
  const list = JSON.parse(r.stdout) as {
    version: number;
    cluster: string;
    running: number;
    pgdata?: string;
    config?: { data_directory?: string };
  }[];
  const c = list.find((c) => (c.pgdata ?? c.config?.data_directory) === dataDirectory);
  return c ? { version: Number(c.version), name: c.cluster, running: c.running === 1 } : null;
}

/** The PostgreSQL binaries of `major` (Debian keeps each version apart). */
async function pgBin(major: number, name: string): Promise<string> {
  const path = `/usr/lib/postgresql/${major}/bin/${name}`;
  try {
    await Deno.stat(path);
    return path;
  } catch {
    return name;
  }
}

// ---- setup ----------------------------------------------------------------------------------

function pgbackrestConf(config: ServerCfg, facts: ServerFacts, passphrase: string): string {
  const repo = config.BACKUP_REPO_PATH;
  return `# Written by \`deno task backup:setup\` (Smart Dairy). Contains the repository passphrase.
[global]
repo1-path=${repo}
repo1-cipher-type=aes-256-cbc
repo1-cipher-pass=${passphrase}
repo1-retention-full-type=time
repo1-retention-full=30
repo1-retention-archive-type=full
repo1-retention-archive=7
repo1-bundle=y
compress-type=lz4
start-fast=y
process-max=2
log-path=${repo}/log
lock-path=${repo}/lock
log-level-console=warn
log-level-file=info

[${config.BACKUP_STANZA}]
pg1-path=${facts.dataDirectory}
pg1-port=${facts.port}
pg1-socket-path=${facts.socketDir}
`;
}

/** The crontab (UTC) of the schedule: full daily at 02:30 Dhaka, differential every 6 hours. */
export function cronLines(root: string): string {
  const task = `cd ${root} && deno task backup`;
  return `# Smart Dairy backups (written by deno task backup:setup --cron). Times are UTC.
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
30 20 * * * root ${task} --type full >> /var/log/smartdairy-backup.log 2>&1
30 2,8,14 * * * root ${task} --type diff >> /var/log/smartdairy-backup.log 2>&1
`;
}

/**
 * backup:setup. Returns the exit code: 0 ready, 3 when PostgreSQL must be restarted first
 * (archive_mode changes need a restart; `restart: true` does it for a Debian cluster).
 */
export async function setupServerBackups(
  config: ServerCfg,
  opts: { restart?: boolean; cron?: boolean; root?: string; log?: Log } = {},
): Promise<number> {
  const log = opts.log ?? console.log;
  const url = needUrl(config);
  const sql = connect(url);
  let facts: ServerFacts;
  let pending: string[];
  try {
    facts = await serverFacts(sql, url);
    log(`PostgreSQL ${facts.major} at ${redactUrl(url)}, data in ${facts.dataDirectory}`);
    const passphrase = await backupPassphrase(config);
    await Deno.mkdir(config.BACKUP_REPO_PATH, { recursive: true, mode: 0o750 });
    await Deno.mkdir(join(config.BACKUP_REPO_PATH, "files"), { recursive: true, mode: 0o750 });
    await chown(config, config.BACKUP_REPO_PATH, true);
    await Deno.mkdir(dirname(config.BACKUP_CONFIG), { recursive: true });
    await Deno.writeTextFile(config.BACKUP_CONFIG, pgbackrestConf(config, facts, passphrase), {
      mode: 0o600,
    });
    await Deno.chmod(config.BACKUP_CONFIG, 0o600);
    await chown(config, config.BACKUP_CONFIG);
    log(`wrote ${config.BACKUP_CONFIG} (repository ${config.BACKUP_REPO_PATH}, encrypted)`);
    const archiveCommand =
      `pgbackrest --config=${config.BACKUP_CONFIG} --stanza=${config.BACKUP_STANZA} archive-push %p`;
    await sql.unsafe(`alter system set wal_level = 'replica'`);
    await sql.unsafe(`alter system set archive_mode = 'on'`);
    await sql.unsafe(`alter system set archive_command = ${quoteLiteral(archiveCommand)}`);
    await sql.unsafe(`alter system set archive_timeout = '${config.BACKUP_ARCHIVE_TIMEOUT}s'`);
    await sql.unsafe(`alter system set track_commit_timestamp = 'on'`);
    await sql`select pg_reload_conf()`;
    await new Promise((r) => setTimeout(r, 300));
    pending = (await sql`select name from pg_settings where pending_restart`).map((r) => r.name);
  } finally {
    await sql.end({ timeout: 2 });
  }
  if (pending.length) {
    const cluster = await debianCluster(facts.dataDirectory);
    if (!opts.restart || !cluster) {
      log(
        `PostgreSQL must be restarted for ${pending.join(", ")}` +
          (cluster
            ? `: pg_ctlcluster ${cluster.version} ${cluster.name} restart`
            : " (e.g. systemctl restart postgresql)") +
          `, then run deno task backup:setup again (or pass --restart).`,
      );
      return 3;
    }
    log(`restarting PostgreSQL ${cluster.version}/${cluster.name} for ${pending.join(", ")}…`);
    await must(
      run(["pg_ctlcluster", String(cluster.version), cluster.name, "restart"]),
      "pg_ctlcluster restart",
    );
    await waitForServer(url, 120_000);
  }
  await must(runAs(config, pgbr(config, "stanza-create")), "pgbackrest stanza-create");
  await must(runAs(config, pgbr(config, "check")), "pgbackrest check (WAL archiving)");
  log(`stanza ${config.BACKUP_STANZA} created; a WAL segment reached the repository`);
  const cron = cronLines(opts.root ?? Deno.cwd());
  if (opts.cron) {
    await Deno.writeTextFile("/etc/cron.d/smartdairy-backup", cron, { mode: 0o644 });
    log("schedule written to /etc/cron.d/smartdairy-backup");
  } else {
    log("schedule (install with --cron, or as systemd timers):\n" + cron.trimEnd());
  }
  log(
    `Keep the passphrase somewhere else too (without it nothing restores): ` +
      (config.BACKUP_CIPHER_PASS ? "BACKUP_CIPHER_PASS" : `${config.DATA_DIR}/backup_passphrase`),
  );
  return 0;
}

function quoteLiteral(s: string) {
  return `'${s.replace(/'/g, "''")}'`;
}

async function waitForServer(url: string, ms: number, notInRecovery = true): Promise<void> {
  const deadline = Date.now() + ms;
  let last = "";
  while (Date.now() < deadline) {
    const sql = connect(url, 1);
    try {
      const [r] = await sql`select pg_is_in_recovery() as rec`;
      if (!notInRecovery || !r.rec) return;
      last = "still in recovery";
    } catch (e) {
      last = (e as Error).message;
    } finally {
      await sql.end({ timeout: 1 }).catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new BackupError(`PostgreSQL at ${redactUrl(url)} did not come up: ${last}`);
}

// ---- info, backup ---------------------------------------------------------------------------

export interface BackupSet {
  label: string;
  type: "full" | "diff" | "incr";
  start: Date;
  stop: Date;
  /** Database size and size in the repository (bytes). */
  size: number;
  repoSize: number;
  walStart: string;
  walStop: string;
}

export interface RepoInfo {
  status: string;
  backups: BackupSet[];
  /** Oldest and newest WAL segment archived. */
  walMin: string | null;
  walMax: string | null;
}

export async function repoInfo(config: ServerCfg): Promise<RepoInfo> {
  const out = await must(runAs(config, pgbr(config, "info", "--output=json")), "pgbackrest info");
  const [stanza] = JSON.parse(out) as any[];
  if (!stanza) return { status: "missing", backups: [], walMin: null, walMax: null };
  const backups: BackupSet[] = (stanza.backup ?? []).map((b: any) => ({
    label: b.label,
    type: b.type,
    start: new Date(b.timestamp.start * 1000),
    stop: new Date(b.timestamp.stop * 1000),
    size: b.info?.size ?? 0,
    repoSize: b.info?.repository?.delta ?? b.info?.repository?.size ?? 0,
    walStart: b.archive?.start ?? "",
    walStop: b.archive?.stop ?? "",
  }));
  const arch = (stanza.archive ?? [])[0];
  return {
    status: stanza.status?.message ?? "?",
    backups,
    walMin: arch?.min ?? null,
    walMax: arch?.max ?? null,
  };
}

const backupGauge = metrics.gauge(
  "backup_last_success_timestamp_seconds",
  "Unix time of the newest complete backup (embedded snapshot or pgBackRest backup)",
);

/**
 * `deno task backup`: a pgBackRest backup now (`type`: full, diff or incr; by default a full when
 * none finished in the last 20 hours, else a differential), then the KV + secrets archive.
 */
export async function backupServerNow(
  config: ServerCfg,
  opts: { type?: "full" | "diff" | "incr"; log?: Log } = {},
): Promise<BackupSet> {
  const log = opts.log ?? console.log;
  needUrl(config);
  const before = await repoInfo(config);
  const lastFull = before.backups.filter((b) => b.type === "full").at(-1);
  const type = opts.type ??
    (lastFull && Date.now() - lastFull.stop.getTime() < 20 * 3600_000 ? "diff" : "full");
  log(`pgBackRest ${type} backup…`);
  await must(runAs(config, pgbr(config, "backup", `--type=${type}`)), `pgbackrest backup`);
  const after = await repoInfo(config);
  const set = after.backups.at(-1)!;
  // The KV store and the generated secrets, encrypted, named after the backup they go with.
  const files = new Map<string, Uint8Array>();
  const kv = await openKv(config);
  let kvEntries = 0;
  try {
    kvEntries = (await addAppState(files, kv, config.DATA_DIR)).kvEntries;
  } finally {
    kv.close();
  }
  const sealed = await sealArchive(await backupPassphrase(config), "server", files, {
    label: set.label,
    kvEntries,
  }, set.stop);
  const dir = join(config.BACKUP_REPO_PATH, "files");
  await Deno.mkdir(dir, { recursive: true, mode: 0o750 });
  await Deno.writeFile(join(dir, `${set.label}.sdbak`), sealed, { mode: 0o600 });
  // Archives of backups pgBackRest has expired go too.
  const labels = new Set(after.backups.map((b) => b.label));
  for await (const e of Deno.readDir(dir)) {
    const label = e.name.replace(/\.sdbak$/, "");
    if (e.name.endsWith(".sdbak") && !labels.has(label)) await Deno.remove(join(dir, e.name));
  }
  log(
    `backup ${set.label} (${set.type}) done: ${(set.size / 1e6).toFixed(1)} MB database, ` +
      `${(set.repoSize / 1e6).toFixed(1)} MB stored; KV (${kvEntries} entries) and secrets kept`,
  );
  jobSucceeded("backup", set.stop);
  backupGauge.set(set.stop.getTime() / 1000, {});
  return set;
}

/** `deno task backup:list` lines. */
export async function listServerBackups(config: ServerCfg): Promise<string[]> {
  const info = await repoInfo(config);
  const dir = join(config.BACKUP_REPO_PATH, "files");
  const lines = [`stanza ${config.BACKUP_STANZA}: ${info.status}`];
  if (!info.backups.length) return [...lines, "no backups yet"];
  lines.push("label                              type  finished (UTC)        database  stored  KV");
  for (const b of info.backups) {
    const kv = await Deno.stat(join(dir, `${b.label}.sdbak`)).then(() => "yes", () => "no");
    lines.push(
      `${b.label.padEnd(34)} ${b.type.padEnd(5)} ${
        b.stop.toISOString().slice(0, 19).replace("T", " ")
      }  ${(b.size / 1e6).toFixed(1).padStart(6)} MB ${
        (b.repoSize / 1e6).toFixed(1).padStart(5)
      } MB ${kv}`,
    );
  }
  lines.push(`WAL archived: ${info.walMin} … ${info.walMax} (point-in-time restore in between)`);
  return lines;
}

/** Registers the backup-age gauge: the newest pgBackRest backup, read at most every 5 minutes. */
export function registerServerBackupMetrics(config: ServerCfg): void {
  let last = 0;
  metrics.onCollect(async () => {
    if (Date.now() - last < 300_000) return;
    last = Date.now();
    try {
      await Deno.stat(config.BACKUP_CONFIG);
    } catch {
      return; // backup:setup has not run: the gauge stays absent (an alert says so)
    }
    const newest = (await repoInfo(config)).backups.at(-1);
    if (newest) backupGauge.set(newest.stop.getTime() / 1000, {});
  });
}

// ---- restore --------------------------------------------------------------------------------

/**
 * "2026-12-01 10:15+06", "2026-12-01T10:15:00Z", "2026-12-01 10:15" (Dhaka time): the instant.
 * Throws a message naming the expected form.
 */
export function parseTarget(text: string): Date {
  const m =
    /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}(?:\.\d{1,6})?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/
      .exec(text.trim());
  if (!m) {
    throw new BackupError(
      `--to "${text}": expected a time such as "2026-12-01 10:15+06" (no offset: Dhaka time)`,
      2,
    );
  }
  let zone = m[5] ?? "+06:00";
  if (zone !== "Z") {
    const z = zone.replace(":", "");
    zone = `${z.slice(0, 3)}:${z.slice(3, 5) || "00"}`;
  }
  const d = new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? "00"}${zone}`);
  if (Number.isNaN(d.getTime())) throw new BackupError(`--to "${text}": not a valid time`, 2);
  return d;
}

function pgTime(d: Date) {
  return d.toISOString().replace("T", " ").replace("Z", "+00");
}

async function removeStalePid(dataDirectory: string, config: ServerCfg) {
  const pidFile = join(dataDirectory, "postmaster.pid");
  let text: string;
  try {
    text = await Deno.readTextFile(pidFile);
  } catch {
    return;
  }
  const pid = Number(text.split("\n")[0]);
  const alive = await Deno.stat(`/proc/${pid}`).then(() => true, () => false);
  if (alive) {
    throw new BackupError(
      `PostgreSQL (pid ${pid}) still runs on ${dataDirectory}: stop it first, or pass --stop`,
    );
  }
  await runAs(config, ["rm", "-f", pidFile]);
}

export interface ServerRestoreResult {
  recoveredTo: Date | null;
  seconds: number;
  files: { kvEntries: number; secrets: string[] } | null;
}

/**
 * `deno task restore` (server): restores the configured PostgreSQL's data directory in place
 * (pgBackRest --delta) to the end of the archived WAL, or to `to`, and starts it again. The
 * server must be stopped (or `stop: true` for a Debian cluster). With `files`, the KV store and
 * missing secrets come back from the archive of the backup restored from.
 */
export async function restoreServer(
  config: ServerCfg,
  opts: {
    to?: Date;
    stop?: boolean;
    files?: boolean;
    dataDirectory?: string;
    log?: Log;
  } = {},
): Promise<ServerRestoreResult> {
  const log = opts.log ?? console.log;
  const url = needUrl(config);
  const t0 = performance.now();
  if (opts.to && opts.to.getTime() > Date.now()) {
    throw new BackupError(`--to ${opts.to.toISOString()} is in the future`, 2);
  }
  // Where to: the data directory pgBackRest was set up with (the server may be down).
  const conf = await Deno.readTextFile(config.BACKUP_CONFIG).catch(() => {
    throw new BackupError(`${config.BACKUP_CONFIG} is missing: run deno task backup:setup first`);
  });
  const dataDirectory = opts.dataDirectory ?? /^pg1-path=(.+)$/m.exec(conf)?.[1]?.trim();
  if (!dataDirectory) throw new BackupError(`no pg1-path in ${config.BACKUP_CONFIG}`);
  const cluster = await debianCluster(dataDirectory);
  if (cluster?.running) {
    if (!opts.stop) {
      throw new BackupError(
        `PostgreSQL ${cluster.version}/${cluster.name} is running: stop it first ` +
          `(pg_ctlcluster ${cluster.version} ${cluster.name} stop) or pass --stop`,
      );
    }
    log(`stopping PostgreSQL ${cluster.version}/${cluster.name}…`);
    await must(
      run(["pg_ctlcluster", String(cluster.version), cluster.name, "stop", "-m", "fast"]),
      "pg_ctlcluster stop",
    );
  }
  await removeStalePid(dataDirectory, config);
  const info = await repoInfo(config);
  const from = (opts.to ? info.backups.filter((b) => b.stop <= opts.to!) : info.backups).at(-1);
  if (!from) {
    throw new BackupError(
      opts.to ? `no backup finished before ${opts.to.toISOString()}` : "no backup to restore",
    );
  }
  const target = opts.to
    ? [
      "--type=time",
      `--target=${pgTime(opts.to)}`,
      "--target-action=promote",
      `--set=${from.label}`,
    ]
    : [];
  log(
    `restoring from ${from.label} ${
      opts.to ? `to ${opts.to.toISOString()}` : "to the newest WAL"
    }…`,
  );
  await must(
    runAs(config, pgbr(config, "restore", "--delta", `--pg1-path=${dataDirectory}`, ...target)),
    "pgbackrest restore",
  );
  if (cluster) {
    await must(
      run(["pg_ctlcluster", String(cluster.version), cluster.name, "start"]),
      "pg_ctlcluster start",
    );
  } else {
    log("start PostgreSQL now; waiting for it…");
  }
  await waitForServer(url, 30 * 60_000);
  const sql = connect(url, 1);
  let recoveredTo: Date | null = null;
  try {
    const [r] = await sql`select pg_last_xact_replay_timestamp() as at`;
    recoveredTo = r?.at ? new Date(r.at) : await newestRow(sql);
  } finally {
    await sql.end({ timeout: 2 });
  }
  let files: ServerRestoreResult["files"] = null;
  if (opts.files) {
    const path = join(config.BACKUP_REPO_PATH, "files", `${from.label}.sdbak`);
    const archive = await openArchive(
      await backupPassphrase(config),
      await Deno.readFile(path),
      path,
    );
    const kv = await openKv(config);
    try {
      files = await restoreAppState(archive.files, kv, config.DATA_DIR, false);
    } finally {
      kv.close();
    }
  }
  return { recoveredTo, seconds: (performance.now() - t0) / 1000, files };
}

// ---- the drill ------------------------------------------------------------------------------

export interface ServerDrillReport {
  ok: boolean;
  lines: string[];
  rpoSeconds: number | null;
  rtoSeconds: number;
  recoveredTo: Date | null;
}

/**
 * `deno task drill` (server): restores the newest backup and WAL into a scratch data directory,
 * runs a scratch PostgreSQL on a free port, checks the copy (migrations, audit chain, row counts
 * and money sums against the source as of the recovery point), starts the app on it, measures
 * RPO (newest commit in the source − newest transaction replayed) and RTO (restore start →
 * serving app), and removes it all again.
 */
export async function drillServer(
  config: ServerCfg,
  opts: { serve?: boolean; log?: Log } = {},
): Promise<ServerDrillReport> {
  const log = opts.log ?? (() => {});
  const url = needUrl(config);
  const t0 = performance.now();
  const lines: string[] = [];
  const checks: CheckLine[] = [];
  const source = connect(url, 2);
  let facts: ServerFacts;
  try {
    facts = await serverFacts(source, url);
  } catch (e) {
    await source.end({ timeout: 1 });
    throw new BackupError(`the source database does not answer: ${(e as Error).message}`);
  }
  const scratch = await Deno.makeTempDir({ prefix: "sd-drill-", dir: "/var/tmp" });
  await Deno.chmod(scratch, 0o700);
  await chown(config, scratch);
  const pgdata = join(scratch, "pgdata");
  const port = freePort();
  const pgCtl = await pgBin(facts.major, "pg_ctl");
  let started = false;
  try {
    const info = await repoInfo(config);
    const newest = info.backups.at(-1);
    if (!newest) throw new BackupError("no backup to drill with: run deno task backup first");
    // The newest commit when the restore starts: the best any restore could reach.
    const written = await newestCommit(source);
    await Deno.mkdir(pgdata, { mode: 0o700 });
    await chown(config, pgdata);
    log(`restoring ${newest.label} and the archived WAL into ${pgdata}…`);
    await must(
      runAs(config, pgbr(config, "restore", `--pg1-path=${pgdata}`, "--archive-mode=off")),
      "pgbackrest restore (scratch)",
    );
    // Debian keeps the configuration outside the data directory: give the copy its own.
    await writeAs(
      config,
      join(pgdata, "postgresql.conf"),
      [
        `listen_addresses = '127.0.0.1'`,
        `port = ${port}`,
        `unix_socket_directories = '${scratch}'`,
        // Recovery refuses settings below the primary's: take the source's.
        ...(await source`
        select name, setting from pg_settings where name in ('max_connections',
          'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions',
          'max_locks_per_transaction')`).map((r) => `${r.name} = ${Number(r.setting)}`),
        `shared_buffers = '64MB'`,
        `hba_file = '${join(scratch, "pg_hba.conf")}'`,
        `ident_file = '${join(scratch, "pg_ident.conf")}'`,
      ].join("\n") + "\n",
    );
    await writeAs(
      config,
      join(scratch, "pg_hba.conf"),
      "local all all trust\nhost all all 127.0.0.1/32 trust\n",
    );
    await writeAs(config, join(scratch, "pg_ident.conf"), "");
    log(`starting the copy on port ${port} (replaying WAL)…`);
    const startCopy = runAs(config, [
      pgCtl,
      "-D",
      pgdata,
      "-l",
      join(scratch, "postgres.log"),
      "-w",
      "-t",
      "1800",
      "-o",
      `-c archive_mode=off -c port=${port} -c config_file=${join(pgdata, "postgresql.conf")}`,
      "start",
    ]);
    if ((await startCopy).code !== 0) {
      const tail = await Deno.readTextFile(join(scratch, "postgres.log")).catch(() => "");
      throw new BackupError(`the restored copy did not start:\n${tail.slice(-2000)}`);
    }
    started = true;
    const copyUrl = `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(facts.database)}`;
    await waitForServer(copyUrl, 30 * 60_000);
    const copy = connect(copyUrl, 2);
    let recoveredTo: Date | null = null;
    let rpo: number | null = null;
    try {
      const [r] = await copy`select pg_last_xact_replay_timestamp() as at`;
      recoveredTo = r?.at ? new Date(r.at) : await newestRow(copy);
      if (written && recoveredTo) {
        rpo = Math.max(0, (written.getTime() - recoveredTo.getTime()) / 1000);
      }
      lines.push(
        `restored ${newest.label} + WAL; newest transaction recovered: ${
          recoveredTo?.toISOString() ?? "none"
        }, newest in the source: ${written?.toISOString() ?? "none"}`,
      );
      checks.push(await checkMigrations(copy), await checkAudit(copy));
      // Transactions open across the recovery point may carry earlier timestamps: a margin.
      const asOf = new Date((recoveredTo ?? new Date(0)).getTime() - 5000);
      checks.push(...(await compareWithSource(copy, source, asOf)).lines);
    } finally {
      await copy.end({ timeout: 2 });
    }
    let rto = (performance.now() - t0) / 1000;
    if (opts.serve ?? true) {
      log("starting the app on the restored copy…");
      const dataDir = join(scratch, "app");
      await Deno.mkdir(dataDir);
      // The app needs the secrets of the backup (encrypted fields, tokens): from its archive.
      const archivePath = join(config.BACKUP_REPO_PATH, "files", `${newest.label}.sdbak`);
      const archive = await Deno.readFile(archivePath).then(
        async (b) => await openArchive(await backupPassphrase(config), b, archivePath),
        () => null,
      );
      if (archive) await writeSecretFiles(dataDir, archive.files, true);
      else lines.push(`(no KV/secrets archive ${archivePath}: the app starts without them)`);
      const app = await startServingApp({
        DATABASE_URL: copyUrl,
        DATA_DIR: dataDir,
        KV_PATH: join(dataDir, "kv.sqlite3"),
      });
      rto = (performance.now() - t0) / 1000;
      await app.stop();
      lines.push(`the app served the restored copy (${app.url})`);
    }
    const summary = drillSummary(checks, rpo, rto, opts.serve ?? true);
    lines.push(...summary.lines);
    return { ok: summary.ok, lines, rpoSeconds: rpo, rtoSeconds: rto, recoveredTo };
  } finally {
    await source.end({ timeout: 2 }).catch(() => {});
    if (started) await runAs(config, [pgCtl, "-D", pgdata, "-m", "immediate", "-w", "stop"]);
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

async function writeAs(config: ServerCfg, path: string, text: string) {
  await Deno.writeTextFile(path, text, { mode: 0o600 });
  await chown(config, path);
}
