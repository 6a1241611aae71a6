/**
 * Issue 9: MFA step-up. Refunds, role changes and device-secret rotation need a second factor at
 * most 5 minutes old in this session (requireFreshSecondFactor); otherwise the person is sent to
 * /account/step-up (or to enrol TOTP first) and nothing changes.
 */
import { equal, match, ok } from "node:assert/strict";
import { totpCode } from "@/services/identity/totp.ts";
import { getUser } from "@/services/identity/users.ts";
import { makeDevice } from "@/tests/iot/helpers.ts";
import { verifyDeviceCredentials } from "@/services/iot/devices.ts";
import type { TestApp } from "@/tests/helpers/app.ts";
import {
  Browser,
  enrolTotp,
  makeUser,
  minutes,
  movableClock,
  PASSWORD,
  sessionStart,
  signIn,
  staffWithTotp,
  withTestApp,
} from "./_web.ts";

/** The next whole hour: after every account's creation (a session older than the account's
 * password change would be ended), and bursts never straddle a window's end. */
const START = sessionStart();

/** The admin Boss signed in, the authenticator enrolled on the test's clock. */
const signedInAdmin = (t: TestApp, clock: { now: () => number }) =>
  staffWithTotp(t, { email: "boss@example.com", roles: ["admin"], displayName: "Boss" }, clock.now);

/** Posts the step-up form with the app's current code; returns the response. */
async function stepUp(b: Browser, location: string, secret: string, at: number) {
  equal((await b.get(location)).status, 200);
  match(b.html, /Confirm it is you/);
  return await b.post("/account/step-up", {
    next: new URL(location, "http://x").searchParams.get("next")!,
    code: totpCode(secret, new Date(at)),
  });
}

Deno.test("step-up: a role change needs a second factor at most 5 minutes old", async () => {
  await withTestApp(async (t) => {
    const clock = movableClock(t, START);
    const sql = t.db.sql;
    const { b, secret } = await signedInAdmin(t, clock);
    const worker = await makeUser(sql, t.deps.keyring, {
      email: "worker@example.com",
      roles: ["farm_worker"],
    });
    const page = `/admin/users/${worker.id}`;
    const change = async () => {
      await b.get(page);
      return await b.post(page, { action: "roles", roles: ["farm_worker", "sales"] });
    };

    // Just enrolled (a fresh second factor): the change goes through.
    equal((await change()).status, 303);
    equal((await getUser(sql, t.deps.keyring, worker.id))!.roles.join(), "farm_worker,sales");

    // Six minutes later: refused, sent to the step-up page, nothing changed.
    clock.advance(minutes(6));
    const stale = await b.submit(page, { action: "roles", roles: ["farm_worker"] });
    equal(stale.status, 303);
    const location = stale.headers.get("location")!;
    equal(location, `/account/step-up?next=${encodeURIComponent(page)}`);
    equal((await getUser(sql, t.deps.keyring, worker.id))!.roles.join(), "farm_worker,sales");

    // A wrong code is refused; the right one brings the admin back to the page.
    await b.get(location);
    equal((await b.post("/account/step-up", { next: page, code: "000000" })).status, 401);
    match(b.html, /That code is not right/);
    const ok1 = await stepUp(b, location, secret, clock.now());
    equal(ok1.status, 303);
    equal(ok1.headers.get("location"), page);
    await b.get(page);
    equal((await b.post(page, { action: "roles", roles: ["farm_worker"] })).status, 303);
    equal((await getUser(sql, t.deps.keyring, worker.id))!.roles.join(), "farm_worker");
    const [audit] = await sql`select 1 from audit_log where action = 'user.stepped_up'`;
    ok(audit, "the step-up is audited");

    // Four minutes on it still counts; past five minutes it does not.
    clock.advance(minutes(4));
    equal((await change()).status, 303);
    clock.advance(minutes(1) + 1000);
    const again = await b.submit(page, { action: "roles", roles: ["farm_worker"] });
    equal(again.headers.get("location"), location);
    equal((await getUser(sql, t.deps.keyring, worker.id))!.roles.join(), "farm_worker,sales");
  });
});

Deno.test("step-up: a refund without a fresh second factor is refused", async () => {
  await withTestApp(async (t) => {
    const clock = movableClock(t, START);
    const sql = t.db.sql;
    const { b, secret } = await signedInAdmin(t, clock);
    const paymentId = crypto.randomUUID();
    const page = `/admin/shop/payments/${paymentId}`;
    const refund = () =>
      b.post(page, { action: "refund", amount: "100", reason: "short delivery" });
    clock.advance(minutes(5) + 1000);
    const stale = await refund();
    equal(stale.status, 303);
    const location = stale.headers.get("location")!;
    equal(location, `/account/step-up?next=${encodeURIComponent(page)}`);
    const [{ n }] = await sql`select count(*)::int as n from shop_refunds`;
    equal(n, 0, "no refund recorded");
    equal((await stepUp(b, location, secret, clock.now())).status, 303);
    // Past the guard: the refund handler answers (here: no such payment).
    const fresh = await refund();
    ok(!fresh.headers.get("location")?.startsWith("/account/step-up"), "not sent to step up");
    equal(fresh.status, 404);
  });
});

Deno.test("step-up: rotating a device secret needs TOTP, enrolled first when missing", async () => {
  await withTestApp(async (t) => {
    const clock = movableClock(t, START);
    const sql = t.db.sql;
    const { device, secret: deviceSecret } = await makeDevice(sql, "room_sensor", {
      id: "rs-step",
    });
    await makeUser(sql, t.deps.keyring, { email: "farm@example.com", roles: ["farm_manager"] });
    const b = new Browser(t);
    equal((await signIn(b, "farm@example.com", PASSWORD)).status, 303);
    const page = "/admin/iot/devices/rs-step";
    const first = await b.submit(page, { action: "rotate" });
    equal(first.status, 303);
    match(
      first.headers.get("location")!,
      /^\/account\/two-factor\?next=%2Fadmin%2Fiot%2Fdevices%2Frs-step&stepup=1$/,
    );
    await b.get(first.headers.get("location")!);
    match(b.html, /Set up two-step sign-in first/);
    equal((await verifyDeviceCredentials(sql, device.id, deviceSecret)).ok, true, "unchanged");

    // Enrolling proves the second factor: rotation works within 5 minutes …
    const { secret } = await enrolTotp(b, clock.now, page);
    await b.get(page);
    equal((await b.post(page, { action: "rotate" })).status, 200);
    equal((await verifyDeviceCredentials(sql, device.id, deviceSecret)).ok, false, "rotated");

    // … and not after.
    clock.advance(minutes(5) + 1000);
    const stale = await b.submit(page, { action: "rotate" });
    equal(stale.headers.get("location"), `/account/step-up?next=${encodeURIComponent(page)}`);
    equal((await stepUp(b, stale.headers.get("location")!, secret, clock.now())).status, 303);
    await b.get(page);
    equal((await b.post(page, { action: "rotate" })).status, 200);
  });
});
