/**
 * Brakes on password and second-factor guessing.
 * - Per account: 5 failures in a row lock the account for 15 minutes (audited). A success resets
 *   the count.
 * - Per client address: 20 failures within 15 minutes throttle the address, whatever accounts it
 *   tries (table sign_in_failures, in PostgreSQL so every process sees the same counts).
 */
import type { Sql, Tx } from "@/services/platform/db.ts";
import { appendAudit } from "@/services/audit/audit_log.ts";

type Db = Sql | Tx;

export const LOCKOUT = {
  maxFailures: 5,
  lockMinutes: 15,
  ipMaxFailures: 20,
  ipWindowMinutes: 15,
};

/** Seconds until the address may try again, or null when it is not throttled. */
export async function addressThrottle(db: Db, ip: string, now: Date): Promise<number | null> {
  const windowMs = LOCKOUT.ipWindowMinutes * 60_000;
  const [row] = await db`
    select at from sign_in_failures
    where ip = ${ip} and at > ${new Date(now.getTime() - windowMs)}
    order by at desc offset ${LOCKOUT.ipMaxFailures - 1} limit 1`;
  if (!row) return null;
  return Math.max(Math.ceil((row.at.getTime() + windowMs - now.getTime()) / 1000), 1);
}

export async function recordAddressFailure(db: Db, ip: string, now: Date): Promise<void> {
  await db`insert into sign_in_failures (ip, at) values (${ip}, ${now})`;
  // Keep the table small: rows older than the window no longer count, for any address.
  await db`
    delete from sign_in_failures
    where at < ${new Date(now.getTime() - LOCKOUT.ipWindowMinutes * 60_000)}`;
}

/**
 * Counts one failure against an account; the one that reaches the limit locks it (and starts a
 * fresh count for after the lock). Returns the lock's end when this failure locked the account.
 */
export async function recordAccountFailure(
  tx: Tx,
  userId: string,
  now: Date,
  reason: "password" | "second_factor",
): Promise<{ lockedUntil: Date | null }> {
  const [row] = await tx`
    update users set failed_sign_ins = failed_sign_ins + 1, updated_at = ${now}
    where id = ${userId} returning failed_sign_ins`;
  if (!row || row.failed_sign_ins < LOCKOUT.maxFailures) return { lockedUntil: null };
  const until = new Date(now.getTime() + LOCKOUT.lockMinutes * 60_000);
  await tx`update users set failed_sign_ins = 0, locked_until = ${until} where id = ${userId}`;
  await appendAudit(tx, {
    actorId: null,
    action: "user.locked",
    entity: "user",
    entityId: userId,
    data: { reason, failures: LOCKOUT.maxFailures, until: until.toISOString() },
    at: now,
  });
  return { lockedUntil: until };
}

/** Seconds left on an automatic lock, or null when the account is not locked at `now`. */
export function lockSecondsLeft(lockedUntil: Date | null, now: Date): number | null {
  if (!lockedUntil || lockedUntil.getTime() <= now.getTime()) return null;
  return Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000);
}
