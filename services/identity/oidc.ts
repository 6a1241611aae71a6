/**
 * Sign in with Google or Facebook: OpenID Connect code flow through oauth4webapi, with state,
 * nonce and PKCE (S256). The flow's secrets wait in KV for 10 minutes under
 * ["oidc_flow", state] and are used once. The id_token's signature is checked against the
 * provider's JWKS, its issuer, audience, expiry and nonce by oauth4webapi.
 *
 * Linking (table social_identities, migration 0005): a known (provider, subject) is that account;
 * else a verified email links to the account with that email; else a new customer account is
 * made. An unverified email never links or creates anything.
 */
import * as oauth from "oauth4webapi";
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { generatePassword } from "./passwords.ts";
import { createUser, getUser, markSignedIn, type User } from "./users.ts";
import { normalizeEmail } from "./identifiers.ts";

export const SOCIAL_PROVIDERS = ["google", "facebook"] as const;
export type SocialProvider = typeof SOCIAL_PROVIDERS[number];

export interface SocialClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

const DEFAULT_ISSUERS: Record<SocialProvider, string> = {
  google: "https://accounts.google.com",
  facebook: "https://www.facebook.com",
};

/** The configured providers (client id and secret set), from OIDC_* settings. */
export function socialClients(
  config: Partial<Record<string, unknown>>,
): Partial<Record<SocialProvider, SocialClient>> {
  const out: Partial<Record<SocialProvider, SocialClient>> = {};
  for (const p of SOCIAL_PROVIDERS) {
    const up = p.toUpperCase();
    const id = config[`OIDC_${up}_CLIENT_ID`];
    const secret = config[`OIDC_${up}_CLIENT_SECRET`];
    if (typeof id === "string" && id && typeof secret === "string" && secret) {
      const issuer = config[`OIDC_${up}_ISSUER`];
      out[p] = {
        issuer: typeof issuer === "string" && issuer ? issuer : DEFAULT_ISSUERS[p],
        clientId: id,
        clientSecret: secret,
      };
    }
  }
  return out;
}

const FLOW_MS = 10 * 60_000;
const flowKey = (state: string) => ["oidc_flow", state] as const;

interface Flow {
  provider: SocialProvider;
  verifier: string;
  nonce: string;
  redirectUri: string;
  next: string;
  remember: boolean;
}

const servers = new Map<string, oauth.AuthorizationServer>();

async function discover(c: SocialClient): Promise<oauth.AuthorizationServer> {
  const hit = servers.get(c.issuer);
  if (hit) return hit;
  const issuer = new URL(c.issuer);
  const res = await oauth.discoveryRequest(issuer, {
    algorithm: "oidc",
    [oauth.allowInsecureRequests]: issuer.protocol === "http:",
    signal: AbortSignal.timeout(10_000),
  });
  const as = await oauth.processDiscoveryResponse(issuer, res);
  servers.set(c.issuer, as);
  return as;
}

/** Starts a sign-in: the provider's authorization URL (state, nonce and PKCE kept in KV). */
export async function startSocialSignIn(
  kv: Deno.Kv,
  provider: SocialProvider,
  c: SocialClient,
  input: { redirectUri: string; next: string; remember: boolean },
): Promise<string> {
  const as = await discover(c);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set("client_id", c.clientId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", "openid email profile");
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set("code_challenge_method", "S256");
  url.searchParams.set("state", state);
  url.searchParams.set("nonce", nonce);
  await kv.set(
    flowKey(state),
    { provider, verifier, nonce, ...input } satisfies Flow,
    { expireIn: FLOW_MS },
  );
  return url.href;
}

export type SocialFailure = {
  ok: false;
  reason: "expired" | "refused" | "invalid" | "unverified_email" | "disabled";
};

/**
 * Finishes a sign-in from the provider's redirect back (`callback` is the URL it came to):
 * checks state, exchanges the code with the PKCE verifier, validates the id_token (signature
 * by JWKS, issuer, audience, nonce), then finds, links or creates the account.
 */
export async function completeSocialSignIn(
  sql: Sql,
  kv: Deno.Kv,
  keyring: Keyring,
  provider: SocialProvider,
  c: SocialClient,
  input: { callback: URL; ip: string; now: Date; locale: "en" | "bn" },
): Promise<
  | { ok: true; user: User; created: boolean; next: string; remember: boolean }
  | SocialFailure
> {
  const state = input.callback.searchParams.get("state") ?? "";
  const e = state.length <= 200 ? await kv.get<Flow>(flowKey(state)) : null;
  const flow = e?.value;
  if (!e || !flow || flow.provider !== provider) return { ok: false, reason: "expired" };
  if (!(await kv.atomic().check(e).delete(flowKey(state)).commit()).ok) {
    return { ok: false, reason: "expired" };
  }
  const as = await discover(c);
  const client: oauth.Client = { client_id: c.clientId };
  const insecure = { [oauth.allowInsecureRequests]: new URL(c.issuer).protocol === "http:" };
  let claims: oauth.IDToken;
  try {
    const params = oauth.validateAuthResponse(as, client, input.callback, state);
    const res = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(c.clientSecret),
      params,
      flow.redirectUri,
      flow.verifier,
      { ...insecure, signal: AbortSignal.timeout(10_000) },
    );
    const result = await oauth.processAuthorizationCodeResponse(as, client, res, {
      expectedNonce: flow.nonce,
      requireIdToken: true,
    });
    await oauth.validateApplicationLevelSignature(as, res, insecure);
    claims = oauth.getValidatedIdTokenClaims(result)!;
  } catch (err) {
    if (err instanceof oauth.AuthorizationResponseError) return { ok: false, reason: "refused" };
    return { ok: false, reason: "invalid" };
  }
  const subject = String(claims.sub);
  const email = typeof claims.email === "string" ? normalizeEmail(claims.email) : null;
  const verified = claims.email_verified === true || claims.email_verified === "true";
  const [linked] = await sql`
    select user_id::text from social_identities where provider = ${provider}
      and subject = ${subject}`;
  let userId = linked?.user_id as string | undefined;
  let created = false;
  if (!userId) {
    if (!email || !verified) return { ok: false, reason: "unverified_email" };
    const [byEmail] = await sql`select id::text from users where email = ${email}`;
    userId = byEmail?.id as string | undefined;
    if (!userId) {
      const name = typeof claims.name === "string" && claims.name.trim()
        ? claims.name.trim().slice(0, 120)
        : email.split("@")[0];
      const u = await createUser(sql, keyring, {
        email,
        displayName: name,
        password: generatePassword(),
        locale: input.locale,
        roles: ["customer"],
      }, { now: input.now });
      userId = u.id;
      created = true;
    }
    await sql`
      insert into social_identities (provider, subject, user_id, email, created_at)
      values (${provider}, ${subject}, ${userId}, ${email}, ${input.now})
      on conflict (provider, subject) do nothing`;
  }
  const user = await getUser(sql, keyring, userId);
  if (!user || user.status !== "active") return { ok: false, reason: "disabled" };
  await sql.begin(async (tx) => {
    await tx`update social_identities set last_used_at = ${input.now}
             where provider = ${provider} and subject = ${subject}`;
    await markSignedIn(tx, user, input.ip, input.now);
  });
  return { ok: true, user, created, next: flow.next, remember: flow.remember };
}
