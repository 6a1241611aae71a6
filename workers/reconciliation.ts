/**
 * The payments worker: every minute it sweeps open payment attempts (asks the provider, expires,
 * cancels orders that waited too long, settles processing refunds); every hour it reconciles our
 * payments with the providers' query answers and COD cash with deliveries and hand-ins, flagging
 * every difference on /admin/shop/reconciliation.
 *
 * Inside main.ts: `startReconciliationWorker({ sql, keyring, config })` (after the fake providers,
 * if any, were merged into config); alone: `deno task worker reconciliation`.
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import type { Config } from "@/services/platform/config.ts";
import { paymentJobs } from "@/services/payments/mod.ts";
import { orderPort } from "@/services/shop/mod.ts";
import { createInventory } from "@/services/inventory/mod.ts";
import { createLedgerPort, poster } from "@/services/accounting/mod.ts";
import { loop, type Worker } from "@/services/platform/loop.ts";

export interface ReconciliationWorkerOptions {
  sql: Sql;
  keyring: Keyring;
  config: Config;
  /** The carts' store: orders cancelled unpaid put their items back into the customer's cart. */
  kv?: Deno.Kv;
  sweepIntervalMs?: number;
  reconcileIntervalMs?: number;
  onError?: (e: unknown) => void;
}

export function startReconciliationWorker(opts: ReconciliationWorkerOptions): Worker {
  // Cancelling an unpaid order releases its lot reservations (inventory).
  const stock = createInventory({ sql: opts.sql }).port;
  // Payments a sweep finds paid post to the books in the same transaction.
  const ledger = createLedgerPort(poster);
  const jobs = paymentJobs({
    ...opts,
    orders: orderPort(opts.keyring, stock, ledger, opts.kv),
    ledger,
  });
  const reconcileEvery = opts.reconcileIntervalMs ?? 3_600_000;
  let lastReconcile = 0;
  const onError = opts.onError ??
    ((e: unknown) => console.error(`reconciliation worker: ${(e as Error).message}`));
  return loop(
    opts.sweepIntervalMs ?? 60_000,
    async () => {
      await jobs.sweep();
      if (Date.now() - lastReconcile >= reconcileEvery) {
        lastReconcile = Date.now();
        await jobs.reconcile();
      }
    },
    onError,
    "reconciliation",
  );
}
