/**
 * Sessions in Deno KV.
 *
 * The browser holds a random 256-bit token; KV stores the session under the SHA-256 of that token
 * (the session's `id`), so a copy of the KV store holds no usable cookies and the id can be shown
 * and posted (e.g. "end this session") without being a credential. An index
 * `["user_sessions", userId, id]` lists a user's sessions, to show them and to revoke them all.
 *
 * Limits: 30 minutes idle and 12 hours absolute (a pending second-factor step: 10 minutes). The
 * last-seen time is written at most once a minute, so an active visitor costs one KV read per
 * request and one write per minute. The clock is injectable (tests move it).
 */
import { keys } from "@/services/platform/kv.ts";
import type { Role } from "./roles.ts";
import type { Locale } from "./users.ts";

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** Between the password and the second factor. */
export const PENDING_SESSION_MS = 10 * 60_000;
/** Write lastSeenAt at most this often. */
const TOUCH_EVERY_MS = 60_000;
/** Re-read the user (roles, status, password change) at least this often. */
export const RECHECK_EVERY_MS = 5 * 60_000;
/** A sensitive operation needs a second factor at most this old (step-up). */
export const FRESH_SECOND_FACTOR_MS = 5 * 60_000;
/** Oldest sessions beyond this many per user are ended. */
export const MAX_SESSIONS_PER_USER = 20;

/** The signed-in user as routes see it (ctx.state.user). */
export interface SessionUser {
  id: string;
  displayName: string;
  roles: Role[];
  locale: Locale;
}

export type SessionStage =
  /** Fully signed in. */
  | "signed_in"
  /** Password (or code) accepted; the TOTP or recovery code is still due. Not signed in. */
  | "second_factor";

export interface Session {
  /** SHA-256 of the cookie token (base64url): safe to show, post and log. */
  id: string;
  stage: SessionStage;
  user: SessionUser;
  /** TOTP is enrolled for the account (as of the last check). */
  totpEnabled: boolean;
  /** When the second factor was verified in this session (or enrolled in it); null if not. */
  secondFactorAt: number | null;
  /**
   * The latest second factor in this session, including step-ups for sensitive operations
   * (requireFreshSecondFactor in plugins/session.ts); absent until the first step-up.
   */
  mfaAt?: number | null;
  createdAt: number;
  lastSeenAt: number;
  /** Absolute end. */
  expiresAt: number;
  /** When the user record was last compared with the database. */
  checkedAt: number;
  userAgent: string;
  ip: string;
  /** For a pending second-factor step: where to go afterwards. */
  next?: string;
  /** TOTP enrolment in progress: the secret to show again on reload (cleared when confirmed). */
  enrolment?: { secret: string; uri: string; startedAt: number } | null;
  /**
   * Opened silently by a remembered-device token, not by a sign-in: changing the password, the
   * address book or saved payment methods asks for a fresh sign-in (requireRecentSignIn).
   */
  resumed?: boolean;
  /** A pending second-factor step: the person ticked "keep me signed in on this device". */
  remember?: boolean;
}

export interface SessionStoreOptions {
  /** Epoch milliseconds; tests move it. */
  now?: () => number;
  idleMs?: number;
  absoluteMs?: number;
}

export interface NewSession {
  user: SessionUser;
  stage: SessionStage;
  totpEnabled: boolean;
  secondFactorAt?: number | null;
  userAgent?: string | null;
  ip?: string | null;
  next?: string;
  resumed?: boolean;
  remember?: boolean;
}

const enc = new TextEncoder();

function b64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

/** The session id for a cookie token. */
export async function sessionIdOf(token: string): Promise<string> {
  return b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(token))));
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export class SessionStore {
  readonly now: () => number;
  readonly idleMs: number;
  readonly absoluteMs: number;

  constructor(readonly kv: Deno.Kv, opts: SessionStoreOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.idleMs = opts.idleMs ?? SESSION_IDLE_MS;
    this.absoluteMs = opts.absoluteMs ?? SESSION_ABSOLUTE_MS;
  }

  /** KV may drop the entry once neither limit can still be met. */
  #expireIn(s: Session, now: number): number {
    const idleEnd = s.stage === "signed_in"
      ? s.lastSeenAt + this.idleMs + TOUCH_EVERY_MS
      : Infinity;
    return Math.max(Math.min(s.expiresAt, idleEnd) - now, 1000);
  }

  /** Starts a session; returns the token for the cookie (shown nowhere else) and the session. */
  async create(input: NewSession): Promise<{ token: string; session: Session }> {
    const token = b64url(crypto.getRandomValues(new Uint8Array(32)));
    const now = this.now();
    const session: Session = {
      id: await sessionIdOf(token),
      stage: input.stage,
      user: input.user,
      totpEnabled: input.totpEnabled,
      secondFactorAt: input.secondFactorAt ?? null,
      mfaAt: input.secondFactorAt ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + (input.stage === "signed_in" ? this.absoluteMs : PENDING_SESSION_MS),
      checkedAt: now,
      userAgent: (input.userAgent ?? "").slice(0, 300),
      ip: (input.ip ?? "").slice(0, 64),
      next: input.next,
      enrolment: null,
      ...(input.resumed ? { resumed: true } : {}),
      ...(input.remember ? { remember: true } : {}),
    };
    const expireIn = this.#expireIn(session, now);
    const res = await this.kv.atomic()
      .check({ key: keys.session(session.id), versionstamp: null })
      .set(keys.session(session.id), session, { expireIn })
      .set(keys.userSessions(session.user.id, session.id), { createdAt: now }, {
        expireIn: session.expiresAt - now,
      })
      .commit();
    if (!res.ok) throw new Error("session id collision"); // 256 random bits: never in practice
    if (session.stage === "signed_in") await this.#trim(session.user.id);
    return { token, session };
  }

  /** The live session for a cookie token, or null (unknown, malformed, idle or past its end). */
  async get(token: string | undefined | null): Promise<Session | null> {
    if (!token || !TOKEN_SHAPE.test(token)) return null;
    return await this.getById(await sessionIdOf(token));
  }

  async getById(id: string): Promise<Session | null> {
    const entry = await this.kv.get<Session>(keys.session(id));
    const s = entry.value;
    if (!s) return null;
    if (!this.isLive(s)) {
      await this.destroy(s.id, s.user.id);
      return null;
    }
    return s;
  }

  isLive(s: Session, now = this.now()): boolean {
    if (now >= s.expiresAt) return false;
    return s.stage !== "signed_in" || now - s.lastSeenAt < this.idleMs;
  }

  /** Records activity (at most once a minute). */
  async touch(s: Session): Promise<Session> {
    const now = this.now();
    if (now - s.lastSeenAt < TOUCH_EVERY_MS) return s;
    return (await this.update(s.id, (cur) => ({ ...cur, lastSeenAt: now }))) ?? s;
  }

  /** Changes a live session (check-and-set, retried); null when it is gone meanwhile. */
  async update(id: string, fn: (s: Session) => Session): Promise<Session | null> {
    const key = keys.session(id);
    for (let attempt = 0; attempt < 10; attempt++) {
      const entry = await this.kv.get<Session>(key);
      if (!entry.value || !this.isLive(entry.value)) return null;
      const next = fn(entry.value);
      const res = await this.kv.atomic().check(entry).set(key, next, {
        expireIn: this.#expireIn(next, this.now()),
      }).commit();
      if (res.ok) return next;
    }
    throw new Error(`session ${id} kept changing under us`);
  }

  /** Ends one session. */
  async destroy(id: string, userId?: string): Promise<void> {
    const uid = userId ?? (await this.kv.get<Session>(keys.session(id))).value?.user.id;
    const op = this.kv.atomic().delete(keys.session(id));
    if (uid) op.delete(keys.userSessions(uid, id));
    await op.commit();
  }

  /** A user's live sessions, newest first (stale index entries are cleaned up on the way). */
  async listForUser(userId: string): Promise<Session[]> {
    const ids: string[] = [];
    for await (const e of this.kv.list({ prefix: keys.userSessionsPrefix(userId) })) {
      ids.push(String(e.key[2]));
    }
    const out: Session[] = [];
    for (let i = 0; i < ids.length; i += 10) {
      const chunk = ids.slice(i, i + 10);
      const entries = await this.kv.getMany<Session[]>(chunk.map((id) => keys.session(id)));
      for (const [j, e] of entries.entries()) {
        if (e.value && this.isLive(e.value)) out.push(e.value);
        else await this.destroy(chunk[j], userId);
      }
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Ends every session of a user (password changed or reset, account disabled); returns how many. */
  async destroyAllForUser(userId: string, opts: { except?: string } = {}): Promise<number> {
    const ids: string[] = [];
    for await (const e of this.kv.list({ prefix: keys.userSessionsPrefix(userId) })) {
      const id = String(e.key[2]);
      if (id !== opts.except) ids.push(id);
    }
    for (let i = 0; i < ids.length; i += 10) {
      const op = this.kv.atomic();
      for (const id of ids.slice(i, i + 10)) {
        op.delete(keys.session(id)).delete(keys.userSessions(userId, id));
      }
      await op.commit();
    }
    return ids.length;
  }

  /** Copies a changed user (roles, name, language) into every live session of theirs. */
  async refreshUser(userId: string, user: SessionUser, extra: { totpEnabled?: boolean } = {}) {
    const now = this.now();
    for (const s of await this.listForUser(userId)) {
      await this.update(s.id, (cur) => ({
        ...cur,
        user,
        totpEnabled: extra.totpEnabled ?? cur.totpEnabled,
        checkedAt: now,
      }));
    }
  }

  async #trim(userId: string): Promise<void> {
    const live = await this.listForUser(userId);
    for (const s of live.filter((s) => s.stage === "signed_in").slice(MAX_SESSIONS_PER_USER)) {
      await this.destroy(s.id, userId);
    }
  }
}

const stores = new WeakMap<Deno.Kv, SessionStore>();

/** The session store for a KV handle (one per handle, so a test's clock stays with its KV). */
export function sessionStore(kv: Deno.Kv): SessionStore {
  let s = stores.get(kv);
  if (!s) stores.set(kv, s = new SessionStore(kv));
  return s;
}

/** Replaces the store for a KV handle with one using these options (tests: a movable clock). */
export function configureSessionStore(kv: Deno.Kv, opts: SessionStoreOptions): SessionStore {
  const s = new SessionStore(kv, opts);
  stores.set(kv, s);
  return s;
}
