/**
 * Inbound webhooks from the message providers, each checked before anything is believed:
 * - SSL Wireless delivery reports and inbound SMS: the shared token in the URL;
 * - Twilio status callbacks and inbound SMS: X-Twilio-Signature (HMAC-SHA1 over URL + params);
 * - WhatsApp statuses: X-Hub-Signature-256 (HMAC-SHA256 of the raw body, app secret); the
 *   subscription handshake (hub.verify_token).
 * A forged or unsigned call is 401/403 and changes nothing.
 */
import type { Sql } from "@/services/platform/db.ts";
import { type Config, publicOrigin } from "@/services/platform/config.ts";
import { normalizeSmsStatus, verifyTwilio } from "./transports/sms.ts";
import { verifyWhatsApp, whatsappStatuses } from "./transports/whatsapp.ts";
import { inboundSms, recordReceipt } from "./receipts.ts";
import { safeEqual } from "./transports/http.ts";
import { masksCodes } from "./setup.ts";

export interface WebhookRequest {
  /** Path and query as received, e.g. /webhooks/sms/twilio?x=1 */
  pathAndQuery: string;
  query: URLSearchParams;
  headers: Headers;
  body: string;
}
export interface WebhookAnswer {
  status: number;
  body: string;
  contentType?: string;
}

const ok = (body = "OK"): WebhookAnswer => ({ status: 200, body });
const refuse = (status: number, body: string): WebhookAnswer => ({ status, body });

function fields(req: WebhookRequest): Record<string, string> {
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    try {
      const v = JSON.parse(req.body);
      if (v && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x ?? "")]));
      }
    } catch { /* fall through */ }
    return {};
  }
  return Object.fromEntries(new URLSearchParams(req.body));
}

export async function smsWebhook(
  deps: { sql: Sql; config: Config; clock: { now(): Date } },
  provider: string,
  req: WebhookRequest,
): Promise<WebhookAnswer> {
  const { sql, config } = deps;
  const now = deps.clock.now();
  const erase = { eraseCodes: masksCodes(config) };
  if (provider === "sslwireless") {
    const secret = config.SMS_SSLWIRELESS_WEBHOOK_TOKEN;
    if (!secret) return refuse(404, "not configured");
    if (!safeEqual(req.query.get("token") ?? "", secret)) return refuse(403, "bad token");
    const f = fields(req);
    if (f.type === "MO" || (f.sms && !f.reference_id)) {
      const r = await inboundSms(sql, f.msisdn ?? "", f.sms ?? "", now);
      return ok(r);
    }
    if (!f.reference_id || !f.status) return refuse(400, "reference_id and status are required");
    const known = await recordReceipt(sql, {
      provider,
      providerId: f.reference_id.slice(0, 200),
      status: normalizeSmsStatus(f.status),
      detail: f.status.slice(0, 200),
      at: now,
    }, erase);
    return known ? ok() : refuse(404, "unknown message");
  }
  if (provider === "twilio") {
    const token = config.SMS_TWILIO_AUTH_TOKEN;
    if (!token) return refuse(404, "not configured");
    const params = Object.fromEntries(new URLSearchParams(req.body));
    const url = publicOrigin(config) + req.pathAndQuery;
    if (!(await verifyTwilio(token, url, params, req.headers.get("x-twilio-signature")))) {
      return refuse(403, "bad signature");
    }
    if (params.Body !== undefined && params.From && !params.MessageStatus) {
      const r = await inboundSms(sql, params.From, params.Body, now);
      return {
        status: 200,
        body: `<?xml version="1.0" encoding="UTF-8"?><Response></Response><!-- ${r} -->`,
        contentType: "text/xml",
      };
    }
    if (!params.MessageSid || !params.MessageStatus) {
      return refuse(400, "MessageSid and MessageStatus are required");
    }
    const known = await recordReceipt(sql, {
      provider,
      providerId: params.MessageSid.slice(0, 200),
      status: normalizeSmsStatus(params.MessageStatus),
      detail: params.ErrorCode ? `error ${params.ErrorCode}` : null,
      at: now,
    }, erase);
    return known ? ok() : refuse(404, "unknown message");
  }
  return refuse(404, "unknown provider");
}

/** Meta's subscription handshake: GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=… */
export function whatsappVerify(config: Config, q: URLSearchParams): WebhookAnswer {
  const token = config.WHATSAPP_VERIFY_TOKEN;
  if (
    token && q.get("hub.mode") === "subscribe" && safeEqual(q.get("hub.verify_token") ?? "", token)
  ) {
    return { status: 200, body: q.get("hub.challenge") ?? "", contentType: "text/plain" };
  }
  return refuse(403, "verification failed");
}

export async function whatsappWebhook(
  deps: { sql: Sql; config: Config; clock: { now(): Date } },
  req: WebhookRequest,
): Promise<WebhookAnswer> {
  const secret = deps.config.WHATSAPP_APP_SECRET;
  if (!secret) return refuse(404, "not configured");
  if (!(await verifyWhatsApp(secret, req.body, req.headers.get("x-hub-signature-256")))) {
    return refuse(401, "bad signature");
  }
  let payload: unknown;
  try {
    payload = JSON.parse(req.body);
  } catch {
    return refuse(400, "not JSON");
  }
  const erase = { eraseCodes: masksCodes(deps.config) };
  for (const s of whatsappStatuses(payload)) {
    await recordReceipt(deps.sql, {
      provider: "whatsapp",
      providerId: s.providerId.slice(0, 300),
      status: s.status.slice(0, 40),
      detail: s.detail,
      at: deps.clock.now(),
    }, erase);
  }
  // Always 200 for a signed delivery, so Meta does not retry statuses of unknown messages.
  return ok();
}
