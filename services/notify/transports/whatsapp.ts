/**
 * WhatsApp Cloud API: approved template messages with body parameters. A message's `params` fill
 * the template's {{1}}, {{2}}…; without them the whole text is the one parameter of the generic
 * notice template. Statuses (sent, delivered, read, failed) come back by webhook, signed with
 * X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret).
 */
import type { OutboxMessage, Transport } from "../outbox.ts";
import { call, digits, hex, hmac, PermanentError, ProviderError, safeEqual } from "./http.ts";

export interface WhatsAppOptions {
  /** e.g. https://graph.facebook.com/v21.0 */
  baseUrl: string;
  token: string;
  phoneNumberId: string;
  /** The approved template used when a message names none of its own. */
  template: string;
  /** Our template names → approved WhatsApp template names. */
  templates?: Record<string, string>;
  real?: boolean;
  timeoutMs?: number;
}

export function whatsapp(o: WhatsAppOptions): Transport {
  const name = "whatsapp";
  return {
    name,
    real: o.real,
    async send(msg: OutboxMessage) {
      const mapped = msg.template ? o.templates?.[msg.template] : undefined;
      const params = mapped && msg.params?.length ? msg.params : [msg.body];
      const r = await call(name, `${o.baseUrl}/${encodeURIComponent(o.phoneNumberId)}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${o.token}` },
        body: JSON.stringify({
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: digits(msg.recipient),
          type: "template",
          template: {
            name: mapped ?? o.template,
            language: { code: msg.locale === "bn" ? "bn" : "en" },
            components: [{
              type: "body",
              parameters: params.map((text) => ({ type: "text", text })),
            }],
          },
        }),
        timeoutMs: o.timeoutMs,
      });
      const id = r.json.messages?.[0]?.id;
      if (r.status !== 200 || !id) {
        const err = r.json.error ?? {};
        const text = `${err.code ?? r.status} ${err.message ?? r.text.slice(0, 200)}`;
        // 131026: not a WhatsApp user / cannot receive; 132001: template missing.
        if (err.code === 131026 || err.code === 132001) {
          throw new PermanentError(`${name}: ${text}`);
        }
        throw new ProviderError(name, text);
      }
      return { providerId: String(id) };
    },
  };
}

export async function whatsappSignature(appSecret: string, rawBody: string): Promise<string> {
  return `sha256=${hex(await hmac("SHA-256", appSecret, rawBody))}`;
}

export async function verifyWhatsApp(
  appSecret: string,
  rawBody: string,
  header: string | null,
): Promise<boolean> {
  if (!header) return false;
  return safeEqual(await whatsappSignature(appSecret, rawBody), header.trim().toLowerCase());
}

/** The statuses in one webhook delivery: [{ id: wamid, status, error }]. */
export function whatsappStatuses(
  payload: any,
): { providerId: string; status: string; detail: string | null }[] {
  const out: { providerId: string; status: string; detail: string | null }[] = [];
  for (const entry of Array.isArray(payload?.entry) ? payload.entry : []) {
    for (const change of Array.isArray(entry?.changes) ? entry.changes : []) {
      for (const s of Array.isArray(change?.value?.statuses) ? change.value.statuses : []) {
        if (typeof s?.id !== "string" || typeof s?.status !== "string") continue;
        const e = Array.isArray(s.errors) ? s.errors[0] : null;
        out.push({
          providerId: s.id,
          status: s.status.toLowerCase(),
          detail: e ? `${e.code ?? ""} ${e.title ?? e.message ?? ""}`.trim() : null,
        });
      }
    }
  }
  return out;
}
