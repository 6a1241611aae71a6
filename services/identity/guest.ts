/**
 * Guest checkout's account: a shopper who is not signed in gives a mobile number at checkout and
 * confirms the order with a one-time code sent by SMS. The code (purpose "signin", so it shares
 * the limits of sign-in codes: 10 minutes, 5 guesses, 5 codes an hour per number) either signs in
 * the account that already has the number, or — when none does — creates a customer account
 * without a password (a random one nobody knows; the customer signs in later by code or sets a
 * password through "forgot password").
 */
import { z } from "@/services/platform/schema.ts";
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { enqueueMessage, renderTemplate } from "@/services/notify/mod.ts";
import { parseInput } from "@/services/platform/errors.ts";
import { maskPhone, phoneSchema } from "./identifiers.ts";
import { generatePassword } from "./passwords.ts";
import { requiresSecondFactor } from "./roles.ts";
import { checkCode, CODE_MESSAGES, CODE_TTL_MINUTES, issueCode, subjectHash } from "./codes.ts";
import { addressThrottle, lockSecondsLeft, recordAddressFailure } from "./lockout.ts";
import {
  type AuthResult,
  type CodeFailure,
  type CodeSent,
  createUser,
  findUserByIdentifier,
  getUser,
  type Locale,
  markSignedIn,
} from "./users.ts";

const startInput = z.object({
  phone: phoneSchema,
  name: z.string().trim().min(2).max(80),
  locale: z.enum(["en", "bn"]),
});

/**
 * Step 1: sends a code to the phone (always: the shopper is about to confirm an order with it),
 * remembering the name and language for an account to be created. Throws ValidationError for a
 * bad number.
 */
export async function startGuestCode(
  sql: Sql,
  keyring: Keyring,
  input: { phone: string; name: string; locale: Locale },
  opts: { now?: Date } = {},
): Promise<CodeSent> {
  const g = parseInput(startInput, input);
  const now = opts.now ?? new Date();
  const identifier = { kind: "phone" as const, value: g.phone };
  const subject = await subjectHash(keyring, identifier);
  return await sql.begin(async (tx): Promise<CodeSent> => {
    const existing = await findUserByIdentifier(tx, keyring, g.phone);
    const usable = existing?.status === "active" ? existing : null;
    const issued = await issueCode(tx, keyring, {
      purpose: "signin",
      subject,
      userId: usable?.id ?? null,
      payload: { guest: { displayName: g.name, locale: g.locale } },
      now,
    });
    if (!issued.ok) return { ...issued, message: CODE_MESSAGES.throttled };
    // An existing account hears in its own language; a new one in the visitor's.
    const locale: Locale = usable?.locale ?? g.locale;
    const text = renderTemplate("signin_code", locale, {
      code: issued.code,
      minutes: CODE_TTL_MINUTES,
    });
    await enqueueMessage(tx, {
      channel: "sms",
      to: g.phone,
      body: text.body,
      locale,
      template: "signin_code",
    });
    return { ok: true, channel: "sms", sentTo: maskPhone(g.phone) };
  });
}

export type GuestCodeResult =
  | (Extract<AuthResult, { ok: true }> & { created: boolean })
  | Extract<AuthResult, { ok: false }>
  | CodeFailure;

/**
 * Step 2: the code from the SMS. Signs in the account with the number, or creates one (role
 * customer, no password chosen) when there is none. Same shape as code sign-in, plus `created`.
 */
export async function completeGuestCode(
  sql: Sql,
  keyring: Keyring,
  input: { phone: string; code: string; ip: string; now?: Date },
): Promise<GuestCodeResult> {
  const c = parseInput(
    z.object({ phone: phoneSchema, code: z.string().trim().min(1, "Enter the code") }),
    input,
  );
  const now = input.now ?? new Date();
  const ip = input.ip?.trim() || "unknown";
  const throttled = await addressThrottle(sql, ip, now);
  if (throttled !== null) {
    return {
      ok: false,
      reason: "throttled",
      retryAfterSeconds: throttled,
      message: CODE_MESSAGES.throttled,
    };
  }
  const subject = await subjectHash(keyring, { kind: "phone", value: c.phone });
  const r = await sql.begin((tx) =>
    checkCode(tx, keyring, { purpose: "signin", subject, code: c.code, now })
  );
  if (!r.ok) {
    await recordAddressFailure(sql, ip, now);
    return { ...r, message: CODE_MESSAGES[r.reason] } as CodeFailure;
  }
  const guest = (r.payload as { guest?: { displayName: string; locale: Locale } } | null)?.guest;
  // The account with the number (the code proves the phone): the one the code was issued for,
  // else one created since, else a new one.
  let user = r.userId
    ? await getUser(sql, keyring, r.userId)
    : await findUserByIdentifier(sql, keyring, c.phone);
  let created = false;
  if (!user) {
    if (!guest) {
      await recordAddressFailure(sql, ip, now);
      return { ok: false, reason: "invalid_code", message: CODE_MESSAGES.invalid_code };
    }
    user = await createUser(sql, keyring, {
      phone: c.phone,
      displayName: guest.displayName,
      locale: guest.locale,
      password: generatePassword(24),
      roles: ["customer"],
    }, { now });
    created = true;
    await appendAudit(sql, {
      actorId: user.id,
      action: "user.signed_up",
      entity: "user",
      entityId: user.id,
      data: { via: "checkout" },
      at: now,
    });
  }
  if (user.status === "disabled") {
    return { ok: false, reason: "disabled", message: "This account is disabled." };
  }
  const left = lockSecondsLeft(user.lockedUntil, now);
  if (user.status === "locked" || left !== null) {
    return {
      ok: false,
      reason: "locked",
      retryAfterSeconds: left ?? undefined,
      message: "This account is locked for a while.",
    };
  }
  const needsSecondFactor = user.totpEnabled;
  if (!needsSecondFactor) {
    await sql.begin((tx) => markSignedIn(tx, user!, ip, now));
    user = { ...user, lastSignInAt: now, failedSignIns: 0, lockedUntil: null };
  }
  return {
    ok: true,
    user,
    created,
    needsSecondFactor,
    mustEnrollSecondFactor: !user.totpEnabled && requiresSecondFactor(user.roles),
  };
}
