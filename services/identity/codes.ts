/**
 * One-time codes sent by SMS or email (sign-up, password reset, sign-in by code): six digits,
 * stored as keyed hashes, valid 10 minutes, at most 5 guesses, single use. Issuing a new code for
 * the same purpose and identifier retires the previous one, and at most 5 codes per hour are
 * issued for one identifier so that nobody can flood someone else's phone.
 */
import type postgres from "postgres";
import type { Tx } from "@/services/platform/db.ts";
import { blindIndex, type Keyring } from "@/services/crypto/field_crypto.ts";
import type { Identifier } from "./identifiers.ts";

export type CodePurpose = "signup" | "reset" | "signin";
export const CODE_TTL_MINUTES = 10;
export const CODE_MAX_ATTEMPTS = 5;
export const CODES_PER_HOUR = 5;

/** Six uniformly random digits. */
export function generateCode(): string {
  const buf = new Uint32Array(1);
  const limit = 4_294_000_000; // largest multiple of 10^6 below 2^32: no modulo bias
  do crypto.getRandomValues(buf); while (buf[0] >= limit);
  return String(buf[0] % 1_000_000).padStart(6, "0");
}

/** Whom a code is for, independent of which table (if any) holds the account. */
export function subjectHash(keyring: Keyring, id: Identifier): Promise<string> {
  return blindIndex(keyring, `${id.kind}:${id.value}`, "otc.subject");
}

function codeHash(keyring: Keyring, purpose: CodePurpose, subject: string, code: string) {
  return blindIndex(keyring, `${subject}:${code}`, `otc.${purpose}`);
}

export type IssueResult =
  | { ok: true; id: string; code: string }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export async function issueCode(
  tx: Tx,
  keyring: Keyring,
  input: {
    purpose: CodePurpose;
    subject: string;
    userId?: string | null;
    payload?: postgres.JSONValue;
    now: Date;
  },
): Promise<IssueResult> {
  const { purpose, subject, now } = input;
  const hourAgo = new Date(now.getTime() - 3600_000);
  const recent = await tx`
    select created_at from one_time_codes
    where purpose = ${purpose} and subject_hash = ${subject} and created_at > ${hourAgo}
    order by created_at desc`;
  if (recent.length >= CODES_PER_HOUR) {
    const oldest: Date = recent[CODES_PER_HOUR - 1].created_at;
    const retry = Math.ceil((oldest.getTime() + 3600_000 - now.getTime()) / 1000);
    return { ok: false, reason: "throttled", retryAfterSeconds: Math.max(retry, 1) };
  }
  await tx`
    update one_time_codes set consumed_at = ${now}
    where purpose = ${purpose} and subject_hash = ${subject} and consumed_at is null`;
  // Housekeeping: codes expired for a day are of no further use.
  await tx`delete from one_time_codes where expires_at < ${new Date(now.getTime() - 86400_000)}`;
  const code = generateCode();
  const expires = new Date(now.getTime() + CODE_TTL_MINUTES * 60_000);
  const [row] = await tx`
    insert into one_time_codes
      (purpose, subject_hash, code_hash, user_id, payload, expires_at, created_at)
    values (${purpose}, ${subject}, ${await codeHash(keyring, purpose, subject, code)},
            ${input.userId ?? null},
            ${input.payload === undefined ? null : tx.json(input.payload)},
            ${expires}, ${now})
    returning id`;
  return { ok: true, id: row.id, code };
}

export type CheckResult =
  | { ok: true; id: string; userId: string | null; payload: unknown }
  | {
    ok: false;
    reason: "invalid_code" | "expired" | "too_many_attempts" | "no_code";
    attemptsLeft?: number;
  };

/**
 * Checks a code against the newest open code for the purpose and identifier, counting the guess.
 * A matching code is consumed. Run it in a transaction that commits even when the code is wrong
 * (return, don't throw), or the guess is not counted.
 */
export async function checkCode(
  tx: Tx,
  keyring: Keyring,
  input: { purpose: CodePurpose; subject: string; code: string; now: Date },
): Promise<CheckResult> {
  const { purpose, subject, now } = input;
  const [row] = await tx`
    select id, code_hash, user_id, payload, attempts, expires_at from one_time_codes
    where purpose = ${purpose} and subject_hash = ${subject} and consumed_at is null
    order by created_at desc limit 1
    for update`;
  if (!row) return { ok: false, reason: "no_code" };
  if (row.expires_at.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  if (row.attempts >= CODE_MAX_ATTEMPTS) return { ok: false, reason: "too_many_attempts" };
  const code = input.code.replace(/\s+/g, "");
  const matches = /^\d{6}$/.test(code) &&
    (await codeHash(keyring, purpose, subject, code)) === row.code_hash;
  if (!matches) {
    const attempts = row.attempts + 1;
    await tx`update one_time_codes set attempts = ${attempts} where id = ${row.id}`;
    if (attempts >= CODE_MAX_ATTEMPTS) return { ok: false, reason: "too_many_attempts" };
    return { ok: false, reason: "invalid_code", attemptsLeft: CODE_MAX_ATTEMPTS - attempts };
  }
  await tx`update one_time_codes set consumed_at = ${now} where id = ${row.id}`;
  return { ok: true, id: row.id, userId: row.user_id, payload: row.payload };
}

/** Messages for the form, by reason. */
export const CODE_MESSAGES: Record<string, string> = {
  invalid_code: "That code is not right. Check the message and try again.",
  expired: "That code has expired. Ask for a new one.",
  too_many_attempts: "Too many wrong codes. Ask for a new one.",
  no_code: "There is no code waiting for this number or address. Ask for a new one.",
  throttled: "Too many codes were sent. Wait a while before asking again.",
};
