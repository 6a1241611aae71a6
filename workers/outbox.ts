/**
 * The outbox worker: delivers due messages, forever, and never dies of an error (a failed poll is
 * logged and retried after a pause that grows while the database stays unreachable).
 * Runs inside main.ts or on its own: `deno task worker outbox`.
 */
import type { Sql } from "@/services/platform/db.ts";
import { loop } from "@/services/platform/loop.ts";
import {
  buildTransports,
  deliverDue,
  type DeliveryOptions,
  type Transports,
} from "@/services/notify/mod.ts";
import { notifyHousekeeping } from "@/services/notify/housekeeping.ts";
import { publicOrigin } from "@/services/platform/config.ts";

export interface OutboxWorkerOptions {
  sql: Sql;
  transports: Transports;
  /** Pause between polls when the queue is empty (default 250 ms: an SMS code waits at most that). */
  intervalMs?: number;
  delivery?: Omit<DeliveryOptions, "now">;
  onError?: (error: unknown) => void;
  /** The injected clock: quiet hours and send times read it. */
  clock?: { now(): Date };
  /**
   * Run between polls at most every housekeepingMs (default 30 s): delivery receipts by
   * polling, the WhatsApp → SMS fallback (see services/notify/setup.ts `housekeeping`).
   */
  housekeeping?: () => Promise<void>;
  housekeepingMs?: number;
}

export interface OutboxWorker {
  /** Finishes the batch in flight, then resolves. */
  stop(): Promise<void>;
}

export function startOutboxWorker(opts: OutboxWorkerOptions): OutboxWorker {
  const interval = opts.intervalMs ?? 250;
  const batch = opts.delivery?.batch ?? 20;
  const onError = opts.onError ??
    ((e) => console.error(`outbox worker: ${e instanceof Error ? e.message : e}`));
  let lastHousekeeping = 0;
  return loop(
    interval,
    async () => {
      if (opts.housekeeping && Date.now() - lastHousekeeping >= (opts.housekeepingMs ?? 30_000)) {
        lastHousekeeping = Date.now();
        await opts.housekeeping();
      }
      const now = opts.clock?.now();
      const r = await deliverDue(opts.sql, opts.transports, {
        ...opts.delivery,
        batch,
        ...(now ? { now } : {}),
      });
      // A full batch means more may be waiting: go again at once.
      return r.claimed === batch;
    },
    onError,
    "outbox",
  );
}

// (Imported here, next to its one use, so that this bootstrap part stays apart from the rest.)
import { runWorker } from "./bootstrap.ts";
import { registerOutboxMetrics } from "@/services/ops/mod.ts";

/** `deno task worker outbox`: the worker as its own process. */
export function main(args: string[] = Deno.args): Promise<void> {
  return runWorker("outbox", ({ db, config: cfg }) => {
    // The configured providers; channels without one use the development transport (a separate
    // worker process starts no fakes: their webhooks would have no web server behind them).
    const built = buildTransports({ ...cfg, NOTIFY_FAKES: "off" }, {
      sql: db.sql,
      origin: publicOrigin(cfg),
    });
    registerOutboxMetrics(db.sql);
    console.info(`[outbox] ${built.summary}`);
    const worker = startOutboxWorker({
      sql: db.sql,
      transports: built.transports,
      housekeeping: notifyHousekeeping(db.sql, cfg, built),
    });
    return {
      async stop() {
        await worker.stop();
        built.close();
      },
    };
  }, { args });
}

if (import.meta.main) await main();
