/**
 * OAuth 2.0 client credentials: short-lived JWTs (ES256, npm `jose`). The newest signing key signs;
 * keys rotate after SIGNING_KEY_DAYS and a retired key stays in the JWKS for one token lifetime
 * more, so tokens it signed still verify until they expire. Private halves are stored encrypted
 * with the field keyring; every process reads the same keys from the database.
 */
import * as jose from "jose";
import type { Sql } from "@/services/platform/db.ts";
import { decryptField, encryptField, type Keyring } from "@/services/crypto/field_crypto.ts";
import { randomToken } from "./keys.ts";

export const TOKEN_TTL_SECONDS = 900;
export const SIGNING_KEY_DAYS = 30;
const ALG = "ES256";

export interface SigningKey {
  kid: string;
  publicJwk: jose.JWK;
  createdAt: Date;
  retiredAt: Date | null;
}

/** The keys the JWKS publishes: active ones and those retired less than a token lifetime ago. */
export async function publishedKeys(sql: Sql, now: Date): Promise<SigningKey[]> {
  const since = new Date(now.getTime() - TOKEN_TTL_SECONDS * 1000 - 60_000);
  const rows = await sql`
    select kid, public_jwk, created_at, retired_at from api_signing_keys
    where retired_at is null or retired_at > ${since} order by created_at desc`;
  return rows.map((r) => ({
    kid: r.kid,
    publicJwk: r.public_jwk,
    createdAt: r.created_at,
    retiredAt: r.retired_at,
  }));
}

export async function jwks(sql: Sql, now: Date): Promise<{ keys: jose.JWK[] }> {
  return { keys: (await publishedKeys(sql, now)).map((k) => k.publicJwk) };
}

/** Makes a new signing key and retires the others (they stay published for a token lifetime). */
export async function rotateSigningKey(sql: Sql, keyring: Keyring, now: Date): Promise<string> {
  const { publicKey, privateKey } = await jose.generateKeyPair(ALG, { extractable: true });
  const kid = `${now.toISOString().slice(0, 10)}-${randomToken(8)}`;
  const pub = { ...(await jose.exportJWK(publicKey)), kid, alg: ALG, use: "sig" };
  const priv = JSON.stringify(await jose.exportJWK(privateKey));
  const enc = await encryptField(keyring, priv, `api_signing_keys.${kid}`);
  await sql.begin(async (tx) => {
    await tx`update api_signing_keys set retired_at = ${now} where retired_at is null`;
    await tx`insert into api_signing_keys (kid, public_jwk, private_jwk_enc, created_at)
      values (${kid}, ${tx.json(pub as never)}, ${enc}, ${now})`;
  });
  return kid;
}

const privateCache = new Map<string, CryptoKey>(); // by kid: a kid's key never changes

/** The key that signs now, rotating when there is none or it is older than SIGNING_KEY_DAYS. */
async function currentSigner(
  sql: Sql,
  keyring: Keyring,
  now: Date,
): Promise<{ kid: string; key: CryptoKey }> {
  const [row] = await sql`
    select kid, private_jwk_enc, created_at from api_signing_keys
    where retired_at is null order by created_at desc limit 1`;
  if (!row || now.getTime() - row.created_at.getTime() > SIGNING_KEY_DAYS * 86_400_000) {
    await rotateSigningKey(sql, keyring, now);
    return currentSigner(sql, keyring, now);
  }
  let key = privateCache.get(row.kid);
  if (!key) {
    const jwk = JSON.parse(
      await decryptField(keyring, row.private_jwk_enc, `api_signing_keys.${row.kid}`),
    );
    key = await jose.importJWK(jwk, ALG) as unknown as CryptoKey;
    privateCache.set(row.kid, key);
  }
  return { kid: row.kid, key };
}

export interface TokenClaims {
  clientId: number;
  scopes: string[];
}

export async function signAccessToken(
  sql: Sql,
  keyring: Keyring,
  opts: { issuer: string; audience: string; now: Date },
  claims: TokenClaims,
): Promise<{ token: string; expiresIn: number }> {
  const { kid, key } = await currentSigner(sql, keyring, opts.now);
  const iat = Math.floor(opts.now.getTime() / 1000);
  const token = await new jose.SignJWT({ scope: claims.scopes.join(" ") })
    .setProtectedHeader({ alg: ALG, kid, typ: "at+jwt" })
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setSubject(`client:${claims.clientId}`)
    .setIssuedAt(iat)
    .setExpirationTime(iat + TOKEN_TTL_SECONDS)
    .setJti(randomToken(16))
    .sign(key);
  return { token, expiresIn: TOKEN_TTL_SECONDS };
}

/** Public keys by kid, re-read from the database at most every 30 s (or on an unknown kid). */
let publicCache: { at: number; keys: Map<string, CryptoKey> } | null = null;

async function publicKey(sql: Sql, kid: string, now: Date): Promise<CryptoKey | null> {
  const fresh = publicCache && Date.now() - publicCache.at < 30_000;
  if (!fresh || !publicCache!.keys.has(kid)) {
    const keys = new Map<string, CryptoKey>();
    for (const k of await publishedKeys(sql, now)) {
      keys.set(k.kid, await jose.importJWK(k.publicJwk, ALG) as unknown as CryptoKey);
    }
    publicCache = { at: Date.now(), keys };
  }
  return publicCache!.keys.get(kid) ?? null;
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenError";
  }
}

/** Verifies signature (a published key), issuer, audience and expiry against `now`. */
export async function verifyAccessToken(
  sql: Sql,
  token: string,
  opts: { issuer: string; audience: string; now: Date },
): Promise<TokenClaims> {
  let header: jose.ProtectedHeaderParameters;
  try {
    header = jose.decodeProtectedHeader(token);
  } catch {
    throw new TokenError("The token is not a JWT");
  }
  if (header.alg !== ALG || typeof header.kid !== "string") {
    throw new TokenError("The token is not signed by this API");
  }
  const key = await publicKey(sql, header.kid, opts.now);
  if (!key) throw new TokenError("The token is not signed by a published key");
  try {
    const { payload } = await jose.jwtVerify(token, key, {
      algorithms: [ALG],
      issuer: opts.issuer,
      audience: opts.audience,
      currentDate: opts.now,
      typ: "at+jwt",
    });
    const m = /^client:(\d+)$/.exec(payload.sub ?? "");
    if (!m) throw new TokenError("The token names no client");
    const scope = typeof payload.scope === "string" ? payload.scope : "";
    return { clientId: Number(m[1]), scopes: scope.split(" ").filter(Boolean) };
  } catch (e) {
    if (e instanceof TokenError) throw e;
    if (e instanceof jose.errors.JWTExpired) throw new TokenError("The token has expired");
    if (e instanceof jose.errors.JWTClaimValidationFailed) {
      throw new TokenError(`The token's ${e.claim} claim is not accepted here`);
    }
    throw new TokenError("The token's signature does not verify");
  }
}
