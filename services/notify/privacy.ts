/**
 * A customer's messages, preferences and consents (export), their erasure, and the retention
 * clean-up of delivered messages' bodies.
 *
 * Erasure: every message to the customer's addresses loses its recipient, subject, body,
 * parameters and last error (the row stays: counts and send limits need it; queued ones are
 * suppressed), their delivery receipts lose the provider's detail, the preferences by address
 * go, the consent records keep the choice and its time but not the address, push subscriptions go.
 */
import type { Sql } from "@/services/platform/db.ts";
import { consentsOf } from "./consents.ts";

/** What an erased message's recipient (and a consent's address) reads. */
export const ERASED_ADDRESS = "erased";

export async function exportCustomer(sql: Sql, userId: string, addresses: readonly string[]) {
  const list = [...addresses];
  const messages = list.length
    ? await sql`
      select channel, recipient, subject, body, template, purpose, status, created_at, sent_at
      from outbox_messages where recipient = any(${list}) order by created_at, id`
    : [];
  const prefs = list.length
    ? await sql`
      select address, opted_out_at, order_updates, promotional, channel, email, updated_at
      from notify_preferences where address = any(${list})`
    : [];
  const push = await sql`
    select device, created_at from notify_push_subscriptions where user_id = ${userId}`;
  return {
    messages: messages.map((m) => ({
      channel: m.channel,
      to: m.recipient,
      subject: m.subject,
      // One-time codes are not handed out again.
      body: m.purpose === "code" ? null : m.body,
      template: m.template,
      status: m.status,
      createdAt: m.created_at,
      sentAt: m.sent_at,
    })),
    preferences: prefs.map((p) => ({
      address: p.address,
      optedOut: !!p.opted_out_at,
      orderUpdates: p.order_updates,
      promotional: p.promotional,
      updatedAt: p.updated_at,
    })),
    consents: await consentsOf(sql, list),
    pushDevices: push.map((p) => ({ device: p.device, createdAt: p.created_at })),
  };
}

export async function anonymiseCustomer(
  sql: Sql,
  userId: string,
  addresses: readonly string[],
  now: Date,
): Promise<Record<string, number>> {
  const list = [...addresses];
  return await sql.begin(async (tx) => {
    const receipts = list.length
      ? await tx`
        update notify_receipts r set detail = null
        from outbox_messages m
        where m.id = r.message_id and m.recipient = any(${list}) and r.detail is not null
        returning r.id`
      : [];
    const messages = list.length
      ? await tx`
        update outbox_messages set recipient = ${ERASED_ADDRESS}, subject = null, body = '',
          params = null, last_error = null,
          body_erased_at = coalesce(body_erased_at, ${now}),
          status = case when status in ('queued', 'failed', 'sending') then 'suppressed'
            else status end,
          dedupe_key = null
        where recipient = any(${list})
        returning id`
      : [];
    const prefs = list.length
      ? await tx`delete from notify_preferences where address = any(${list}) returning address`
      : [];
    const consents = list.length
      ? await tx`
        update notify_consents set address = ${ERASED_ADDRESS}
        where address = any(${list}) returning id`
      : [];
    const push = await tx`
      delete from notify_push_subscriptions where user_id = ${userId} returning id`;
    return {
      messages: messages.length,
      receipts: receipts.length,
      preferences: prefs.length,
      consents: consents.length,
      pushSubscriptions: push.length,
    };
  });
}

/**
 * Retention: the bodies (and template parameters) of messages finished before `before` — sent,
 * dead or suppressed — are erased; the rows stay for the counts. Returns how many.
 */
export async function eraseDeliveredBodies(sql: Sql, before: Date, now: Date): Promise<number> {
  const rows = await sql`
    update outbox_messages set body = '', params = null, body_erased_at = ${now}
    where status in ('sent', 'dead', 'suppressed') and body_erased_at is null
      and coalesce(sent_at, created_at) < ${before}
    returning id`;
  return rows.length;
}
