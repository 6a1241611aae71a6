/**
 * The daily-milk worker: every minute it turns each subscription's next delivery into an order
 * once that delivery's cut-off has passed (services/shop/subscriptions.ts runSubscriptions;
 * idempotent per subscription and date, so restarts and several instances are safe). Never dies
 * of an error: a failed round is logged and tried again after a growing pause.
 *
 * Inside main.ts: `startSubscriptionWorker({ sql, keyring })`; alone: `deno task worker subscriptions`.
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { type RunResult, subscriptionJobs } from "@/services/shop/mod.ts";
import { createInventory } from "@/services/inventory/mod.ts";
import { createLedgerPort, poster } from "@/services/accounting/mod.ts";
import { jobSucceeded } from "@/services/platform/metrics.ts";

export interface SubscriptionWorkerOptions {
  sql: Sql;
  keyring: Keyring;
  intervalMs?: number;
  /** Clock for tests. */
  now?: () => Date;
  onRun?: (r: RunResult) => void;
  onError?: (e: unknown) => void;
}

export interface Worker {
  stop(): Promise<void>;
}

/**
 * Runs `step` every `intervalMs` until stopped; errors back off up to a minute. With a `job` name
 * each successful step is recorded in job_last_success_timestamp_seconds{job} (/metrics).
 */
export function loop(
  intervalMs: number,
  step: () => Promise<void>,
  onError: (e: unknown) => void,
  job?: string,
): Worker {
  let stopped = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  const done = (async () => {
    let failures = 0;
    while (!stopped) {
      let pause = intervalMs;
      try {
        await step();
        if (job) jobSucceeded(job);
        failures = 0;
      } catch (e) {
        failures++;
        try {
          onError(e);
        } catch { /* a broken logger must not stop the worker */ }
        pause = Math.min(intervalMs * 2 ** Math.min(failures, 6), 60_000);
      }
      if (!stopped) await sleep(pause);
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await done;
    },
  };
}

export function startSubscriptionWorker(opts: SubscriptionWorkerOptions): Worker {
  // Subscription orders reserve lots like any order (inventory).
  const jobs = subscriptionJobs({
    ...opts,
    stock: createInventory({ sql: opts.sql }).port,
    // A delivery paid from the prepaid balance posts to the books.
    books: createLedgerPort(poster),
  });
  return loop(
    opts.intervalMs ?? 60_000,
    async () => {
      const r = await jobs.run(opts.now?.() ?? new Date());
      if (r.ordered || r.failed) opts.onRun?.(r);
    },
    opts.onError ?? ((e) => console.error(`subscriptions worker: ${(e as Error).message}`)),
    "subscriptions",
  );
}
