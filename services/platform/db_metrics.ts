/**
 * Database metrics for /metrics: query latency (`db_query_duration_seconds`, from the moment a
 * query is handed to the pool until its result arrives, so waiting for a free connection counts)
 * and pool use (`db_pool_connections_in_use` of `db_pool_size`, `db_pool_waiting`).
 *
 * postgres.js exposes no hooks for either, so `instrumentPool(sql, size)` wraps the one method
 * every query passes through when it starts (`Query.prototype.handle`) and the pool's `begin` and
 * `reserve`, which hold a connection for as long as their callback runs. Pool use = transactions
 * and reserved connections held + plain queries in flight, capped at the pool size; what exceeds
 * the size is waiting. tests/ops/metrics_test.ts checks these figures move as they should, so an
 * upgrade of postgres.js that changes its internals fails there rather than silently.
 */
import type postgres from "postgres";
import { metrics } from "./metrics.ts";

const latency = metrics.histogram(
  "db_query_duration_seconds",
  "Database query time, including any wait for a pool connection",
  [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
);
const inUse = metrics.gauge("db_pool_connections_in_use", "Pool connections held by this process");
const sizeGauge = metrics.gauge("db_pool_size", "Connections the pool may open");
const waiting = metrics.gauge(
  "db_pool_waiting",
  "Queries and transactions waiting for a connection",
);

interface PoolState {
  size: number;
  /** Plain queries in flight on the pool itself (not inside a transaction). */
  queries: number;
  /** Transactions and reserved connections held. */
  held: number;
}
const pools = new Map<unknown, PoolState>(); // by the pool's query handler
const NO_LABELS = {};

function publish() {
  let size = 0, busy = 0, queued = 0;
  for (const p of pools.values()) {
    const want = p.queries + p.held;
    size += p.size;
    busy += Math.min(want, p.size);
    queued += Math.max(0, want - p.size);
  }
  sizeGauge.set(size, NO_LABELS);
  inUse.set(busy, NO_LABELS);
  waiting.set(queued, NO_LABELS);
}

const STARTED = Symbol("sd.metrics.started");
let patched = false;

function patchQueryPrototype(sql: postgres.Sql) {
  if (patched) return;
  patched = true;
  // Any query object gives the (module-wide) Query prototype; it is never executed.
  const sample = sql`select 1` as unknown as object;
  const proto = Object.getPrototypeOf(sample) as {
    handle(this: Record<PropertyKey, any>): Promise<void>;
  };
  const original = proto.handle;
  proto.handle = function (this: Record<PropertyKey, any>) {
    if (!this.executed && !this[STARTED] && !this.cursorFn && !this.cursorRows) {
      const start = performance.now();
      this[STARTED] = true;
      const pool = pools.get(this.handler);
      if (pool) {
        pool.queries++;
        publish();
      }
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        latency.observe((performance.now() - start) / 1000, NO_LABELS);
        if (pool) {
          pool.queries--;
          publish();
        }
      };
      const resolve = this.resolve, reject = this.reject;
      this.resolve = (x: unknown) => (finish(), resolve(x));
      this.reject = (x: unknown) => (finish(), reject(x));
    }
    return original.call(this);
  };
}

/** Starts measuring `sql` (a pool of `size` connections); once per pool. */
export function instrumentPool(sql: postgres.Sql, size: number): void {
  patchQueryPrototype(sql);
  const handler = (sql`select 1` as unknown as { handler: unknown }).handler;
  if (pools.has(handler)) return;
  const state: PoolState = { size, queries: 0, held: 0 };
  pools.set(handler, state);
  publish();
  const hold = <F extends (...args: any[]) => Promise<any>>(fn: F): F =>
    (async (...args: any[]) => {
      state.held++;
      publish();
      try {
        return await fn(...args);
      } finally {
        state.held--;
        publish();
      }
    }) as F;
  const s = sql as any;
  s.begin = hold(s.begin.bind(sql));
  const reserve = s.reserve.bind(sql);
  s.reserve = async () => {
    state.held++;
    publish();
    try {
      const conn = await reserve();
      const release = conn.release.bind(conn);
      let released = false;
      conn.release = () => {
        if (!released) {
          released = true;
          state.held--;
          publish();
        }
        return release();
      };
      return conn;
    } catch (e) {
      state.held--;
      publish();
      throw e;
    }
  };
  const end = s.end.bind(sql);
  s.end = (...args: unknown[]) => {
    pools.delete(handler);
    publish();
    return end(...args);
  };
}
