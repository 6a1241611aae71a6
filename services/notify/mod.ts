/**
 * The notify context's door: outgoing SMS, email and WhatsApp messages (table outbox_messages),
 * delivered by workers/outbox.ts.
 *
 * `createNotify({ sql })` gives `enqueue(tx, message)` (in the caller's transaction: a message
 * exists only if the change it announces commits), and for the admin outbox page `list(query)`,
 * `get(id)` and `requeue(id)`. Contexts that queue inside their own transactions call
 * `enqueueMessage(tx, message)` (the same as `notify.enqueue`).
 */
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
}

export function createNotify(deps: { sql: Sql }): Notify {
  const { sql } = deps;
  return {
    enqueue: (db, input) => enqueueMessage(db, input),
    list: (query = {}) => listMessages(sql, query),
    get: (id) => getMessage(sql, id),
    requeue: (id) => requeueMessage(sql, id),
  };
}
