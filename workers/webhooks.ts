/**
 * The webhook delivery worker: sends due deliveries (services/webhooks), forever, and never dies
 * of an error (a failed pass is logged and retried after a pause that grows while it keeps failing).
 * Runs inside main.ts or on its own: `deno task worker webhooks`.
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { createWebhooks, type WebhookDeliveryOptions } from "@/services/webhooks/mod.ts";
import { loop } from "@/services/platform/loop.ts";
import { runWorker } from "./bootstrap.ts";
import { log } from "@/services/platform/log.ts";

export interface WebhookWorkerOptions {
  sql: Sql;
  keyring: Keyring;
  clock?: { now(): Date };
  /** Pause between passes (default 1 s). */
  intervalMs?: number;
  delivery?: Omit<WebhookDeliveryOptions, "now" | "keyring">;
}

export function startWebhookWorker(opts: WebhookWorkerOptions) {
  const webhooks = createWebhooks({
    sql: opts.sql,
    keyring: opts.keyring,
    clock: opts.clock ?? { now: () => new Date() },
    delivery: opts.delivery,
  });
  return loop(
    opts.intervalMs ?? 1000,
    async () => {
      // A full batch means more may be waiting: go again at once.
      for (let i = 0; i < 50; i++) {
        const r = await webhooks.deliverDue();
        if (r.claimed < (opts.delivery?.batch ?? 20)) break;
      }
    },
    (e) => log.error("webhook worker pass failed", { error: e }),
    "webhooks",
  );
}

/** `deno task worker webhooks`: the worker as its own process. */
export function main(args: string[] = Deno.args): Promise<void> {
  return runWorker("webhooks", async ({ db, config }) => {
    const { loadKeyring } = await import("@/services/crypto/field_crypto.ts");
    return startWebhookWorker({ sql: db.sql, keyring: await loadKeyring(config) });
  }, { args });
}

if (import.meta.main) await main();
