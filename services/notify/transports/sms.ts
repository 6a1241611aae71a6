/**
 * SMS transports: SSL Wireless ISMS (API v3, JSON), Alpha SMS (sms.net.bd, form API with a
 * report API for polling) and Twilio (REST API, status callbacks signed with X-Twilio-Signature).
 * `smsChain` tries them in order: provider A fails → provider B.
 */
import type { OutboxMessage, Transport } from "../outbox.ts";
import { smsParts } from "../sms_parts.ts";
import { base64, call, digits, hmac, PermanentError, ProviderError, safeEqual } from "./http.ts";

export interface SmsTransport extends Transport {
  /** Polls the provider for delivery states of accepted messages (providers that offer it). */
  poll?(providerIds: string[]): Promise<{ providerId: string; status: string }[]>;
}

export function sslWireless(o: {
  baseUrl: string;
  apiToken: string;
  sid: string;
  real?: boolean;
  timeoutMs?: number;
}): SmsTransport {
  const name = "sslwireless";
  return {
    name,
    real: o.real,
    async send(msg: OutboxMessage) {
      const csms = `SD${msg.id}`;
      const r = await call(name, `${o.baseUrl}/api/v3/send-sms`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({
          api_token: o.apiToken,
          sid: o.sid,
          msisdn: digits(msg.recipient),
          sms: msg.body,
          csms_id: csms,
        }),
        timeoutMs: o.timeoutMs,
      });
      const info = r.json.smsinfo?.[0];
      if (r.status !== 200 || r.json.status !== "SUCCESS" || info?.sms_status !== "SUCCESS") {
        throw new ProviderError(
          name,
          `${r.json.status_code ?? r.status} ${
            r.json.error_message || info?.status_message || r.text.slice(0, 200)
          }`,
        );
      }
      return { providerId: String(info.reference_id ?? csms) };
    },
  };
}

export function alphaSms(o: {
  baseUrl: string;
  apiKey: string;
  senderId?: string;
  real?: boolean;
  timeoutMs?: number;
}): SmsTransport {
  const name = "alphasms";
  return {
    name,
    real: o.real,
    async send(msg: OutboxMessage) {
      const form = new URLSearchParams({
        api_key: o.apiKey,
        msg: msg.body,
        to: digits(msg.recipient),
      });
      if (o.senderId) form.set("sender_id", o.senderId);
      const r = await call(name, `${o.baseUrl}/sendsms`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form,
        timeoutMs: o.timeoutMs,
      });
      if (r.status !== 200 || r.json.error !== 0 || !r.json.data?.request_id) {
        throw new ProviderError(
          name,
          `${r.json.error ?? r.status} ${r.json.msg ?? r.text.slice(0, 200)}`,
        );
      }
      return { providerId: String(r.json.data.request_id) };
    },
    async poll(ids: string[]) {
      const out: { providerId: string; status: string }[] = [];
      for (const id of ids) {
        const r = await call(
          name,
          `${o.baseUrl}/report/request/${encodeURIComponent(id)}/?api_key=${
            encodeURIComponent(o.apiKey)
          }`,
          {
            method: "GET",
            timeoutMs: o.timeoutMs,
          },
        );
        const rec = r.json.data?.recipients?.[0];
        if (r.json.error === 0 && rec?.status) {
          out.push({ providerId: id, status: normalizeSmsStatus(rec.status) });
        }
      }
      return out;
    },
  };
}

export function twilio(o: {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
  statusCallback?: string;
  real?: boolean;
  timeoutMs?: number;
}): SmsTransport {
  const name = "twilio";
  return {
    name,
    real: o.real,
    async send(msg: OutboxMessage) {
      const form = new URLSearchParams({ To: msg.recipient, From: o.from, Body: msg.body });
      if (o.statusCallback) form.set("StatusCallback", o.statusCallback);
      const r = await call(
        name,
        `${o.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(o.accountSid)}/Messages.json`,
        {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: `Basic ${btoa(`${o.accountSid}:${o.authToken}`)}`,
          },
          body: form,
          timeoutMs: o.timeoutMs,
        },
      );
      if (r.status !== 201 || !r.json.sid) {
        const err = `${r.json.code ?? r.status} ${r.json.message ?? r.text.slice(0, 200)}`;
        // 21211 invalid 'To', 21610 unsubscribed recipient: no provider will do better.
        if (r.json.code === 21211 || r.json.code === 21610) {
          throw new PermanentError(`${name}: ${err}`);
        }
        throw new ProviderError(name, err);
      }
      return { providerId: String(r.json.sid) };
    },
  };
}

/** Twilio's request signature: base64(HMAC-SHA1(token, url + each sorted param name+value)). */
export async function twilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
): Promise<string> {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join("");
  return base64(await hmac("SHA-1", authToken, data));
}

export async function verifyTwilio(
  authToken: string,
  url: string,
  params: Record<string, string>,
  signature: string | null,
): Promise<boolean> {
  if (!signature) return false;
  return safeEqual(await twilioSignature(authToken, url, params), signature);
}

/** Providers' words for a delivery state → ours: delivered, failed, undelivered, sent. */
export function normalizeSmsStatus(s: string): string {
  const v = s.trim().toLowerCase();
  if (["delivered", "delivrd", "success", "sent_to_handset", "complete"].includes(v)) {
    return "delivered";
  }
  if (["undelivered", "undeliv", "expired", "rejected", "rejectd"].includes(v)) {
    return "undelivered";
  }
  if (["failed", "fail", "error"].includes(v)) return "failed";
  if (v === "read") return "read";
  return "sent";
}

/**
 * Several providers, in order: the first that accepts the message wins; a failing one hands
 * over to the next. Fails (retried later) only when all failed; a permanent refusal stops.
 */
export function smsChain(providers: SmsTransport[]): SmsTransport {
  return {
    name: providers.map((p) => p.name).join(">"),
    real: providers.some((p) => p.real),
    async send(msg: OutboxMessage) {
      const errors: string[] = [];
      for (const p of providers) {
        try {
          const r = await p.send(msg);
          return { providerId: r.providerId, transport: p.name };
        } catch (e) {
          if (e instanceof PermanentError) throw e;
          errors.push((e as Error).message);
        }
      }
      throw new Error(errors.join("; ") || "no SMS provider");
    },
  };
}

export { smsParts };
