/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the receiver gets
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64>`, where the
 * signature is HMAC-SHA256 over `${id}.${timestamp}.${body}` keyed with the secret's bytes (the
 * base64 after `whsec_`). Several space-separated signatures may come while a secret rotates.
 */
import { decodeBase64, encodeBase64 } from "./base64.ts";

const enc = new TextEncoder();

/** A new signing secret: whsec_ and 32 random bytes in base64. */
export function newSecret(): string {
  return `whsec_${encodeBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

function keyBytes(secret: string): Uint8Array<ArrayBuffer> {
  if (!secret.startsWith("whsec_")) throw new Error("A webhook secret starts with whsec_");
  return decodeBase64(secret.slice("whsec_".length));
}

const keys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let k = keys.get(secret);
  if (!k) {
    if (keys.size > 1000) keys.clear();
    k = crypto.subtle.importKey("raw", keyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    keys.set(secret, k);
  }
  return k;
}

/** The `v1,<base64>` signature of one message. */
export async function sign(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    await hmacKey(secret),
    enc.encode(`${id}.${timestamp}.${body}`),
  );
  return `v1,${encodeBase64(new Uint8Array(mac))}`;
}

/** The three headers a delivery carries. */
export async function signedHeaders(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): Promise<Record<string, string>> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": await sign(secret, id, timestamp, body),
  };
}

/**
 * The receiver's check (docs/api.md shows the same code for partners): one of the signatures
 * matches, and the timestamp is within `toleranceSeconds` of now (replays are refused).
 */
export async function verify(
  secret: string,
  headers: Headers,
  body: string,
  opts: { now: Date; toleranceSeconds?: number },
): Promise<boolean> {
  const id = headers.get("webhook-id");
  const ts = Number(headers.get("webhook-timestamp"));
  const given = headers.get("webhook-signature");
  if (!id || !Number.isInteger(ts) || !given) return false;
  if (Math.abs(opts.now.getTime() / 1000 - ts) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = await sign(secret, id, ts, body);
  return given.split(" ").some((s) => timingSafeEqual(s, expected));
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}
