/**
 * Accounts: sign-up with a one-time code, sign-in with throttling and lockout, password reset and
 * change, roles and status (re-checked against the actor's own permissions), and the admin list.
 *
 * Every function takes the pool (`sql`) and opens its own transactions; the keyring is needed
 * wherever a phone number is read or looked up (encrypted column + blind index). Times come from
 * `now` options so that tests can move the clock.
 */
import { z } from "@/services/platform/schema.ts";
import type { Sql, Tx } from "@/services/platform/db.ts";
import {
  blindIndex,
  decryptField,
  encryptField,
  type Keyring,
  reencrypt,
} from "@/services/crypto/field_crypto.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { emitWebhookEvent } from "@/services/webhooks/mod.ts";
import { enqueueMessage } from "@/services/notify/mod.ts";
import { renderTemplate } from "@/services/notify/mod.ts";
import {
  emailSchema,
  type Identifier,
  identifierSchema,
  maskPhone,
  phoneSchema,
  tryParseIdentifier,
} from "./identifiers.ts";
import {
  dummyHash,
  hashPassword,
  needsRehash,
  passwordSchema,
  verifyPassword,
} from "./passwords.ts";
import { assertCan, isRole, isStaff, requiresSecondFactor, type Role, ROLES } from "./roles.ts";
import { checkCode, CODE_MESSAGES, CODE_TTL_MINUTES, issueCode, subjectHash } from "./codes.ts";
import {
  addressThrottle,
  clearPairFailures,
  lockSecondsLeft,
  passwordThrottle,
  recordAccountFailure,
  recordAddressFailure,
  recordPasswordFailure,
} from "./lockout.ts";
import {
  ConflictError,
  NotFoundError,
  parseInput,
  ValidationError,
} from "@/services/platform/errors.ts";

type Db = Sql | Tx;

export const PHONE_AAD = "users.phone";
export const PHONE_INDEX = "users.phone";
export const TOTP_AAD = "users.totp_secret";

export type Locale = "en" | "bn";
export type UserStatus = "active" | "disabled" | "locked";

export interface User {
  id: string;
  email: string | null;
  /** E.164, decrypted (+8801712345678). */
  phone: string | null;
  displayName: string;
  locale: Locale;
  status: UserStatus;
  roles: Role[];
  totpEnabled: boolean;
  failedSignIns: number;
  lockedUntil: Date | null;
  lastSignInAt: Date | null;
  /** Sessions created before this are void (password changed or reset). */
  passwordChangedAt: Date;
  createdAt: Date;
}

const USER_SELECT = (sql: Db) =>
  sql`
  select u.*,
    coalesce((select array_agg(r.role order by r.role) from user_roles r where r.user_id = u.id),
             '{}'::text[]) as roles
  from users u`;

async function toUser(keyring: Keyring, r: Record<string, any>): Promise<User> {
  return {
    id: r.id,
    email: r.email,
    phone: r.phone_enc ? await decryptField(keyring, r.phone_enc, PHONE_AAD) : null,
    displayName: r.display_name,
    locale: r.locale,
    status: r.status,
    roles: (r.roles as string[]).filter(isRole),
    totpEnabled: r.totp_enabled_at !== null,
    failedSignIns: r.failed_sign_ins,
    lockedUntil: r.locked_until,
    lastSignInAt: r.last_sign_in_at,
    passwordChangedAt: r.password_changed_at,
    createdAt: r.created_at,
  };
}

export function phoneIndex(keyring: Keyring, phone: string): Promise<string> {
  return blindIndex(keyring, phone, PHONE_INDEX);
}

async function findRow(db: Db, keyring: Keyring, id: Identifier) {
  const [row] = id.kind === "email"
    ? await db`${USER_SELECT(db)} where u.email = ${id.value}`
    : await db`${USER_SELECT(db)} where u.phone_hash = ${await phoneIndex(keyring, id.value)}`;
  return row ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getUser(sql: Db, keyring: Keyring, id: string): Promise<User | null> {
  if (!UUID.test(id)) return null;
  const [row] = await sql`${USER_SELECT(sql)} where u.id = ${id}`;
  return row ? toUser(keyring, row) : null;
}

/** Display names by account id, in one query (ids that are not accounts are left out). */
export async function displayNames(sql: Sql, ids: readonly string[]): Promise<Map<string, string>> {
  const valid = [...new Set(ids.filter((id) => UUID.test(id)))];
  if (valid.length === 0) return new Map();
  const rows = await sql`select id::text, display_name from users where id in ${sql(valid)}`;
  return new Map(rows.map((r) => [r.id as string, r.display_name as string]));
}

/** The account for a phone number or email as typed, or null (also for unparsable input). */
export async function findUserByIdentifier(
  sql: Db,
  keyring: Keyring,
  identifier: string,
): Promise<User | null> {
  const parsed = tryParseIdentifier(identifier);
  if (!parsed.ok) return null;
  const row = await findRow(sql, keyring, parsed.identifier);
  return row ? toUser(keyring, row) : null;
}

export async function rolesOf(db: Db, userId: string): Promise<Role[]> {
  if (!UUID.test(userId)) return [];
  const rows = await db`
    select r.role from user_roles r join users u on u.id = r.user_id
    where r.user_id = ${userId} and u.status = 'active' order by r.role`;
  return rows.map((r) => r.role).filter(isRole);
}

// ---------------------------------------------------------------------------------------------
// Creating accounts

const optionalText = z.string().trim().optional().transform((v) => (v ? v : undefined));
const nameSchema = z.string().trim().min(1, "Enter a name").max(120, "Use at most 120 characters");
const localeSchema = z.enum(["en", "bn"]).default("en");

export const createUserSchema = z.object({
  email: optionalText.pipe(emailSchema.optional()),
  phone: optionalText.pipe(phoneSchema.optional()),
  displayName: nameSchema,
  locale: localeSchema,
  password: passwordSchema(),
  roles: z.array(z.enum(ROLES)).min(1, "Choose at least one role").default(["customer"]),
}).superRefine((u, ctx) => {
  if (!u.email && !u.phone) {
    ctx.addIssue({ code: "custom", path: ["email"], message: "Enter an email or a phone number" });
  }
  // The rest of the policy is checked field by field above; this part needs the identifiers.
  const p = passwordSchema([u.email, u.phone]).safeParse(u.password);
  if (!p.success) {
    ctx.addIssue({ code: "custom", path: ["password"], message: p.error.issues[0].message });
  }
});
export type CreateUserInput = z.input<typeof createUserSchema>;

async function insertUser(
  tx: Tx,
  keyring: Keyring,
  u: {
    email?: string;
    phone?: string;
    displayName: string;
    locale: Locale;
    passwordHash: string;
    roles: readonly Role[];
    grantedBy?: string | null;
    now: Date;
  },
): Promise<string> {
  if (u.email) {
    const [hit] = await tx`select 1 from users where email = ${u.email}`;
    if (hit) throw new ConflictError("An account with this email already exists", "email");
  }
  const phoneHash = u.phone ? await phoneIndex(keyring, u.phone) : null;
  if (phoneHash) {
    const [hit] = await tx`select 1 from users where phone_hash = ${phoneHash}`;
    if (hit) throw new ConflictError("An account with this phone number already exists", "phone");
  }
  const phoneEnc = u.phone ? await encryptField(keyring, u.phone, PHONE_AAD) : null;
  const [row] = await tx`
    insert into users (email, phone_enc, phone_hash, display_name, locale, password_hash,
                       password_changed_at, created_at, updated_at)
    values (${u.email ?? null}, ${phoneEnc}, ${phoneHash}, ${u.displayName}, ${u.locale},
            ${u.passwordHash}, ${u.now}, ${u.now}, ${u.now})
    returning id`;
  for (const role of new Set(u.roles)) {
    await tx`
      insert into user_roles (user_id, role, granted_at, granted_by)
      values (${row.id}, ${role}, ${u.now}, ${u.grantedBy ?? null})`;
  }
  return row.id;
}

/**
 * Creates an active account directly (seed, scripts, and behind createUserByAdmin). Trusted:
 * the roles given are granted as they are. Throws ValidationError or ConflictError.
 */
export async function createUser(
  sql: Sql,
  keyring: Keyring,
  input: CreateUserInput,
  opts: { actorId?: string | null; now?: Date } = {},
): Promise<User> {
  const u = parseInput(createUserSchema, input);
  const now = opts.now ?? new Date();
  const passwordHash = await hashPassword(u.password);
  const id = await sql.begin(async (tx) => {
    const id = await insertUser(tx, keyring, { ...u, passwordHash, grantedBy: opts.actorId, now });
    await appendAudit(tx, {
      actorId: opts.actorId ?? null,
      action: "user.created",
      entity: "user",
      entityId: id,
      data: { roles: u.roles, email: u.email ?? null, phone: u.phone ? maskPhone(u.phone) : null },
      at: now,
    });
    if (u.roles.includes("customer")) {
      // Partners' webhooks (services/webhooks): customer.registered (an id, no personal data).
      await emitWebhookEvent(tx, {
        type: "customer.registered",
        data: { customerId: id, via: "staff", locale: u.locale ?? "en" },
        dedupeKey: `customer.registered:${id}`,
        at: now,
      });
    }
    return id;
  });
  return (await getUser(sql, keyring, id))!;
}

/** An administrator creates an account (staff or B2B); re-checks users.manage. */
export async function createUserByAdmin(
  sql: Sql,
  keyring: Keyring,
  actorId: string,
  input: CreateUserInput,
  opts: { now?: Date } = {},
): Promise<User> {
  assertCan(await rolesOf(sql, actorId), "users.manage");
  return createUser(sql, keyring, input, { actorId, now: opts.now });
}

// ---------------------------------------------------------------------------------------------
// Sign-up with a one-time code

export const signUpSchema = z.object({
  identifier: identifierSchema,
  password: passwordSchema(),
  name: nameSchema,
  locale: localeSchema,
}).superRefine((s, ctx) => {
  const p = passwordSchema([s.identifier?.value]).safeParse(s.password);
  if (!p.success) {
    ctx.addIssue({ code: "custom", path: ["password"], message: p.error.issues[0].message });
  }
});
export type SignUpInput = z.input<typeof signUpSchema>;

export type CodeSent =
  | { ok: true; channel: "sms" | "email"; sentTo: string }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number; message: string };

function sentTo(id: Identifier) {
  return id.kind === "phone" ? maskPhone(id.value) : id.value;
}

/**
 * Step 1 of sign-up: checks the form, keeps the pending account with a one-time code and sends
 * the code (SMS for a phone, email for an email). If the identifier already has an account, its
 * owner gets a notice instead, and the answer is the same: sign-up does not reveal who has an
 * account. Throws ValidationError for bad input.
 */
export async function startSignUp(
  sql: Sql,
  keyring: Keyring,
  input: SignUpInput,
  opts: { now?: Date } = {},
): Promise<CodeSent> {
  const s = parseInput(signUpSchema, input);
  const now = opts.now ?? new Date();
  const passwordHash = await hashPassword(s.password);
  const subject = await subjectHash(keyring, s.identifier);
  return await sql.begin(async (tx): Promise<CodeSent> => {
    const existing = await findRow(tx, keyring, s.identifier);
    const issued = await issueCode(tx, keyring, {
      purpose: "signup",
      subject,
      now,
      payload: existing ? null : { displayName: s.name, locale: s.locale, passwordHash },
    });
    if (!issued.ok) {
      return { ...issued, message: CODE_MESSAGES.throttled };
    }
    const channel = s.identifier.kind === "phone" ? "sms" : "email";
    const locale: Locale = existing ? existing.locale : s.locale;
    const text = existing
      ? renderTemplate("account_exists", locale)
      : renderTemplate("signup_code", locale, { code: issued.code, minutes: CODE_TTL_MINUTES });
    await enqueueMessage(tx, {
      channel,
      to: s.identifier.value,
      subject: channel === "email" ? text.subject : undefined,
      body: text.body,
      locale,
      template: existing ? "account_exists" : "signup_code",
    });
    return { ok: true, channel, sentTo: sentTo(s.identifier) };
  });
}

export type CodeFailure = {
  ok: false;
  reason: "invalid_code" | "expired" | "too_many_attempts" | "no_code" | "already_registered";
  attemptsLeft?: number;
  message: string;
};

const codeInput = z.object({
  identifier: identifierSchema,
  code: z.string().trim().min(1, "Enter the code from the message"),
});

/** Step 2 of sign-up: the code from the message activates the account (role customer). */
export async function completeSignUp(
  sql: Sql,
  keyring: Keyring,
  input: { identifier: string; code: string },
  opts: { now?: Date } = {},
): Promise<{ ok: true; user: User } | CodeFailure> {
  const c = parseInput(codeInput, input);
  const now = opts.now ?? new Date();
  const subject = await subjectHash(keyring, c.identifier);
  const result = await sql.begin(async (tx) => {
    const r = await checkCode(tx, keyring, { purpose: "signup", subject, code: c.code, now });
    if (!r.ok) return { ...r, message: CODE_MESSAGES[r.reason] } as CodeFailure;
    const pending = r.payload as
      | { displayName: string; locale: Locale; passwordHash: string }
      | null;
    if (!pending || await findRow(tx, keyring, c.identifier)) {
      return {
        ok: false,
        reason: "already_registered",
        message: "This number or address already has an account. Sign in instead.",
      } as CodeFailure;
    }
    const id = await insertUser(tx, keyring, {
      email: c.identifier.kind === "email" ? c.identifier.value : undefined,
      phone: c.identifier.kind === "phone" ? c.identifier.value : undefined,
      displayName: pending.displayName,
      locale: pending.locale,
      passwordHash: pending.passwordHash,
      roles: ["customer"],
      now,
    });
    await appendAudit(tx, {
      actorId: id,
      action: "user.signed_up",
      entity: "user",
      entityId: id,
      data: { via: c.identifier.kind },
      at: now,
    });
    // Partners' webhooks (services/webhooks): customer.registered (an id, no personal data).
    await emitWebhookEvent(tx, {
      type: "customer.registered",
      data: { customerId: id, via: c.identifier.kind, locale: pending.locale },
      dedupeKey: `customer.registered:${id}`,
      at: now,
    });
    return { ok: true as const, id };
  });
  if (!result.ok) return result;
  return { ok: true, user: (await getUser(sql, keyring, result.id))! };
}

// ---------------------------------------------------------------------------------------------
// Sign-in

export type AuthResult =
  | {
    ok: true;
    user: User;
    /** TOTP is enabled: the session is not signed in until verifySecondFactor succeeds. */
    needsSecondFactor: boolean;
    /** The roles demand TOTP but none is enrolled: the web layer forces enrolment now. */
    mustEnrollSecondFactor: boolean;
  }
  | {
    ok: false;
    reason: "invalid" | "locked" | "throttled" | "disabled";
    retryAfterSeconds?: number;
    message: string;
  };

export const AUTH_MESSAGES = {
  invalid: "The phone number, email or password is not right.",
  locked: "Too many failed attempts: this account is locked for a while. Try again later " +
    "or reset your password.",
  throttled: "Too many failed attempts from your network. Wait a while and try again, or sign " +
    "in with a code sent to your phone or email.",
  disabled: "This account is disabled. Contact Smart Dairy if you think this is a mistake.",
} as const;

function authFailure(
  reason: "invalid" | "locked" | "throttled" | "disabled",
  retryAfterSeconds?: number,
): AuthResult {
  return retryAfterSeconds === undefined
    ? { ok: false, reason, message: AUTH_MESSAGES[reason] }
    : { ok: false, reason, retryAfterSeconds, message: AUTH_MESSAGES[reason] };
}

/** After the first factor: clears the failure count unless a second factor is still due. */
async function finishFirstFactor(
  sql: Sql,
  keyring: Keyring,
  row: Record<string, any>,
  ip: string,
  now: Date,
  newHash: string | null,
): Promise<AuthResult> {
  const user = await toUser(keyring, row);
  const needsSecondFactor = user.totpEnabled;
  await sql.begin(async (tx) => {
    if (newHash) await tx`update users set password_hash = ${newHash} where id = ${user.id}`;
    // With a second factor due, keep counting failures across both steps: a known password
    // must not reset the count that protects the TOTP code.
    if (!needsSecondFactor) await markSignedIn(tx, user, ip, now);
  });
  if (!needsSecondFactor) {
    Object.assign(user, { lastSignInAt: now, failedSignIns: 0, lockedUntil: null });
  }
  return {
    ok: true,
    user,
    needsSecondFactor,
    mustEnrollSecondFactor: !user.totpEnabled && requiresSecondFactor(user.roles),
  };
}

/** Records a completed sign-in (both factors): resets failures; audits staff sign-ins. */
export async function markSignedIn(tx: Tx, user: User, ip: string, now: Date): Promise<void> {
  await tx`
    update users set failed_sign_ins = 0, locked_until = null, last_sign_in_at = ${now},
                     updated_at = ${now}
    where id = ${user.id}`;
  if (isStaff(user.roles)) {
    await appendAudit(tx, {
      actorId: user.id,
      action: "user.signed_in",
      entity: "user",
      entityId: user.id,
      data: { ip },
      at: now,
    });
  }
}

/**
 * Password sign-in. Unknown accounts and wrong passwords get the same answer and about the same
 * work (a dummy hash is verified). Throttling (services/identity/lockout.ts) is per account and
 * address, with a slower per-account back-off that never stops an address without failures:
 * failures from other addresses cannot lock the owner out. 20 failures from one address in 15
 * minutes throttle the address for every account.
 */
export async function authenticate(
  sql: Sql,
  keyring: Keyring,
  input: { identifier: string; password: string; ip: string; now?: Date },
): Promise<AuthResult> {
  const now = input.now ?? new Date();
  const ip = input.ip?.trim() || "unknown";
  const throttled = await addressThrottle(sql, ip, now);
  if (throttled !== null) return authFailure("throttled", throttled);
  const parsed = tryParseIdentifier(input.identifier ?? "");
  const row = parsed.ok ? await findRow(sql, keyring, parsed.identifier) : null;
  const password = String(input.password ?? "");
  if (!row) {
    await verifyPassword(password, await dummyHash());
    await recordAddressFailure(sql, ip, now);
    return authFailure("invalid");
  }
  if (row.status === "locked") {
    await recordAddressFailure(sql, ip, now);
    return authFailure("locked");
  }
  // A lock set by wrong second factors (only someone with the password gets that far).
  const left = lockSecondsLeft(row.locked_until, now);
  if (left !== null) {
    await recordAddressFailure(sql, ip, now);
    return authFailure("locked", left);
  }
  const brake = await passwordThrottle(sql, row.id, ip, now);
  if (brake.throttled) return authFailure("throttled", brake.retryAfterSeconds);
  if (!(await verifyPassword(password, row.password_hash))) {
    const { retryAfterSeconds } = await sql.begin((tx) =>
      recordPasswordFailure(tx, row.id, ip, now)
    );
    return retryAfterSeconds ? authFailure("throttled", retryAfterSeconds) : authFailure("invalid");
  }
  if (row.status === "disabled") return authFailure("disabled");
  await clearPairFailures(sql, row.id, ip);
  const newHash = needsRehash(row.password_hash) ? await hashPassword(password) : null;
  return finishFirstFactor(sql, keyring, row, ip, now, newHash);
}

/** Sign-in by a code sent to the phone or email (no password): step 1. */
export async function startCodeSignIn(
  sql: Sql,
  keyring: Keyring,
  input: { identifier: string },
  opts: { now?: Date } = {},
): Promise<CodeSent> {
  return await sendAccountCode(sql, keyring, input, opts, {
    purpose: "signin",
    usable: (status) => status === "active",
  });
}

/**
 * Step 1 of sign-in by code and of password reset: issues a code for the identifier and sends
 * it when the account exists and is `usable`. An unknown identifier gets the same answer, and no
 * message.
 */
async function sendAccountCode(
  sql: Sql,
  keyring: Keyring,
  input: { identifier: string },
  opts: { now?: Date },
  how: { purpose: "signin" | "reset"; usable: (status: string) => boolean },
): Promise<CodeSent> {
  const { identifier } = parseInput(z.object({ identifier: identifierSchema }), input);
  const now = opts.now ?? new Date();
  const subject = await subjectHash(keyring, identifier);
  const template = how.purpose === "signin" ? "signin_code" : "reset_code";
  return await sql.begin(async (tx): Promise<CodeSent> => {
    const row = await findRow(tx, keyring, identifier);
    const usable = row && how.usable(row.status);
    const issued = await issueCode(tx, keyring, {
      purpose: how.purpose,
      subject,
      userId: usable ? row.id : null,
      now,
    });
    if (!issued.ok) return { ...issued, message: CODE_MESSAGES.throttled };
    if (usable) {
      const channel = identifier.kind === "phone" ? "sms" : "email";
      const text = renderTemplate(template, row.locale, {
        code: issued.code,
        minutes: CODE_TTL_MINUTES,
      });
      await enqueueMessage(tx, {
        channel,
        to: identifier.value,
        subject: channel === "email" ? text.subject : undefined,
        body: text.body,
        locale: row.locale,
        template,
      });
    }
    return {
      ok: true,
      channel: identifier.kind === "phone" ? "sms" : "email",
      sentTo: sentTo(identifier),
    };
  });
}

/** Sign-in by code: step 2. Same result shape as authenticate. */
export async function completeCodeSignIn(
  sql: Sql,
  keyring: Keyring,
  input: { identifier: string; code: string; ip: string; now?: Date },
): Promise<AuthResult | CodeFailure> {
  const c = parseInput(codeInput, input);
  const now = input.now ?? new Date();
  const ip = input.ip?.trim() || "unknown";
  const throttled = await addressThrottle(sql, ip, now);
  if (throttled !== null) return authFailure("throttled", throttled);
  const subject = await subjectHash(keyring, c.identifier);
  const r = await sql.begin((tx) =>
    checkCode(tx, keyring, { purpose: "signin", subject, code: c.code, now })
  );
  if (!r.ok || !r.userId) {
    await recordAddressFailure(sql, ip, now);
    const reason = r.ok ? "invalid_code" : r.reason;
    return {
      ok: false,
      reason,
      attemptsLeft: r.ok ? undefined : r.attemptsLeft,
      message: CODE_MESSAGES[reason],
    };
  }
  const [row] = await sql`${USER_SELECT(sql)} where u.id = ${r.userId}`;
  if (!row || row.status === "disabled") return authFailure("disabled");
  if (row.status === "locked") return authFailure("locked");
  const left = lockSecondsLeft(row.locked_until, now);
  if (left !== null) return authFailure("locked", left);
  return finishFirstFactor(sql, keyring, row, ip, now, null);
}

// ---------------------------------------------------------------------------------------------
// Passwords

/** Password reset step 1: sends a code if the account exists; the same answer if it does not. */
export async function startPasswordReset(
  sql: Sql,
  keyring: Keyring,
  input: { identifier: string },
  opts: { now?: Date } = {},
): Promise<CodeSent> {
  return await sendAccountCode(sql, keyring, input, opts, {
    purpose: "reset",
    usable: (status) => status !== "disabled",
  });
}

/**
 * Password reset step 2: a right code sets the new password, clears any lock, and returns the
 * user id: the caller then revokes every session of that user. Throws ValidationError when the
 * new password breaks the policy (the code is not used up by that).
 */
export async function completePasswordReset(
  sql: Sql,
  keyring: Keyring,
  input: { identifier: string; code: string; newPassword: string },
  opts: { now?: Date } = {},
): Promise<{ ok: true; userId: string } | CodeFailure> {
  const c = parseInput(codeInput, input);
  const now = opts.now ?? new Date();
  const existing = await findRow(sql, keyring, c.identifier);
  const phone = existing?.phone_enc
    ? await decryptField(keyring, existing.phone_enc, PHONE_AAD)
    : null;
  const password = parseInput(
    z.object({ newPassword: passwordSchema([c.identifier.value, existing?.email, phone]) }),
    { newPassword: input.newPassword },
  ).newPassword;
  const passwordHash = await hashPassword(password);
  const subject = await subjectHash(keyring, c.identifier);
  return await sql.begin(async (tx) => {
    const r = await checkCode(tx, keyring, { purpose: "reset", subject, code: c.code, now });
    if (!r.ok) return { ...r, message: CODE_MESSAGES[r.reason] } as CodeFailure;
    if (!r.userId) {
      return {
        ok: false,
        reason: "invalid_code",
        message: CODE_MESSAGES.invalid_code,
      } as CodeFailure;
    }
    await tx`
      update users set password_hash = ${passwordHash}, password_changed_at = ${now},
                       failed_sign_ins = 0, locked_until = null, updated_at = ${now}
      where id = ${r.userId}`;
    await appendAudit(tx, {
      actorId: r.userId,
      action: "user.password_reset",
      entity: "user",
      entityId: r.userId,
      at: now,
    });
    return { ok: true as const, userId: r.userId as string };
  });
}

/**
 * A signed-in user changes their password. On success the caller revokes the user's other
 * sessions (passwordChangedAt moves); the owner also gets a notice by SMS or email.
 */
export async function changePassword(
  sql: Sql,
  keyring: Keyring,
  input: { userId: string; currentPassword: string; newPassword: string; now?: Date },
): Promise<{ ok: true } | { ok: false; reason: "wrong_password" | "locked"; message: string }> {
  const now = input.now ?? new Date();
  const user = await getUser(sql, keyring, input.userId);
  if (!user) throw new NotFoundError("No such user");
  if (lockSecondsLeft(user.lockedUntil, now) !== null) {
    return { ok: false, reason: "locked", message: AUTH_MESSAGES.locked };
  }
  const [row] = await sql`select password_hash from users where id = ${user.id}`;
  if (!(await verifyPassword(input.currentPassword ?? "", row.password_hash))) {
    await sql.begin((tx) => recordAccountFailure(tx, user.id, now, "password"));
    return { ok: false, reason: "wrong_password", message: "Your current password is not right." };
  }
  const password = parseInput(
    z.object({ newPassword: passwordSchema([user.email, user.phone]) }),
    { newPassword: input.newPassword },
  ).newPassword;
  if (await verifyPassword(password, row.password_hash)) {
    throw new ValidationError({ newPassword: "Choose a different password from your current one" });
  }
  const passwordHash = await hashPassword(password);
  await sql.begin(async (tx) => {
    await tx`
      update users set password_hash = ${passwordHash}, password_changed_at = ${now},
                       failed_sign_ins = 0, updated_at = ${now}
      where id = ${user.id}`;
    await appendAudit(tx, {
      actorId: user.id,
      action: "user.password_changed",
      entity: "user",
      entityId: user.id,
      at: now,
    });
    const text = renderTemplate("password_changed", user.locale);
    const channel = user.email ? "email" : "sms";
    await enqueueMessage(tx, {
      channel,
      to: (user.email ?? user.phone)!,
      subject: channel === "email" ? text.subject : undefined,
      body: text.body,
      locale: user.locale,
      template: "password_changed",
    });
  });
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Administration (re-checks the actor's permission: the route checked it too)

async function activeAdminsOtherThan(tx: Tx, userId: string): Promise<number> {
  const [{ n }] = await tx`
    select count(*)::int as n from user_roles r join users u on u.id = r.user_id
    where r.role = 'admin' and u.status = 'active' and u.id <> ${userId}`;
  return n;
}

/** Replaces a user's roles. Needs users.manage; never leaves the system without an admin. */
export async function setRoles(
  sql: Sql,
  actorId: string,
  userId: string,
  roles: readonly Role[],
  opts: { now?: Date } = {},
): Promise<Role[]> {
  const next = [...new Set(parseInput(z.array(z.enum(ROLES)), roles))].sort();
  const now = opts.now ?? new Date();
  return await sql.begin(async (tx) => {
    assertCan(await rolesOf(tx, actorId), "users.manage");
    const [target] = await tx`select id from users where id = ${
      UUID.test(userId) ? userId : null
    }::uuid for update`;
    if (!target) throw new NotFoundError("No such user");
    const before = (await tx`select role from user_roles where user_id = ${userId} order by role`)
      .map((r) => r.role as Role);
    if (
      before.includes("admin") && !next.includes("admin") &&
      await activeAdminsOtherThan(tx, userId) === 0
    ) {
      throw new ConflictError("At least one active administrator must remain", "roles");
    }
    await tx`delete from user_roles where user_id = ${userId} and role <> all(${next})`;
    for (const role of next) {
      await tx`
        insert into user_roles (user_id, role, granted_at, granted_by)
        values (${userId}, ${role}, ${now}, ${actorId})
        on conflict (user_id, role) do nothing`;
    }
    await appendAudit(tx, {
      actorId,
      action: "user.roles_set",
      entity: "user",
      entityId: userId,
      data: { before, after: next },
      at: now,
    });
    return next;
  });
}

/**
 * Activates, disables or locks an account (needs users.manage). Activating also lifts an
 * automatic lock. Nobody disables or locks themselves, nor the last active administrator.
 */
export async function setUserStatus(
  sql: Sql,
  actorId: string,
  userId: string,
  status: UserStatus,
  opts: { now?: Date } = {},
): Promise<void> {
  const next = parseInput(z.enum(["active", "disabled", "locked"]), status);
  const now = opts.now ?? new Date();
  await sql.begin(async (tx) => {
    assertCan(await rolesOf(tx, actorId), "users.manage");
    const [target] = await tx`
      select u.id, u.status, exists(select 1 from user_roles r where r.user_id = u.id and r.role = 'admin') as admin
      from users u where u.id = ${UUID.test(userId) ? userId : null}::uuid for update`;
    if (!target) throw new NotFoundError("No such user");
    if (next !== "active" && userId === actorId) {
      throw new ConflictError("You cannot disable or lock your own account", "status");
    }
    if (next !== "active" && target.admin && await activeAdminsOtherThan(tx, userId) === 0) {
      throw new ConflictError("At least one active administrator must remain", "status");
    }
    await tx`
      update users set status = ${next}, updated_at = ${now},
        failed_sign_ins = case when ${next} = 'active' then 0 else failed_sign_ins end,
        locked_until = case when ${next} = 'active' then null else locked_until end
      where id = ${userId}`;
    await appendAudit(tx, {
      actorId,
      action: "user.status_set",
      entity: "user",
      entityId: userId,
      data: { before: target.status, after: next },
      at: now,
    });
  });
}

export interface UserQuery {
  /** Part of a name or email, or a whole phone number. */
  q?: string;
  role?: Role;
  status?: UserStatus;
  /** true: staff only; false: customers only. */
  staff?: boolean;
  limit?: number;
  offset?: number;
}

const STAFF_ROLE_LIST = ROLES.filter((r) => isStaff([r]));

/** For the admin users page: newest first, with the total for paging. */
export async function listUsers(
  sql: Sql,
  keyring: Keyring,
  query: UserQuery = {},
): Promise<{ rows: User[]; total: number }> {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const offset = Math.max(query.offset ?? 0, 0);
  const q = query.q?.trim() || null;
  const parsed = q ? tryParseIdentifier(q) : null;
  const phoneHash = parsed?.ok && parsed.identifier.kind === "phone"
    ? await phoneIndex(keyring, parsed.identifier.value)
    : null;
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => "\\" + c)}%` : null;
  const staff = query.staff === undefined ? null : query.staff;
  const where = sql`
    where (${query.status ?? null}::text is null or u.status = ${query.status ?? null})
      and (${query.role ?? null}::text is null or exists (
        select 1 from user_roles r where r.user_id = u.id and r.role = ${query.role ?? null}))
      and (${staff}::boolean is null or ${staff}::boolean = exists (
        select 1 from user_roles r where r.user_id = u.id and r.role in ${sql(STAFF_ROLE_LIST)}))
      and (${q}::text is null
        or u.phone_hash = ${phoneHash}
        or u.email ilike ${like} or u.display_name ilike ${like})`;
  const rows = await sql`
    ${USER_SELECT(sql)} ${where} order by u.created_at desc, u.id limit ${limit} offset ${offset}`;
  const [{ total }] = await sql`select count(*)::int as total from users u ${where}`;
  return { rows: await Promise.all(rows.map((r) => toUser(keyring, r))), total };
}

/**
 * Key rotation: re-encrypts every phone number and TOTP secret not yet under the keyring's
 * current key. Safe to run again (rows already current are skipped).
 */
export async function reencryptUserFields(
  sql: Sql,
  keyring: Keyring,
): Promise<{ updated: number }> {
  const prefix = `v1.${keyring.currentId}.%`;
  let updated = 0;
  while (true) {
    const n = await sql.begin(async (tx) => {
      const rows = await tx`
        select id, phone_enc, totp_secret_enc from users
        where phone_enc not like ${prefix} or totp_secret_enc not like ${prefix}
        limit 200 for update skip locked`;
      for (const r of rows) {
        const phone = r.phone_enc ? await reencrypt(keyring, r.phone_enc, PHONE_AAD) : null;
        const totp = r.totp_secret_enc
          ? await reencrypt(keyring, r.totp_secret_enc, TOTP_AAD)
          : null;
        await tx`
          update users set phone_enc = coalesce(${phone}, phone_enc),
                           totp_secret_enc = coalesce(${totp}, totp_secret_enc)
          where id = ${r.id}`;
      }
      return rows.length;
    });
    updated += n;
    if (n < 200) break;
  }
  return { updated };
}
