/**
 * Second factor: TOTP (RFC 6238: SHA-1, 6 digits, 30 s, as every authenticator app expects) and
 * single-use recovery codes.
 *
 * A code is accepted one step either side of now, and never twice: the last accepted time step is
 * kept per user (totp_last_step) and only a later step passes. Wrong codes count toward the same
 * account lockout as wrong passwords. The secret is stored encrypted (field crypto).
 */
import * as OTPAuth from "otpauth";
import type { Sql, Tx } from "@/services/platform/db.ts";
import {
  blindIndex,
  decryptField,
  encryptField,
  type Keyring,
} from "@/services/crypto/field_crypto.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { formatPhone } from "./identifiers.ts";
import { assertCan } from "./roles.ts";
import { getUser, markSignedIn, rolesOf, TOTP_AAD, type User } from "./users.ts";
import { lockSecondsLeft, recordAccountFailure, recordAddressFailure } from "./lockout.ts";
import { ConflictError, NotFoundError } from "@/services/platform/errors.ts";
import { AUTH_MESSAGES } from "./users.ts";

export const TOTP_ISSUER = "Smart Dairy";
export const TOTP_PERIOD = 30;
export const RECOVERY_CODE_COUNT = 10;
const WINDOW = 1;

function totp(secretBase32: string, label = "account"): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: "SHA1",
    digits: 6,
    period: TOTP_PERIOD,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

/** The code an authenticator shows at `at` (for tests and support tooling). */
export function totpCode(secretBase32: string, at: Date = new Date()): string {
  return totp(secretBase32).generate({ timestamp: at.getTime() });
}

/** The accepted time step for a code, or null when it matches no step in the window. */
export function matchTotpStep(secretBase32: string, code: string, at: Date): number | null {
  const t = totp(secretBase32);
  const delta = t.validate({ token: code, timestamp: at.getTime(), window: WINDOW });
  return delta === null ? null : t.counter({ timestamp: at.getTime() }) + delta;
}

// Recovery codes: 10 characters from a 32-letter alphabet without i, l, o, u (50 bits each),
// shown as xxxxx-xxxxx. Stored as keyed hashes bound to the user.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

function newRecoveryCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  const s = Array.from(bytes, (b) => ALPHABET[b & 31]).join("");
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** Lowercase, without spaces or dashes, with look-alike letters read as digits; null if invalid. */
export function normalizeRecoveryCode(input: string): string | null {
  const s = input.toLowerCase().replace(/[\s-]/g, "").replace(/o/g, "0").replace(/[il]/g, "1");
  return s.length === 10 && [...s].every((c) => ALPHABET.includes(c)) ? s : null;
}

function recoveryHash(keyring: Keyring, userId: string, normalized: string) {
  return blindIndex(keyring, normalized, `recovery.${userId}`);
}

async function storeRecoveryCodes(
  tx: Tx,
  keyring: Keyring,
  userId: string,
  now: Date,
): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx`delete from recovery_codes where user_id = ${userId}`;
  for (const code of codes) {
    const hash = await recoveryHash(keyring, userId, normalizeRecoveryCode(code)!);
    await tx`
      insert into recovery_codes (user_id, code_hash, created_at)
      values (${userId}, ${hash}, ${now})`;
  }
  return codes;
}

/**
 * Enrolment step 1: a new secret (kept encrypted, not yet active) and the otpauth:// URI for the
 * QR code. Starting again replaces a secret that was never confirmed.
 */
export async function startTotpEnrollment(
  sql: Sql,
  keyring: Keyring,
  userId: string,
): Promise<{ secret: string; uri: string }> {
  const user = await getUser(sql, keyring, userId);
  if (!user) throw new NotFoundError("No such user");
  if (user.totpEnabled) throw new ConflictError("Two-step sign-in is already on for this account");
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  const enc = await encryptField(keyring, secret, TOTP_AAD);
  await sql`
    update users set totp_secret_enc = ${enc}, totp_last_step = null, updated_at = now()
    where id = ${userId} and totp_enabled_at is null`;
  const label = user.email ?? (user.phone ? formatPhone(user.phone) : user.displayName);
  return { secret, uri: totp(secret, label).toString() };
}

export type EnrollResult =
  | { ok: true; recoveryCodes: string[] }
  | { ok: false; reason: "invalid_code" | "not_started"; message: string };

/**
 * Enrolment step 2: the first code from the app turns TOTP on and returns the 10 recovery codes,
 * to be shown once.
 */
export async function confirmTotpEnrollment(
  sql: Sql,
  keyring: Keyring,
  input: { userId: string; code: string; now?: Date },
): Promise<EnrollResult> {
  const now = input.now ?? new Date();
  const [row] = await sql`
    select totp_secret_enc, totp_enabled_at from users where id = ${input.userId}`;
  if (!row) throw new NotFoundError("No such user");
  if (row.totp_enabled_at) {
    throw new ConflictError("Two-step sign-in is already on for this account");
  }
  if (!row.totp_secret_enc) {
    return { ok: false, reason: "not_started", message: "Start the set-up again." };
  }
  const secret = await decryptField(keyring, row.totp_secret_enc, TOTP_AAD);
  const step = matchTotpStep(secret, input.code.replace(/\s+/g, ""), now);
  if (step === null) {
    return {
      ok: false,
      reason: "invalid_code",
      message: "That code is not right. Check the time on your phone and try the new code.",
    };
  }
  return await sql.begin(async (tx): Promise<EnrollResult> => {
    const done = await tx`
      update users set totp_enabled_at = ${now}, totp_last_step = ${step}, updated_at = ${now}
      where id = ${input.userId} and totp_enabled_at is null and totp_secret_enc = ${row.totp_secret_enc}
      returning id`;
    if (done.length === 0) throw new ConflictError("Two-step sign-in set-up changed meanwhile");
    const recoveryCodes = await storeRecoveryCodes(tx, keyring, input.userId, now);
    await appendAudit(tx, {
      actorId: input.userId,
      action: "user.totp_enabled",
      entity: "user",
      entityId: input.userId,
      at: now,
    });
    return { ok: true, recoveryCodes };
  });
}

export type SecondFactorResult =
  | { ok: true; user: User; method: "totp" | "recovery"; recoveryCodesLeft: number }
  | {
    ok: false;
    reason: "invalid" | "replayed" | "locked" | "not_enrolled";
    retryAfterSeconds?: number;
    message: string;
  };

const SECOND_FACTOR_MESSAGES = {
  invalid: "That code is not right.",
  replayed: "That code was already used. Wait for the next code in your app.",
  locked: AUTH_MESSAGES.locked,
  not_enrolled: "Two-step sign-in is not set up for this account.",
};

/**
 * Sign-in step 2 (after authenticate said needsSecondFactor): a 6-digit TOTP code or a recovery
 * code. Success completes the sign-in (failure count reset, staff sign-in audited).
 */
export async function verifySecondFactor(
  sql: Sql,
  keyring: Keyring,
  input: {
    userId: string;
    code: string;
    ip?: string;
    now?: Date;
    /** A signed-in user confirming a sensitive operation: audited as a step-up, not a sign-in. */
    purpose?: "sign_in" | "step_up";
  },
): Promise<SecondFactorResult> {
  const now = input.now ?? new Date();
  const ip = input.ip?.trim() || "unknown";
  const user = await getUser(sql, keyring, input.userId);
  if (!user) throw new NotFoundError("No such user");
  const fail = (reason: keyof typeof SECOND_FACTOR_MESSAGES, retryAfterSeconds?: number) =>
    ({
      ok: false,
      reason,
      message: SECOND_FACTOR_MESSAGES[reason],
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    }) as SecondFactorResult;
  if (!user.totpEnabled) return fail("not_enrolled");
  if (user.status !== "active") return fail("locked");
  const left = lockSecondsLeft(user.lockedUntil, now);
  if (left !== null) return fail("locked", left);

  const code = input.code.replace(/\s+/g, "");
  const result = await sql.begin(async (tx): Promise<SecondFactorResult> => {
    let method: "totp" | "recovery";
    let failure: "invalid" | "replayed" | null = null;
    if (/^\d{6}$/.test(code)) {
      method = "totp";
      const [row] = await tx`select totp_secret_enc from users where id = ${user.id}`;
      const secret = await decryptField(keyring, row.totp_secret_enc, TOTP_AAD);
      const step = matchTotpStep(secret, code, now);
      if (step === null) failure = "invalid";
      else {
        // Atomic: of two requests with the same code, only one moves the step forward.
        const moved = await tx`
          update users set totp_last_step = ${step}
          where id = ${user.id} and (totp_last_step is null or totp_last_step < ${step})
          returning id`;
        if (moved.length === 0) failure = "replayed";
      }
    } else {
      method = "recovery";
      const normalized = normalizeRecoveryCode(code);
      const used = normalized
        ? await tx`
          update recovery_codes set used_at = ${now}
          where user_id = ${user.id} and used_at is null
            and code_hash = ${await recoveryHash(keyring, user.id, normalized)}
          returning code_hash`
        : [];
      if (used.length === 0) failure = "invalid";
      else {
        await appendAudit(tx, {
          actorId: user.id,
          action: "user.recovery_code_used",
          entity: "user",
          entityId: user.id,
          at: now,
        });
      }
    }
    if (failure) {
      const { lockedUntil } = await recordAccountFailure(tx, user.id, now, "second_factor");
      await recordAddressFailure(tx, ip, now);
      return lockedUntil ? fail("locked", lockSecondsLeft(lockedUntil, now)!) : fail(failure);
    }
    if (input.purpose === "step_up") {
      await tx`update users set failed_sign_ins = 0, updated_at = ${now} where id = ${user.id}`;
      await appendAudit(tx, {
        actorId: user.id,
        action: "user.stepped_up",
        entity: "user",
        entityId: user.id,
        data: { ip, method },
        at: now,
      });
      Object.assign(user, { failedSignIns: 0 });
    } else {
      await markSignedIn(tx, user, ip, now);
      Object.assign(user, { lastSignInAt: now, failedSignIns: 0, lockedUntil: null });
    }
    const [{ n }] = await tx`
      select count(*)::int as n from recovery_codes where user_id = ${user.id} and used_at is null`;
    return { ok: true, user, method, recoveryCodesLeft: n };
  });
  return result;
}

/** New set of recovery codes (the old ones stop working); shown once. */
export async function regenerateRecoveryCodes(
  sql: Sql,
  keyring: Keyring,
  userId: string,
  opts: { now?: Date } = {},
): Promise<string[]> {
  const now = opts.now ?? new Date();
  return await sql.begin(async (tx) => {
    const [row] = await tx`select totp_enabled_at from users where id = ${userId} for update`;
    if (!row) throw new NotFoundError("No such user");
    if (!row.totp_enabled_at) throw new ConflictError("Turn on two-step sign-in first");
    const codes = await storeRecoveryCodes(tx, keyring, userId, now);
    await appendAudit(tx, {
      actorId: userId,
      action: "user.recovery_codes_regenerated",
      entity: "user",
      entityId: userId,
      at: now,
    });
    return codes;
  });
}

export async function recoveryCodesLeft(sql: Sql, userId: string): Promise<number> {
  const [{ n }] = await sql`
    select count(*)::int as n from recovery_codes where user_id = ${userId} and used_at is null`;
  return n;
}

/**
 * An administrator turns a user's second factor off (lost phone and codes); the user enrols
 * again at the next sign-in when their roles require it. Needs users.manage.
 */
export async function resetSecondFactor(
  sql: Sql,
  actorId: string,
  userId: string,
  opts: { now?: Date } = {},
): Promise<void> {
  const now = opts.now ?? new Date();
  await sql.begin(async (tx) => {
    assertCan(await rolesOf(tx, actorId), "users.manage");
    const done = await tx`
      update users set totp_secret_enc = null, totp_enabled_at = null, totp_last_step = null,
                       updated_at = ${now}
      where id = ${userId} returning id`;
    if (done.length === 0) throw new NotFoundError("No such user");
    await tx`delete from recovery_codes where user_id = ${userId}`;
    await appendAudit(tx, {
      actorId,
      action: "user.totp_reset",
      entity: "user",
      entityId: userId,
      at: now,
    });
  });
}
