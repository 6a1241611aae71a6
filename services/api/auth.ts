/**
 * Who is calling: `authenticate(req, { scope })` takes the `Authorization: Bearer …` header (an
 * API key `sd_live_…` or an OAuth access token), refuses unknown, revoked, expired and disabled
 * callers (401) and missing scopes (403), counts the call in its hour (PostgreSQL, so every app
 * process shares the count) and refuses past the limit (429 + Retry-After). The caller and the
 * rate-limit headers come back for the response; the request's log line names the caller.
 */
import type { Sql } from "@/services/platform/db.ts";
import { annotateLogContext } from "@/services/platform/log.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { looksLikeKey, sha256Hex } from "./keys.ts";
import { type ApiScope, grants } from "./scopes.ts";
import { signAccessToken, TokenError, verifyAccessToken } from "./tokens.ts";

/** Who made an authenticated call. */
export interface ApiPrincipal {
  clientId: number;
  clientName: string;
  /** The key used (null for an OAuth token). */
  keyId: number | null;
  keyPrefix: string | null;
  kind: "partner" | "b2b";
  /** For a B2B account's client: the only account whose data it may see. */
  b2bAccountId: number | null;
  scopes: string[];
  /** For audit entries: "api:key:12" or "api:client:3". */
  actorLabel: string;
  /** The user who created the key or client (orders placed by a B2B key are theirs). */
  createdBy: string | null;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  reset: number;
}

/** An authentication or authorisation refusal, with its status, problem type and headers. */
export class ApiAuthError extends Error {
  constructor(
    readonly status: 401 | 403 | 429,
    readonly code: "invalid_token" | "insufficient_scope" | "rate_limited",
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiAuthError";
  }
}

export interface AuthDeps {
  sql: Sql;
  keyring: Keyring;
  clock: { now(): Date };
  /** JWT iss and aud (our public origin and its API). */
  issuer: string;
  audience: string;
}

const HOUR = 3_600_000;

export function rateHeaders(r: RateLimitState): Record<string, string> {
  return {
    "RateLimit-Limit": String(r.limit),
    "RateLimit-Remaining": String(r.remaining),
    "RateLimit-Reset": String(r.reset),
    "RateLimit-Policy": `${r.limit};w=3600`,
  };
}

function bearer(req: Request): string | null {
  const h = req.headers.get("authorization");
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : "";
}

function unauthorized(message: string): ApiAuthError {
  return new ApiAuthError(401, "invalid_token", message, {
    "WWW-Authenticate": `Bearer realm="api", error="invalid_token"`,
  });
}

/** The hour window a call is counted in. */
function callInfo(now: Date) {
  const start = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  const reset = Math.max(1, Math.ceil((start.getTime() + HOUR - now.getTime()) / 1000));
  return {
    start,
    reset,
    minuteAgo: new Date(now.getTime() - 60_000),
  };
}

export async function authenticate(
  d: AuthDeps,
  req: Request,
  opts: { scope: ApiScope },
): Promise<{ principal: ApiPrincipal; rate: RateLimitState; headers: Record<string, string> }> {
  const token = bearer(req);
  if (token === null) {
    throw new ApiAuthError(401, "invalid_token", "An API key or access token is required", {
      "WWW-Authenticate": `Bearer realm="api"`,
    });
  }
  const now = d.clock.now();
  let principal: ApiPrincipal;
  let limit: number;
  const call = callInfo(now);
  let count: number;
  if (looksLikeKey(token)) {
    // One round trip: the key, and when it may call, its count in this hour and its last-used time (at most once a minute, so a busy key does not rewrite its row on
    // every call). Refused keys and missing scopes are not counted.
    const [k] = await d.sql`
      with k as (
        select k.id, k.prefix, k.scopes, k.rate_limit_per_hour, k.expires_at, k.revoked_at,
          k.created_by, c.id as client_id, c.name as client_name, c.kind, c.b2b_account_id,
          c.disabled_at,
          (k.revoked_at is null and (k.expires_at is null or k.expires_at > ${now})
            and c.disabled_at is null and ${opts.scope} = any(k.scopes)) as ok
        from api_keys k join api_clients c on c.id = k.client_id
        where k.hash = ${await sha256Hex(token)}
      ), w as (
        insert into api_rate_windows as r (subject, window_start, count)
        select 'key:' || id, ${call.start}, 1 from k where ok
        on conflict (subject, window_start) do update set count = r.count + 1
        returning r.count
      ), u as (
        update api_keys set last_used_at = ${now}
        where id = (select id from k where ok)
          and (last_used_at is null or last_used_at < ${call.minuteAgo})
      )
      select k.*, (select count from w) as count from k`;
    if (!k) throw unauthorized("Unknown API key");
    if (k.revoked_at) throw unauthorized("This API key was revoked");
    if (k.expires_at && k.expires_at.getTime() <= now.getTime()) {
      throw unauthorized("This API key has expired");
    }
    if (k.disabled_at) throw unauthorized("This API client is disabled");
    principal = {
      clientId: Number(k.client_id),
      clientName: k.client_name,
      keyId: Number(k.id),
      keyPrefix: k.prefix,
      kind: k.kind,
      b2bAccountId: k.b2b_account_id === null ? null : Number(k.b2b_account_id),
      scopes: k.scopes,
      actorLabel: `api:key:${k.id}`,
      createdBy: k.created_by,
    };
    limit = k.rate_limit_per_hour;
    count = k.count === null ? 0 : Number(k.count);
  } else if (token.split(".").length === 3) {
    let claims;
    try {
      claims = await verifyAccessToken(d.sql, token, {
        issuer: d.issuer,
        audience: d.audience,
        now,
      });
    } catch (e) {
      if (e instanceof TokenError) throw unauthorized(e.message);
      throw e;
    }
    const [c] = await d.sql`select * from api_clients where id = ${claims.clientId}`;
    if (!c || c.disabled_at) throw unauthorized("This API client is disabled");
    principal = {
      clientId: Number(c.id),
      clientName: c.name,
      keyId: null,
      keyPrefix: null,
      kind: c.kind,
      b2bAccountId: c.b2b_account_id === null ? null : Number(c.b2b_account_id),
      // A token keeps only the scopes its client still has.
      scopes: claims.scopes.filter((s) => c.scopes.includes(s)),
      actorLabel: `api:client:${c.id}`,
      createdBy: c.created_by,
    };
    limit = c.rate_limit_per_hour;
    count = 0;
    if (grants(principal.scopes, opts.scope)) {
      const [w] = await d.sql`
        with w as (
          insert into api_rate_windows as r (subject, window_start, count)
          values (${"client:" + c.id}, ${call.start}, 1)
          on conflict (subject, window_start) do update set count = r.count + 1
          returning r.count
        )
        select count from w`;
      count = Number(w.count);
    }
  } else {
    throw unauthorized("Unknown API key");
  }
  if (!grants(principal.scopes, opts.scope)) {
    throw new ApiAuthError(403, "insufficient_scope", `This call needs the scope ${opts.scope}`, {
      "WWW-Authenticate": `Bearer realm="api", error="insufficient_scope", scope="${opts.scope}"`,
    });
  }
  // Every call's log line names its caller (services/platform/log.ts request context).
  annotateLogContext({
    apiClient: principal.clientId,
    ...(principal.keyPrefix !== null ? { apiKey: principal.keyPrefix } : {}),
  });
  const rate: RateLimitState = {
    limit,
    remaining: Math.max(0, limit - count),
    reset: call.reset,
  };
  const headers = rateHeaders(rate);
  if (count > limit) {
    throw new ApiAuthError(
      429,
      "rate_limited",
      `More than ${limit} requests this hour; try again in ${rate.reset} seconds`,
      { ...headers, "Retry-After": String(rate.reset) },
    );
  }
  return { principal, rate, headers };
}
/** OAuth 2.0 client credentials (RFC 6749 §4.4) errors, answered as RFC 6749 §5.2 JSON. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error:
      | "invalid_request"
      | "invalid_client"
      | "invalid_scope"
      | "unsupported_grant_type",
    message: string,
  ) {
    super(message);
    this.name = "OAuthError";
  }
}

/** Checks the client's id and secret and issues a token for the asked scopes (default: all). */
export async function clientCredentialsToken(
  d: AuthDeps,
  input: { clientId: string; clientSecret: string; scope: string | null },
): Promise<{ access_token: string; token_type: "Bearer"; expires_in: number; scope: string }> {
  const [c] = await d.sql`
    select id, scopes, oauth_secret_hash, disabled_at from api_clients
    where oauth_client_id = ${input.clientId.slice(0, 100)}`;
  const hash = await sha256Hex(input.clientSecret);
  if (!c || !c.oauth_secret_hash || c.disabled_at || !timingSafeEqual(hash, c.oauth_secret_hash)) {
    throw new OAuthError(401, "invalid_client", "Unknown client or wrong secret");
  }
  const asked = input.scope === null ? c.scopes : input.scope.split(" ").filter(Boolean);
  const refused = asked.filter((s: string) => !c.scopes.includes(s));
  if (refused.length || asked.length === 0) {
    throw new OAuthError(
      400,
      "invalid_scope",
      `Not granted: ${refused.join(" ") || "(none asked)"}`,
    );
  }
  const { token, expiresIn } = await signAccessToken(d.sql, d.keyring, {
    issuer: d.issuer,
    audience: d.audience,
    now: d.clock.now(),
  }, { clientId: Number(c.id), scopes: asked });
  return {
    access_token: token,
    token_type: "Bearer",
    expires_in: expiresIn,
    scope: asked.join(" "),
  };
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
