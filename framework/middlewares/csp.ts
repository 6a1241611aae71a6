/**
 * `csp({ hsts })`: the security headers on every response that passes through it — a Content
 * Security Policy that allows only our own scripts and styles plus the inline ones of the page
 * being answered, by their SHA-256 hashes (`ctx.inlineHashes`, computed when the page was rendered,
 * so a cached page's bytes and policy are the same for everyone), and nosniff, frame denial,
 * referrer and permissions policies; HSTS when the site is on HTTPS. Put it early in the chain so
 * that error pages and static files get the headers too.
 */
import { withHeaders } from "../headers.ts";
import type { InlineHashes, Middleware } from "../types.ts";

export interface CspOptions {
  /** Send Strict-Transport-Security (only when the site is served over HTTPS). */
  hsts?: boolean;
}

const CSP_TAIL = `img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; ` +
  `worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; ` +
  `form-action 'self'; frame-ancestors 'none'`;

const NO_INLINE = `default-src 'self'; script-src 'self'; style-src 'self'; ${CSP_TAIL}`;

/** The policy of each page's hashes, made once per page render (cached pages share theirs). */
const policies = new WeakMap<InlineHashes, string>();

/** The Content-Security-Policy value allowing these inline scripts and styles (none: null). */
export function cspPolicy(hashes: InlineHashes | null): string {
  if (!hashes) return NO_INLINE;
  let policy = policies.get(hashes);
  if (!policy) {
    const src = (list: string) => (list ? `'self' ${list}` : "'self'");
    const scripts = [hashes.nonce ? `'nonce-${hashes.nonce}'` : "", hashes.script]
      .filter(Boolean).join(" ");
    policy = `default-src 'self'; script-src ${src(scripts)}; ` +
      `style-src ${src(hashes.style)}; ${CSP_TAIL}`;
    policies.set(hashes, policy);
  }
  return policy;
}

export function csp(opts: CspOptions = {}): Middleware {
  const hsts = opts.hsts ?? false;
  return async (ctx) => {
    const res = await ctx.next();
    return withHeaders(res, (headers) => securityHeaders(headers, ctx.inlineHashes, hsts));
  };
}

/** The headers csp() sets, for answers made before the chain (the shared-page fast path). */
export function securityHeaders(headers: Headers, hashes: InlineHashes | null, hsts: boolean) {
  headers.set("content-security-policy", cspPolicy(hashes));
  if (hsts) headers.set("strict-transport-security", "max-age=63072000; includeSubDomains");
  headers.set("x-content-type-options", "nosniff");
  headers.set("x-frame-options", "DENY");
  headers.set("referrer-policy", "strict-origin-when-cross-origin");
  headers.set("cross-origin-opener-policy", "same-origin");
  headers.set("permissions-policy", "camera=(), microphone=(), geolocation=(self), payment=()");
}
