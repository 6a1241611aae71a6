/**
 * What comes back from the providers: delivery receipts (webhook or polling) stored per message,
 * the WhatsApp → SMS fallback for messages not delivered in time, inbound SMS keywords (STOP,
 * START), customers' notification preferences, and staff devices' push subscriptions.
 */
import { recordConsent } from "./consents.ts";
import type { Sql, Tx } from "@/services/platform/db.ts";

type Db = Sql | Tx;

const FINAL_OK = new Set(["delivered", "read"]);

/**
 * Records a provider's receipt for the message it accepted as `providerId`. The message's
 * delivery state moves on (never back from read/delivered to a lesser state); a delivered code
 * sent through a real provider is erased. False when no message has that provider id.
 */
export async function recordReceipt(
  sql: Sql,
  r: { provider: string; providerId: string; status: string; detail?: string | null; at: Date },
  opts: { eraseCodes?: boolean } = {},
): Promise<boolean> {
  const [m] = await sql`
    select id, purpose, delivery_status from outbox_messages
    where provider_id = ${r.providerId} order by id desc limit 1`;
  if (!m) return false;
  await sql.begin(async (tx) => {
    await tx`
      insert into notify_receipts (message_id, provider, status, detail, received_at)
      values (${m.id}, ${r.provider}, ${r.status.slice(0, 40)}, ${r.detail ?? null}, ${r.at})`;
    // A state never goes back: read stays read, delivered only moves on to read.
    const keep = m.delivery_status === "read" ||
      (m.delivery_status === "delivered" && r.status !== "read");
    if (!keep) {
      await tx`
        update outbox_messages
        set delivery_status = ${r.status},
            delivered_at = case when ${FINAL_OK.has(r.status)}
              then coalesce(delivered_at, ${r.at}::timestamptz) else delivered_at end
        where id = ${m.id}`;
    }
    if (opts.eraseCodes && m.purpose === "code" && FINAL_OK.has(r.status)) {
      await tx`update outbox_messages set body = '', body_erased_at = ${r.at}
        where id = ${m.id} and body_erased_at is null`;
    }
  });
  return true;
}

export interface Receipt {
  provider: string;
  status: string;
  detail: string | null;
  receivedAt: Date;
}

export async function receiptsOf(sql: Sql, messageId: string): Promise<Receipt[]> {
  const rows = await sql`
    select provider, status, detail, received_at from notify_receipts
    where message_id = ${messageId}::bigint order by id`;
  return rows.map((r) => ({
    provider: r.provider,
    status: r.status,
    detail: r.detail,
    receivedAt: r.received_at,
  }));
}

/**
 * WhatsApp messages sent more than `afterMinutes` ago and still not delivered (or failed) get an
 * SMS copy, once; a code's WhatsApp text is erased when its copy is made (with eraseCodes).
 */
export async function fallbackUndelivered(
  sql: Sql,
  o: { now: Date; afterMinutes: number; eraseCodes?: boolean },
): Promise<number> {
  const before = new Date(o.now.getTime() - o.afterMinutes * 60_000);
  return await sql.begin(async (tx) => {
    const due = await tx`
      select id, recipient, subject, body, locale, template, purpose, params from outbox_messages
      where channel = 'whatsapp' and fallback_id is null and fallback_of is null
        and ((status = 'sent' and sent_at <= ${before}
              and coalesce(delivery_status, '') not in ('delivered', 'read'))
          or status = 'dead')
        and body <> ''
      order by id limit 100
      for update skip locked`;
    for (const m of due) {
      const [copy] = await tx`
        insert into outbox_messages
          (channel, recipient, subject, body, locale, template, purpose, params, fallback_of,
           next_attempt_at)
        values ('sms', ${m.recipient}, ${m.subject}, ${m.body}, ${m.locale}, ${m.template},
                ${m.purpose}, ${m.params}, ${m.id}, ${o.now})
        returning id`;
      await tx`
        update outbox_messages set fallback_id = ${copy.id},
          body = case when ${!!o.eraseCodes} and purpose = 'code' then '' else body end,
          body_erased_at = case when ${!!o.eraseCodes} and purpose = 'code'
            then ${o.now}::timestamptz else body_erased_at end
        where id = ${m.id}`;
    }
    return due.length;
  });
}

/** Accepted SMS of a polling provider that have no final state yet (oldest first). */
export async function awaitingReceipts(sql: Sql, transport: string, limit = 50): Promise<string[]> {
  const rows = await sql`
    select provider_id from outbox_messages
    where transport = ${transport} and status = 'sent' and provider_id is not null
      and coalesce(delivery_status, '') not in ('delivered', 'read', 'failed', 'undelivered')
      and sent_at > now() - interval '3 days'
    order by sent_at limit ${limit}`;
  return rows.map((r) => r.provider_id);
}

// Preferences and opt-out ---------------------------------------------------------------------

export interface Preferences {
  optedOut: boolean;
  orderUpdates: boolean;
  promotional: boolean;
  /** The channel order updates go by (SMS unless chosen otherwise). */
  channel: PreferredChannel;
}

export const PREFERRED_CHANNELS = ["sms", "email", "whatsapp", "push"] as const;
export type PreferredChannel = typeof PREFERRED_CHANNELS[number];

export async function getPreferences(db: Db, address: string): Promise<Preferences> {
  const [p] = await db`
    select opted_out_at, order_updates, promotional, channel from notify_preferences
    where address = ${address}`;
  return {
    optedOut: !!p?.opted_out_at,
    orderUpdates: p ? p.order_updates : true,
    promotional: p ? p.promotional : true,
    channel: p?.channel ?? "sms",
  };
}

/** What a customer chooses about their notifications. */
export interface PreferencesInput {
  orderUpdates: boolean;
  promotional: boolean;
  channel?: PreferredChannel;
  /** The email address order updates go to when email is the channel. */
  email?: string | null;
}

export async function setPreferences(
  db: Db,
  address: string,
  p: PreferencesInput,
  now: Date,
): Promise<void> {
  const channel = p.channel && PREFERRED_CHANNELS.includes(p.channel) ? p.channel : null;
  const email = p.email && p.email.length <= 320 && p.email.includes("@") ? p.email : null;
  await db`
    insert into notify_preferences
      (address, order_updates, promotional, opted_out_at, updated_at, channel, email)
    values (${address}, ${p.orderUpdates}, ${p.promotional}, null, ${now},
      coalesce(${channel}, 'sms'), ${email})
    on conflict (address) do update set order_updates = excluded.order_updates,
      promotional = excluded.promotional, opted_out_at = null, updated_at = excluded.updated_at,
      channel = coalesce(${channel}, notify_preferences.channel),
      email = coalesce(${email}, notify_preferences.email)`;
  await recordConsent(db, address, p.promotional, "account", now);
}

/**
 * An inbound SMS: STOP (also STOP ALL, UNSUBSCRIBE, বন্ধ) opts the number out of order updates
 * and promotions; START (চালু) opts back in. Anything else is ignored.
 */
export async function inboundSms(
  db: Db,
  from: string,
  text: string,
  now: Date,
): Promise<"opted_out" | "opted_in" | "ignored"> {
  const word = text.trim().toUpperCase().replace(/[.!\s]+$/, "");
  const number = normalizeNumber(from);
  if (!number) return "ignored";
  if (
    ["STOP", "STOP ALL", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "বন্ধ"].includes(word)
  ) {
    await db`
      insert into notify_preferences (address, opted_out_at, updated_at)
      values (${number}, ${now}, ${now})
      on conflict (address) do update set opted_out_at = ${now}, updated_at = ${now}`;
    await recordConsent(db, number, false, "sms_stop", now);
    return "opted_out";
  }
  if (["START", "UNSTOP", "চালু"].includes(word)) {
    await db`update notify_preferences set opted_out_at = null, updated_at = ${now}
      where address = ${number}`;
    await recordConsent(db, number, true, "sms_start", now);
    return "opted_in";
  }
  return "ignored";
}

/** 8801712345678, +8801712345678 or 01712345678 → +8801712345678; null when not a number. */
export function normalizeNumber(s: string): string | null {
  const d = s.replace(/[\s()-]/g, "");
  if (/^\+[1-9]\d{7,14}$/.test(d)) return d;
  if (/^880\d{10}$/.test(d)) return `+${d}`;
  if (/^01\d{9}$/.test(d)) return `+88${d}`;
  return null;
}

// Push subscriptions ---------------------------------------------------------------------------

export interface PushSubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  device?: string;
}

const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** Checks a browser's PushSubscription JSON; an error message or null. */
export function checkSubscription(s: any): string | null {
  if (!s || typeof s !== "object") return "A push subscription is required";
  try {
    const u = new URL(String(s.endpoint));
    if (u.protocol !== "https:" && u.protocol !== "http:") return "The endpoint must be a URL";
  } catch {
    return "The endpoint must be a URL";
  }
  if (String(s.endpoint).length > 2000) return "The endpoint is too long";
  const k = s.keys ?? {};
  if (
    typeof k.p256dh !== "string" || !B64URL.test(k.p256dh) || k.p256dh.length < 80 ||
    k.p256dh.length > 100
  ) {
    return "The subscription's p256dh key is not a P-256 public key";
  }
  if (
    typeof k.auth !== "string" || !B64URL.test(k.auth) || k.auth.length < 16 || k.auth.length > 30
  ) {
    return "The subscription's auth secret is malformed";
  }
  return null;
}

export async function savePushSubscription(
  db: Db,
  userId: string,
  s: PushSubscriptionInput,
): Promise<void> {
  await db`
    insert into notify_push_subscriptions (user_id, endpoint, p256dh, auth, device)
    values (${userId}::uuid, ${s.endpoint}, ${s.keys.p256dh}, ${s.keys.auth},
            ${(s.device ?? "").slice(0, 120)})
    on conflict (endpoint) do update set user_id = excluded.user_id, p256dh = excluded.p256dh,
      auth = excluded.auth, device = excluded.device`;
}

export async function deletePushSubscription(db: Db, userId: string, endpoint: string) {
  await db`delete from notify_push_subscriptions
    where user_id = ${userId}::uuid and endpoint = ${endpoint}`;
}

export async function pushSubscriptionsOf(db: Db, userId: string) {
  const rows = await db`
    select id::text, endpoint, device, created_at, last_success_at from notify_push_subscriptions
    where user_id = ${userId}::uuid order by id`;
  return rows.map((r) => ({
    id: r.id as string,
    endpoint: r.endpoint as string,
    device: r.device as string,
    createdAt: r.created_at as Date,
    lastSuccessAt: r.last_success_at as Date | null,
  }));
}
