/**
 * Helpers for the identity web tests: a tiny browser (cookie jar + CSRF token from the last
 * page) over the in-process app, sign-in shortcuts and a movable session clock.
 */
import "./_fixtures.ts"; // cheap argon2 before any hash is made
import { type TestApp } from "@/tests/helpers/app.ts";
import { configureSessionStore } from "@/services/identity/sessions.ts";
import { totpCode } from "@/services/identity/totp.ts";
import type { Role } from "@/services/identity/roles.ts";
import type { User } from "@/services/identity/users.ts";
import { makeUser, PASSWORD } from "./_fixtures.ts";

export { withTestApp } from "@/tests/helpers/app.ts";
export { lastCodeSentTo, makeUser, PASSWORD } from "./_fixtures.ts";

export const UA_PHONE =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
export const UA_DESKTOP =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

/** One visitor: keeps cookies like a browser, remembers the CSRF token of the last form page. */
export class Browser {
  cookies = new Map<string, string>();
  token = "";
  html = "";

  constructor(readonly t: TestApp, readonly userAgent = UA_DESKTOP) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  #keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** GET without following redirects; the body is kept in `html` and its CSRF token in `token`. */
  async get(path: string, headers: HeadersInit = {}): Promise<Response> {
    const res = await this.t.fetch(path, {
      redirect: "manual",
      headers: { cookie: this.cookieHeader(), "user-agent": this.userAgent, ...headers },
    });
    this.#keep(res);
    this.html = await res.text();
    // A form's field, or the data-csrf of a page whose script posts (static/passkey.js).
    const token = this.html.match(/name="_csrf" value="([^"]+)"/)?.[1] ??
      this.html.match(/data-csrf="([^"]+)"/)?.[1];
    if (token) this.token = token;
    return res;
  }

  /** POSTs a form as a same-origin browser would (with the last page's CSRF token). */
  async post(
    path: string,
    fields: Record<string, string | string[]>,
    opts: { token?: string | null; origin?: string } = {},
  ): Promise<Response> {
    const body = new URLSearchParams();
    const token = opts.token === undefined ? this.token : opts.token;
    if (token !== null) body.append("_csrf", token);
    for (const [k, v] of Object.entries(fields)) {
      for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    }
    const res = await this.t.fetch(path, {
      method: "POST",
      body,
      redirect: "manual",
      headers: {
        cookie: this.cookieHeader(),
        origin: opts.origin ?? "http://localhost",
        host: "localhost",
        "content-type": "application/x-www-form-urlencoded",
        "user-agent": this.userAgent,
      },
    });
    this.#keep(res);
    this.html = await res.text();
    const newToken = this.html.match(/name="_csrf" value="([^"]+)"/)?.[1];
    if (newToken) this.token = newToken;
    return res;
  }

  /** Loads the form page, then posts it. */
  async submit(
    page: string,
    fields: Record<string, string | string[]>,
    action = page,
  ): Promise<Response> {
    await this.get(page);
    return await this.post(action, fields);
  }

  sessionCookie(): string | undefined {
    return this.cookies.get("sd_session") ?? this.cookies.get("__Host-sd_session");
  }
}

/** Signs in through the form; returns the POST's response (a 303 on success). */
export function signIn(
  b: Browser,
  identifier: string,
  password: string,
  next = "",
): Promise<Response> {
  return b.submit(`/signin${next ? `?next=${encodeURIComponent(next)}` : ""}`, {
    identifier,
    password,
    next,
  }, "/signin");
}

/** A session clock the test moves by hand. */
/**
 * Where a test's session clock starts: the next whole hour. Sessions and codes are checked against
 * accounts created a moment ago (at the machine's time), so the test's clock may not start before
 * it; a whole hour keeps TOTP steps and session limits at round numbers.
 */
export function sessionStart(): number {
  return Math.ceil(Date.now() / 3600_000) * 3600_000;
}

export function movableClock(t: TestApp, start = Date.now()) {
  let now = start;
  configureSessionStore(t.deps.kv!, { now: () => now });
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** The TOTP secret shown on the enrolment page (spaces removed). */
export function secretOnPage(html: string): string {
  const m = html.match(/data-totp-secret[^>]*>([^<]+)</);
  if (!m) throw new Error("no TOTP secret on the page");
  return m[1].replace(/\s+/g, "");
}

/** Enrols TOTP through the account page (signed-in browser); returns secret and recovery codes. */
export async function enrolTotp(
  b: Browser,
  at: () => number,
  next = "/admin",
): Promise<{ secret: string; recoveryCodes: string[]; res: Response }> {
  const page = `/account/two-factor?next=${encodeURIComponent(next)}`;
  await b.get(page);
  await b.post("/account/two-factor", { action: "start", next });
  await b.get(page);
  const secret = secretOnPage(b.html);
  const res = await b.post("/account/two-factor", {
    action: "confirm",
    next,
    code: totpCode(secret, new Date(at())),
  });
  const recoveryCodes = [...b.html.matchAll(/data-recovery-code[^>]*>([^<]+)</g)].map((m) => m[1]);
  return { secret, recoveryCodes, res };
}

export const minutes = (n: number) => n * 60_000;

/**
 * The same app as seen from another client address: every request arrives from the peer `ip`
 * (the only place the tests name how the server learns the client's address).
 */
export function fromAddress(t: TestApp, ip: string): TestApp {
  return {
    ...t,
    fetch(path: string, init?: RequestInit) {
      const req = new Request(new URL(path, "http://localhost"), init);
      return t.app.fetch(req, { remoteAddr: { transport: "tcp", hostname: ip, port: 40000 } });
    },
  };
}

/** A visitor signs up as Rupa with the phone 01912-000111: a sign-up code goes to +8801912000111. */
export async function rupaSignsUp(t: TestApp): Promise<void> {
  await new Browser(t).submit("/signup", {
    name: "Rupa",
    identifier: "01912-000111",
    password: "rupa rupa rupa 1",
  });
}

/**
 * A member of staff with `roles`, signed in through the form (the second factor enrolled when the
 * role requires one: admin, accountant); `email` when the test needs to know it.
 */
export async function signedInStaff(
  t: TestApp,
  roles: Role[],
  email?: string,
): Promise<{ b: Browser; user: User }> {
  const user = await makeUser(t.db.sql, t.deps.keyring, {
    email: email ?? `${roles[0]}.${crypto.randomUUID().slice(0, 6)}@example.com`,
    roles,
    displayName: `Staff ${roles[0]}`,
  });
  const b = new Browser(t);
  const res = await signIn(b, user.email!, PASSWORD);
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${b.html.slice(0, 200)}`);
  if (roles.includes("accountant") || roles.includes("admin")) await enrolTotp(b, Date.now);
  return { b, user };
}

/** The browser of a signed-in member of staff (`signedInStaff`). */
export async function staffBrowser(t: TestApp, roles: Role[]): Promise<Browser> {
  return (await signedInStaff(t, roles)).b;
}

/**
 * Staff made as `who`, signed in through the form, their authenticator enrolled at `now`: the
 * browser and the TOTP secret (for the codes a step-up asks).
 */
export async function staffWithTotp(
  t: TestApp,
  who: { email: string; roles: Role[]; displayName: string },
  now: () => number = Date.now,
) {
  await makeUser(t.db.sql, t.deps.keyring, who);
  const b = new Browser(t);
  await signIn(b, who.email, PASSWORD);
  const { secret } = await enrolTotp(b, now);
  return { b, secret };
}

/** Nasrin, the accountant of the books' tests. */
export const NASRIN = {
  email: "accounts@example.com",
  roles: ["accountant"] as Role[],
  displayName: "Nasrin",
};

/**
 * The accountant Nasrin signed in on a clock the test moves (from the next whole hour), her
 * authenticator enrolled at that moment: the start of every step-up test of the books.
 */
export async function accountantWithTotp(t: TestApp, start = sessionStart()) {
  const clock = movableClock(t, start);
  const { b, secret } = await staffWithTotp(t, NASRIN, clock.now);
  return { b, clock, secret };
}
