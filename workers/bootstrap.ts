/**
 * The one worker bootstrap: `runWorker(name, start)` runs a worker as its own process —
 * config → database (→ migrations) → start → wait for SIGINT/SIGTERM → stop → close → exit.
 * Every file in workers/ exports `main(args)` built on it, and `deno task worker <name>`
 * (scripts/worker.ts) calls that `main`. Inside main.ts the workers are started directly with
 * their `start…Worker(…)` functions and this module is not used.
 */
import type { Config } from "@/services/platform/config.ts";
import type { Database } from "@/services/platform/db.ts";

export interface WorkerEnv {
  config: Config;
  db: Database;
  /** The command-line arguments after the worker's name. */
  args: string[];
}

/** What a started worker gives back: how to stop it, and what its /readyz checks. */
export interface RunningWorker {
  stop(): Promise<void>;
  /** Its own /readyz checks (the database is always checked), e.g. the broker connection. */
  readiness?(): Record<string, boolean> | Promise<Record<string, boolean>>;
  /** Informative /readyz details (e.g. whether this instance leads the schedulers). */
  details?(): Record<string, unknown>;
}

export interface RunWorkerOptions {
  /** Apply pending migrations before starting (default true). */
  migrate?: boolean;
  args?: string[];
}

/**
 * Starts the worker and keeps it running until a signal stops it. `start` returns the running
 * worker, or null when it has already done its work (e.g. `--once`): the database is then closed
 * and runWorker resolves.
 */
export async function runWorker(
  name: string,
  start: (env: WorkerEnv) => Promise<RunningWorker | null> | RunningWorker | null,
  opts: RunWorkerOptions = {},
): Promise<void> {
  const { loadConfig } = await import("@/services/platform/config.ts");
  const { openDatabase } = await import("@/services/platform/db.ts");
  const config = loadConfig();
  (await import("@/services/platform/log.ts")).setLogLevel(config.LOG_LEVEL);
  const db = await openDatabase(config);
  if (opts.migrate ?? true) {
    const { migrate } = await import("@/services/platform/migrate.ts");
    await migrate(db.sql);
  }
  // Listen before announcing "started": a SIGTERM that arrives right after the announcement
  // must reach our handler, not the default one that kills the process with 143.
  let worker: RunningWorker | null = null;
  let stopping = false;
  // Every worker run alone serves its own /metrics (bearer token), /healthz and /readyz on
  // METRICS_PORT, or on a free port when that is not set (the line below names it).
  let metricsServer: { stop(): Promise<void> } | null = null;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await metricsServer?.stop();
      await worker?.stop();
      await db.close();
    } finally {
      Deno.exit(0);
    }
  };
  Deno.addSignalListener("SIGINT", shutdown);
  Deno.addSignalListener("SIGTERM", shutdown);
  worker = await start({ config, db, args: opts.args ?? [] });
  if (!worker) {
    Deno.removeSignalListener("SIGINT", shutdown);
    Deno.removeSignalListener("SIGTERM", shutdown);
    await db.close();
    return;
  }
  if (stopping) return; // a signal came while starting; shutdown stops what start gave back
  const { serveMetrics, metricsToken } = await import("@/services/platform/metrics_http.ts");
  const running = worker;
  const served = await serveMetrics({
    hostname: config.METRICS_HOST,
    port: config.METRICS_PORT ?? 0,
    token: await metricsToken(config),
    health: {
      readiness: async () => ({
        database: await db.sql`select 1`.then(() => true, () => false),
        ...(await running.readiness?.()),
      }),
      details: () => running.details?.() ?? {},
    },
  });
  metricsServer = served;
  if (stopping) await served.stop();
  console.info(`[${name}] metrics on ${served.url} (bearer token), /healthz and /readyz beside it`);
  console.info(`[${name}] worker started (${db.kind} database)`);
}
