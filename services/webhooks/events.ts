/**
 * The events partners may subscribe to, and how a context emits one: in its own transaction
 * (`emitWebhookEvent(tx, …)`, like notify's enqueueMessage), so an event exists only if the change
 * that caused it committed. The event is fanned out at once into one queued delivery per active
 * subscription to its type.
 */
import type { Db } from "@/services/platform/tx.ts";
import { z } from "@/services/platform/schema.ts";

export const EVENT_TYPES = [
  "order.created",
  "order.status_changed",
  "payment.confirmed",
  "delivery.updated",
  "inventory.low_stock",
  "lot.on_hold",
  "customer.registered",
  "alarm.raised",
] as const;
export type EventType = typeof EVENT_TYPES[number];

export interface EmitInput {
  type: EventType;
  /** The event's data: plain JSON, ids and figures (no personal data beyond what a partner needs). */
  data: Record<string, unknown>;
  /** One event per happening: a second emit with the same key is ignored. */
  dedupeKey?: string;
  /** When it happened (the emitting context's clock); default the database's now(). */
  at?: Date;
}

const emitSchema = z.object({
  type: z.enum(EVENT_TYPES),
  data: z.record(z.string(), z.unknown()),
  dedupeKey: z.string().min(1).max(300).optional(),
  at: z.date().optional(),
});

/** The port the emitting contexts are handed (contexts.ts); a no-op where no webhooks run. */
export interface WebhookEvents {
  emit(db: Db, input: EmitInput): Promise<void>;
}

/**
 * Records the event and queues its deliveries, in the caller's transaction. Returns the
 * message id (webhook-id) and how many subscriptions will receive it.
 */
export async function emitWebhookEvent(
  db: Db,
  input: EmitInput,
): Promise<{ messageId: string | null; deliveries: number }> {
  const e = emitSchema.parse(input);
  const messageId = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  const at = e.at ?? null;
  const payload = { type: e.type, data: e.data };
  const rows = await db`
    with ev as (
      insert into webhook_events (message_id, type, payload, dedupe_key, occurred_at)
      values (${messageId}, ${e.type}, ${JSON.stringify(payload)}::text::jsonb,
              ${e.dedupeKey ?? null}, coalesce(${at}::timestamptz, now()))
      on conflict (dedupe_key) do nothing
      returning id, occurred_at
    ), d as (
      insert into webhook_deliveries (subscription_id, event_id, next_attempt_at)
      select s.id, ev.id, ev.occurred_at
      from webhook_subscriptions s, ev
      where s.status = 'active' and ${e.type} = any(s.event_types)
      returning 1
    )
    select (select count(*)::int from ev) as events, (select count(*)::int from d) as deliveries`;
  return rows[0].events ? { messageId, deliveries: rows[0].deliveries } : {
    messageId: null,
    deliveries: 0,
  };
}

export const webhookEvents: WebhookEvents = {
  emit: async (db, input) => {
    await emitWebhookEvent(db, input);
  },
};
