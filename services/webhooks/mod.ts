/**
 * The webhooks context's door (issue 16 §4): partners' subscriptions to events, signed
 * deliveries (Standard Webhooks), retries with back-off, the delivery log, redelivery, and
 * disabling after repeated failures with a notice to the partner.
 *
 * Owns (tables): webhook_subscriptions, webhook_events, webhook_deliveries, webhook_attempts.
 *
 * Other contexts emit events in their own transactions through the `WebhookEvents` port
 * (`webhookEvents.emit(tx, { type, data, dedupeKey })`, handed over in contexts.ts); the worker
 * (workers/webhooks.ts) delivers them. A partner is a plain id (an API client or B2B account).
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import {
  type Attempt,
  deliverDueWebhooks,
  type DeliveryRow,
  listAttempts,
  listDeliveries,
  redeliver,
  WEBHOOK_DEFAULTS,
  type WebhookDeliveryOptions,
  type WebhookRunResult,
} from "./delivery.ts";
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  rotateSecret,
  type Subscription,
  type SubscriptionInput,
  type SubscriptionPatch,
  subscriptionPatchSchema,
  subscriptionSchema,
  updateSubscription,
} from "./subscriptions.ts";
import {
  type EmitInput,
  emitWebhookEvent,
  EVENT_TYPES,
  type EventType,
  type WebhookEvents,
  webhookEvents,
} from "./events.ts";

export { sign, signedHeaders, verify as verifyWebhook } from "./signing.ts";
export { webhookMessages } from "./messages.ts";
export type { WebhookMessages } from "./messages.ts";
export {
  emitWebhookEvent,
  EVENT_TYPES,
  subscriptionPatchSchema,
  subscriptionSchema,
  WEBHOOK_DEFAULTS,
  webhookEvents,
};
export type {
  Attempt,
  DeliveryRow,
  EmitInput,
  EventType,
  Subscription,
  SubscriptionInput,
  SubscriptionPatch,
  WebhookDeliveryOptions,
  WebhookEvents,
  WebhookRunResult,
};

export interface WebhooksDeps {
  sql: Sql;
  /** Encrypts the subscriptions' signing secrets at rest. */
  keyring: Keyring;
  clock: { now(): Date };
  /** Delivery settings (tests shorten the back-off and the disabling limit). */
  delivery?: Omit<WebhookDeliveryOptions, "now" | "keyring">;
}

export function createWebhooks(deps: WebhooksDeps) {
  const { sql, clock, keyring } = deps;
  const now = () => clock.now();
  return {
    eventTypes: EVENT_TYPES,
    /** The port the emitting contexts call in their transactions. */
    events: webhookEvents,
    emit: (input: EmitInput) => emitWebhookEvent(sql, { at: now(), ...input }),
    create: (partnerId: string, input: SubscriptionInput) =>
      createSubscription(sql, keyring, partnerId, input),
    list: (q: { partnerId?: string; status?: "active" | "disabled" } = {}) =>
      listSubscriptions(sql, q),
    get: (id: string, partnerId?: string) => getSubscription(sql, id, partnerId),
    update: (id: string, patch: SubscriptionPatch, partnerId?: string) =>
      updateSubscription(sql, id, patch, { partnerId, now: now() }),
    remove: (id: string, partnerId?: string) => deleteSubscription(sql, id, partnerId),
    rotateSecret: (id: string, partnerId?: string) =>
      rotateSecret(sql, keyring, id, { partnerId, now: now() }),
    deliveries: (q: { subscriptionId: string; limit?: number; status?: DeliveryRow["status"] }) =>
      listDeliveries(sql, q),
    attempts: (q: { subscriptionId: string; deliveryId?: string; limit?: number }) =>
      listAttempts(sql, q),
    redeliver: (deliveryId: string, partnerId?: string) =>
      redeliver(sql, deliveryId, { ...deps.delivery, now: now(), partnerId, keyring }),
    /** One pass of the delivery worker (workers/webhooks.ts). */
    deliverDue: (opts: Omit<WebhookDeliveryOptions, "now" | "keyring"> = {}) =>
      deliverDueWebhooks(sql, { ...deps.delivery, ...opts, now: now(), keyring }),
  };
}
export type Webhooks = ReturnType<typeof createWebhooks>;
