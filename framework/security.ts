/** Security headers for every response, with the request's CSP nonce. */

// Nonces come from a pool of random bytes refilled 4 KiB at a time: one getRandomValues call
// per 256 requests instead of one per request (this is on every request's path).
const pool = new Uint8Array(4096);
let poolAt = pool.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** 128 random bits as 32 hex characters. */
export function makeNonce(): string {
  if (poolAt + 16 > pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  let s = "";
  for (let i = poolAt; i < poolAt + 16; i++) s += HEX[pool[i]];
  poolAt += 16;
  return s;
}

const CSP_TAIL = `img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; ` +
  `worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; ` +
  `form-action 'self'; frame-ancestors 'none'`;

export function securityHeaders(headers: Headers, nonce: string, opts: { hsts: boolean }) {
  headers.set(
    "content-security-policy",
    `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'; ` +
      CSP_TAIL,
  );
  if (opts.hsts) {
    headers.set("strict-transport-security", "max-age=63072000; includeSubDomains");
  }
  headers.set("x-content-type-options", "nosniff");
  headers.set("x-frame-options", "DENY");
  headers.set("referrer-policy", "strict-origin-when-cross-origin");
  headers.set("cross-origin-opener-policy", "same-origin");
  headers.set("permissions-policy", "camera=(), microphone=(), geolocation=(self), payment=()");
}
