/**
 * The outbox: outgoing SMS, email and WhatsApp messages are rows written in the caller's
 * transaction (a message exists only if the business change committed) and delivered later by
 * workers/outbox.ts through a Transport, at least once, with exponential backoff on failure.
 *
 * Claiming uses FOR UPDATE SKIP LOCKED, so several workers never take the same row; a claimed
 * row carries a lease (next_attempt_at) and is taken again if its worker stopped mid-send.
 */
import { BIGINT_MAX, optionalId, z } from "@/services/platform/schema.ts";
import type { Sql, Tx } from "@/services/platform/db.ts";
import { metrics } from "@/services/platform/metrics.ts";
import { smsParts } from "./sms_parts.ts";
import { currentRequestId, log, withLogContext } from "@/services/platform/log.ts";
import { assertNotProduction } from "@/services/platform/production_guard.ts";
import {
  holdAtDelivery,
  maskCode,
  type Purpose,
  purposeOf,
  PURPOSES,
  quietHoursEnd,
  suppressionReason,
} from "./guards.ts";
export { type Purpose, purposeOf, PURPOSES } from "./guards.ts";

type Db = Sql | Tx;

export const CHANNELS = ["sms", "email", "whatsapp", "push"] as const;
export type Channel = typeof CHANNELS[number];
export const STATUSES = ["queued", "sending", "sent", "failed", "dead", "suppressed"] as const;
export type MessageStatus = typeof STATUSES[number];

export interface OutboxMessage {
  id: string;
  channel: Channel;
  recipient: string;
  subject: string | null;
  body: string;
  locale: "en" | "bn";
  template: string | null;
  dedupeKey: string | null;
  status: MessageStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  transport: string | null;
  providerId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  purpose: Purpose;
  params: string[] | null;
  parts: number | null;
  deliveryStatus: string | null;
  deliveredAt: Date | null;
  bodyErasedAt: Date | null;
  fallbackOf: string | null;
}

/** A delivery channel's provider. send throws on failure (the message is retried). */
export interface Transport {
  readonly name: string;
  /**
   * A real provider (configured by the operator, not the dev transport or a local fake): its
   * messages leave the building, so one-time codes are masked on /admin/outbox and erased.
   */
  readonly real?: boolean;
  /** `transport`: which provider took it, when this transport is a chain of several. */
  send(msg: OutboxMessage): Promise<{ providerId?: string; transport?: string }>;
}

/** A failure that retrying cannot mend (recipient refused, subscription gone): dead at once. */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentError";
  }
}
export type Transports = Partial<Record<Channel, Transport>>;

/**
 * Development transport: delivers nothing anywhere. The row is marked sent with transport
 * "dev", so the admin outbox page (listMessages) shows every message, one-time codes included.
 */
export function devTransport(
  name = "dev",
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Transport {
  assertNotProduction("The development message transport", env);
  return { name, send: (msg) => Promise.resolve({ providerId: `${name}-${msg.id}` }) };
}

const e164 = /^\+[1-9]\d{7,14}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const enqueueSchema = z.object({
  channel: z.enum(CHANNELS),
  to: z.string().trim().min(1, "A recipient is required").max(320),
  subject: z.string().max(200).optional(),
  body: z.string().min(1, "A message needs a body").max(10_000),
  locale: z.enum(["en", "bn"]).default("en"),
  template: z.string().max(100).optional(),
  dedupeKey: z.string().min(1).max(200).optional(),
  /** Not before this time (reminders); default now. */
  notBefore: z.date().optional(),
  /** What the message is for; by default from the template (see purposeOf). */
  purpose: z.enum(PURPOSES).optional(),
  /** Template parameters in order (WhatsApp template messages, push titles). */
  params: z.array(z.string().max(1000)).max(10).optional(),
}).superRefine((m, ctx) => {
  const ok = m.channel === "email"
    ? z.email().safeParse(m.to).success
    : m.channel === "push"
    ? uuid.test(m.to)
    : e164.test(m.to);
  if (!ok) {
    ctx.addIssue({
      code: "custom",
      path: ["to"],
      message: m.channel === "email"
        ? "An email message needs an email address"
        : m.channel === "push"
        ? "A push message goes to a user (their id)"
        : "An SMS or WhatsApp message needs a number in international form (+8801…)",
    });
  }
});
export type EnqueueInput = z.input<typeof enqueueSchema>;

/**
 * Queues a message in the caller's transaction. With a dedupeKey, a second message with the same
 * key is not queued again (duplicate: true, the first message's id).
 */
export async function enqueueMessage(
  db: Db,
  input: EnqueueInput,
  opts: { now?: Date } = {},
): Promise<{ id: string; duplicate: boolean; suppressed?: string }> {
  const m = enqueueSchema.parse(input);
  const purpose = m.purpose ?? purposeOf(m.template);
  const now = opts.now ?? new Date();
  // Guard rails: opt-outs and bounces, send limits, quiet hours (services/notify/guards.ts).
  const suppressed = await suppressionReason(db, {
    channel: m.channel,
    to: m.to,
    purpose,
    now,
  });
  let notBefore = m.notBefore ?? null;
  if (!suppressed && purpose === "promotional") {
    const open = quietHoursEnd(notBefore ?? now);
    if (open) notBefore = open;
  }
  const parts = m.channel === "sms" ? smsParts(m.body).parts : null;
  const rows = await db`
    insert into outbox_messages
      (channel, recipient, subject, body, locale, template, dedupe_key, next_attempt_at,
       purpose, params, parts, status, last_error, request_id)
    values (${m.channel}, ${m.to}, ${m.subject ?? null}, ${m.body}, ${m.locale},
            ${m.template ?? null}, ${m.dedupeKey ?? null}, coalesce(${notBefore}, now()),
            ${purpose}, ${m.params ? JSON.stringify(m.params) : null}::text::jsonb, ${parts},
            ${suppressed ? "suppressed" : "queued"}, ${suppressed ?? null},
            ${currentRequestId()})
    on conflict (dedupe_key) do nothing
    returning id::text`;
  if (rows.length) {
    return suppressed
      ? { id: rows[0].id, duplicate: false, suppressed }
      : { id: rows[0].id, duplicate: false };
  }
  const [existing] = await db`
    select id::text from outbox_messages where dedupe_key = ${m.dedupeKey!}`;
  return { id: existing.id, duplicate: true };
}

export interface DeliveryOptions {
  batch?: number;
  now?: Date;
  /** After this many failed attempts a message is dead. */
  maxAttempts?: number;
  baseDelaySeconds?: number;
  maxDelaySeconds?: number;
  /** How long a claimed message is reserved for the worker that claimed it. */
  leaseSeconds?: number;
  sendTimeoutMs?: number;
  random?: () => number;
}

export const DELIVERY_DEFAULTS = {
  batch: 20,
  maxAttempts: 8,
  baseDelaySeconds: 30,
  maxDelaySeconds: 3600,
  leaseSeconds: 300,
  sendTimeoutMs: 30_000,
};

/**
 * Delay before the next try after `attempts` failed attempts: base × 2^(attempts−1), capped,
 * then jittered by ±20 % so that many failed messages do not all come back at once.
 */
export function backoffSeconds(
  attempts: number,
  opts: { baseDelaySeconds?: number; maxDelaySeconds?: number; random?: () => number } = {},
): number {
  const base = opts.baseDelaySeconds ?? DELIVERY_DEFAULTS.baseDelaySeconds;
  const cap = opts.maxDelaySeconds ?? DELIVERY_DEFAULTS.maxDelaySeconds;
  const raw = Math.min(base * 2 ** Math.max(attempts - 1, 0), cap);
  return raw * (0.8 + 0.4 * (opts.random ?? Math.random)());
}

function toMessage(r: Record<string, any>): OutboxMessage {
  return {
    id: String(r.id),
    channel: r.channel,
    recipient: r.recipient,
    subject: r.subject,
    body: r.body,
    locale: r.locale,
    template: r.template,
    dedupeKey: r.dedupe_key,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    transport: r.transport,
    providerId: r.provider_id,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    purpose: r.purpose ?? "notice",
    params: r.params == null
      ? null
      : typeof r.params === "string"
      ? JSON.parse(r.params)
      : r.params,
    parts: r.parts ?? null,
    deliveryStatus: r.delivery_status ?? null,
    deliveredAt: r.delivered_at ?? null,
    bodyErasedAt: r.body_erased_at ?? null,
    fallbackOf: r.fallback_of == null ? null : String(r.fallback_of),
  };
}

const deliveries = metrics.counter(
  "outbox_deliveries_total",
  "Outbox delivery attempts by channel and result (sent, retry, dead)",
);

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`transport did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface DeliveryResult {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
}

/**
 * Claims up to `batch` due messages for channels that have a transport, sends them, and records
 * the outcome: sent; failed with a backoff; or dead once maxAttempts attempts have failed.
 */
export async function deliverDue(
  sql: Sql,
  transports: Transports,
  opts: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const o = { ...DELIVERY_DEFAULTS, ...opts };
  const now = opts.now ?? new Date();
  const channels = CHANNELS.filter((c) => transports[c]);
  const result: DeliveryResult = { claimed: 0, sent: 0, retried: 0, dead: 0 };
  if (channels.length === 0) return result;
  const lease = new Date(now.getTime() + o.leaseSeconds * 1000);
  // Without an injected time, due means by the database clock: a row stamped with now() in the
  // same millisecond as a JS Date would otherwise look a few microseconds early.
  const claimed = await sql`
    update outbox_messages m
    set status = 'sending', attempts = m.attempts + 1, next_attempt_at = ${lease}
    from (
      select id from outbox_messages
      where status in ('queued', 'failed', 'sending')
        and next_attempt_at <= coalesce(${opts.now ?? null}::timestamptz, clock_timestamp())
        and channel in ${sql(channels)}
      order by next_attempt_at, id
      limit ${o.batch}
      for update skip locked
    ) due
    where m.id = due.id
    returning m.*`;
  result.claimed = claimed.length;
  // The batch is sent concurrently; the sent ones are recorded together afterwards.
  const done: { id: string; transport: string; providerId: string | null; erase: boolean }[] = [];
  const deliverOne = async (row: Record<string, unknown>) => {
    const msg = toMessage(row);
    const transport = transports[msg.channel]!;
    // Promotions wait out the quiet hours (Dhaka time); opt-outs made since queuing count.
    const hold = await holdAtDelivery(sql, msg, now);
    if (hold) {
      await sql`
        update outbox_messages
        set status = ${hold.until ? "queued" : "suppressed"}, attempts = attempts - 1,
            next_attempt_at = ${hold.until ?? now}, last_error = ${hold.reason}
        where id = ${msg.id}::bigint`;
      return;
    }
    try {
      const sent = await withTimeout(transport.send(msg), o.sendTimeoutMs);
      // A one-time code that a real provider took is erased (WhatsApp: once delivered, since
      // its SMS fallback may still need the text).
      const erase = msg.purpose === "code" && transport.real === true &&
        msg.channel !== "whatsapp";
      done.push({
        id: msg.id,
        transport: sent.transport ?? transport.name,
        providerId: sent.providerId ?? null,
        erase,
      });
      result.sent++;
      deliveries.inc({ channel: msg.channel, result: "sent" });
      log.info("outbox message sent", {
        message_id: msg.id,
        channel: msg.channel,
        template: msg.template,
        transport: sent.transport ?? transport.name,
      });
    } catch (e) {
      const error = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
      const dead = msg.attempts >= o.maxAttempts || e instanceof PermanentError;
      const next = new Date(now.getTime() + backoffSeconds(msg.attempts, o) * 1000);
      await sql`
        update outbox_messages
        set status = ${dead ? "dead" : "failed"}, last_error = ${error},
            transport = ${transport.name}, next_attempt_at = ${dead ? now : next}
        where id = ${msg.id}::bigint`;
      if (dead) result.dead++;
      else result.retried++;
      deliveries.inc({ channel: msg.channel, result: dead ? "dead" : "retry" });
      log.warn(dead ? "outbox message dead" : "outbox message failed, will retry", {
        message_id: msg.id,
        channel: msg.channel,
        attempts: msg.attempts,
        error,
      });
    }
  };
  await Promise.all(claimed.map((row) =>
    withLogContext(
      { requestId: (row.request_id as string | null) ?? undefined, component: "outbox" },
      () => deliverOne(row),
    )
  ));
  if (done.length) {
    await sql`
      update outbox_messages m
      set status = 'sent', sent_at = ${now}, transport = d.transport, provider_id = d."providerId",
          last_error = null,
          body = case when d.erase then '' else m.body end,
          body_erased_at = case when d.erase then ${now}::timestamptz else m.body_erased_at end
      from jsonb_to_recordset(${JSON.stringify(done)}::text::jsonb)
        as d(id bigint, transport text, "providerId" text, erase boolean)
      where m.id = d.id`;
  }
  return result;
}

export interface MessageQuery {
  /**
   * A real transport is configured: one-time codes are never shown, only "code sent to
   * +8801…89" (body replaced, `masked` set).
   */
  maskCodes?: boolean;
  status?: MessageStatus;
  channel?: Channel;
  /** Exact recipient (e.g. +8801712345678 or an email address). */
  recipient?: string;
  limit?: number;
  offset?: number;
}

/** Newest first, for the admin outbox page. */
export async function listMessages(
  sql: Sql,
  q: MessageQuery = {},
): Promise<{ rows: OutboxMessage[]; total: number }> {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  const offset = Math.max(q.offset ?? 0, 0);
  const where = sql`
    where (${q.status ?? null}::text is null or status = ${q.status ?? null})
      and (${q.channel ?? null}::text is null or channel = ${q.channel ?? null})
      and (${q.recipient ?? null}::text is null or recipient = ${q.recipient ?? null})`;
  const rows = await sql`
    select * from outbox_messages ${where}
    order by created_at desc, id desc limit ${limit} offset ${offset}`;
  const [{ total }] = await sql`select count(*)::int as total from outbox_messages ${where}`;
  const list = rows.map(toMessage);
  return { rows: q.maskCodes ? list.map(maskCode) : list, total };
}

export async function getMessage(sql: Sql, id: string): Promise<OutboxMessage | null> {
  if (!/^\d+$/.test(id)) return null;
  const [row] = await sql`select * from outbox_messages where id = ${id}::bigint`;
  return row ? toMessage(row) : null;
}

/** Admin action: put a dead or failed message back in the queue for a fresh set of attempts. */
export async function requeueMessage(sql: Sql, id: string): Promise<boolean> {
  if (optionalId(id, BIGINT_MAX) === null) return false;
  const rows = await sql`
    update outbox_messages
    set status = 'queued', attempts = 0, next_attempt_at = now(), last_error = null
    where id = ${id}::bigint and status in ('dead', 'failed')
    returning id`;
  return rows.length === 1;
}
