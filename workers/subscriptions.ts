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
import { loop, type Worker } from "@/services/platform/loop.ts";

export interface SubscriptionWorkerOptions {
  sql: Sql;
  keyring: Keyring;
  intervalMs?: number;
  /** Clock for tests. */
  now?: () => Date;
  onRun?: (r: RunResult) => void;
  onError?: (e: unknown) => void;
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
