/**
 * Passkeys (WebAuthn, through @simplewebauthn/server): register one from the account page, sign
 * in with it on /signin (a discoverable credential: no identifier typed).
 *
 * Challenges live in KV for 5 minutes under ["passkey_challenge", challenge] and are used once;
 * a registration challenge names the account it was made for. Credentials are in the table
 * passkeys (migration 0004). A passkey sign-in reports whether the authenticator verified the
 * person (fingerprint, face, PIN: `userVerified`); only then does it count as a second factor.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { getUser, markSignedIn, type User } from "./users.ts";

/** The relying party: the site's host name and origin (from PUBLIC_URL or the request). */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const CHALLENGE_MS = 5 * 60_000;
const challengeKey = (c: string) => ["passkey_challenge", c] as const;

interface Challenge {
  purpose: "register" | "signin";
  userId: string | null;
}

function b64urlBytes(s: string): Uint8Array<ArrayBuffer> {
  const b = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}
function bytesB64url(b: Uint8Array): string {
  return btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

/** The challenge a browser's response answers (read from its clientDataJSON), or null. */
function challengeOf(response: unknown): string | null {
  try {
    const r = response as { response?: { clientDataJSON?: unknown } };
    const cd = r?.response?.clientDataJSON;
    if (typeof cd !== "string" || cd.length > 4000) return null;
    const c = JSON.parse(new TextDecoder().decode(b64urlBytes(cd))).challenge;
    return typeof c === "string" && c.length <= 200 ? c : null;
  } catch {
    return null;
  }
}

/** Takes a challenge out of KV (once); null when unknown, used or of another purpose. */
async function consume(kv: Deno.Kv, challenge: string, purpose: Challenge["purpose"]) {
  const e = await kv.get<Challenge>(challengeKey(challenge));
  if (!e.value || e.value.purpose !== purpose) return null;
  const r = await kv.atomic().check(e).delete(challengeKey(challenge)).commit();
  return r.ok ? e.value : null;
}

export async function listPasskeys(sql: Sql, userId: string): Promise<Passkey[]> {
  const rows = await sql`
    select id::text, name, created_at, last_used_at from passkeys
    where user_id = ${userId} order by created_at`;
  return rows.map((r) => ({
    id: r.id as string,
    name: r.name as string,
    createdAt: new Date(r.created_at as string),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at as string) : null,
  }));
}

/** Options for navigator.credentials.create(); the challenge is kept for this account. */
export async function registrationOptions(
  sql: Sql,
  kv: Deno.Kv,
  user: User,
  rp: RelyingParty,
) {
  const existing = await sql`select credential_id, transports from passkeys
    where user_id = ${user.id}`;
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email ?? user.phone ?? user.id,
    userDisplayName: user.displayName,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    excludeCredentials: existing.map((r) => ({ id: r.credential_id as string })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
  await kv.set(
    challengeKey(options.challenge),
    { purpose: "register", userId: user.id } satisfies Challenge,
    { expireIn: CHALLENGE_MS },
  );
  return options;
}

export type PasskeyFailure = { ok: false; reason: "expired" | "invalid" | "unknown" | "disabled" };

/** Verifies a new passkey for the account and keeps it. */
export async function registerPasskey(
  sql: Sql,
  kv: Deno.Kv,
  input: { userId: string; response: unknown; name: string; rp: RelyingParty; now: Date },
): Promise<{ ok: true; id: string } | PasskeyFailure> {
  const challenge = challengeOf(input.response);
  const c = challenge ? await consume(kv, challenge, "register") : null;
  if (!c || c.userId !== input.userId) return { ok: false, reason: "expired" };
  let v;
  try {
    v = await verifyRegistrationResponse({
      // deno-lint-ignore no-explicit-any
      response: input.response as any,
      expectedChallenge: challenge!,
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.id,
      requireUserVerification: false,
    });
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (!v.verified || !v.registrationInfo) return { ok: false, reason: "invalid" };
  const cred = v.registrationInfo.credential;
  const name = input.name.trim().slice(0, 80) || "Passkey";
  const rows = await sql`
    insert into passkeys (user_id, credential_id, public_key, sign_count, transports, name,
                          created_at)
    values (${input.userId}, ${cred.id}, ${bytesB64url(cred.publicKey)}, ${cred.counter},
            ${(cred.transports ?? []) as string[]}, ${name}, ${input.now})
    on conflict (credential_id) do nothing
    returning id::text`;
  if (rows.length === 0) return { ok: false, reason: "invalid" };
  return { ok: true, id: rows[0].id as string };
}

/** Options for navigator.credentials.get() (any passkey of this site: nothing is typed). */
export async function signInOptions(kv: Deno.Kv, rp: RelyingParty) {
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: "preferred",
  });
  await kv.set(
    challengeKey(options.challenge),
    { purpose: "signin", userId: null } satisfies Challenge,
    { expireIn: CHALLENGE_MS },
  );
  return options;
}

/**
 * Checks a passkey sign-in: the account, and whether the authenticator verified the person.
 * The signature counter must move forward when the authenticator keeps one.
 */
export async function signInWithPasskey(
  sql: Sql,
  kv: Deno.Kv,
  keyring: Keyring,
  input: { response: unknown; rp: RelyingParty; ip: string; now: Date },
): Promise<{ ok: true; user: User; userVerified: boolean } | PasskeyFailure> {
  const challenge = challengeOf(input.response);
  if (!challenge || !(await consume(kv, challenge, "signin"))) {
    return { ok: false, reason: "expired" };
  }
  const credId = (input.response as { id?: unknown })?.id;
  if (typeof credId !== "string" || credId.length > 1400) return { ok: false, reason: "invalid" };
  const [row] = await sql`
    select id::text, user_id::text, public_key, sign_count, transports from passkeys
    where credential_id = ${credId}`;
  if (!row) return { ok: false, reason: "unknown" };
  let v;
  try {
    v = await verifyAuthenticationResponse({
      // deno-lint-ignore no-explicit-any
      response: input.response as any,
      expectedChallenge: challenge,
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.id,
      credential: {
        id: credId,
        publicKey: b64urlBytes(row.public_key as string),
        counter: Number(row.sign_count),
      },
      requireUserVerification: false,
    });
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (!v.verified) return { ok: false, reason: "invalid" };
  const user = await getUser(sql, keyring, row.user_id as string);
  if (!user || user.status !== "active") return { ok: false, reason: "disabled" };
  await sql.begin(async (tx) => {
    await tx`update passkeys set sign_count = ${v.authenticationInfo.newCounter},
                                 last_used_at = ${input.now}
             where id = ${row.id as string}`;
    await markSignedIn(tx, user, input.ip, input.now);
  });
  return { ok: true, user, userVerified: v.authenticationInfo.userVerified };
}

/** Removes one of the person's passkeys (someone else's id: nothing happens). */
export async function deletePasskey(sql: Sql, userId: string, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  const rows = await sql`delete from passkeys where id = ${id} and user_id = ${userId}
    returning id`;
  return rows.length > 0;
}
