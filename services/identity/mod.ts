/**
 * The identity context's door: accounts, sign-up, sign-in (password and one-time code), password
 * reset and change, sessions (Deno KV), TOTP second factor and step-up, the users admin, and the
 * one table of roles and permissions (roles.ts).
 *
 * main.ts builds it once: `createIdentity({ sql, kv, keyring, clock, notify, audit })`. Routes and
 * plugins call its use cases (`ctx.state.deps.identity.authenticate(…)`) and import only this
 * module; its own files own the tables users, user_roles, one_time_codes, recovery_codes,
 * login_failures and the KV namespaces ["session"], ["user_sessions"]. Codes and notices go out
 * through notify's `enqueueMessage(tx, …)`, audit rows through audit's `appendAudit(tx, …)`,
 * both in identity's own transactions.
 *
 * Time: every use case takes `now` from the session store's clock (`identity.now()`), which is
 * `clock` unless a test moved the store's clock (configureSessionStore).
 *
 * Permissions: routes check them (plugins/session.ts requirePermission with `can`); the use cases
 * that change other people's accounts (setRoles, setUserStatus, resetSecondFactor,
 * createUserByAdmin) re-check the actor's permission in their transaction (assertCan).
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import type { Audit } from "@/services/audit/mod.ts";
import type { Notify } from "@/services/notify/mod.ts";
import * as users from "./users.ts";
import * as totp from "./totp.ts";
import * as guest from "./guest.ts";
import { type SessionStore, sessionStore, type SessionUser } from "./sessions.ts";
import { assertCan, isStaff, type Role } from "./roles.ts";
import { DeviceStore } from "./devices.ts";
import * as passkeys from "./passkeys.ts";
import * as social from "./oidc.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import * as privacy from "./privacy.ts";

/** The one table of roles and permissions, and the checks on it. */
export * from "./roles.ts";
export {
  formatPhone,
  type Identifier,
  maskPhone,
  normalizeEmail,
  normalizePhone,
} from "./identifiers.ts";
export { generatePassword, PASSWORD_MAX, PASSWORD_MIN } from "./passwords.ts";
export {
  FRESH_SECOND_FACTOR_MS,
  RECHECK_EVERY_MS,
  type Session,
  type SessionStage,
  type SessionStore,
  type SessionUser,
} from "./sessions.ts";
export type { Passkey, RelyingParty } from "./passkeys.ts";
export { SOCIAL_PROVIDERS, type SocialClient, socialClients, type SocialProvider } from "./oidc.ts";
export { needsFakeSocial, startFakeSocial } from "./fakes/oidc.ts";
export { DEVICE_TOKEN_MS, type RememberedDevice } from "./devices.ts";
export { formatWhen, type IdentityMessages, waitText } from "./messages.ts";
export type {
  AuthResult,
  CodeFailure,
  CodeSent,
  CreateUserInput,
  Locale,
  SignUpInput,
  User,
  UserQuery,
  UserStatus,
} from "./users.ts";
export type { EnrollResult, SecondFactorResult } from "./totp.ts";
export type { GuestCodeResult } from "./guest.ts";

export interface IdentityDeps {
  sql: Sql;
  kv: Deno.Kv;
  keyring: Keyring;
  /**
   * The composition root's clock. Identity's own time is the session store's clock (the system
   * clock unless a test moved it with configureSessionStore), so that a session's age and a
   * code's expiry are measured on one clock.
   */
  clock?: { now(): Date };
  /** Codes and notices go out through notify (`enqueueMessage` in identity's transactions). */
  notify?: Notify;
  /** Audit rows through audit (`appendAudit` in identity's transactions). */
  audit?: Audit;
}

/** What a session keeps of the account (ctx.state.user). */
export function toSessionUser(u: users.User): SessionUser {
  return { id: u.id, displayName: u.displayName, roles: [...u.roles], locale: u.locale };
}

/** The identity use cases (see the module comment). */
export function createIdentity(deps: IdentityDeps) {
  const { sql, kv, keyring } = deps;
  const sessions = (): SessionStore => sessionStore(kv);
  /** Now, by the session store's clock (a test that moves it moves every use case). */
  const now = () => new Date(sessions().now());
  const at = <T extends { now?: Date }>(o: T = {} as T): T => ({ ...o, now: o.now ?? now() });
  /** `f(sql, keyring, input, opts)` with `opts.now` from the identity clock. */
  const withOpts =
    <I, R>(f: (s: Sql, k: Keyring, input: I, opts?: { now?: Date }) => R) =>
    (input: I, opts: { now?: Date } = {}): R => f(sql, keyring, input, at(opts));
  /** `f(sql, keyring, input)` with `input.now` from the identity clock. */
  const withNow =
    <I extends { now?: Date }, R>(f: (s: Sql, k: Keyring, input: I) => R) => (input: I): R =>
      f(sql, keyring, at(input));

  return {
    /** The session store (KV): create, get, update, destroy, list a user's sessions. */
    get sessions(): SessionStore {
      return sessions();
    },
    now,

    // ---- remembered devices ("keep me signed in") and session limits ----
    /** Remembered-device tokens (KV; see devices.ts), on the session store's clock. */
    get devices(): DeviceStore {
      return new DeviceStore(kv, () => sessions().now());
    },
    /** Whether an account may keep a device signed in: customers only, never staff. */
    mayRememberDevice: (roles: readonly Role[]): boolean => !isStaff(roles),
    /**
     * Uses a remembered-device token once (it rotates): the account, if it is still active, not
     * staff, and its password has not changed since the device was remembered; then a new token
     * for the cookie. Null otherwise (the device is forgotten).
     */
    async resumeFromDevice(
      token: string | null | undefined,
      meta: { userAgent?: string | null; ip?: string | null },
    ): Promise<{ user: users.User; token: string } | null | "raced"> {
      const store = new DeviceStore(kv, () => sessions().now());
      const r = await store.rotate(token, meta);
      if (!r || r === "raced") return r;
      const u = await users.getUser(sql, keyring, r.device.userId);
      if (
        !u || u.status !== "active" || isStaff(u.roles) ||
        u.passwordChangedAt.getTime() > r.device.rememberedAt
      ) {
        await store.forget(r.device.userId, r.device.id);
        return null;
      }
      return { user: u, token: r.token };
    },
    /**
     * Staff may hold at most `max` signed-in sessions: the oldest beyond that end (not `keepId`),
     * each audited as `user.session_limit`. Returns how many ended.
     */
    async limitStaffSessions(userId: string, roles: readonly Role[], keepId: string, max: number) {
      if (!isStaff(roles)) return 0;
      const live = (await sessions().listForUser(userId)).filter((s) => s.stage === "signed_in");
      const others = live.filter((s) => s.id !== keepId); // newest first
      const ended = others.slice(Math.max(0, max - 1));
      for (const s of ended) {
        await sessions().destroy(s.id, userId);
        await (deps.audit?.append ?? appendAudit)(sql, {
          actorId: userId,
          action: "user.session_limit",
          entity: "user",
          entityId: userId,
          data: { sessionId: s.id, startedAt: new Date(s.createdAt).toISOString(), max },
          at: now(),
        });
      }
      return ended.length;
    },

    // ---- passkeys (WebAuthn; see passkeys.ts) ----
    listPasskeys: (userId: string) => passkeys.listPasskeys(sql, userId),
    /** Options for registering a passkey (null when the account is gone). */
    async passkeyRegistrationOptions(userId: string, rp: passkeys.RelyingParty) {
      const u = await users.getUser(sql, keyring, userId);
      return u ? await passkeys.registrationOptions(sql, kv, u, rp) : null;
    },
    registerPasskey: (input: {
      userId: string;
      response: unknown;
      name: string;
      rp: passkeys.RelyingParty;
    }) => passkeys.registerPasskey(sql, kv, { ...input, now: now() }),
    passkeySignInOptions: (rp: passkeys.RelyingParty) => passkeys.signInOptions(kv, rp),
    signInWithPasskey: (input: { response: unknown; rp: passkeys.RelyingParty; ip: string }) =>
      passkeys.signInWithPasskey(sql, kv, keyring, { ...input, now: now() }),
    deletePasskey: (userId: string, id: string) => passkeys.deletePasskey(sql, userId, id),

    // ---- sign in with Google / Facebook (OpenID Connect; see oidc.ts) ----
    startSocialSignIn: (
      provider: social.SocialProvider,
      client: social.SocialClient,
      input: { redirectUri: string; next: string; remember: boolean },
    ) => social.startSocialSignIn(kv, provider, client, input),
    completeSocialSignIn: (
      provider: social.SocialProvider,
      client: social.SocialClient,
      input: { callback: URL; ip: string; locale: "en" | "bn" },
    ) => social.completeSocialSignIn(sql, kv, keyring, provider, client, { ...input, now: now() }),

    // ---- accounts ----
    getUser: (id: string) => users.getUser(sql, keyring, id),
    /** Display names by account id, in one query (for lists that name people). */
    displayNames: (ids: readonly string[]) => users.displayNames(sql, ids),
    /**
     * How to reach an account's owner (for other contexts: receipts, payment pages), or null.
     * The phone is decrypted (E.164).
     */
    async contactOf(userId: string) {
      const u = await users.getUser(sql, keyring, userId);
      return u
        ? { displayName: u.displayName, email: u.email, phone: u.phone, locale: u.locale }
        : null;
    },
    findUserByIdentifier: (identifier: string) =>
      users.findUserByIdentifier(sql, keyring, identifier),
    listUsers: (query: users.UserQuery = {}) => users.listUsers(sql, keyring, query),
    /** Needs users.manage (re-checked); the audit row names the actor. */
    createUserByAdmin: (actorId: string, input: users.CreateUserInput) =>
      users.createUserByAdmin(sql, keyring, actorId, input, at()),
    /** Needs users.manage (re-checked); open sessions get the new roles at once. */
    async setRoles(actorId: string, userId: string, roles: readonly Role[]): Promise<Role[]> {
      const out = await users.setRoles(sql, actorId, userId, roles, at());
      const fresh = await users.getUser(sql, keyring, userId);
      if (fresh) await sessions().refreshUser(userId, toSessionUser(fresh));
      return out;
    },
    /** Needs users.manage (re-checked); a disabled or locked account is signed out everywhere. */
    async setUserStatus(actorId: string, userId: string, status: users.UserStatus): Promise<void> {
      await users.setUserStatus(sql, actorId, userId, status, at());
      if (status !== "active") await sessions().destroyAllForUser(userId);
      if (status !== "active") await new DeviceStore(kv, () => sessions().now()).forgetAll(userId);
    },
    /** An administrator ends every session of an account (audited); returns how many. */
    async endSessions(actorId: string, userId: string): Promise<number> {
      const when = now();
      await sql.begin(async (tx) => {
        assertCan(await users.rolesOf(tx, actorId), "users.manage");
      });
      const n = await sessions().destroyAllForUser(userId);
      await (deps.audit?.append ?? appendAudit)(sql, {
        actorId,
        action: "user.sessions_ended",
        entity: "user",
        entityId: userId,
        data: { count: n },
        at: when,
      });
      return n;
    },

    // ---- sign-up, sign-in, reset ----
    startSignUp: withOpts(users.startSignUp),
    completeSignUp: withOpts(users.completeSignUp),
    authenticate: withNow(users.authenticate),
    startCodeSignIn: withOpts(users.startCodeSignIn),
    completeCodeSignIn: withNow(users.completeCodeSignIn),
    startPasswordReset: withOpts(users.startPasswordReset),
    /** Remembered devices of the account are forgotten too. */
    async completePasswordReset(
      input: Parameters<typeof users.completePasswordReset>[2],
      opts: { now?: Date } = {},
    ) {
      const r = await users.completePasswordReset(sql, keyring, input, at(opts));
      if (r.ok) await new DeviceStore(kv, () => sessions().now()).forgetAll(r.userId);
      return r;
    },
    /** Remembered devices of the account are forgotten too. */
    async changePassword(input: Parameters<typeof users.changePassword>[2]) {
      const r = await users.changePassword(sql, keyring, at(input));
      if (r.ok) await new DeviceStore(kv, () => sessions().now()).forgetAll(input.userId);
      return r;
    },
    /** Guest checkout: a code to the phone; confirming it signs in or creates the account. */
    startGuestCode: withOpts(guest.startGuestCode),
    completeGuestCode: withNow(guest.completeGuestCode),

    // ---- second factor ----
    startTotpEnrollment: (userId: string) => totp.startTotpEnrollment(sql, keyring, userId),
    confirmTotpEnrollment: withNow(totp.confirmTotpEnrollment),
    verifySecondFactor: withNow(totp.verifySecondFactor),
    regenerateRecoveryCodes: (userId: string) =>
      totp.regenerateRecoveryCodes(sql, keyring, userId, at()),
    recoveryCodesLeft: (userId: string) => totp.recoveryCodesLeft(sql, userId),
    /** Needs users.manage (re-checked); the account is signed out everywhere. */
    async resetSecondFactor(actorId: string, userId: string): Promise<void> {
      await totp.resetSecondFactor(sql, actorId, userId, at());
      await sessions().destroyAllForUser(userId);
    },

    // ---- privacy (services/privacy) ----
    /** The customer's own account data, for their download. */
    exportCustomer: (userId: string) => privacy.exportCustomer(sql, keyring, userId),
    /** Erases the account's personal fields, disables it, ends its sessions (counts). */
    anonymiseCustomer: (userId: string) =>
      privacy.anonymiseCustomer(sql, keyring, sessions(), userId, now()),
  };
}

export type Identity = ReturnType<typeof createIdentity>;
