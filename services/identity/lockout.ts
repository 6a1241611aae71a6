/**
 * Brakes on password and second-factor guessing, after NIST SP 800-63B §5.2.2: throttling must
 * not let an attacker deny the account owner.
 * - Per (account, client address): 5 failed passwords within the window throttle that address for
 *   that account for 15 minutes; each further failure after a back-off doubles it (30, 60 …, at
 *   most 4 hours). Other addresses, and sign-in by one-time code, are not affected.
 * - Per account, from all addresses: after 100 failures within 24 hours the account is "slowed":
 *   an address that has failed against it may try at most once a minute. An address without
 *   failures for the account (the owner's) still signs in at once; the code sign-in too. Nothing
 *   here denies the owner.
 * - Per client address: 20 failures within 15 minutes throttle the address, whatever accounts it
 *   tries.
 * - Second factor: 5 wrong TOTP/recovery codes in a row lock the account for 15 minutes (only
 *   someone who knows the password gets there). A completed sign-in resets that count.
 * Failures are rows of sign_in_failures (PostgreSQL, so every process sees the same counts).
 */
import type { Sql, Tx } from "@/services/platform/db.ts";
import { appendAudit } from "@/services/audit/mod.ts";

type Db = Sql | Tx;

export const LOCKOUT = {
  /** Wrong second factors in a row before the account is locked (someone has the password). */
  maxFailures: 5,
  lockMinutes: 15,
  ipMaxFailures: 20,
  ipWindowMinutes: 15,
  /** Per (account, address). */
  pairMaxFailures: 5,
  pairBackoffMinutes: 15,
  pairMaxBackoffMinutes: 240,
  /** Failures are remembered this long (per pair and per account). */
  windowHours: 24,
  /** Per account, all addresses: failures after which failing addresses are slowed down. */
  accountSlowAfter: 100,
  accountSlowSeconds: 60,
};

const WINDOW_MS = () => LOCKOUT.windowHours * 3600_000;

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

/** Records a failed attempt from `ip` (against `userId` when the account exists). */
export async function recordAddressFailure(
  db: Db,
  ip: string,
  now: Date,
  userId: string | null = null,
): Promise<void> {
  await db`insert into sign_in_failures (ip, at, user_id) values (${ip}, ${now}, ${userId})`;
  // Keep the table small: rows older than the longest window no longer count.
  await db`
    delete from sign_in_failures
    where at < ${new Date(
    now.getTime() - Math.max(WINDOW_MS(), LOCKOUT.ipWindowMinutes * 60_000),
  )}`;
}

/** The back-off after `n` failures of one (account, address) pair (0 below the limit). */
export function pairBackoffMs(n: number): number {
  if (n < LOCKOUT.pairMaxFailures) return 0;
  const minutes = LOCKOUT.pairBackoffMinutes * 2 ** (n - LOCKOUT.pairMaxFailures);
  return Math.min(minutes, LOCKOUT.pairMaxBackoffMinutes) * 60_000;
}

export type PasswordThrottle =
  | { throttled: false }
  | { throttled: true; scope: "pair" | "account"; retryAfterSeconds: number };

/**
 * Whether `ip` may try a password for `userId` now: the pair's own back-off, then the account's
 * slow mode (which only applies to addresses that have failed against the account).
 */
export async function passwordThrottle(
  db: Db,
  userId: string,
  ip: string,
  now: Date,
): Promise<PasswordThrottle> {
  const since = new Date(now.getTime() - WINDOW_MS());
  const [pair] = await db`
    select count(*)::int as n, max(at) as last from sign_in_failures
    where user_id = ${userId} and ip = ${ip} and at > ${since}`;
  if (pair.n === 0) return { throttled: false };
  const until = pair.last.getTime() + pairBackoffMs(pair.n);
  if (until > now.getTime()) {
    return { throttled: true, scope: "pair", retryAfterSeconds: secondsUntil(until, now) };
  }
  const [acct] = await db`
    select count(*)::int as n, max(at) as last from sign_in_failures
    where user_id = ${userId} and at > ${since}`;
  if (acct.n >= LOCKOUT.accountSlowAfter) {
    const next = acct.last.getTime() + LOCKOUT.accountSlowSeconds * 1000;
    if (next > now.getTime()) {
      return { throttled: true, scope: "account", retryAfterSeconds: secondsUntil(next, now) };
    }
  }
  return { throttled: false };
}

/**
 * Records a wrong password from `ip` for `userId`; returns the back-off it starts for the pair
 * (null when none). Audits when a pair becomes throttled and when the account enters slow mode.
 */
export async function recordPasswordFailure(
  tx: Tx,
  userId: string,
  ip: string,
  now: Date,
): Promise<{ retryAfterSeconds: number | null }> {
  await recordAddressFailure(tx, ip, now, userId);
  const since = new Date(now.getTime() - WINDOW_MS());
  const [pair] = await tx`
    select count(*)::int as n from sign_in_failures
    where user_id = ${userId} and ip = ${ip} and at > ${since}`;
  const [acct] = await tx`
    select count(*)::int as n from sign_in_failures where user_id = ${userId} and at > ${since}`;
  const backoff = pairBackoffMs(pair.n);
  if (pair.n === LOCKOUT.pairMaxFailures) {
    await appendAudit(tx, {
      actorId: null,
      action: "user.sign_in_throttled",
      entity: "user",
      entityId: userId,
      data: { ip, failures: pair.n, minutes: backoff / 60_000 },
      at: now,
    });
  }
  if (acct.n === LOCKOUT.accountSlowAfter) {
    await appendAudit(tx, {
      actorId: null,
      action: "user.sign_in_slowed",
      entity: "user",
      entityId: userId,
      data: { failures: acct.n, hours: LOCKOUT.windowHours },
      at: now,
    });
  }
  return { retryAfterSeconds: backoff ? Math.ceil(backoff / 1000) : null };
}

/** A right password from `ip`: that pair's failures are forgotten (other addresses' stay). */
export async function clearPairFailures(db: Db, userId: string, ip: string): Promise<void> {
  await db`delete from sign_in_failures where user_id = ${userId} and ip = ${ip}`;
}

/**
 * Counts one wrong second factor (or current password on the account page, where the person is
 * signed in) against an account; the one that reaches the limit locks it (and starts a fresh
 * count for after the lock). Returns the lock's end when this failure locked the account.
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

function secondsUntil(ms: number, now: Date): number {
  return Math.max(Math.ceil((ms - now.getTime()) / 1000), 1);
}
