/**
 * The outbox worker: delivers due messages, forever, and never dies of an error (a failed poll is
 * logged and retried after a pause that grows while the database stays unreachable).
 * Runs inside main.ts or on its own: `deno task worker outbox`.
 */
import type { Sql } from "@/services/platform/db.ts";
import { jobSucceeded } from "@/services/platform/metrics.ts";
import {
  deliverDue,
  type DeliveryOptions,
  devTransport,
  type Transports,
} from "@/services/notify/mod.ts";

export interface OutboxWorkerOptions {
  sql: Sql;
  transports: Transports;
  /** Pause between polls when the queue is empty. */
  intervalMs?: number;
  delivery?: Omit<DeliveryOptions, "now">;
  onError?: (error: unknown) => void;
}

export interface OutboxWorker {
  /** Finishes the batch in flight, then resolves. */
  stop(): Promise<void>;
}

export function startOutboxWorker(opts: OutboxWorkerOptions): OutboxWorker {
  const interval = opts.intervalMs ?? 1000;
  const batch = opts.delivery?.batch ?? 20;
  const onError = opts.onError ??
    ((e) => console.error(`outbox worker: ${e instanceof Error ? e.message : e}`));
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    }).finally(() => {
      clearTimeout(timer);
      wake = undefined;
    });

  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      let pause = interval;
      try {
        const r = await deliverDue(opts.sql, opts.transports, { ...opts.delivery, batch });
        jobSucceeded("outbox");
        failures = 0;
        // A full batch means more may be waiting: go again at once.
        if (r.claimed === batch) pause = 0;
      } catch (e) {
        failures++;
        try {
          onError(e);
        } catch { /* a broken logger must not stop delivery */ }
        pause = Math.min(interval * 2 ** Math.min(failures, 6), 60_000);
      }
      if (!stopped && pause > 0) await sleep(pause);
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

// (Imported here, next to its one use, so that this bootstrap part stays apart from the rest.)
import { runWorker } from "./bootstrap.ts";
import { registerOutboxMetrics } from "@/services/ops/mod.ts";

/** `deno task worker outbox`: the worker as its own process. */
export function main(args: string[] = Deno.args): Promise<void> {
  return runWorker("outbox", ({ db }) => {
    // Real SMS and email providers plug in here; until then every channel uses the development
    // transport, whose messages the admin outbox page lists.
    const dev = devTransport();
    registerOutboxMetrics(db.sql);
    console.info("[outbox] development transport for every channel");
    return startOutboxWorker({ sql: db.sql, transports: { sms: dev, email: dev, whatsapp: dev } });
  }, { args });
}

if (import.meta.main) await main();
