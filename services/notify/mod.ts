/**
 * The notify context's door: outgoing SMS, email and WhatsApp messages (table outbox_messages),
 * delivered by workers/outbox.ts.
 *
 * `createNotify({ sql })` gives `enqueue(tx, message)` (in the caller's transaction: a message
 * exists only if the change it announces commits), and for the admin outbox page `list(query)`,
 * `get(id)` and `requeue(id)`. Contexts that queue inside their own transactions call
 * `enqueueMessage(tx, message)` (the same as `notify.enqueue`).
 */
import * as privacy from "./privacy.ts";
import type { Sql, Tx } from "@/services/platform/db.ts";
import {
  type Channel,
  CHANNELS,
  deliverDue,
  type DeliveryOptions,
  type DeliveryResult,
  devTransport,
  type EnqueueInput,
  enqueueMessage,
  getMessage,
  listMessages,
  type MessageQuery,
  type MessageStatus,
  type OutboxMessage,
  requeueMessage,
  STATUSES,
  type Transport,
  type Transports,
} from "./outbox.ts";
import { renderTemplate, type TemplateName } from "./templates.ts";
import type { Config } from "@/services/platform/config.ts";
import { masksCodes } from "./setup.ts";
import type { PreferencesInput } from "./receipts.ts";
import {
  checkSubscription,
  deletePushSubscription,
  getPreferences,
  type Preferences,
  type PushSubscriptionInput,
  pushSubscriptionsOf,
  receiptsOf,
  savePushSubscription,
  setPreferences,
} from "./receipts.ts";
import {
  smsWebhook,
  type WebhookAnswer,
  type WebhookRequest,
  whatsappVerify,
  whatsappWebhook,
} from "./webhooks.ts";
export {
  buildTransports,
  configuredProviders,
  masksCodes,
  needsFakeMessaging,
  realProviders,
  startFakeMessaging,
} from "./setup.ts";
export { fallbackUndelivered, inboundSms, recordReceipt } from "./receipts.ts";
export { smsParts } from "./sms_parts.ts";
export { preferredRoute, type Reach } from "./channels.ts";
export { PREFERRED_CHANNELS, type PreferredChannel } from "./receipts.ts";
export { PermanentError, type Purpose, PURPOSES } from "./outbox.ts";
// Outbound webhooks (services/webhooks) retry on the same back-off curve.
export { backoffSeconds } from "./outbox.ts";
export type { Preferences, WebhookAnswer, WebhookRequest };

/** The outbox worker (workers/outbox.ts) delivers through `deliverDue`. */
export { CHANNELS, deliverDue, devTransport, enqueueMessage, renderTemplate, STATUSES };
export type {
  Channel,
  DeliveryOptions,
  DeliveryResult,
  EnqueueInput,
  MessageQuery,
  MessageStatus,
  OutboxMessage,
  TemplateName,
  Transport,
  Transports,
};

export interface Notify {
  /** Queues a message in the caller's transaction; a repeated dedupeKey is not queued twice. */
  enqueue(db: Sql | Tx, input: EnqueueInput): Promise<{ id: string; duplicate: boolean }>;
  /** Newest first, for the admin outbox page. */
  list(query?: MessageQuery): Promise<{ rows: OutboxMessage[]; total: number }>;
  get(id: string): Promise<OutboxMessage | null>;
  /** Puts a dead or failed message back in the queue; false when there is none such. */
  requeue(id: string): Promise<boolean>;
  /** A real provider is configured: codes are masked on /admin/outbox and erased. */
  masksCodes(): boolean;
  /** Delivery receipts of one message, oldest first. */
  receipts(id: string): ReturnType<typeof receiptsOf>;
  /** Provider webhooks (receipts, inbound SMS, WhatsApp statuses), signatures checked. */
  smsWebhook(provider: string, req: WebhookRequest): Promise<WebhookAnswer>;
  whatsappVerify(query: URLSearchParams): WebhookAnswer;
  whatsappWebhook(req: WebhookRequest): Promise<WebhookAnswer>;
  /** A customer's notification preferences by address (+8801… or email). */
  preferences(address: string): Promise<Preferences>;
  setPreferences(address: string, p: PreferencesInput): Promise<void>;
  /** Staff devices' Web Push subscriptions. */
  vapidPublicKey(): string | null;
  subscribePush(
    userId: string,
    sub: unknown,
  ): Promise<{ ok: true } | { ok: false; message: string }>;
  unsubscribePush(userId: string, endpoint: string): Promise<void>;
  pushSubscriptions(userId: string): ReturnType<typeof pushSubscriptionsOf>;
  /** A customer's messages, preferences, consents and push devices (services/privacy). */
  exportCustomer(
    userId: string,
    addresses: readonly string[],
  ): ReturnType<typeof privacy.exportCustomer>;
  /** Erases a customer's addresses from messages, preferences, consents; counts. */
  anonymiseCustomer(userId: string, addresses: readonly string[]): Promise<Record<string, number>>;
  /** Retention: erases the bodies of messages finished more than `days` days ago. */
  eraseDeliveredBodies(days: number): Promise<number>;
}

export function createNotify(
  deps: { sql: Sql; config?: Config; clock?: { now(): Date } },
): Notify {
  const { sql } = deps;
  const clock = deps.clock ?? { now: () => new Date() };
  const needConfig = () => {
    if (!deps.config) throw new Error("notify: no configuration given");
    return { sql, config: deps.config, clock };
  };
  const mask = () => (deps.config ? masksCodes(deps.config) : false);
  return {
    enqueue: (db, input) => enqueueMessage(db, input),
    list: (query = {}) => listMessages(sql, { maskCodes: mask(), ...query }),
    get: (id) => getMessage(sql, id),
    requeue: (id) => requeueMessage(sql, id),
    masksCodes: mask,
    receipts: (id) => receiptsOf(sql, id),
    smsWebhook: (provider, req) => smsWebhook(needConfig(), provider, req),
    whatsappVerify: (q) => whatsappVerify(needConfig().config, q),
    whatsappWebhook: (req) => whatsappWebhook(needConfig(), req),
    preferences: (address) => getPreferences(sql, address),
    setPreferences: (address, p) => setPreferences(sql, address, p, clock.now()),
    vapidPublicKey: () => deps.config?.VAPID_PUBLIC_KEY ?? null,
    async subscribePush(userId, sub) {
      const problem = checkSubscription(sub);
      if (problem) return { ok: false, message: problem };
      await savePushSubscription(sql, userId, sub as PushSubscriptionInput);
      return { ok: true };
    },
    unsubscribePush: (userId, endpoint) => deletePushSubscription(sql, userId, endpoint),
    pushSubscriptions: (userId) => pushSubscriptionsOf(sql, userId),
    exportCustomer: (userId, addresses) => privacy.exportCustomer(sql, userId, addresses),
    anonymiseCustomer: (userId, addresses) =>
      privacy.anonymiseCustomer(sql, userId, addresses, clock.now()),
    eraseDeliveredBodies: (days) => {
      const now = clock.now();
      return privacy.eraseDeliveredBodies(sql, new Date(now.getTime() - days * 86_400_000), now);
    },
  };
}
