/**
 * The API context's callers: keys (hashed, scoped, revoked, expired, rotated with overlap), the
 * hourly limit with its headers, OAuth client credentials and JWT checks (wrong key, audience,
 * expiry).
 */
import { deepStrictEqual, equal, match, ok, rejects } from "node:assert/strict";
import * as jose from "jose";
import { withTestDb } from "@/tests/helpers/db.ts";
import { testClock, testKeyring } from "@/tests/helpers/app.ts";
import { ApiAuthError, createApi, OAuthError } from "@/services/api/mod.ts";

const staff = { id: null, name: "test" };
const ORIGIN = "https://dairy.test";

async function setup(db: { sql: import("@/services/platform/db.ts").Sql }, at: Date) {
  const clock = testClock(at);
  const keyring = await testKeyring();
  const api = createApi({ sql: db.sql, keyring, clock, origin: ORIGIN });
  const client = await api.createClient({
    name: "Courier Co",
    kind: "partner",
    scopes: ["catalog:read", "orders:read"],
    rateLimitPerHour: 3,
  }, staff);
  return { api, clock, client, keyring };
}

const get = (token: string) =>
  new Request("http://localhost/api/v1/products", {
    headers: { authorization: `Bearer ${token}` },
  });

async function refusal(p: Promise<unknown>): Promise<ApiAuthError> {
  try {
    await p;
  } catch (e) {
    ok(e instanceof ApiAuthError, String(e));
    return e;
  }
  throw new Error("not refused");
}

Deno.test("api keys: shown once, stored hashed, scoped, limited per hour with headers", async () => {
  await withTestDb(async (db) => {
    const { api, clock, client } = await setup(db, new Date("2026-12-07T04:10:00Z"));
    const { key, row } = await api.createKey(client.id, { name: "ERP" }, staff);
    match(key, /^sd_live_[0-9A-Za-z]{32}$/);
    ok(key.startsWith(row.prefix));
    const [stored] = await db.sql`select * from api_keys where id = ${row.id}`;
    ok(!JSON.stringify(stored).includes(key.slice(8)), "the key itself is not stored");

    const first = await api.authenticateApiRequest(get(key), { scope: "catalog:read" });
    equal(first.principal.clientId, client.id);
    equal(first.headers["RateLimit-Limit"], "3");
    equal(first.headers["RateLimit-Remaining"], "2");
    equal(first.headers["RateLimit-Reset"], String(50 * 60));
    ok((await api.listKeys(client.id))[0].lastUsedAt, "last-used time recorded");

    // Not granted: 403, and not counted.
    const denied = await refusal(api.authenticateApiRequest(get(key), { scope: "orders:write" }));
    equal(denied.status, 403);
    await api.authenticateApiRequest(get(key), { scope: "orders:read" });
    await api.authenticateApiRequest(get(key), { scope: "catalog:read" });
    const limited = await refusal(api.authenticateApiRequest(get(key), { scope: "catalog:read" }));
    equal(limited.status, 429);
    equal(limited.headers["Retry-After"], String(50 * 60));
    equal(limited.headers["RateLimit-Remaining"], "0");
    // The next hour starts a new count.
    clock.set(new Date("2026-12-07T05:00:01Z"));
    const next = await api.authenticateApiRequest(get(key), { scope: "catalog:read" });
    equal(next.headers["RateLimit-Remaining"], "2");

    // Unknown and malformed keys, no header.
    equal(
      (await refusal(api.authenticateApiRequest(get("sd_live_" + "x".repeat(32)), {
        scope: "catalog:read",
      }))).status,
      401,
    );
    equal(
      (await refusal(api.authenticateApiRequest(get("nonsense"), { scope: "catalog:read" })))
        .status,
      401,
    );
    const none = await refusal(api.authenticateApiRequest(
      new Request("http://localhost/api/v1/products"),
      { scope: "catalog:read" },
    ));
    equal(none.status, 401);
    match(none.headers["WWW-Authenticate"], /^Bearer/);
  });
});

Deno.test("api keys: revoked and expired keys are refused; rotation overlaps", async () => {
  await withTestDb(async (db) => {
    const { api, clock, client } = await setup(db, new Date("2026-12-07T04:10:00Z"));
    const a = await api.createKey(client.id, { name: "revoked" }, staff);
    await api.revokeKey(a.row.id, staff);
    const revoked = await refusal(
      api.authenticateApiRequest(get(a.key), { scope: "catalog:read" }),
    );
    equal(revoked.status, 401);
    match(revoked.message, /revoked/);

    const b = await api.createKey(client.id, {
      name: "short",
      expiresAt: new Date("2026-12-07T05:00:00Z"),
    }, staff);
    await api.authenticateApiRequest(get(b.key), { scope: "catalog:read" });
    clock.set(new Date("2026-12-07T05:00:00Z"));
    const expired = await refusal(
      api.authenticateApiRequest(get(b.key), { scope: "catalog:read" }),
    );
    equal(expired.status, 401);
    match(expired.message, /expired/);

    const c = await api.createKey(client.id, { name: "rotating", scopes: ["catalog:read"] }, staff);
    const r = await api.rotateKey(c.row.id, staff, { overlapHours: 2 });
    deepStrictEqual(r.row.scopes, ["catalog:read"]);
    equal(r.old.rotatedTo, r.row.id);
    // Both work during the overlap; only the new one after it.
    await api.authenticateApiRequest(get(c.key), { scope: "catalog:read" });
    await api.authenticateApiRequest(get(r.key), { scope: "catalog:read" });
    clock.set(new Date("2026-12-07T07:00:01Z"));
    equal(
      (await refusal(api.authenticateApiRequest(get(c.key), { scope: "catalog:read" })))
        .status,
      401,
    );
    await api.authenticateApiRequest(get(r.key), { scope: "catalog:read" });

    // A key may only narrow its client's scopes.
    await rejects(
      api.createKey(client.id, { name: "wide", scopes: ["farm:write"] }, staff),
      /may not grant/,
    );
  });
});

Deno.test("oauth: client credentials give a short-lived JWT; wrong key, audience, expiry refused", async () => {
  await withTestDb(async (db) => {
    const { api, clock, client } = await setup(db, new Date("2026-12-07T04:10:00Z"));
    const { clientId, clientSecret } = await api.issueClientSecret(client.id, staff);
    await rejects(
      api.clientCredentialsToken({ clientId, clientSecret: clientSecret + "x", scope: null }),
      (e) => e instanceof OAuthError && e.error === "invalid_client",
    );
    await rejects(
      api.clientCredentialsToken({ clientId, clientSecret, scope: "farm:write" }),
      (e) => e instanceof OAuthError && e.error === "invalid_scope",
    );
    const t = await api.clientCredentialsToken({ clientId, clientSecret, scope: "catalog:read" });
    equal(t.token_type, "Bearer");
    equal(t.expires_in, 900);
    const ok1 = await api.authenticateApiRequest(get(t.access_token), { scope: "catalog:read" });
    equal(ok1.principal.clientId, client.id);
    equal(ok1.principal.keyId, null);
    // The token carries only what was asked.
    equal(
      (await refusal(api.authenticateApiRequest(get(t.access_token), { scope: "orders:read" })))
        .status,
      403,
    );

    // The JWKS verifies it.
    const jwks = jose.createLocalJWKSet(await api.jwks());
    const { payload } = await jose.jwtVerify(t.access_token, jwks, {
      issuer: ORIGIN,
      audience: `${ORIGIN}/api`,
      currentDate: clock.now(),
    });
    equal(payload.sub, `client:${client.id}`);

    // Signed by a key we never published: refused.
    const { privateKey } = await jose.generateKeyPair("ES256");
    const header = jose.decodeProtectedHeader(t.access_token);
    const forged = await new jose.SignJWT({ scope: "catalog:read" })
      .setProtectedHeader({ alg: "ES256", kid: header.kid!, typ: "at+jwt" })
      .setIssuer(ORIGIN).setAudience(`${ORIGIN}/api`).setSubject(`client:${client.id}`)
      .setIssuedAt(Math.floor(clock.now().getTime() / 1000)).setExpirationTime("10m")
      .sign(privateKey);
    match(
      (await refusal(api.authenticateApiRequest(get(forged), { scope: "catalog:read" })))
        .message,
      /signature/,
    );

    // Another audience (a token for another API of ours).
    const other = createApi({
      sql: db.sql,
      keyring: (await setup(db, clock.now())).keyring,
      clock,
      origin: "https://other.test",
    });
    const c2 = await other.createClient(
      { name: "Other", kind: "partner", scopes: ["catalog:read"] },
      staff,
    );
    const s2 = await other.issueClientSecret(c2.id, staff);
    const t2 = await other.clientCredentialsToken({ ...s2, scope: null });
    match(
      (await refusal(api.authenticateApiRequest(get(t2.access_token), { scope: "catalog:read" })))
        .message,
      /aud|iss/,
    );

    // Expired after 15 minutes.
    clock.set(new Date(clock.now().getTime() + 16 * 60_000));
    match(
      (await refusal(api.authenticateApiRequest(get(t.access_token), { scope: "catalog:read" })))
        .message,
      /expired/,
    );

    // Rotation: a new key signs; tokens of the old one verify while it is still published.
    const t3 = await api.clientCredentialsToken({ clientId, clientSecret, scope: null });
    await api.rotateSigningKey();
    await api.authenticateApiRequest(get(t3.access_token), { scope: "catalog:read" });
    const t4 = await api.clientCredentialsToken({ clientId, clientSecret, scope: null });
    ok(
      jose.decodeProtectedHeader(t4.access_token).kid !==
        jose.decodeProtectedHeader(t3.access_token).kid,
    );
    equal((await api.jwks()).keys.length, 2);
  });
});
