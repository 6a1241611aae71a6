/** The per-request CSP nonce (every inline script and style carries it; csp() announces it). */

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
