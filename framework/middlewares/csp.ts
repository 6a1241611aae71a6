/**
 * `csp({ hsts })`: the security headers on every response that passes through it — a Content
 * Security Policy that allows only our own scripts and styles plus the inline ones carrying this
 * request's nonce (`ctx.nonce`, which pages put on every inline `<script>` and `<style>`), and
 * nosniff, frame denial, referrer and permissions policies; HSTS when the site is on HTTPS.
 * Put it early in the chain so that error pages and static files get the headers too.
 */
import { withHeaders } from "../headers.ts";
import type { Middleware } from "../types.ts";

export interface CspOptions {
  /** Send Strict-Transport-Security (only when the site is served over HTTPS). */
  hsts?: boolean;
}

const CSP_TAIL = `img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; ` +
  `worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; ` +
  `form-action 'self'; frame-ancestors 'none'`;

export function csp(opts: CspOptions = {}): Middleware {
  const hsts = opts.hsts ?? false;
  const apply = (headers: Headers, nonce: string) => {
    headers.set(
      "content-security-policy",
      `default-src 'self'; script-src 'self' 'nonce-${nonce}'; ` +
        `style-src 'self' 'nonce-${nonce}'; ${CSP_TAIL}`,
    );
    if (hsts) headers.set("strict-transport-security", "max-age=63072000; includeSubDomains");
    headers.set("x-content-type-options", "nosniff");
    headers.set("x-frame-options", "DENY");
    headers.set("referrer-policy", "strict-origin-when-cross-origin");
    headers.set("cross-origin-opener-policy", "same-origin");
    headers.set("permissions-policy", "camera=(), microphone=(), geolocation=(self), payment=()");
  };
  return async (ctx) => {
    const res = await ctx.next();
    return withHeaders(res, (h) => apply(h, ctx.nonce));
  };
}
