/**
 * `csrf({ secret, secure, hasSession, allowedOrigins, exempt })`: CSRF protection for every unsafe
 * method, before any route middleware or handler runs (otherwise 403):
 * - every request must not come from another site: a foreign `Origin` (or "null"), or a
 *   `Sec-Fetch-Site` other than same-origin, is refused;
 * - a request with a session (`hasSession`: signed in or signing in) must also carry a token (a
 *   `_csrf` form field or an `x-csrf-token` header) that is an HMAC of the visitor's CSRF cookie;
 * - an anonymous request needs no token (the pages it comes from are cached and shared, so they
 *   carry none) but must prove where it comes from: a same-origin `Origin` or
 *   `Sec-Fetch-Site: same-origin`, which every current browser sends on a form post.
 * A form body is parsed once here and handed on as `ctx.form` (a body that is not a form reads as
 * an empty form). The middleware also gives pages `ctx.csrfToken()`: for a session, the token
 * (the cookie is set lazily, the first time a page asks, so pages without forms set none); for
 * anonymous visitors "". Put it after bodyLimit(), so that the form is read through the limit.
 */
import { getCookies, setCookie } from "../cookies.ts";
import { HttpError } from "../http_error.ts";
import type { Middleware } from "../types.ts";

export interface CsrfOptions {
  /** Secret the tokens are derived from (at least 32 characters). */
  secret: string;
  /** The site is on HTTPS: the cookie gets Secure and the __Host- prefix. */
  secure: boolean;
  /** Whether the request carries a session (its session cookie): then the token is required. */
  hasSession: (req: Request) => boolean;
  /** Extra origins accepted for unsafe requests (e.g. the public URL behind a proxy). */
  allowedOrigins?: string[];
  /** Requests that authenticate otherwise (webhooks with their provider's signature). */
  exempt?: (url: URL, req: Request) => boolean;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function csrf(opts: CsrfOptions): Middleware {
  const guard = new Csrf(opts.secret, opts.secure);
  const origins = opts.allowedOrigins ?? [];
  return (ctx) => {
    const session = opts.hasSession(ctx.req);
    let token: Promise<string> | null = null;
    ctx.csrfToken = session
      ? () => (token ??= guard.token(ctx.req, ctx.responseHeaders))
      : anonymousToken;
    if (!UNSAFE.has(ctx.req.method) || opts.exempt?.(ctx.url, ctx.req)) return ctx.next();
    return guard.check(ctx.req, origins, session).then((form) => {
      // A body that is not a form (JSON, text) reads as an empty form, not as null: handlers
      // that read fields then answer 422, never a TypeError.
      ctx.form = form ?? new FormData();
      return ctx.next();
    });
  };
}

/** Anonymous visitors' forms carry no token (their requests are checked by origin alone). */
const anonymousToken = () => Promise.resolve("");
const CROSS_SITE = "Cross-site request refused";

const enc = new TextEncoder();
const b64url = (b: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");

export class Csrf {
  #key: Promise<CryptoKey>;
  readonly cookieName: string;
  constructor(secret: string, readonly secure: boolean) {
    this.#key = crypto.subtle.importKey(
      "raw",
      enc.encode("csrf:" + secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    this.cookieName = secure ? "__Host-sd_csrf" : "sd_csrf";
  }

  async tokenFor(cookieValue: string): Promise<string> {
    return b64url(await crypto.subtle.sign("HMAC", await this.#key, enc.encode(cookieValue)));
  }

  /** The token for this visitor, creating the cookie (on `responseHeaders`) when there is none. */
  token(req: Request, responseHeaders: Headers): Promise<string> {
    let value = getCookies(req)[this.cookieName];
    if (!value || value.length < 20) {
      value = b64url(crypto.getRandomValues(new Uint8Array(24)));
      setCookie(responseHeaders, this.cookieName, value, {
        httpOnly: true,
        secure: this.secure,
        sameSite: "Lax",
        maxAge: 60 * 60 * 24 * 7,
      });
      // Later calls in the same request see the new cookie.
      const cookie = req.headers.get("cookie");
      try {
        req.headers.set("cookie", `${cookie ? cookie + "; " : ""}${this.cookieName}=${value}`);
      } catch { /* immutable headers: the token is still right for the new cookie */ }
    }
    return this.tokenFor(value);
  }

  /**
   * Checks an unsafe request; returns the parsed form when the body was a form.
   * `allowedOrigins` are extra origins accepted besides the request's own host; `session`: the
   * request carries a session, so it needs the token (else it needs proof of its origin).
   */
  async check(
    req: Request,
    allowedOrigins: string[],
    session: boolean,
  ): Promise<FormData | null> {
    const origin = req.headers.get("origin");
    const site = req.headers.get("sec-fetch-site");
    if (origin === "null" || (site && site !== "same-origin" && site !== "none")) {
      throw new HttpError(403, CROSS_SITE);
    }
    if (origin) {
      let ok = allowedOrigins.includes(origin);
      try {
        const from = new URL(origin).host;
        ok ||= from === req.headers.get("host") || from === new URL(req.url).host;
      } catch { /* malformed origin: refused below */ }
      if (!ok) throw new HttpError(403, CROSS_SITE);
    } else if (!session && !site) {
      // Anonymous, and nothing says where it comes from: no token can vouch for it either.
      throw new HttpError(403, CROSS_SITE);
    }
    const type = req.headers.get("content-type") ?? "";
    let form: FormData | null = null;
    let token: string | null = req.headers.get("x-csrf-token");
    if (
      type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")
    ) {
      try {
        form = await req.formData();
      } catch {
        throw new HttpError(400, "The form could not be read");
      }
      token ??= form.get("_csrf")?.toString() ?? null;
    }
    if (!session) return form;
    const cookie = getCookies(req)[this.cookieName];
    if (!cookie || !token || token !== await this.tokenFor(cookie)) {
      throw new HttpError(403, "This form has expired. Please reload the page and try again.");
    }
    return form;
  }
}
