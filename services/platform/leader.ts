/**
 * One leader among several instances, elected through a PostgreSQL advisory lock, so that two
 * instances never run the same scheduled job at once (DESIGN.md §3: workers talk to each other
 * only through PostgreSQL, KV and MQTT).
 *
 * `runAsLeader(db, name, start, { databaseUrl })` keeps trying `pg_try_advisory_lock` on a
 * connection of its own (not the pool's: the lock belongs to that session). The instance that gets the lock starts its part (`start()`); the others wait and try
 * again every `retryMs`. The lock lives as long as that database session: a leader that dies (or
 * loses its connection) releases it with the session, and another instance takes over within
 * `retryMs`. Each round the leader checks in `pg_locks` that its session still holds the lock (a
 * reconnected session would not); when it does not, it stops its part and competes again.
 *
 * The embedded database serves one process only, so there the one instance is always the leader.
 * Jobs stay idempotent anyway (a leader cut off from the database may overlap its successor for
 * up to `retryMs`); daily ones also claim their day in PostgreSQL (workers/schedulers.ts).
 */
import postgres from "postgres";
import type { Database } from "./db.ts";
import { metrics } from "./metrics.ts";
import { loop } from "./loop.ts";

/** The first half of our two-part advisory lock keys ("SD"); the second is hashtext(name). */
const LOCK_CLASS = 0x5344;

const leaderGauge = metrics.gauge(
  "scheduler_leader",
  "1 while this instance holds the named leader lock (runs the schedulers), else 0",
);

export interface Running {
  stop(): Promise<void>;
}

export interface Leadership {
  /** True while this instance holds the lock and its part runs. */
  isLeader(): boolean;
  /** Stops the part (if running), releases the lock and the connection. */
  stop(): Promise<void>;
}

export interface LeaderOptions {
  /** The server (DATABASE_URL); the lock is held on a connection of its own. */
  databaseUrl?: string;
  /** Pause between attempts and between the leader's checks (default 2 s). */
  retryMs?: number;
  log?: (level: "info" | "warn" | "error", msg: string) => void;
}

export function runAsLeader(
  db: Pick<Database, "kind">,
  name: string,
  start: () => Running | Promise<Running>,
  opts: LeaderOptions = {},
): Leadership {
  const retryMs = opts.retryMs ?? 2000;
  const log = opts.log ?? ((level, msg) => console[level](`[leader] ${msg}`));
  let part: Running | null = null;
  let leader = false;
  let stopped = false;

  const become = async () => {
    part = await start();
    leader = true;
    leaderGauge.set(1, { name });
  };
  const resign = async () => {
    leader = false;
    leaderGauge.set(0, { name });
    const p = part;
    part = null;
    await p?.stop();
  };

  if (db.kind === "embedded") {
    const started = become();
    return {
      isLeader: () => leader,
      async stop() {
        stopped = true;
        await started;
        await resign();
      },
    };
  }

  if (!opts.databaseUrl) throw new Error("runAsLeader on a server needs its databaseUrl");
  leaderGauge.set(0, { name });
  // One connection, reconnected by postgres.js when it drops (a new session holds no lock: the
  // leader's check below notices).
  const conn = postgres(opts.databaseUrl, {
    max: 1,
    onnotice: () => {},
    connect_timeout: 10,
    idle_timeout: 0,
    max_lifetime: null,
    connection: { application_name: "smart-dairy-leader" },
  });
  const competing = loop(retryMs, async () => {
    try {
      if (!leader) {
        const [r] = await conn<{ ok: boolean }[]>`
          select pg_try_advisory_lock(${LOCK_CLASS}, hashtext(${name})) as ok`;
        if (r.ok && !stopped) {
          log("info", `this instance leads "${name}"`);
          await become();
        }
      } else {
        // Still ours? A session that reconnected behind our back would hold nothing.
        const [r] = await conn<{ held: boolean }[]>`
          select exists (
            select 1 from pg_locks
             where locktype = 'advisory' and pid = pg_backend_pid() and granted
               and classid = ${LOCK_CLASS} and objid = hashtext(${name})::oid and objsubid = 2
          ) as held`;
        if (!r.held) {
          log("warn", `lost the "${name}" leader lock; stopping and competing again`);
          await resign();
        }
      }
    } catch (e) {
      if (leader) {
        log(
          "error",
          `leader connection for "${name}" failed (${(e as Error).message}); stepping down`,
        );
        await resign();
      }
    }
  }, () => {});

  return {
    isLeader: () => leader,
    async stop() {
      stopped = true;
      await competing.stop();
      await resign();
      await conn.end({ timeout: 2 }); // ends the session, and with it the lock
    },
  };
}
