/**
 * Passkeys through the web: register one on /account/passkeys, sign in with it on /signin, with
 * a software authenticator (tests/identity/_authenticator.ts) standing in for the phone.
 */
import { equal, match, ok } from "node:assert/strict";
import { SoftAuthenticator } from "./_authenticator.ts";
import {
  Browser,
  enrolTotp,
  makeUser,
  minutes,
  movableClock,
  PASSWORD,
  signIn,
  withTestApp,
} from "./_web.ts";

/** A JSON POST from the page's script: cookies and the CSRF token of the browser's last page. */
async function postJson(b: Browser, path: string, body: unknown) {
  const res = await b.t.fetch(path, {
    method: "POST",
    body: JSON.stringify(body),
    redirect: "manual",
    headers: {
      cookie: b.cookieHeader(),
      origin: "http://localhost",
      host: "localhost",
      "content-type": "application/json",
      accept: "application/json",
      "x-csrf-token": b.token,
      "user-agent": b.userAgent,
    },
  });
  for (const c of res.headers.getSetCookie()) {
    const [pair, ...attrs] = c.split(";");
    const i = pair.indexOf("=");
    const name = pair.slice(0, i).trim();
    const value = pair.slice(i + 1).trim();
    if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "") b.cookies.delete(name);
    else b.cookies.set(name, value);
  }
  const json = await res.json().catch(() => ({}));
  return { status: res.status, json, headers: res.headers };
}

async function register(b: Browser, key: SoftAuthenticator, name = "Pixel 8") {
  await b.get("/account/passkeys");
  const options = await postJson(b, "/account/passkeys/register", { step: "options" });
  equal(options.status, 200);
  const response = await key.register(options.json);
  return await postJson(b, "/account/passkeys/register", { step: "verify", response, name });
}

async function passkeySignIn(
  b: Browser,
  key: SoftAuthenticator,
  opts: { uv?: boolean; origin?: string; next?: string } = {},
) {
  await b.get("/signin");
  const options = await postJson(b, "/signin/passkey", { step: "options" });
  const response = await key.assert(options.json, opts);
  const r = await postJson(b, "/signin/passkey", {
    step: "verify",
    response,
    next: opts.next ?? "",
  });
  return { ...r, response };
}

Deno.test("a customer adds a passkey and signs in with it, no password typed", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "pk@example.com", displayName: "Shapla" });
    const b = new Browser(t);
    await signIn(b, "pk@example.com", PASSWORD);
    await b.get("/account/passkeys");
    match(b.html, /No passkey yet/);
    match(b.html, /src="\/passkey\.js[^"]*"/);
    const key = new SoftAuthenticator();
    const added = await register(b, key);
    equal(added.status, 201);
    equal(added.json.location, "/account/passkeys?added=1");
    await b.get("/account/passkeys?added=1");
    match(b.html, /Pixel 8/);
    match(b.html, /The passkey was added/);

    const phone = new Browser(t);
    await phone.get("/signin");
    match(phone.html, /Sign in with a passkey/);
    const r = await passkeySignIn(phone, key, { next: "/account" });
    equal(r.status, 200);
    equal(r.json.location, "/account");
    equal((await phone.get("/account")).status, 200);
    match(phone.html, /Shapla/);

    // The same answer again is refused (the challenge was used), as is another site's.
    const replay = await postJson(phone, "/signin/passkey", {
      step: "verify",
      response: r.response,
    });
    equal(replay.status, 401);
    const elsewhere = await passkeySignIn(new Browser(t), key, { origin: "https://evil.example" });
    equal(elsewhere.status, 401);
    match(elsewhere.json.error, /did not work/);

    // Removed, it opens nothing.
    await b.get("/account/passkeys");
    const id = b.html.match(/name="id" value="([^"]+)"/)?.[1];
    ok(id);
    const del = await b.post("/account/passkeys", { id: id! });
    equal(del.headers.get("location"), "/account/passkeys?removed=1");
    equal((await passkeySignIn(new Browser(t), key)).status, 401);
  });
});

Deno.test("a passkey without user verification is not a second factor", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "boss@example.com", roles: ["admin"] });
    const clock = movableClock(t);
    const b = new Browser(t);
    await signIn(b, "boss@example.com", PASSWORD);
    const key = new SoftAuthenticator();
    equal((await register(b, key)).status, 201);

    // Verified by fingerprint: straight into the back office (mandatory second factor met).
    const uv = new Browser(t);
    const ok1 = await passkeySignIn(uv, key, { uv: true, next: "/admin" });
    equal(ok1.json.location, "/admin");
    equal((await uv.get("/admin")).status, 200);

    // Presence only: like a password, the second factor is still to be set up.
    const up = new Browser(t);
    const r = await passkeySignIn(up, key, { uv: false, next: "/admin" });
    equal(r.json.location, "/account/two-factor?next=%2Fadmin");
    const admin = await up.get("/admin");
    equal(admin.status, 303);
    match(admin.headers.get("location")!, /^\/account\/two-factor/);

    // With TOTP enrolled, a passkey without verification leads to the code step.
    await enrolTotp(b, clock.now, "/admin");
    const totp = new Browser(t);
    const r2 = await passkeySignIn(totp, key, { uv: false, next: "/admin" });
    equal(r2.json.location, "/signin/verify");
    equal((await totp.get("/admin")).status, 303);
    const r3 = await passkeySignIn(new Browser(t), key, { uv: true, next: "/admin" });
    equal(r3.json.location, "/admin");
  });
});

Deno.test("adding a passkey needs a real sign-in, not a remembered device", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "dev@example.com" });
    const clock = movableClock(t);
    const b = new Browser(t);
    await b.submit("/signin", {
      identifier: "dev@example.com",
      password: PASSWORD,
      remember: "1",
    }, "/signin");
    clock.advance(minutes(40));
    equal((await b.get("/account/passkeys")).status, 200, "the list is shown");
    const r = await postJson(b, "/account/passkeys/register", { step: "options" });
    equal(r.status, 403);
    match(r.headers.get("x-reauth")!, /^\/signin\?reauth=1/);
    // An answer to a challenge made for another account is refused.
    const other = new Browser(t);
    await makeUser(t.db.sql, t.deps.keyring, { email: "o@example.com" });
    await signIn(other, "o@example.com", PASSWORD);
    await other.get("/account/passkeys");
    const o = await postJson(other, "/account/passkeys/register", { step: "options" });
    const key = new SoftAuthenticator();
    const response = await key.register(o.json);
    const me = new Browser(t);
    await signIn(me, "dev@example.com", PASSWORD);
    await me.get("/account/passkeys");
    const stolen = await postJson(me, "/account/passkeys/register", { step: "verify", response });
    equal(stolen.status, 422);
    match(stolen.json.error, /took too long/);
  });
});
