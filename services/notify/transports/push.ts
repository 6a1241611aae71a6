/**
 * Web Push to the staff PWA (VAPID, RFC 8291 payload encryption and RFC 8292 authorisation by
 * npm web-push, which builds the request; fetch sends it). A push message's recipient is a user:
 * it goes to each of their subscribed devices, and a subscription the push service calls gone
 * (404 or 410) is deleted.
 */
import webpush from "web-push";
import type { Sql } from "@/services/platform/db.ts";
import { type OutboxMessage, PermanentError, type Transport } from "../outbox.ts";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** mailto: or https: contact for the push services. */
  subject: string;
}

export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return webpush.generateVAPIDKeys();
}

export function webPush(
  o: { sql: Sql; vapid: VapidKeys; real?: boolean; timeoutMs?: number },
): Transport {
  return {
    name: "webpush",
    real: o.real,
    async send(msg: OutboxMessage) {
      const subs = await o.sql`
        select id::text, endpoint, p256dh, auth from notify_push_subscriptions
        where user_id = ${msg.recipient}::uuid order by id`;
      if (subs.length === 0) throw new PermanentError("webpush: the user has no subscribed device");
      const payload = JSON.stringify({
        title: msg.subject ?? msg.params?.[0] ?? "Smart Dairy",
        body: msg.body,
        tag: msg.template ?? `m${msg.id}`,
        url: msg.params?.[1] ?? "/admin",
      });
      let delivered = 0;
      const errors: string[] = [];
      for (const s of subs) {
        const d = webpush.generateRequestDetails(
          { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } },
          payload,
          {
            vapidDetails: o.vapid,
            TTL: msg.purpose === "alarm" ? 3600 : 86_400,
            urgency: msg.purpose === "alarm" ? "high" : "normal",
          } as any,
        );
        const ac = new AbortController();
        const timer = setTimeout(() => ac.abort(), o.timeoutMs ?? 10_000);
        try {
          const res = await fetch(d.endpoint, {
            method: d.method,
            headers: d.headers as Record<string, string>,
            body: d.body as BodyInit,
            signal: ac.signal,
          });
          await res.body?.cancel();
          if (res.status === 404 || res.status === 410) {
            await o.sql`delete from notify_push_subscriptions where id = ${s.id}::bigint`;
            errors.push(`subscription ${s.id} gone (${res.status})`);
          } else if (res.status >= 200 && res.status < 300) {
            delivered++;
            await o.sql`update notify_push_subscriptions set last_success_at = now()
              where id = ${s.id}::bigint`;
          } else {
            errors.push(`push service ${res.status}`);
          }
        } catch (e) {
          errors.push(ac.signal.aborted ? "push service timed out" : (e as Error).message);
        } finally {
          clearTimeout(timer);
        }
      }
      if (delivered > 0) return { providerId: `push:${delivered}/${subs.length}` };
      if (errors.every((e) => e.includes("gone"))) {
        throw new PermanentError(`webpush: ${errors.join("; ")}`);
      }
      throw new Error(`webpush: ${errors.join("; ")}`);
    },
  };
}
