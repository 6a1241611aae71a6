import { equal, match, notEqual, ok } from "node:assert/strict";
import { Browser, makeUser, PASSWORD, signIn, withTestApp } from "./_web.ts";

Deno.test("sign-in with email or Bangladesh mobile number in any usual form", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await makeUser(sql, t.deps.keyring, { email: "karim@example.com", displayName: "Karim" });
    await makeUser(sql, t.deps.keyring, { phone: "+8801911222333", displayName: "Sathi" });

    const a = new Browser(t);
    const res = await signIn(a, "KARIM@example.com ", PASSWORD);
    equal(res.status, 303);
    equal(res.headers.get("location"), "/", "customers go to the home page");
    await a.get("/account");
    match(a.html, /Karim/);

    for (const typed of ["01911222333", "01911-222333", "+880 1911 222333", "8801911222333"]) {
      const b = new Browser(t);
      equal((await signIn(b, typed, PASSWORD)).status, 303, typed);
      await b.get("/account");
      match(b.html, /Sathi/);
    }
  });
});

Deno.test("sign-in: a wrong password re-shows the form with the identifier kept", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "lima@example.com" });
    const b = new Browser(t);
    const res = await signIn(b, "lima@example.com", "not the password");
    equal(res.status, 401);
    match(b.html, /The phone number, email or password is not right/);
    match(b.html, /value="lima@example.com"/);
    equal(b.sessionCookie(), undefined);
  });
});

Deno.test("sign-in: next only allows same-site paths", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "nila@example.com" });
    const cases: [string, string][] = [
      ["/shop?x=1", "/shop?x=1"],
      ["//evil.example/x", "/"],
      ["https://evil.example/", "/"],
      ["/\\evil.example", "/"],
      ["/\t/evil.example", "/"],
      ["javascript:alert(1)", "/"],
    ];
    for (const [next, expected] of cases) {
      const b = new Browser(t);
      const res = await signIn(b, "nila@example.com", PASSWORD, next);
      equal(res.headers.get("location"), expected, `next=${JSON.stringify(next)}`);
    }
  });
});

Deno.test("after sign-in staff go to the back office, farm roles to the farm app", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await makeUser(sql, t.deps.keyring, { email: "sales@example.com", roles: ["sales"] });
    await makeUser(sql, t.deps.keyring, { email: "worker@example.com", roles: ["farm_worker"] });
    equal(
      (await signIn(new Browser(t), "sales@example.com", PASSWORD)).headers.get("location"),
      "/admin",
    );
    equal(
      (await signIn(new Browser(t), "worker@example.com", PASSWORD)).headers.get("location"),
      "/farm",
    );
  });
});

Deno.test("lockout: five wrong passwords throttle that browser's address, with the retry time shown", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "rupa@example.com" });
    const b = new Browser(t);
    for (let i = 1; i <= 4; i++) {
      equal((await signIn(b, "rupa@example.com", `wrong ${i} password`)).status, 401);
    }
    const fifth = await signIn(b, "rupa@example.com", "wrong 5 password");
    equal(fifth.status, 429);
    match(b.html, /Too many failed attempts from your network/);
    match(b.html, /Try again in 15 minutes/);
    equal(fifth.headers.get("retry-after"), "900");
    // Even the right password is refused while the lock lasts.
    const right = await signIn(b, "rupa@example.com", PASSWORD);
    equal(right.status, 429);
    match(b.html, /Try again in 15 minutes/);
    match(b.html, /href="\/signin\/code"/, "points to sign-in by code");
    equal(b.sessionCookie(), undefined);
  });
});

Deno.test("sign-in rotates the session: the cookie's old session is destroyed", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await makeUser(sql, t.deps.keyring, { email: "a@example.com" });
    await makeUser(sql, t.deps.keyring, { email: "b@example.com" });
    const b = new Browser(t);
    await signIn(b, "a@example.com", PASSWORD);
    const first = b.sessionCookie()!;
    // Signing in again (here as someone else) from the same browser.
    await b.get("/signout"); // GET does nothing but redirect
    await b.get("/account"); // a signed-in page: its forms carry the session's CSRF token
    const res = await b.post("/signin", { identifier: "b@example.com", password: PASSWORD });
    equal(res.status, 303);
    const second = b.sessionCookie()!;
    notEqual(second, first);
    const old = new Browser(t);
    old.cookies.set("sd_session", first);
    equal((await old.get("/account")).status, 303, "the old session id no longer works");
  });
});

Deno.test("a signed-in visitor opening /signin goes on to where they belong", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "c@example.com" });
    const b = new Browser(t);
    await signIn(b, "c@example.com", PASSWORD);
    const res = await b.get("/signin?next=/account");
    equal(res.status, 303);
    equal(res.headers.get("location"), "/account");
  });
});

Deno.test("CSRF: a sign-in from another site gets 403; signed in, a form post without the token too", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "d@example.com" });
    const b = new Browser(t);
    await b.get("/signin");
    const crossSite = await b.post("/signin", { identifier: "d@example.com", password: PASSWORD }, {
      origin: "https://evil.example",
    });
    equal(crossSite.status, 403);
    ok(!/at .*\.ts:\d+/.test(b.html), "no stack trace");
    equal(b.sessionCookie(), undefined);
    const fetchMetadata = await t.fetch("/signin", {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ identifier: "d@example.com", password: PASSWORD }),
      headers: {
        "sec-fetch-site": "cross-site",
        "content-type": "application/x-www-form-urlencoded",
      },
    });
    equal(fetchMetadata.status, 403);
    equal(fetchMetadata.headers.getSetCookie().length, 0, "no session");
    // Anonymous pages carry no token: a same-origin sign-in is checked by its origin alone.
    await b.get("/signin");
    equal(b.token, "");

    // Signed in, forms need the session's token as well.
    await signIn(b, "d@example.com", PASSWORD);
    await b.get("/account");
    const out = await b.post("/signout", {}, { token: "forged" });
    equal(out.status, 403);
    equal((await b.post("/signout", {}, { token: null })).status, 403);
    equal((await b.get("/account")).status, 200, "still signed in");
  });
});

Deno.test("sign-in: the embedded demo's page says how to sign in as a demo customer and staff", async () => {
  await withTestApp(async (t) => {
    const b = new Browser(t);
    await b.get("/signin");
    ok(!b.html.includes("data-demo"), "a real installation names no demo accounts");
    t.deps.demoAccounts = true;
    await b.get("/signin");
    match(b.html, /data-demo/);
    match(b.html, /01711-000101/);
    match(b.html, /sales@smartdairy\.test/);
    match(b.html, /deno task seed --credentials/);
  });
});
