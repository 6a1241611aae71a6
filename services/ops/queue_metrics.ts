/**
 * Scrape-time gauges of the outbox, read through the notify context's door: how long the oldest
 * waiting message has been due (`outbox_queue_lag_seconds`), how many wait, and how many are dead
 * letters (`outbox_dead_letters`: attempts exhausted, someone must look at /admin/outbox).
 */
import type { Sql } from "@/services/platform/db.ts";
import { metrics } from "@/services/platform/metrics.ts";
import { createNotify } from "@/services/notify/mod.ts";

const lag = metrics.gauge(
  "outbox_queue_lag_seconds",
  "How long the oldest waiting outbox message has been due (0 when none is due)",
);
const waiting = metrics.gauge(
  "outbox_queued",
  "Outbox messages waiting to be sent (queued or retrying)",
);
const dead = metrics.gauge("outbox_dead_letters", "Outbox messages whose attempts are exhausted");
const NO_LABELS = {};

/** Refreshes the outbox gauges at each scrape (registered once per process that delivers). */
export function registerOutboxMetrics(
  sql: Sql,
  clock: { now(): Date } = { now: () => new Date() },
): () => void {
  const notify = createNotify({ sql });
  return metrics.onCollect(async () => {
    const now = clock.now().getTime();
    let oldestDue = now;
    let count = 0;
    for (const status of ["queued", "failed"] as const) {
      const first = await notify.list({ status, limit: 1 });
      count += first.total;
      if (first.total === 0) continue;
      // Newest first: the oldest is the last one.
      const last = await notify.list({ status, limit: 1, offset: first.total - 1 });
      const due = last.rows[0]?.nextAttemptAt.getTime() ?? now;
      oldestDue = Math.min(oldestDue, due);
    }
    lag.set(Math.max(0, (now - oldestDue) / 1000), NO_LABELS);
    waiting.set(count, NO_LABELS);
    dead.set((await notify.list({ status: "dead", limit: 1 })).total, NO_LABELS);
  });
}

const blocksHit = metrics.gauge(
  "db_cache_blocks_hit",
  "Blocks found in PostgreSQL's buffer cache for this database (cumulative)",
);
const blocksRead = metrics.gauge(
  "db_cache_blocks_read",
  "Blocks PostgreSQL had to read from disk for this database (cumulative)",
);

/**
 * PostgreSQL's buffer-cache figures for this database (pg_stat_database, no table of ours), for
 * the cache-hit-ratio alert: rate(hit) / (rate(hit) + rate(read)).
 */
export function registerDatabaseMetrics(sql: Sql): () => void {
  return metrics.onCollect(async () => {
    const [r] = await sql`
      select coalesce(blks_hit, 0)::float8 as hit, coalesce(blks_read, 0)::float8 as read
      from pg_stat_database where datname = current_database()`;
    if (!r) return;
    blocksHit.set(r.hit, NO_LABELS);
    blocksRead.set(r.read, NO_LABELS);
  });
}
