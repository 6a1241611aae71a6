/**
 * What the outbox worker does between deliveries: asks the polling SMS gateways for delivery
 * states of accepted messages, and sends an SMS copy of WhatsApp messages not delivered within
 * NOTIFY_WHATSAPP_FALLBACK_MINUTES.
 */
import type { Sql } from "@/services/platform/db.ts";
import { awaitingReceipts, fallbackUndelivered, recordReceipt } from "./receipts.ts";
import { type BuiltTransports, masksCodes, type NotifyConfig } from "./setup.ts";

export function notifyHousekeeping(
  sql: Sql,
  config: NotifyConfig,
  built: Pick<BuiltTransports, "pollers">,
  clock: { now(): Date } = { now: () => new Date() },
): () => Promise<void> {
  return async () => {
    const eraseCodes = masksCodes(config);
    for (const p of built.pollers) {
      const ids = await awaitingReceipts(sql, p.name);
      if (!ids.length) continue;
      for (const r of await p.poll!(ids)) {
        if (r.status === "sent") continue;
        await recordReceipt(sql, {
          provider: p.name,
          providerId: r.providerId,
          status: r.status,
          at: clock.now(),
        }, { eraseCodes });
      }
    }
    await fallbackUndelivered(sql, {
      now: clock.now(),
      afterMinutes: config.NOTIFY_WHATSAPP_FALLBACK_MINUTES,
      eraseCodes,
    });
  };
}
