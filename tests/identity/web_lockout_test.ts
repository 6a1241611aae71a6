/**
 * Issue 9, finding 3 ("anyone can lock anyone out"): throttling is per account and address, with
 * a slower per-account back-off that never stops the owner; sign-in by one-time code stays open.
 */
import { equal, match, notEqual, ok } from "node:assert/strict";
import {
  Browser,
  fromAddress,
  lastCodeSentTo,
  makeUser,
  minutes,
  movableClock,
  PASSWORD,
  signIn,
  withTestApp,
} from "./_web.ts";
import { authenticate } from "@/services/identity/users.ts";
import { LOCKOUT } from "@/services/identity/lockout.ts";

const OWNER_IP = "198.51.100.7";

Deno.test("lockout: wrong passwords from many addresses do not stop the owner signing in", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "hr@smartdairy.test" });
    // The attack from the issue: wrong passwords for one account, each from another address.
    for (let i = 1; i <= 12; i++) {
      const attacker = new Browser(fromAddress(t, `203.0.113.${i}`));
      equal((await signIn(attacker, "hr@smartdairy.test", `guess number ${i}`)).status, 401);
    }
    const owner = new Browser(fromAddress(t, OWNER_IP));
    const res = await signIn(owner, "hr@smartdairy.test", PASSWORD);
    equal(res.status, 303, "the owner signs in with the right password");
    notEqual(owner.sessionCookie(), undefined);
  });
});

Deno.test("lockout: brute force from one address is throttled (429, en and bn), and only there", async () => {
  await withTestApp(async (t) => {
    const clock = movableClock(t);
    await makeUser(t.db.sql, t.deps.keyring, { email: "rupa@example.com" });
    const attacker = new Browser(fromAddress(t, "203.0.113.50"));
    for (let i = 1; i <= 4; i++) {
      equal((await signIn(attacker, "rupa@example.com", `wrong ${i} password`)).status, 401);
    }
    const fifth = await signIn(attacker, "rupa@example.com", "wrong 5 password");
    equal(fifth.status, 429);
    match(attacker.html, /Too many failed attempts from your network/);
    match(attacker.html, /Try again in 15 minutes/);
    match(attacker.html, /href="\/signin\/code"/, "offers sign-in by code");
    equal(fifth.headers.get("retry-after"), "900");
    // Even the right password is refused from that address while the back-off lasts.
    equal((await signIn(attacker, "rupa@example.com", PASSWORD)).status, 429);
    equal(attacker.sessionCookie(), undefined);

    const bangla = new Browser(fromAddress(t, "203.0.113.50"));
    bangla.cookies.set("lang", "bn");
    equal((await signIn(bangla, "rupa@example.com", "wrong 6 password")).status, 429);
    match(bangla.html, /আপনার নেটওয়ার্ক থেকে অনেকবার ভুল চেষ্টা হয়েছে/);
    match(bangla.html, /পরে আবার চেষ্টা করুন/);

    // The owner elsewhere is not affected.
    equal(
      (await signIn(new Browser(fromAddress(t, OWNER_IP)), "rupa@example.com", PASSWORD)).status,
      303,
    );

    // After the back-off the address may try again; the next failure doubles it.
    clock.advance(minutes(15) + 1000);
    equal((await signIn(attacker, "rupa@example.com", "wrong 7 password")).status, 429);
    match(attacker.html, /Try again in 30 minutes/);
    clock.advance(minutes(30) + 1000);
    equal((await signIn(attacker, "rupa@example.com", PASSWORD)).status, 303);
  });
});

Deno.test("lockout: sign-in by code works while password sign-in is throttled", async () => {
  await withTestApp(async (t) => {
    movableClock(t);
    const sql = t.db.sql;
    await makeUser(sql, t.deps.keyring, { phone: "+8801711000111", displayName: "Mita" });
    const b = new Browser(fromAddress(t, "203.0.113.60"));
    for (let i = 1; i <= 5; i++) await signIn(b, "01711000111", `wrong ${i} password`);
    equal((await signIn(b, "01711000111", PASSWORD)).status, 429, "password sign-in throttled");

    const sent = await b.submit("/signin/code", { identifier: "01711-000111" });
    equal(sent.status, 303);
    equal(sent.headers.get("location"), "/signin/code/verify");
    await b.get("/signin/code/verify");
    match(b.html, /017•+111|Enter your code/);
    const code = await lastCodeSentTo(sql, "+8801711000111");
    const wrong = await b.post("/signin/code/verify", {
      code: code === "000000" ? "111111" : "000000",
    });
    equal(wrong.status, 401);
    const res = await b.post("/signin/code/verify", { code });
    equal(res.status, 303);
    equal(res.headers.get("location"), "/");
    await b.get("/account");
    match(b.html, /Mita/);
  });
});

Deno.test("lockout: after many failures from many addresses the account is slowed, not denied", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const keyring = t.deps.keyring;
    await makeUser(sql, keyring, { email: "boss@example.com" });
    const now = new Date("2026-03-01T10:00:00Z");
    for (let i = 0; i < LOCKOUT.accountSlowAfter; i++) {
      const r = await authenticate(sql, keyring, {
        identifier: "boss@example.com",
        password: `guess ${i}`,
        ip: `10.9.${Math.floor(i / 200)}.${i % 200}`,
        now,
      });
      equal(r.ok, false);
    }
    const [audit] = await sql`select 1 from audit_log where action = 'user.sign_in_slowed'`;
    ok(audit, "entering slow mode is audited");
    // An address that failed before must wait a little between attempts …
    const again = await authenticate(sql, keyring, {
      identifier: "boss@example.com",
      password: PASSWORD,
      ip: "10.9.0.1",
      now: new Date(now.getTime() + 1000),
    });
    equal(again.ok, false);
    equal(!again.ok && again.reason, "throttled");
    ok(!again.ok && again.retryAfterSeconds! <= LOCKOUT.accountSlowSeconds);
    // … but the owner's address, with no failures, signs in at once.
    const owner = await authenticate(sql, keyring, {
      identifier: "boss@example.com",
      password: PASSWORD,
      ip: OWNER_IP,
      now: new Date(now.getTime() + 1000),
    });
    equal(owner.ok, true);
    // And the slowed address may try once the delay has passed.
    const later = await authenticate(sql, keyring, {
      identifier: "boss@example.com",
      password: PASSWORD,
      ip: "10.9.0.1",
      now: new Date(now.getTime() + (LOCKOUT.accountSlowSeconds + 1) * 1000),
    });
    equal(later.ok, true);
  });
});
