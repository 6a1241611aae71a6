/**
 * A customer's own data (export) and its erasure (anonymisation) in identity's tables and KV:
 * the account row keeps its id (orders and the books refer to it) but loses every personal field;
 * codes, recovery codes, sign-in failures (client addresses) and every session go.
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { getUser, rolesOf } from "./users.ts";
import { hashPassword } from "./passwords.ts";
import type { SessionStore } from "./sessions.ts";
import { subjectHash } from "./codes.ts";

export interface IdentityExport {
  account: {
    id: string;
    displayName: string;
    email: string | null;
    phone: string | null;
    locale: string;
    roles: string[];
    status: string;
    secondFactor: boolean;
    createdAt: Date;
    lastSignInAt: Date | null;
  } | null;
}

export async function exportCustomer(
  sql: Sql,
  keyring: Keyring,
  userId: string,
): Promise<IdentityExport> {
  const u = await getUser(sql, keyring, userId);
  if (!u) return { account: null };
  const [row] = await sql`select totp_enabled_at from users where id = ${userId}`;
  return {
    account: {
      id: u.id,
      displayName: u.displayName,
      email: u.email,
      phone: u.phone,
      locale: u.locale,
      roles: [...await rolesOf(sql, userId)],
      status: u.status,
      secondFactor: !!row?.totp_enabled_at,
      createdAt: u.createdAt,
      lastSignInAt: u.lastSignInAt,
    },
  };
}

/** The address an anonymised account keeps (email is its one required identifier). */
export function erasedEmail(userId: string): string {
  return `erased-${userId.toLowerCase()}@erased.invalid`;
}
export const ERASED_NAME = "Deleted customer";

/**
 * Erases the account's personal fields (name, email, phone, second factor, password: a random
 * one nobody knows), disables it, drops its codes and failures, and ends every session.
 * Counts of what was erased (no personal data).
 */
export async function anonymiseCustomer(
  sql: Sql,
  keyring: Keyring,
  sessions: SessionStore,
  userId: string,
  now: Date,
): Promise<Record<string, number>> {
  // Codes sent to the account's identifiers (pending sign-ups keep a name and phone in payload).
  const before = await getUser(sql, keyring, userId);
  const subjects: string[] = [];
  if (before?.email) {
    subjects.push(await subjectHash(keyring, { kind: "email", value: before.email }));
  }
  if (before?.phone) {
    subjects.push(await subjectHash(keyring, { kind: "phone", value: before.phone }));
  }
  const unusable = await hashPassword(crypto.randomUUID() + crypto.randomUUID());
  const out = await sql.begin(async (tx) => {
    const u = await tx`
      update users set email = ${erasedEmail(userId)}, phone_enc = null, phone_hash = null,
        display_name = ${ERASED_NAME}, password_hash = ${unusable}, status = 'disabled',
        totp_secret_enc = null, totp_enabled_at = null, totp_last_step = null,
        failed_sign_ins = 0, locked_until = null, password_changed_at = ${now},
        anonymised_at = ${now}, updated_at = ${now}
      where id = ${userId}
      returning id`;
    const codes = await tx`
      delete from one_time_codes where user_id = ${userId} or subject_hash = any(${subjects})
      returning id`;
    const recovery = await tx`delete from recovery_codes where user_id = ${userId} returning 1`;
    const failures = await tx`delete from sign_in_failures where user_id = ${userId} returning 1`;
    // Passkeys and linked Google/Facebook accounts (the provider's subject and e-mail).
    const keys = await tx`delete from passkeys where user_id = ${userId} returning 1`;
    const social = await tx`delete from social_identities where user_id = ${userId} returning 1`;
    return {
      accounts: u.length,
      codes: codes.length,
      recoveryCodes: recovery.length,
      signInFailures: failures.length,
      passkeys: keys.length,
      socialIdentities: social.length,
    };
  });
  const ended = await sessions.destroyAllForUser(userId);
  return { ...out, sessions: ended };
}
