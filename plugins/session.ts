/**
 * The web side of identity: the session cookie, who is signed in (ctx.state.user, set by
 * routes/_middleware.ts via loadSession) and the guards every route uses. Routes check a
 * permission here; services re-check the sensitive ones with assertCan (the roles live in
 * services/identity/roles.ts, reached through services/identity/mod.ts).
 *
 * Contract for other modules:
 *   assertSignedIn(ctx): SessionUser          — anonymous: pages redirect to /signin?next=…,
 *                                               /api and JSON requests get 401
 *   requirePermission(ctx, permission): SessionUser — signed in without it: 403 page / JSON
 *   userCan(ctx, permission): boolean          — for showing links
 *   await requireFreshSecondFactor(ctx): SessionUser — sensitive operations (refunds, role
 *                                               changes, key rotation, period close): a second
 *                                               factor at most 5 minutes old, else off to
 *                                               /account/step-up?next=… (see docs/security.md)
 *   ctx.state.user / ctx.state.sessionId       — sessionId is the session's public id (a hash
 *                                               of the cookie token, never the token itself)
 */
import { annotateLogContext } from "@/services/platform/mod.ts";
import {
  deleteCookie,
  getCookies,
  HttpError,
  redirect,
  safePath,
  setCookie,
} from "@/framework/mod.ts";
import type { Context } from "@/framework/mod.ts";
import type { Config } from "@/services/platform/mod.ts";
import {
  can,
  DEVICE_TOKEN_MS,
  FRESH_SECOND_FACTOR_MS,
  type Permission,
  RECHECK_EVERY_MS,
  type Role,
  type Session,
  type SessionStage,
  type SessionUser,
  toSessionUser,
  type User,
} from "@/services/identity/mod.ts";
import { type Lang, messages } from "@/services/i18n/mod.ts";
import type { AppDeps } from "@/state.ts";

export type { SessionUser };

interface WithUser {
  user?: SessionUser;
  sessionId?: string;
}
interface WithDeps extends WithUser {
  deps: AppDeps;
}

// ---- guards ---------------------------------------------------------------------------------

/**
 * Where to go after signing in: only same-site paths, never `//host` or `/\host` — the
 * framework's one redirect guard (ctx.redirect uses the same rule).
 */
export const safeNext = (next: string | null | undefined, fallback = "/"): string =>
  safePath(next, fallback);

/** The sign-in URL that brings the visitor back to the current page afterwards. */
export function signInUrl(url: URL): string {
  return `/signin?next=${encodeURIComponent(url.pathname + url.search)}`;
}

/** The signed-in user; otherwise pages redirect to /signin?next=… and /api answers 401 JSON. */
export function assertSignedIn(ctx: Context<WithUser>): SessionUser {
  const user = ctx.state.user;
  if (user) return user;
  const method = ctx.req.method;
  if (method === "GET" || method === "HEAD") {
    if (wantsJson(ctx.req, ctx.url)) throw new HttpError(401);
    throw redirect(signInUrl(ctx.url) + expiredParam(ctx));
  }
  // (In a middleware ctx.form is not read yet: judge a form post by its content type.)
  const type = ctx.req.headers.get("content-type") ?? "";
  const isForm = type.startsWith("application/x-www-form-urlencoded") ||
    type.startsWith("multipart/form-data");
  if (!isForm || ctx.url.pathname.startsWith("/api/")) throw new HttpError(401);
  // A form posted after the session ended: back to the page the form was on, after signing in.
  const back = safeNext(refererPath(ctx.req, ctx.url), "/");
  throw redirect(`/signin?next=${encodeURIComponent(back)}${expiredParam(ctx)}`);
}

/**
 * The signed-in user holding `permission`; anonymous visitors are sent to sign in (as
 * assertSignedIn), signed-in users without it get the 403 page (or 403 JSON for /api).
 */
export function requirePermission(ctx: Context<WithUser>, permission: Permission): SessionUser {
  const user = assertSignedIn(ctx);
  if (!can(user.roles, permission)) {
    const lang = (ctx.state as { lang?: Lang }).lang ?? "en";
    throw new HttpError(403, messages(lang).identity.forbidden.text, {
      headers: { "x-required-permission": permission },
    });
  }
  return user;
}

/** Whether the signed-in user (if any) holds `permission` — for showing or hiding links. */
export function userCan(ctx: { state: WithUser }, permission: Permission): boolean {
  const user = ctx.state.user;
  return !!user && can(user.roles, permission);
}

/**
 * For changing the password, the address book or saved payment methods: the signed-in user,
 * provided this session began with a real sign-in (password or one-time code), not silently
 * from a remembered device. Otherwise GET → /signin?reauth=1&next=<this page>; a form POST → the
 * same with next = the page the form is on (nothing is done); JSON → 403 with `x-reauth`.
 */
export function requireRecentSignIn(ctx: Context<WithUser>): SessionUser {
  const user = assertSignedIn(ctx);
  if (!currentSession(ctx)?.resumed) return user;
  const here = ctx.req.method === "GET" || ctx.req.method === "HEAD"
    ? ctx.url.pathname + ctx.url.search
    : safeNext(refererPath(ctx.req, ctx.url), ctx.url.pathname);
  const target = `/signin?reauth=1&next=${encodeURIComponent(safeNext(here, "/"))}`;
  if (wantsJson(ctx.req, ctx.url)) {
    throw new HttpError(403, "Sign in again for this action", { headers: { "x-reauth": target } });
  }
  throw redirect(target);
}

/** When this session last proved the second factor (sign-in, enrolment or step-up), or null. */
export function lastSecondFactorAt(ctx: { state: object }): number | null {
  const s = currentSession(ctx);
  if (!s || s.stage !== "signed_in") return null;
  const at = Math.max(s.mfaAt ?? 0, s.secondFactorAt ?? 0);
  return at > 0 ? at : null;
}

/** The step-up page that brings the user back to `next` afterwards. */
export function stepUpUrl(next: string): string {
  return `/account/step-up?next=${encodeURIComponent(safeNext(next, "/"))}`;
}

/**
 * For sensitive operations (refunds, role changes, key rotation, and period close when it is
 * built): the signed-in user, provided this session verified a second factor (TOTP or recovery
 * code) within the last 5 minutes by the session store's clock. Otherwise:
 * - no TOTP enrolled: off to enrol it first (/account/two-factor?next=…; enrolling counts as a
 *   fresh second factor);
 * - GET: a redirect to /account/step-up?next=<this page>, which asks for the code and comes back;
 * - POST (a form): a 303 to the same step-up page with next = the page the form is on; nothing
 *   is done, and the person sends the form again after confirming (the post is not replayed);
 * - JSON / API: 403 with an `x-step-up` header naming the step-up page.
 * Call it after requirePermission, before any change: `await requireFreshSecondFactor(ctx)`.
 */
export async function requireFreshSecondFactor(ctx: Context<WithDeps>): Promise<SessionUser> {
  const user = assertSignedIn(ctx);
  const identity = ctx.state.deps.identity;
  const now = identity.sessions.now();
  const at = lastSecondFactorAt(ctx);
  if (at !== null && now - at <= FRESH_SECOND_FACTOR_MS && at <= now + 60_000) return user;
  const here = ctx.req.method === "GET" || ctx.req.method === "HEAD"
    ? ctx.url.pathname + ctx.url.search
    : safeNext(refererPath(ctx.req, ctx.url), ctx.url.pathname);
  const enrolled = await secondFactorEnrolled(ctx);
  const target = enrolled
    ? stepUpUrl(here)
    : `/account/two-factor?next=${encodeURIComponent(safeNext(here, "/"))}&stepup=1`;
  if (wantsJson(ctx.req, ctx.url)) {
    throw new HttpError(403, "A fresh second factor is needed for this action", {
      headers: { "x-step-up": target },
    });
  }
  throw redirect(target);
}

/**
 * Whether the signed-in user has TOTP enrolled. The session may predate an enrolment made in
 * another browser: then the account is asked, and the session remembers the answer.
 */
export async function secondFactorEnrolled(ctx: Context<WithDeps>): Promise<boolean> {
  const s = currentSession(ctx);
  if (!s) return false;
  if (s.totpEnabled) return true;
  const enrolled = (await ctx.state.deps.identity.getUser(s.user.id))?.totpEnabled ?? false;
  if (enrolled) await updateCurrentSession(ctx, (cur) => ({ ...cur, totpEnabled: true }));
  return enrolled;
}

/** Where a user lands after signing in when no `next` was given. */
export function homeFor(roles: readonly Role[]): string {
  if (can(roles, "admin.access")) return "/admin";
  if (can(roles, "farm.record")) return "/farm";
  return "/";
}

// ---- the cookie -----------------------------------------------------------------------------

/** https public URL → `__Host-` cookie with Secure; plain HTTP (localhost) → a plain name. */
export function secureCookies(config: Pick<Config, "PUBLIC_URL">): boolean {
  return !!config.PUBLIC_URL && config.PUBLIC_URL.startsWith("https://");
}

export function sessionCookieName(config: Pick<Config, "PUBLIC_URL">): string {
  return secureCookies(config) ? "__Host-sd_session" : "sd_session";
}

/**
 * Whether a request carries a session or remembered-device cookie: its visitor is (or may be)
 * signed in, so its pages are its own (not shared from the page cache) and its forms need the
 * CSRF token. Without one the visitor is anonymous.
 */
export function hasSessionCookie(req: Request, config: Pick<Config, "PUBLIC_URL">): boolean {
  const cookies = getCookies(req);
  return !!(cookies[sessionCookieName(config)] || cookies[deviceCookieName(config)]);
}

/** The remembered-device cookie ("keep me signed in on this device"). */
export function deviceCookieName(config: Pick<Config, "PUBLIC_URL">): string {
  return secureCookies(config) ? "__Host-sd_device" : "sd_device";
}

/** What the session and device cookies share: script cannot read them, top-level links send them. */
function cookieAttributes(ctx: Context<WithDeps>) {
  return {
    httpOnly: true,
    sameSite: "Lax",
    secure: secureCookies(ctx.state.deps.config),
    path: "/",
  } as const;
}

function setDeviceCookie(ctx: Context<WithDeps>, token: string) {
  setCookie(ctx.responseHeaders, deviceCookieName(ctx.state.deps.config), token, {
    ...cookieAttributes(ctx),
    maxAge: Math.floor(DEVICE_TOKEN_MS / 1000),
  });
}

function clearDeviceCookie(ctx: Context<WithDeps>) {
  deleteCookie(
    ctx.responseHeaders,
    deviceCookieName(ctx.state.deps.config),
    cookieAttributes(ctx),
  );
}

/** Requests whose session cookie named a session that had ended (idle or past its end). */
const staleSession = new WeakSet<object>();

/** "&expired=1" when this request came with a session that has ended (sign-in page says so). */
function expiredParam(ctx: { state: object }): string {
  return staleSession.has(ctx.state) ? "&expired=1" : "";
}

/** Whether this request came with a session cookie whose session had ended. */
export function sessionExpired(ctx: { state: object }): boolean {
  return staleSession.has(ctx.state);
}

/**
 * The idle session is gone but the device was remembered: a new session opens silently (marked
 * `resumed`) and the device token rotates. False when the token is no good (cookie cleared).
 */
async function resumeFromDevice(ctx: Context<WithDeps>, token: string): Promise<boolean> {
  const { identity } = ctx.state.deps;
  const r = await identity.resumeFromDevice(token, {
    userAgent: ctx.req.headers.get("user-agent"),
    ip: clientIp(ctx),
  });
  if (r === "raced") return false;
  if (!r) {
    clearDeviceCookie(ctx);
    return false;
  }
  const { token: sessionToken, session } = await identity.sessions.create({
    user: toSessionUser(r.user),
    stage: "signed_in",
    totpEnabled: r.user.totpEnabled,
    userAgent: ctx.req.headers.get("user-agent"),
    ip: clientIp(ctx),
    resumed: true,
  });
  setSessionCookie(ctx, sessionToken, session);
  setDeviceCookie(ctx, r.token);
  remember(ctx, session);
  return true;
}

function setSessionCookie(ctx: Context<WithDeps>, token: string, session: Session) {
  setCookie(ctx.responseHeaders, sessionCookieName(ctx.state.deps.config), token, {
    ...cookieAttributes(ctx),
    maxAge: Math.max(1, Math.floor((session.expiresAt - session.createdAt) / 1000)),
  });
}

function clearSessionCookie(ctx: Context<WithDeps>) {
  deleteCookie(
    ctx.responseHeaders,
    sessionCookieName(ctx.state.deps.config),
    cookieAttributes(ctx),
  );
}

// ---- loading, starting and ending sessions --------------------------------------------------

/** The session record of this request (signed in or pending), set by loadSession. */
const current = new WeakMap<object, Session>();

export function currentSession(ctx: { state: object }): Session | null {
  return current.get(ctx.state) ?? null;
}

function remember(ctx: Context<WithDeps>, s: Session) {
  current.set(ctx.state, s);
  if (s.stage === "signed_in") {
    ctx.state.user = s.user;
    ctx.state.sessionId = s.id;
    annotateLogContext({ userId: s.user.id });
  } else {
    delete ctx.state.user;
    delete ctx.state.sessionId;
  }
}

export { toSessionUser };

/**
 * For the root middleware: reads the session named by the cookie (no KV read without one), ends
 * it when the account is gone, disabled or its password changed since, and records activity.
 */
export async function loadSession(ctx: Context<WithDeps>): Promise<void> {
  const { identity, config } = ctx.state.deps;
  const cookies = getCookies(ctx.req);
  const token = cookies[sessionCookieName(config)];
  const device = cookies[deviceCookieName(config)];
  if (!token && !device) return;
  const store = identity.sessions;
  let s = token ? await store.get(token) : null;
  if (!s) {
    if (token) clearSessionCookie(ctx);
    if (device && await resumeFromDevice(ctx, device)) return;
    if (token) staleSession.add(ctx.state);
    return;
  }
  if (s.stage === "signed_in" && store.now() - s.checkedAt >= RECHECK_EVERY_MS) {
    const u = await identity.getUser(s.user.id);
    if (!u || u.status !== "active" || u.passwordChangedAt.getTime() > s.createdAt) {
      await store.destroy(s.id, s.user.id);
      clearSessionCookie(ctx);
      return;
    }
    const now = store.now();
    s = await store.update(s.id, (cur) => ({
      ...cur,
      user: toSessionUser(u),
      totpEnabled: u.totpEnabled,
      checkedAt: now,
      lastSeenAt: now,
    })) ?? s;
  } else if (s.stage === "signed_in") {
    s = await store.touch(s);
  }
  remember(ctx, s);
}

/**
 * Signs in (or starts the second-factor step): the session of the current cookie, if any, is
 * destroyed and a new one with a new id takes its place (no session fixation).
 */
export async function startSession(
  ctx: Context<WithDeps>,
  user: User,
  opts: {
    stage: SessionStage;
    secondFactorAt?: number | null;
    next?: string;
    /**
     * "Keep me signed in on this device" (customers only; staff are never remembered). Left out,
     * a pending second-factor session's choice carries over.
     */
    remember?: boolean;
  },
): Promise<Session> {
  const { identity, config } = ctx.state.deps;
  const store = identity.sessions;
  const cookies = getCookies(ctx.req);
  const old = currentSession(ctx) ?? await store.get(cookies[sessionCookieName(config)]);
  if (old) await store.destroy(old.id, old.user.id);
  const keep = (opts.remember ?? old?.remember ?? false) && identity.mayRememberDevice(user.roles);
  // A device remembered before (perhaps for someone else) is forgotten; a new one if ticked.
  const priorDevice = await identity.devices.get(cookies[deviceCookieName(config)]);
  if (priorDevice) await identity.devices.forget(priorDevice.userId, priorDevice.id);
  const { token, session } = await store.create({
    user: toSessionUser(user),
    stage: opts.stage,
    totpEnabled: user.totpEnabled,
    secondFactorAt: opts.secondFactorAt ?? null,
    userAgent: ctx.req.headers.get("user-agent"),
    ip: clientIp(ctx),
    next: opts.next,
    remember: opts.stage === "second_factor" && keep,
  });
  setSessionCookie(ctx, token, session);
  remember(ctx, session);
  if (opts.stage === "signed_in") {
    if (keep) {
      const d = await identity.devices.remember(user.id, {
        userAgent: ctx.req.headers.get("user-agent"),
        ip: clientIp(ctx),
      });
      setDeviceCookie(ctx, d.token);
    } else if (cookies[deviceCookieName(config)]) clearDeviceCookie(ctx);
    const max = config.IDENTITY_STAFF_MAX_SESSIONS ?? 3;
    await identity.limitStaffSessions(user.id, user.roles, session.id, max);
  }
  return session;
}

/** Signs out: the session is destroyed and the cookie cleared. */
export async function endSession(ctx: Context<WithDeps>): Promise<void> {
  const s = currentSession(ctx);
  const { identity, config } = ctx.state.deps;
  if (s) await identity.sessions.destroy(s.id, s.user.id);
  // Signing out forgets this device too (else it would sign the person straight back in).
  const device = await identity.devices.get(getCookies(ctx.req)[deviceCookieName(config)]);
  if (device) await identity.devices.forget(device.userId, device.id);
  if (getCookies(ctx.req)[deviceCookieName(config)]) clearDeviceCookie(ctx);
  current.delete(ctx.state);
  delete ctx.state.user;
  delete ctx.state.sessionId;
  clearSessionCookie(ctx);
}

/** Changes the current session in KV (and for the rest of this request). */
export async function updateCurrentSession(
  ctx: Context<WithDeps>,
  fn: (s: Session) => Session,
): Promise<Session | null> {
  const s = currentSession(ctx);
  if (!s) return null;
  const next = await ctx.state.deps.identity.sessions.update(s.id, fn);
  if (next) remember(ctx, next);
  return next;
}

// ---- the client's address -------------------------------------------------------------------

/**
 * The client's address for throttling and the session list: ctx.info.clientIp, which believes
 * X-Forwarded-For only from the proxies in TRUSTED_PROXIES ("local" for in-process requests,
 * e.g. tests).
 */
export function clientIp(ctx: { info: { clientIp: string } }): string {
  return ctx.info.clientIp;
}

// ---- helpers --------------------------------------------------------------------------------

function wantsJson(req: Request, url: URL): boolean {
  if (url.pathname.startsWith("/api/")) return true;
  const accept = req.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

function refererPath(req: Request, url: URL): string | null {
  const ref = req.headers.get("referer");
  if (!ref) return null;
  try {
    const r = new URL(ref);
    return r.origin === url.origin ? r.pathname + r.search : null;
  } catch {
    return null;
  }
}
