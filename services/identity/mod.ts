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
import { type SessionStore, sessionStore, type SessionUser } from "./sessions.ts";
import { assertCan, type Role } from "./roles.ts";
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
    completePasswordReset: withOpts(users.completePasswordReset),
    changePassword: withNow(users.changePassword),

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
