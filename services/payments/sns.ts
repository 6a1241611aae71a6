/**
 * Amazon SNS message verification, for bKash's webhook (delivered through SNS): the certificate
 * must come from an https amazonaws.com SNS host (or an explicitly configured prefix, for the
 * local fake), and the signature must match the canonical string SNS signs. Even a verified
 * message is only a cue: the payment is then queried from bKash.
 */
import crypto from "node:crypto";
import { z } from "zod";

export const snsMessageSchema = z.object({
  Type: z.enum(["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]),
  MessageId: z.string().min(1).max(200),
  TopicArn: z.string().min(1).max(300),
  Message: z.string().max(100_000),
  Timestamp: z.string().min(1).max(50),
  SignatureVersion: z.enum(["1", "2"]),
  Signature: z.string().min(1).max(2000),
  SigningCertURL: z.string().url().max(500),
  Subject: z.string().max(200).optional(),
  SubscribeURL: z.string().url().max(2000).optional(),
  Token: z.string().max(2000).optional(),
});
export type SnsMessage = z.infer<typeof snsMessageSchema>;

/** What SNS signs of a (un)subscription confirmation. */
const CONFIRMATION_FIELDS = [
  "Message",
  "MessageId",
  "SubscribeURL",
  "Timestamp",
  "Token",
  "TopicArn",
  "Type",
];
const SIGNED_FIELDS: Record<string, string[]> = {
  Notification: ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
  SubscriptionConfirmation: CONFIRMATION_FIELDS,
  UnsubscribeConfirmation: CONFIRMATION_FIELDS,
};

/** The canonical "Key\nvalue\n…" string SNS signs (Subject only when present). */
export function snsStringToSign(m: Record<string, string | undefined>): string | null {
  const fields = SIGNED_FIELDS[m.Type ?? ""];
  if (!fields) return null;
  return fields.filter((k) => m[k] !== undefined).map((k) => `${k}\n${m[k]}\n`).join("");
}

const AWS_CERT_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** Whether a URL may serve SNS signing certificates (or confirm subscriptions). */
export function trustedSnsUrl(url: string, extraPrefix?: string): boolean {
  if (extraPrefix && url.startsWith(extraPrefix)) return true;
  try {
    const u = new URL(url);
    return u.protocol === "https:" && AWS_CERT_HOST.test(u.hostname);
  } catch {
    return false;
  }
}

const certCache = new Map<string, string>();

async function certificate(url: string, timeoutMs: number): Promise<string> {
  const hit = certCache.get(url);
  if (hit) return hit;
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
  const pem = await res.text();
  if (!res.ok || !pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new Error(`no certificate at ${url}`);
  }
  if (certCache.size > 20) certCache.clear();
  certCache.set(url, pem);
  return pem;
}

/** Verifies an SNS message; returns it parsed, or null when it is not genuine. */
export async function verifySnsMessage(
  body: unknown,
  opts: { trustedPrefix?: string; timeoutMs?: number } = {},
): Promise<SnsMessage | null> {
  const parsed = snsMessageSchema.safeParse(body);
  if (!parsed.success) return null;
  const m = parsed.data;
  if (!trustedSnsUrl(m.SigningCertURL, opts.trustedPrefix)) return null;
  const text = snsStringToSign(m);
  if (!text) return null;
  try {
    const pem = await certificate(m.SigningCertURL, opts.timeoutMs ?? 10_000);
    const algo = m.SignatureVersion === "1" ? "RSA-SHA1" : "RSA-SHA256";
    return crypto.createVerify(algo).update(text).verify(pem, m.Signature, "base64") ? m : null;
  } catch {
    return null;
  }
}
