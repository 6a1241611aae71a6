/**
 * Delivering webhooks: due deliveries are claimed like the outbox's messages (FOR UPDATE SKIP
 * LOCKED, a lease), POSTed signed to the subscription's URL, and every attempt is logged with the
 * answer's status code and duration. A failure is retried with exponential back-off (jittered)
 * until maxAttempts; a subscription whose attempts fail `disableAfter` times in a row is disabled
 * and its partner told by email/SMS through notify.
 */
import { refusedTarget } from "./target.ts";
import type { Sql } from "@/services/platform/db.ts";
import { inTx } from "@/services/platform/tx.ts";
import { backoffSeconds, enqueueMessage } from "@/services/notify/mod.ts";
import { log } from "@/services/platform/log.ts";
import { metrics } from "@/services/platform/metrics.ts";
import { signedHeaders } from "./signing.ts";
import { decryptField, type Keyring } from "@/services/crypto/field_crypto.ts";
import { SECRET_AAD } from "./subscriptions.ts";
import { webhookMessages } from "./messages.ts";

export interface WebhookDeliveryOptions {
  now: Date;
  /** Decrypts the subscriptions' signing secrets. */
  keyring: Keyring;
  batch?: number;
  /** After this many failed attempts a delivery is given up ('dead'). */
  maxAttempts?: number;
  baseDelaySeconds?: number;
  maxDelaySeconds?: number;
  /** Failed attempts in a row after which a subscription is disabled. */
  disableAfter?: number;
  leaseSeconds?: number;
  timeoutMs?: number;
  random?: () => number;
  fetch?: typeof fetch;
}

export const WEBHOOK_DEFAULTS = {
  batch: 20,
  maxAttempts: 8,
  baseDelaySeconds: 30,
  maxDelaySeconds: 6 * 3600,
  disableAfter: 20,
  leaseSeconds: 120,
  timeoutMs: 15_000,
};

export interface DeliveryRow {
  id: string;
  subscriptionId: string;
  eventType: string;
  messageId: string;
  status: "queued" | "sending" | "failed" | "succeeded" | "dead";
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface Attempt {
  id: string;
  deliveryId: string;
  attemptedAt: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string | null;
  manual: boolean;
}

const counter = metrics.counter(
  "webhook_deliveries_total",
  "Outbound webhook delivery attempts by result (succeeded, retry, dead)",
);

/** The body a delivery carries: the Standard Webhooks shape {type, timestamp, data}. */
function bodyOf(r: Record<string, any>): string {
  const p = typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload;
  return JSON.stringify({
    type: p.type,
    timestamp: new Date(r.occurred_at).toISOString(),
    data: p.data,
  });
}

interface Outcome {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  excerpt: string | null;
  ok: boolean;
}

async function post(
  r: Record<string, any>,
  now: Date,
  o: {
    timeoutMs: number;
    fetch: typeof fetch;
    keyring: Keyring;
    /** Internal targets refused (target.ts); tests may stand in a resolver. */
    refuse?: (url: string) => Promise<string | null>;
  },
): Promise<Outcome> {
  const body = bodyOf(r);
  const headers = await signedHeaders(
    await decryptField(o.keyring, r.secret_enc, SECRET_AAD),
    r.message_id,
    Math.floor(now.getTime() / 1000),
    body,
  );
  const started = performance.now();
  const refused = await (o.refuse ?? refusedTarget)(r.url);
  if (refused) {
    return { statusCode: null, durationMs: 0, ok: false, error: refused, excerpt: null };
  }
  try {
    const res = await o.fetch(r.url, {
      method: "POST",
      headers: {
        ...headers,
        "content-type": "application/json",
        "user-agent": "SmartDairy-Webhooks/1",
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    const text = await res.text().catch(() => "");
    const durationMs = Math.round(performance.now() - started);
    const ok = res.status >= 200 && res.status < 300;
    return {
      statusCode: res.status,
      durationMs,
      ok,
      error: ok ? null : `HTTP ${res.status}`,
      excerpt: text.slice(0, 500) || null,
    };
  } catch (e) {
    return {
      statusCode: null,
      durationMs: Math.round(performance.now() - started),
      ok: false,
      error: (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 500),
      excerpt: null,
    };
  }
}

const SELECT_FOR_SEND = (sql: Sql, ids: string[]) =>
  sql`
    select d.id::text, d.attempts, d.subscription_id::text, s.url, s.secret_enc, s.partner_id,
           s.status as subscription_status, e.message_id, e.type, e.payload, e.occurred_at
    from webhook_deliveries d
    join webhook_subscriptions s on s.id = d.subscription_id
    join webhook_events e on e.id = d.event_id
    where d.id = any(${ids}::bigint[])`;

export interface WebhookRunResult {
  claimed: number;
  succeeded: number;
  retried: number;
  dead: number;
  disabled: number;
}

/** One pass of the worker: claims due deliveries of active subscriptions and sends them. */
export async function deliverDueWebhooks(
  sql: Sql,
  opts: WebhookDeliveryOptions,
): Promise<WebhookRunResult> {
  const o = { ...WEBHOOK_DEFAULTS, ...opts };
  const now = opts.now;
  const result: WebhookRunResult = { claimed: 0, succeeded: 0, retried: 0, dead: 0, disabled: 0 };
  const lease = new Date(now.getTime() + o.leaseSeconds * 1000);
  const claimed = await sql`
    update webhook_deliveries d
    set status = 'sending', attempts = d.attempts + 1, next_attempt_at = ${lease}
    from (
      select d.id from webhook_deliveries d
      join webhook_subscriptions s on s.id = d.subscription_id
      where d.status in ('queued', 'failed', 'sending') and d.next_attempt_at <= ${now}
        and s.status = 'active'
      order by d.next_attempt_at, d.id
      limit ${o.batch}
      for update of d skip locked
    ) due
    where d.id = due.id
    returning d.id::text`;
  result.claimed = claimed.length;
  if (!claimed.length) return result;
  const rows = await SELECT_FOR_SEND(sql, claimed.map((r) => r.id));
  // Deliveries to one subscription go in order, one at a time; subscriptions in parallel.
  const bySub = Map.groupBy(rows, (r) => r.subscription_id as string);
  await Promise.all([...bySub.values()].map(async (list) => {
    for (const r of list) {
      const out = await post(r, now, {
        timeoutMs: o.timeoutMs,
        fetch: o.fetch ?? fetch,
        keyring: o.keyring,
      });
      const kind = await record(sql, r, out, { ...o, now, manual: false });
      result[kind]++;
      if (kind === "dead" || kind === "retried") {
        if (await maybeDisable(sql, r.subscription_id, o.disableAfter, now)) result.disabled++;
      }
    }
  }));
  return result;
}

async function record(
  sql: Sql,
  r: Record<string, any>,
  out: Outcome,
  o: typeof WEBHOOK_DEFAULTS & { now: Date; manual: boolean; random?: () => number },
): Promise<"succeeded" | "retried" | "dead"> {
  const { now } = o;
  const attempts = Number(r.attempts);
  const dead = !out.ok && attempts >= o.maxAttempts;
  const kind = out.ok ? "succeeded" : dead ? "dead" : "retried";
  const next = new Date(now.getTime() + backoffSeconds(attempts, o) * 1000);
  // One statement (atomic by itself, one round trip): the attempt logged, the delivery's state,
  // the subscription's failures in a row. A redelivery by hand leaves the delivery's schedule
  // as it was unless it worked, and a failed one does not count towards disabling.
  const status = o.manual
    ? (out.ok ? "succeeded" : null)
    : kind === "succeeded"
    ? "succeeded"
    : dead
    ? "dead"
    : "failed";
  const schedule = o.manual ? null : out.ok || dead ? now : next;
  const failures = out.ok ? "reset" : o.manual ? "keep" : "add";
  await sql`
    with a as (
      insert into webhook_attempts
        (delivery_id, attempted_at, status_code, duration_ms, error, response_excerpt, manual)
      values (${r.id}::bigint, ${now}, ${out.statusCode}, ${out.durationMs}, ${out.error},
              ${out.excerpt}, ${o.manual})
    ), d as (
      update webhook_deliveries set
        status = coalesce(${status}::text, status),
        last_status = ${out.statusCode}, last_error = ${out.error},
        delivered_at = case when ${out.ok} then ${now}::timestamptz else delivered_at end,
        next_attempt_at = coalesce(${schedule}::timestamptz, next_attempt_at)
      where id = ${r.id}::bigint
    )
    update webhook_subscriptions set consecutive_failures =
      case when ${failures} = 'reset' then 0 else consecutive_failures + 1 end
    where id = ${r.subscription_id}::bigint and ${failures} <> 'keep'
      and (${failures} = 'add' or consecutive_failures <> 0)`;
  counter.inc({ result: kind });
  if (!out.ok) {
    log.warn(dead ? "webhook delivery dead" : "webhook delivery failed, will retry", {
      delivery_id: r.id,
      subscription_id: r.subscription_id,
      status: out.statusCode ?? undefined,
      attempts,
      error: out.error,
    });
  }
  return kind;
}

/**
 * Disables the subscription once its failures in a row reach the limit, and queues the notice to
 * the partner (email and/or SMS) in the same transaction. True when it was disabled now.
 */
async function maybeDisable(
  sql: Sql,
  subscriptionId: string,
  limit: number,
  now: Date,
): Promise<boolean> {
  return await inTx(sql, async (tx) => {
    const [s] = await tx`
      update webhook_subscriptions set status = 'disabled', disabled_at = ${now},
        disabled_reason = ${`${limit} failed attempts in a row`}, updated_at = ${now}
      where id = ${subscriptionId}::bigint and status = 'active'
        and consecutive_failures >= ${limit}
      returning id::text, url, locale, contact_email, contact_phone, consecutive_failures`;
    if (!s) return false;
    const m = webhookMessages(s.locale === "bn" ? "bn" : "en");
    const body = m.notice(s.url, s.consecutive_failures);
    const key = `webhook_disabled:${s.id}:${now.toISOString()}`;
    if (s.contact_email) {
      await enqueueMessage(tx, {
        channel: "email",
        to: s.contact_email,
        subject: m.noticeSubject,
        body,
        locale: s.locale,
        template: "webhook_disabled",
        dedupeKey: `${key}:email`,
      }, { now });
    }
    if (s.contact_phone) {
      await enqueueMessage(tx, {
        channel: "sms",
        to: s.contact_phone,
        body,
        locale: s.locale,
        template: "webhook_disabled",
        dedupeKey: `${key}:sms`,
      }, { now });
    }
    log.warn("webhook subscription disabled", { subscription_id: s.id, url: s.url });
    return true;
  });
}

/**
 * Sends one delivery again now (staff or the partner asked), logging the attempt as manual.
 * With partnerId, only that partner's delivery. Null when there is no such delivery.
 */
export async function redeliver(
  sql: Sql,
  deliveryId: string,
  opts: {
    now: Date;
    keyring: Keyring;
    partnerId?: string;
    timeoutMs?: number;
    fetch?: typeof fetch;
  },
): Promise<Attempt | null> {
  if (!/^\d{1,15}$/.test(deliveryId)) return null;
  const [r] = await SELECT_FOR_SEND(sql, [deliveryId]);
  if (!r || (opts.partnerId !== undefined && r.partner_id !== opts.partnerId)) return null;
  const out = await post(r, opts.now, {
    timeoutMs: opts.timeoutMs ?? WEBHOOK_DEFAULTS.timeoutMs,
    fetch: opts.fetch ?? fetch,
    keyring: opts.keyring,
  });
  await record(sql, r, out, { ...WEBHOOK_DEFAULTS, now: opts.now, manual: true });
  const [a] = await sql`
    select * from webhook_attempts where delivery_id = ${deliveryId}::bigint
    order by id desc limit 1`;
  return toAttempt(a);
}

function toAttempt(a: Record<string, any>): Attempt {
  return {
    id: String(a.id),
    deliveryId: String(a.delivery_id),
    attemptedAt: a.attempted_at,
    statusCode: a.status_code,
    durationMs: a.duration_ms,
    error: a.error,
    responseExcerpt: a.response_excerpt,
    manual: a.manual,
  };
}

/** A subscription's deliveries, newest first. */
export async function listDeliveries(
  sql: Sql,
  q: { subscriptionId: string; limit?: number; status?: DeliveryRow["status"] },
): Promise<DeliveryRow[]> {
  if (!/^\d{1,15}$/.test(q.subscriptionId)) return [];
  const rows = await sql`
    select d.*, e.type, e.message_id from webhook_deliveries d
    join webhook_events e on e.id = d.event_id
    where d.subscription_id = ${q.subscriptionId}::bigint
      and (${q.status ?? null}::text is null or d.status = ${q.status ?? null})
    order by d.id desc limit ${Math.min(Math.max(q.limit ?? 50, 1), 500)}`;
  return rows.map((r) => ({
    id: String(r.id),
    subscriptionId: String(r.subscription_id),
    eventType: r.type,
    messageId: r.message_id,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  }));
}

/** The attempts of a subscription's recent deliveries (the delivery log), newest first. */
export async function listAttempts(
  sql: Sql,
  q: { subscriptionId: string; deliveryId?: string; limit?: number },
): Promise<Attempt[]> {
  if (!/^\d{1,15}$/.test(q.subscriptionId)) return [];
  if (q.deliveryId !== undefined && !/^\d{1,15}$/.test(q.deliveryId)) return [];
  const rows = await sql`
    select a.* from webhook_attempts a
    join webhook_deliveries d on d.id = a.delivery_id
    where d.subscription_id = ${q.subscriptionId}::bigint
      and (${q.deliveryId ?? null}::bigint is null or d.id = ${q.deliveryId ?? null}::bigint)
    order by a.id desc limit ${Math.min(Math.max(q.limit ?? 100, 1), 1000)}`;
  return rows.map(toAttempt);
}
