import { equal, match, ok } from "node:assert/strict";
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

const NEW_PASSWORD = "brand new pasture 9";

Deno.test("sessions end after 30 idle minutes (clock moved by the test)", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "idle@example.com" });
    const clock = movableClock(t);
    const b = new Browser(t);
    await signIn(b, "idle@example.com", PASSWORD);
    clock.advance(minutes(29));
    equal((await b.get("/account")).status, 200, "29 idle minutes: still signed in");
    clock.advance(minutes(29));
    equal((await b.get("/account")).status, 200, "activity restarted the idle timer");
    clock.advance(minutes(31));
    const res = await b.get("/account");
    equal(res.status, 303);
    equal(res.headers.get("location"), "/signin?next=%2Faccount&expired=1");
    equal(b.sessionCookie(), undefined, "the dead cookie is cleared");
  });
});

Deno.test("sessions end 12 hours after sign-in however active", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "long@example.com" });
    const clock = movableClock(t);
    const b = new Browser(t);
    await signIn(b, "long@example.com", PASSWORD);
    for (let h = 0; h < 11 * 3 + 2; h++) {
      clock.advance(minutes(20));
      equal((await b.get("/account")).status, 200, `after ${(h + 1) * 20} minutes`);
    }
    clock.advance(minutes(20)); // 12 h since sign-in
    equal((await b.get("/account")).status, 303);
  });
});

Deno.test("changing the password ends every session; this browser gets a new one", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "change@example.com" });
    const a = new Browser(t);
    const other = new Browser(t, UA_PHONE);
    await signIn(a, "change@example.com", PASSWORD);
    await signIn(other, "change@example.com", PASSWORD);
    const oldCookie = a.sessionCookie()!;

    const wrong = await a.submit("/account/password", {
      currentPassword: "not my password",
      newPassword: NEW_PASSWORD,
    });
    equal(wrong.status, 401);
    match(a.html, /current password is not right/);

    const weak = await a.submit("/account/password", {
      currentPassword: PASSWORD,
      newPassword: "1234567890",
    });
    equal(weak.status, 422);
    match(a.html, /Use more than digits/);

    const res = await a.submit("/account/password", {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    equal(res.status, 303);
    equal(res.headers.get("location"), "/account?changed=1");
    ok(a.sessionCookie() && a.sessionCookie() !== oldCookie, "a fresh session for this browser");
    equal((await a.get("/account?changed=1")).status, 200);
    match(a.html, /Every other session was signed out/);

    const replay = new Browser(t);
    replay.cookies.set("sd_session", oldCookie);
    equal((await replay.get("/account")).status, 303, "the old cookie no longer works");
    equal((await other.get("/account")).status, 303, "the other browser is signed out");

    equal((await signIn(new Browser(t), "change@example.com", PASSWORD)).status, 401);
    equal((await signIn(new Browser(t), "change@example.com", NEW_PASSWORD)).status, 303);
  });
});

Deno.test("the sessions page lists where I am signed in and ends a session", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await makeUser(sql, t.deps.keyring, { email: "me@example.com" });
    await makeUser(sql, t.deps.keyring, { email: "you@example.com" });
    const desk = new Browser(t);
    const phone = new Browser(t, UA_PHONE);
    const stranger = new Browser(t);
    await signIn(desk, "me@example.com", PASSWORD);
    await signIn(phone, "me@example.com", PASSWORD);
    await signIn(stranger, "you@example.com", PASSWORD);

    await desk.get("/account/sessions");
    match(desk.html, /Firefox · Windows/);
    match(desk.html, /Chrome · Android/);
    match(desk.html, /This browser/);
    const ids = [...desk.html.matchAll(/name="id" value="([^"]+)"/g)].map((m) => m[1]);
    equal(ids.length, 2);
    ok(!ids.includes(desk.sessionCookie()!), "the page never shows the cookie itself");

    // Someone else's session id: nothing happens to it.
    await stranger.get("/account/sessions");
    const strangerId = stranger.html.match(/name="id" value="([^"]+)"/)![1];
    await desk.post("/account/sessions", { id: strangerId });
    equal((await stranger.get("/account")).status, 200);

    // End the phone's session from the desk.
    await desk.get("/account/sessions");
    const phoneRow = desk.html.split("<li").find((li) => li.includes("Android"))!;
    const phoneId = phoneRow.match(/name="id" value="([^"]+)"/)![1];
    const res = await desk.post("/account/sessions", { id: phoneId });
    equal(res.status, 303);
    equal((await phone.get("/account")).status, 303, "the phone is signed out");
    equal((await desk.get(res.headers.get("location")!)).status, 200);
    match(desk.html, /The session was ended/);
    ok(!desk.html.includes("Android"));

    // "End all other sessions".
    await signIn(phone, "me@example.com", PASSWORD);
    await desk.submit("/account/sessions", { action: "end_others" });
    equal((await phone.get("/account")).status, 303);
    equal((await desk.get("/account")).status, 200);

    // Ending this browser's own session signs out.
    await desk.get("/account/sessions");
    const own = desk.html.match(/name="id" value="([^"]+)"/)![1];
    const out = await desk.post("/account/sessions", { id: own });
    equal(out.headers.get("location"), "/signin?signedout=1");
    equal((await desk.get("/account")).status, 303);
  });
});

Deno.test("password reset by code ends every session and sets the new password", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { phone: "+8801555123456" });
    const signedIn = new Browser(t, UA_PHONE);
    await signIn(signedIn, "01555123456", PASSWORD);

    const b = new Browser(t);
    const start = await b.submit("/reset", { identifier: "01555-123456" });
    equal(start.status, 303);
    equal(start.headers.get("location"), "/reset/verify");
    await b.get("/reset/verify");
    match(b.html, /015•••••456/);
    const code = await lastCodeSentTo(t.db.sql, "+8801555123456");
    const weak = await b.post("/reset/verify", { code, newPassword: "short" });
    equal(weak.status, 422);
    match(b.html, /Use at least 10 characters/);
    const res = await b.post("/reset/verify", { code, newPassword: NEW_PASSWORD });
    equal(res.status, 303);
    equal(res.headers.get("location"), "/signin?reset=1");

    equal((await signedIn.get("/account")).status, 303, "the old session is gone");
    await b.get("/signin?reset=1");
    match(b.html, /Your password was changed/);
    equal((await signIn(b, "01555123456", PASSWORD)).status, 401);
    equal((await signIn(b, "01555123456", NEW_PASSWORD)).status, 303);
  });
});

Deno.test("password reset for an unknown number looks the same and sends nothing", async () => {
  await withTestApp(async (t) => {
    const b = new Browser(t);
    const res = await b.submit("/reset", { identifier: "01666-000000" });
    equal(res.status, 303);
    equal(res.headers.get("location"), "/reset/verify");
    const { listMessages } = await import("@/services/notify/outbox.ts");
    equal((await listMessages(t.db.sql, { recipient: "+8801666000000" })).total, 0);
    const wrong = await b.submit("/reset/verify", { code: "123456", newPassword: NEW_PASSWORD });
    equal(wrong.status, 401);
  });
});

Deno.test("code endpoints are rate-limited per address", async () => {
  await withTestApp(async (t) => {
    const b = new Browser(t);
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) {
      last = await b.submit("/reset", { identifier: `0171100${String(i).padStart(4, "0")}` });
    }
    equal(last!.status, 429);
    match(b.html, /Too many attempts\. Try again in \d+ (minutes?|seconds?)\./);
  });
});
