/**
 * "Keep me signed in on this device" (a rotating remembered-device token), the recent sign-in
 * asked for sensitive changes, "your session ended" on the sign-in page, and the limit on
 * concurrent staff sessions.
 */
import { equal, match, notEqual, ok } from "node:assert/strict";
import { listAudit } from "@/services/audit/audit_log.ts";
import {
  Browser,
  lastCodeSentTo,
  makeUser,
  minutes,
  movableClock,
  PASSWORD,
  signIn,
  UA_PHONE,
  withTestApp,
} from "./_web.ts";

const DAY = 24 * 60 * 60_000;

function signInRemembered(b: Browser, identifier: string, password = PASSWORD) {
  return b.submit("/signin", { identifier, password, remember: "1" }, "/signin");
}

const deviceCookie = (b: Browser) =>
  b.cookies.get("sd_device") ?? b.cookies.get("__Host-sd_device");

Deno.test("a remembered device opens a new session silently after 30 idle minutes", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "keep@example.com", displayName: "Rina" });
    const clock = movableClock(t);
    const b = new Browser(t, UA_PHONE);
    await b.get("/signin");
    match(b.html, /Keep me signed in on this device/);
    equal((await signInRemembered(b, "keep@example.com")).status, 303);
    const first = deviceCookie(b);
    ok(first, "the device cookie is set");
    const oldSession = b.sessionCookie();

    clock.advance(minutes(45)); // the session idled out
    const res = await b.get("/account");
    equal(res.status, 200, "signed in again silently");
    match(b.html, /Rina/);
    notEqual(b.sessionCookie(), oldSession, "a new session");
    const second = deviceCookie(b);
    ok(second && second !== first, "the device token rotated");

    // The used token is worthless: a copy taken before the rotation opens nothing.
    const thief = new Browser(t);
    thief.cookies.set("sd_device", first!);
    const stolen = await thief.get("/account");
    equal(stolen.status, 303);
    match(stolen.headers.get("location")!, /^\/signin\?next=%2Faccount/);

    // Days later (still within 30 days) the rotated token works once more.
    clock.advance(10 * DAY);
    equal((await b.get("/account")).status, 200);
    const third = deviceCookie(b);
    ok(third && third !== second);

    // The idle limit still holds for each session: without the device cookie it ends.
    const plain = new Browser(t);
    await signIn(plain, "keep@example.com", PASSWORD);
    equal(deviceCookie(plain), undefined, "no device cookie without the box");
    clock.advance(minutes(31));
    const gone = await plain.get("/account");
    equal(gone.status, 303);
    equal(gone.headers.get("location"), "/signin?next=%2Faccount&expired=1");
    await plain.get(gone.headers.get("location")!);
    match(plain.html, /Your session ended/);
  });
});

Deno.test("a remembered device stops after 30 days", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "month@example.com" });
    const clock = movableClock(t);
    const b = new Browser(t);
    await signInRemembered(b, "month@example.com");
    clock.advance(29 * DAY);
    equal((await b.get("/account")).status, 200, "day 29: still remembered");
    clock.advance(DAY + minutes(1));
    const res = await b.get("/account");
    equal(res.status, 303, "day 30: sign in again");
    equal(deviceCookie(b), undefined, "the dead device cookie is cleared");
  });
});

Deno.test("a session opened by the device asks for a fresh sign-in to change the password", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "fresh@example.com" });
    const clock = movableClock(t);
    const b = new Browser(t);
    await signInRemembered(b, "fresh@example.com");
    // Right after a real sign-in the password page opens.
    equal((await b.get("/account/password")).status, 200);
    clock.advance(minutes(40));
    equal((await b.get("/account")).status, 200, "resumed silently");
    const page = await b.get("/account/password");
    equal(page.status, 303);
    equal(page.headers.get("location"), "/signin?reauth=1&next=%2Faccount%2Fpassword");
    // A post from a page loaded earlier changes nothing either.
    const post = await b.post("/account/password", {
      currentPassword: PASSWORD,
      newPassword: "a whole new pasture 7",
    });
    equal(post.status, 303);
    match(post.headers.get("location")!, /^\/signin\?reauth=1/);
    const still = await t.deps.identity.authenticate({
      identifier: "fresh@example.com",
      password: PASSWORD,
      ip: "local",
    });
    ok(still.ok, "the password did not change");

    // The sign-in page explains, keeps the box ticked, and then the change goes through.
    await b.get("/signin?reauth=1&next=%2Faccount%2Fpassword");
    match(b.html, /sign in again to continue/);
    match(b.html, /name="remember" value="1"[^>]*checked/);
    const again = await b.post("/signin", {
      identifier: "fresh@example.com",
      password: PASSWORD,
      next: "/account/password",
      remember: "1",
    });
    equal(again.headers.get("location"), "/account/password");
    equal((await b.get("/account/password")).status, 200);
    const changed = await b.post("/account/password", {
      currentPassword: PASSWORD,
      newPassword: "a whole new pasture 7",
    });
    equal(changed.headers.get("location"), "/account?changed=1");
  });
});

Deno.test("a password change voids every remembered device", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "void@example.com" });
    const clock = movableClock(t);
    const phone = new Browser(t, UA_PHONE);
    const laptop = new Browser(t);
    await signInRemembered(phone, "void@example.com");
    await signInRemembered(laptop, "void@example.com");
    const copy = deviceCookie(phone)!;
    await laptop.submit("/account/password", {
      currentPassword: PASSWORD,
      newPassword: "a whole new pasture 7",
    });
    clock.advance(minutes(31));
    const res = await phone.get("/account");
    equal(res.status, 303, "the phone's device token is void");
    const replay = new Browser(t);
    replay.cookies.set("sd_device", copy);
    equal((await replay.get("/account")).status, 303);

    // Also when the device was remembered in the same minute (the check is on the account too).
    const u = await t.deps.identity.findUserByIdentifier("void@example.com");
    const d = await t.deps.identity.devices.remember(u!.id, {});
    await t.db.sql`update users set password_changed_at = ${new Date(
      clock.now() + 1000,
    )} where id = ${u!.id}`;
    equal(await t.deps.identity.resumeFromDevice(d.token, {}), null);
  });
});

Deno.test("the sessions page lists remembered devices; forgetting one ends it", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "list@example.com" });
    const clock = movableClock(t);
    const phone = new Browser(t, UA_PHONE);
    await signInRemembered(phone, "list@example.com");
    const laptop = new Browser(t);
    await signIn(laptop, "list@example.com", PASSWORD);
    await laptop.get("/account/sessions");
    match(laptop.html, /Devices that keep you signed in/);
    match(laptop.html, /Chrome · Android/);
    const id = laptop.html.match(/name="device" value="([^"]+)"/)?.[1];
    ok(id);
    const res = await laptop.post("/account/sessions", { action: "forget_device", device: id! });
    equal(res.headers.get("location"), "/account/sessions?forgotten=1");
    await laptop.get("/account/sessions?forgotten=1");
    match(laptop.html, /data-no-devices/);
    clock.advance(minutes(31));
    equal((await phone.get("/account")).status, 303, "the forgotten phone must sign in");

    // Someone else's device id forgets nothing.
    const other = new Browser(t);
    await makeUser(t.db.sql, t.deps.keyring, { email: "other@example.com" });
    await signInRemembered(other, "other@example.com");
    const otherId = (await t.deps.identity.devices.listForUser(
      (await t.deps.identity.findUserByIdentifier("other@example.com"))!.id,
    ))[0].id;
    await signIn(laptop, "list@example.com", PASSWORD);
    await laptop.submit("/account/sessions", { action: "forget_device", device: otherId });
    clock.advance(minutes(31));
    equal((await other.get("/account")).status, 200, "the other person's device still works");
  });
});

Deno.test("signing out forgets the device; staff are never remembered", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "out@example.com" });
    await makeUser(t.db.sql, t.deps.keyring, {
      email: "worker@example.com",
      roles: ["farm_worker"],
    });
    const clock = movableClock(t);
    const b = new Browser(t);
    await signInRemembered(b, "out@example.com");
    ok(deviceCookie(b));
    await b.get("/account");
    await b.post("/signout", {});
    equal(deviceCookie(b), undefined);
    clock.advance(minutes(31));
    equal((await b.get("/account")).status, 303);

    const w = new Browser(t);
    await signInRemembered(w, "worker@example.com");
    equal(deviceCookie(w), undefined, "no device token for staff");
    clock.advance(minutes(31));
    equal((await w.get("/account")).status, 303);
  });
});

Deno.test("staff hold at most 3 sessions: the oldest ends, audited", async () => {
  await withTestApp(async (t) => {
    const u = await makeUser(t.db.sql, t.deps.keyring, {
      email: "many@example.com",
      roles: ["farm_worker"],
    });
    const clock = movableClock(t);
    const browsers: Browser[] = [];
    for (let i = 0; i < 4; i++) {
      const b = new Browser(t);
      await signIn(b, "many@example.com", PASSWORD);
      browsers.push(b);
      clock.advance(minutes(1));
    }
    equal((await browsers[0].get("/account")).status, 303, "the oldest session ended");
    for (const b of browsers.slice(1)) equal((await b.get("/account")).status, 200);
    const { rows } = await listAudit(t.db.sql, { action: "user.session_limit", entityId: u.id });
    equal(rows.length, 1);

    // Customers are not limited this way.
    await makeUser(t.db.sql, t.deps.keyring, { email: "shopper@example.com" });
    const shoppers: Browser[] = [];
    for (let i = 0; i < 4; i++) {
      const b = new Browser(t);
      await signIn(b, "shopper@example.com", PASSWORD);
      shoppers.push(b);
    }
    for (const b of shoppers) equal((await b.get("/account")).status, 200);
  });
});

Deno.test("the staff session limit comes from config", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "one@example.com", roles: ["sales"] });
    const a = new Browser(t);
    const b = new Browser(t);
    await signIn(a, "one@example.com", PASSWORD);
    await signIn(b, "one@example.com", PASSWORD);
    equal((await a.get("/account")).status, 303);
    equal((await b.get("/account")).status, 200);
  }, { config: { IDENTITY_STAFF_MAX_SESSIONS: 1 } });
});

Deno.test("signing in by code offers keep me signed in too", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { phone: "+8801711000222", displayName: "Shila" });
    const codeSignIn = async (remember: boolean) => {
      const b = new Browser(t, UA_PHONE);
      await b.get("/signin/code");
      equal((await b.post("/signin/code", { identifier: "01711-000222" })).status, 303);
      await b.get("/signin/code/verify");
      match(b.html, /Keep me signed in on this device/);
      const code = await lastCodeSentTo(t.db.sql, "+8801711000222");
      const done = await b.post("/signin/code/verify", {
        code,
        ...(remember ? { remember: "1" } : {}),
      });
      equal(done.status, 303);
      ok(b.sessionCookie(), "signed in");
      return b;
    };
    ok(deviceCookie(await codeSignIn(true)), "the device is remembered when ticked");
    equal(deviceCookie(await codeSignIn(false)), undefined, "and not when left unticked");
  });
});
