/**
 * The API context's door (issue 16): who may call the public API and how often. Partner and B2B
 * clients, API keys (shown once, stored hashed, `sd_live_` prefix, scoped, expiring, rotated with
 * overlap, last-used time, per-key hourly limit), OAuth 2.0 client credentials issuing short-lived
 * ES256 JWTs (JWKS published, keys rotated), the hourly counts in PostgreSQL (shared by every app
 * process), audit entries for creating calls, and Idempotency-Key claims.
 *
 * Owns (tables): api_clients, api_keys, api_rate_windows (unlogged), api_signing_keys,
 * api_idempotency (migrations 0800–0829). Each call's log line names its client and key.
 * Interfaces: `authenticateApiRequest(req, { scope })` for every API surface (REST /api/v1 and
 * GraphQL); audit through the audit context's `appendAudit`.
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import * as auth from "./auth.ts";
import * as keys from "./keys.ts";
import * as tokens from "./tokens.ts";
import * as idem from "./idempotency.ts";
import { type ApiScope, B2B_SCOPES } from "./scopes.ts";

export { ApiAuthError, OAuthError, rateHeaders } from "./auth.ts";
export type { ApiPrincipal, RateLimitState } from "./auth.ts";
export { API_ACTIONS, API_RESOURCES, API_SCOPES, B2B_SCOPES, grants, isScope } from "./scopes.ts";
export type { ApiAction, ApiResource, ApiScope } from "./scopes.ts";
export {
  DEFAULT_RATE_LIMIT,
  DEFAULT_ROTATION_OVERLAP_HOURS,
  KEY_PREFIX,
  SECRET_PREFIX,
} from "./keys.ts";
export type { Actor, ApiClient, ApiKeyRow, ClientInput, KeyInput } from "./keys.ts";
export { TOKEN_TTL_SECONDS } from "./tokens.ts";
export type { Claim } from "./idempotency.ts";
export { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";

export interface ApiDeps {
  sql: Sql;
  keyring: Keyring;
  clock: { now(): Date };
  /** Our public origin (JWT issuer); the audience is `${origin}/api`. */
  origin: string;
}

export function createApi(deps: ApiDeps) {
  const { sql, keyring, clock } = deps;
  const now = () => clock.now();
  const authDeps: auth.AuthDeps = {
    sql,
    keyring,
    clock,
    issuer: deps.origin,
    audience: `${deps.origin}/api`,
  };
  return {
    issuer: authDeps.issuer,
    audience: authDeps.audience,
    /**
     * Authenticates an API request (Bearer API key or access token), checks `scope`, counts the
     * call against the caller's hourly limit. Throws ApiAuthError (401/403/429, with headers).
     */
    authenticateApiRequest: (req: Request, opts: { scope: ApiScope }) =>
      auth.authenticate(authDeps, req, opts),
    /** OAuth 2.0 client credentials grant; throws OAuthError. */
    clientCredentialsToken: (input: {
      clientId: string;
      clientSecret: string;
      scope: string | null;
    }) => auth.clientCredentialsToken(authDeps, input),
    /** The JSON Web Key Set that verifies our access tokens. */
    jwks: () => tokens.jwks(sql, now()),
    /** A new signing key now (the old one stays published for a token lifetime). */
    rotateSigningKey: () => tokens.rotateSigningKey(sql, keyring, now()),
    // ---- clients and keys (back office; a B2B account's admin for its own) ----
    createClient: (input: keys.ClientInput, actor: keys.Actor) =>
      keys.createClient(sql, input, actor, now()),
    listClients: (filter: { b2bAccountId?: number } = {}) => keys.listClients(sql, filter),
    client: (id: number) => keys.getClient(sql, id),
    setClientDisabled: (id: number, disabled: boolean, actor: keys.Actor) =>
      keys.setClientDisabled(sql, id, disabled, actor, now()),
    issueClientSecret: (clientId: number, actor: keys.Actor) =>
      keys.issueClientSecret(sql, clientId, actor, now()),
    listKeys: (clientId: number) => keys.listKeys(sql, clientId),
    createKey: (clientId: number, input: keys.KeyInput, actor: keys.Actor) =>
      keys.createKey(sql, clientId, input, actor, now()),
    revokeKey: (keyId: number, actor: keys.Actor, clientId?: number) =>
      keys.revokeKey(sql, keyId, actor, now(), clientId),
    rotateKey: (
      keyId: number,
      actor: keys.Actor,
      opts: { overlapHours?: number; clientId?: number } = {},
    ) =>
      keys.rotateKey(
        sql,
        keyId,
        opts.overlapHours ?? keys.DEFAULT_ROTATION_OVERLAP_HOURS,
        actor,
        now(),
        opts.clientId,
      ),
    /** A B2B account's own client (made on first use, named after the account). */
    async accountClient(accountId: number, company: string, actor: keys.Actor) {
      const [found] = await keys.listClients(sql, { b2bAccountId: accountId });
      if (found) return found;
      return await keys.createClient(
        sql,
        {
          name: `${company} (B2B)`.slice(0, 120),
          kind: "b2b",
          b2bAccountId: accountId,
          scopes: [...B2B_SCOPES],
        },
        actor,
        now(),
      );
    },
    /** An audit entry for a creating or changing call, attributed to the key or client. */
    auditCall: (
      p: auth.ApiPrincipal,
      e: { action: string; entity: string; entityId?: string | number | null; data?: unknown },
    ) =>
      appendAudit(sql, {
        actorId: p.createdBy,
        action: e.action,
        entity: e.entity,
        entityId: e.entityId ?? null,
        data: { ...(e.data as object ?? {}), via: p.actorLabel, client: p.clientName },
        at: now(),
      }),
    /** Calls of a client (all its keys and tokens) in the last hours (the usage column). */
    async usage(clientId: number, hours = 24) {
      const since = new Date(Math.floor(now().getTime() / 3_600_000 - hours + 1) * 3_600_000);
      const [r] = await sql`
        select coalesce(sum(w.count), 0)::int as n from api_rate_windows w
        where w.window_start >= ${since} and (w.subject = ${"client:" + clientId}
          or w.subject in (select 'key:' || id from api_keys where client_id = ${clientId}))`;
      return { calls: r.n as number };
    },
    // ---- Idempotency-Key ----
    claimIdempotency: (clientId: number, key: string, body: unknown) =>
      idem.claim(sql, clientId, key, body, now()),
    completeIdempotency: (clientId: number, key: string, status: number, body: unknown) =>
      idem.complete(sql, clientId, key, status, body),
    releaseIdempotency: (clientId: number, key: string) => idem.release(sql, clientId, key),
  };
}

export type Api = ReturnType<typeof createApi>;
export { type ApiMessages, apiMessages } from "./messages.ts";
export { dhakaInstant, isDate } from "@/services/platform/dhaka.ts";
export { z } from "@/services/platform/schema.ts";
