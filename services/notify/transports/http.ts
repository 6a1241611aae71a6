/** What the HTTP transports share: a fetch with a deadline, and errors that say who failed. */
import { PermanentError } from "../outbox.ts";

export class ProviderError extends Error {
  constructor(provider: string, message: string) {
    super(`${provider}: ${message}`);
    this.name = "ProviderError";
  }
}

export async function call(
  provider: string,
  url: string,
  init: RequestInit & { timeoutMs?: number },
): Promise<{ status: number; json: Record<string, any>; text: string }> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), init.timeoutMs ?? 10_000);
  try {
    const res = await fetch(url, { ...init, signal: ac.signal });
    const text = await res.text();
    let json: Record<string, any> = {};
    try {
      const v = JSON.parse(text);
      if (v && typeof v === "object") json = v;
    } catch { /* not JSON */ }
    return { status: res.status, json, text };
  } catch (e) {
    if (ac.signal.aborted) {
      throw new ProviderError(provider, `no answer within ${init.timeoutMs ?? 10_000} ms`);
    }
    throw new ProviderError(provider, `unreachable (${(e as Error).message})`);
  } finally {
    clearTimeout(timer);
  }
}

/** +8801712345678 → 8801712345678 (what the Bangladeshi gateways and Meta take). */
export const digits = (e164: string) => e164.replace(/^\+/, "");

export { PermanentError };

/** Constant-time comparison of two strings (secrets, signatures). */
export function safeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  if (x.length !== y.length) return false;
  let d = 0;
  for (let i = 0; i < x.length; i++) d |= x[i] ^ y[i];
  return d === 0;
}

export async function hmac(
  hash: "SHA-1" | "SHA-256",
  key: string,
  data: string | Uint8Array,
): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(key),
    { name: "HMAC", hash },
    false,
    ["sign"],
  );
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, bytes as BufferSource));
}

export const hex = (b: Uint8Array) =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
export const base64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
