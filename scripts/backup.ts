/**
 * The backup tasks (docs/operations.md):
 *
 *   deno task backup:setup [--restart] [--cron]   server: pgBackRest + WAL archiving
 *   deno task backup [--type full|diff|incr]      a backup now (embedded: a snapshot)
 *   deno task backup:list
 *   deno task restore [--to "2026-12-01 10:15+06"] [--stop] [--files] [--from FILE]
 *   deno task drill [--no-serve]
 *
 * With DATABASE_URL the server mode (pgBackRest); without it the embedded mode (snapshots in
 * DATA_DIR/backups). Exit codes: 0 done, 1 failed, 2 bad arguments or configuration, 3 setup
 * needs a PostgreSQL restart first.
 */
import { ConfigError, loadConfig } from "@/services/platform/config.ts";
import {
  backupEmbeddedNow,
  BackupError,
  backupServerNow,
  drillEmbedded,
  drillServer,
  listServerBackups,
  listSnapshots,
  parseTarget,
  restoreEmbedded,
  restoreServer,
  setupServerBackups,
} from "@/services/ops/mod.ts";
import { fileURLToPath } from "node:url";

const USAGE = `usage: deno run -A scripts/backup.ts setup|backup|list|restore|drill [options]`;

function parseArgs(args: string[]) {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const withValue = new Set(["--type", "--to", "--from"]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf("=");
    if (a.startsWith("--") && eq > 0) values.set(a.slice(0, eq), a.slice(eq + 1));
    else if (withValue.has(a)) {
      if (i + 1 >= args.length) throw new BackupError(`${a} needs a value`, 2);
      values.set(a, args[++i]);
    } else if (a.startsWith("--")) flags.add(a);
    else throw new BackupError(`unexpected argument "${a}"\n${USAGE}`, 2);
  }
  return { flags, values };
}

export async function runBackupCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  const { flags, values } = parseArgs(rest);
  const log = (l: string) => console.log(l);
  const server = !!config.DATABASE_URL;
  switch (command) {
    case "setup": {
      if (!server) {
        log(
          "Embedded mode (no DATABASE_URL): nothing to set up. The running app snapshots the " +
            `database and KV every ${config.BACKUP_INTERVAL_HOURS} h into ${config.DATA_DIR}/backups ` +
            `(keeping ${config.BACKUP_KEEP}).`,
        );
        return 0;
      }
      return await setupServerBackups(config, {
        restart: flags.has("--restart"),
        cron: flags.has("--cron"),
        root: fileURLToPath(new URL("../", import.meta.url)),
        log,
      });
    }
    case "backup": {
      const type = values.get("--type");
      if (type && !["full", "diff", "incr"].includes(type)) {
        throw new BackupError(`--type ${type}: expected full, diff or incr`, 2);
      }
      if (server) await backupServerNow(config, { type: type as "full" | undefined, log });
      else {
        const s = await backupEmbeddedNow(config, log);
        log(`snapshot ${s.path} (${(s.bytes / 1e6).toFixed(1)} MB)`);
      }
      return 0;
    }
    case "list": {
      if (server) { for (const l of await listServerBackups(config)) log(l); }
      else {
        const all = await listSnapshots(config);
        if (!all.length) log(`no snapshots in ${config.DATA_DIR}/backups`);
        for (const s of all) {
          log(
            `${s.createdAt.toISOString()}  ${(s.bytes / 1e6).toFixed(1).padStart(7)} MB  ${s.path}`,
          );
        }
      }
      return 0;
    }
    case "restore": {
      const to = values.has("--to") ? parseTarget(values.get("--to")!) : undefined;
      if (server) {
        const r = await restoreServer(config, {
          to,
          stop: flags.has("--stop"),
          files: flags.has("--files"),
          log,
        });
        log(
          `restored: newest transaction ${r.recoveredTo?.toISOString() ?? "unknown"}, ` +
            `${r.seconds.toFixed(1)} s` +
            (r.files
              ? `; KV ${r.files.kvEntries} entries, secrets ${r.files.secrets.join(", ") || "kept"}`
              : ""),
        );
      } else {
        const r = await restoreEmbedded(config, {
          to,
          file: values.get("--from"),
          overwriteSecrets: flags.has("--overwrite-secrets"),
        });
        log(
          `restored ${r.snapshot.path} (taken ${r.snapshot.createdAt.toISOString()}): database, ` +
            `KV (${r.kvEntries} entries)` +
            (r.secrets.length ? `, secrets ${r.secrets.join(", ")}` : ""),
        );
        if (r.previous) log(`the replaced database is kept in ${r.previous} (remove it by hand)`);
      }
      return 0;
    }
    case "drill": {
      const serve = !flags.has("--no-serve");
      const report = server
        ? await drillServer(config, { serve, log })
        : await drillEmbedded(config, { serve, log });
      for (const l of report.lines) log(l);
      log(report.ok ? "DRILL PASSED" : "DRILL FAILED");
      return report.ok ? 0 : 1;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

if (import.meta.main) {
  let code = 1;
  try {
    code = await runBackupCli(Deno.args);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      code = 2;
    } else if (e instanceof BackupError) {
      console.error(e.message);
      code = e.exitCode;
    } else {
      console.error(e instanceof Error ? e.stack ?? e.message : e);
      code = 1;
    }
  }
  Deno.exit(code);
}
