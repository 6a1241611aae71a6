import { deepEqual, equal, match, ok } from "node:assert/strict";
import { readQrFromHtml } from "@/tests/helpers/qr.ts";
import { totpCode } from "@/services/identity/totp.ts";
import { listAudit } from "@/services/audit/audit_log.ts";
import { listMessages } from "@/services/notify/outbox.ts";
import { findUserByIdentifier, getUser } from "@/services/identity/users.ts";
import type { TestApp } from "@/tests/helpers/app.ts";
import {
  Browser,
  enrolTotp,
  lastCodeSentTo,
  makeUser,
  PASSWORD,
  rupaSignsUp,
  signIn,
  staffWithTotp,
  withTestApp,
} from "./_web.ts";

/** An administrator signed in with TOTP enrolled and verified in this session. */
const adminBrowser = (t: TestApp, email = "boss@example.com") =>
  staffWithTotp(t, { email, roles: ["admin"], displayName: "Boss" });

Deno.test("anonymous visitors are sent to sign in and brought back", async () => {
  await withTestApp(async (t) => {
    const b = new Browser(t);
    for (const path of ["/admin", "/admin/users?kind=staff", "/admin/outbox", "/account"]) {
      const res = await b.get(path);
      equal(res.status, 303, path);
      equal(res.headers.get("location"), `/signin?next=${encodeURIComponent(path)}`);
    }
    const json = await b.get("/admin/users", { accept: "application/json" });
    equal(json.status, 401);
  });
});

Deno.test("RBAC: a farm worker gets a 403 page (or JSON) for the back office, never a stack", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, {
      email: "jamal@example.com",
      roles: ["farm_worker"],
    });
    const b = new Browser(t);
    await signIn(b, "jamal@example.com", PASSWORD);
    for (const path of ["/admin", "/admin/users", "/admin/audit"]) {
      const res = await b.get(path);
      equal(res.status, 403, path);
      match(res.headers.get("content-type")!, /text\/html/);
      match(b.html, /does not have permission/);
      ok(!/\.ts:\d+/.test(b.html), "no stack trace");
    }
    const json = await b.get("/admin/users", { accept: "application/json" });
    equal(json.status, 403);
    const body = JSON.parse(b.html);
    equal(body.error.status, 403);
    // A POST is refused too.
    await b.get("/account");
    const post = await b.post("/admin/users/new", { displayName: "X", email: "x@example.com" });
    equal(post.status, 403);
  });
});

Deno.test("RBAC: sales may open the back office but not users, outbox or audit", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, {
      email: "sabina@example.com",
      roles: ["sales"],
    });
    const b = new Browser(t);
    await signIn(b, "sabina@example.com", PASSWORD);
    equal((await b.get("/admin")).status, 200, "no second factor needed for sales");
    ok(!b.html.includes('href="/admin/users"'), "the menu hides what sales cannot open");
    equal((await b.get("/admin/users")).status, 403);
    equal((await b.get("/admin/outbox")).status, 403);
    equal((await b.get("/admin/audit")).status, 403);
  });
});

Deno.test("admin: second factor enrolment is forced, then the back office opens", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "root@example.com", roles: ["admin"] });
    const b = new Browser(t);
    const res = await signIn(b, "root@example.com", PASSWORD, "/admin/users");
    equal(res.status, 303);
    equal(res.headers.get("location"), "/account/two-factor?next=%2Fadmin%2Fusers");
    // Signed in, but no admin page until TOTP is set up.
    const blocked = await b.get("/admin/audit");
    equal(blocked.status, 303);
    equal(blocked.headers.get("location"), "/account/two-factor?next=%2Fadmin%2Faudit");

    await b.get("/account/two-factor?next=%2Fadmin%2Fusers");
    match(b.html, /requires two-step sign-in/);
    await b.post("/account/two-factor", { action: "start", next: "/admin/users" });
    await b.get("/account/two-factor?next=%2Fadmin%2Fusers");
    match(b.html, /otpauth:\/\/totp\/Smart%20Dairy:root%40example\.com\?/);
    const secret = b.html.match(/data-totp-secret[^>]*>([^<]+)</)![1].replace(/\s+/g, "");
    // The QR code a phone scans carries the same otpauth address and key.
    const scanned = readQrFromHtml(b.html);
    match(scanned ?? "", /^otpauth:\/\/totp\/Smart%20Dairy:root%40example\.com\?/);
    equal(new URL(scanned!).searchParams.get("secret"), secret);

    const bad = await b.post("/account/two-factor", {
      action: "confirm",
      next: "/admin/users",
      code: "000000",
    });
    equal(bad.status, 422);
    match(b.html, /code is not right/);
    equal((await b.get("/admin")).status, 303, "still blocked");

    await b.get("/account/two-factor?next=%2Fadmin%2Fusers");
    const good = await b.post("/account/two-factor", {
      action: "confirm",
      next: "/admin/users",
      code: totpCode(secret),
    });
    equal(good.status, 200);
    const codes = [...b.html.matchAll(/data-recovery-code[^>]*>([^<]+)</g)].map((m) => m[1]);
    equal(codes.length, 10, "ten recovery codes, shown once");
    match(b.html, /href="\/admin\/users"/, "a link on to where the admin was going");

    equal((await b.get("/admin/users")).status, 200);
    match(b.html, /root@example\.com/);
    equal((await b.get("/account/two-factor")).status, 200);
    ok(!/data-recovery-code/.test(b.html), "the codes are not shown again");
    match(b.html, /Recovery codes left: 10/);
  });
});

Deno.test("admin with TOTP: sign-in asks for the code; wrong codes count; a recovery code works once", async () => {
  await withTestApp(async (t) => {
    const { b, secret } = await adminBrowser(t);
    await b.get("/account");
    await b.post("/signout", {});

    const first = await signIn(b, "boss@example.com", PASSWORD);
    equal(first.headers.get("location"), "/signin/verify");
    // Between the steps nobody is signed in.
    equal((await b.get("/account")).status, 303);
    equal((await b.get("/admin")).status, 303);

    const wrong = await b.submit("/signin/verify", {
      code: "123456" === totpCode(secret) ? "654321" : "123456",
    });
    equal(wrong.status, 401);
    match(b.html, /That code is not right/);

    // The enrolment used the current time step: the next one is the first acceptable code.
    const code = totpCode(secret, new Date(Date.now() + 30_000));
    const ok2 = await b.post("/signin/verify", { code });
    equal(ok2.status, 303);
    equal(ok2.headers.get("location"), "/admin");
    equal((await b.get("/admin")).status, 200);
    match(b.html, /Welcome, Boss/);

    // Replaying the same code in another sign-in is refused.
    const c = new Browser(t);
    await signIn(c, "boss@example.com", PASSWORD);
    await c.get("/signin/verify");
    equal((await c.post("/signin/verify", { code })).status, 401);
    match(c.html, /already used/);
  });
});

Deno.test("admin: a recovery code signs in once", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, {
      email: "acc@example.com",
      roles: ["accountant"],
    });
    const b = new Browser(t);
    await signIn(b, "acc@example.com", PASSWORD);
    equal((await b.get("/admin")).status, 303, "accountants need the second factor too");
    const { recoveryCodes } = await enrolTotp(b, Date.now);
    equal((await b.get("/admin")).status, 200);

    const c = new Browser(t);
    await signIn(c, "acc@example.com", PASSWORD);
    const res = await c.submit("/signin/verify", { code: recoveryCodes[0].toUpperCase() });
    equal(res.status, 303);
    match(res.headers.get("location")!, /^\/account\/two-factor\?left=9&next=%2Fadmin$/);
    await c.get(res.headers.get("location")!);
    match(c.html, /9 left/);
    equal((await c.get("/admin")).status, 200);

    const d = new Browser(t);
    await signIn(d, "acc@example.com", PASSWORD);
    await d.get("/signin/verify");
    equal((await d.post("/signin/verify", { code: recoveryCodes[0] })).status, 401);
  });
});

Deno.test("admin creates a staff account, edits roles (audited); the person's session follows", async () => {
  await withTestApp(async (t) => {
    const { b } = await adminBrowser(t);
    const created = await b.submit("/admin/users/new", {
      displayName: "Jamal Mia",
      email: "jamal@example.com",
      phone: "01711-555666",
      locale: "bn",
      roles: ["farm_worker"],
      password: "",
    });
    equal(created.status, 201);
    const password = b.html.match(/data-password[^>]*>([^<]+)</)![1];
    const id = b.html.match(/href="\/admin\/users\/([0-9a-f-]{36})"/)![1];

    const jamal = new Browser(t);
    equal((await signIn(jamal, "01711555666", password)).headers.get("location"), "/farm");
    equal((await jamal.get("/admin")).status, 403);

    // Invalid input is shown, not thrown.
    const dup = await b.submit("/admin/users/new", {
      displayName: "Again",
      email: "jamal@example.com",
      roles: ["sales"],
      password: "",
    });
    equal(dup.status, 422);
    match(b.html, /already exists/);

    const saved = await b.submit(`/admin/users/${id}`, {
      action: "roles",
      roles: ["farm_worker", "sales"],
    });
    equal(saved.status, 303);
    await b.get(saved.headers.get("location")!);
    match(b.html, /Roles saved/);
    deepEqual((await getUser(t.db.sql, t.deps.keyring, id))!.roles, ["farm_worker", "sales"]);
    equal((await jamal.get("/admin")).status, 200, "the open session has the new role at once");

    const { rows } = await listAudit(t.db.sql, { action: "user.roles_set", entityId: id });
    equal(rows.length, 1);
    deepEqual(rows[0].data, { before: ["farm_worker"], after: ["farm_worker", "sales"] });

    // Disabling ends the person's sessions.
    await b.submit(`/admin/users/${id}`, { action: "status", status: "disabled" });
    equal((await jamal.get("/farm")).status, 200, "public farm start page");
    equal((await jamal.get("/account")).status, 303, "signed out");
    equal((await signIn(new Browser(t), "01711555666", password)).status, 403);

    // The last admin cannot remove their own admin role.
    const me = (await findUserByIdentifier(t.db.sql, t.deps.keyring, "boss@example.com"))!.id;
    const last = await b.submit(`/admin/users/${me}`, { action: "roles", roles: ["sales"] });
    equal(last.status, 422);
    match(b.html, /At least one active administrator must remain/);
  });
});

Deno.test("admin users list filters by kind, role and search", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await makeUser(sql, t.deps.keyring, {
      email: "vet@example.com",
      roles: ["vet"],
      displayName: "Dr Mahmuda",
    });
    await makeUser(sql, t.deps.keyring, { phone: "+8801733000111", displayName: "Customer Rahim" });
    const { b } = await adminBrowser(t);
    await b.get("/admin/users");
    match(b.html, /Dr Mahmuda/);
    ok(!b.html.includes("Customer Rahim"), "staff by default");
    await b.get("/admin/users?kind=customers&q=01733-000111");
    match(b.html, /Customer Rahim/);
    match(b.html, /017•••••111/, "phone masked in the list");
    await b.get("/admin/users?kind=all&role=vet");
    const table = b.html.slice(b.html.indexOf("<table"));
    match(table, /Dr Mahmuda/);
    ok(!table.includes("Boss"));
  });
});

Deno.test("outbox page shows one-time codes; dashboard counts; audit chain verifies", async () => {
  await withTestApp(async (t) => {
    await rupaSignsUp(t);
    const code = await lastCodeSentTo(t.db.sql, "+8801912000111");

    const { b } = await adminBrowser(t);
    equal((await b.get("/admin/outbox?to=01912-000111")).status, 200);
    match(b.html, new RegExp(`sign-up code is ${code}`));

    await b.get("/admin");
    const counts = [...b.html.matchAll(/data-count[^>]*>([^<]+)</g)].map((m) => m[1]);
    const queued = (await listMessages(t.db.sql, { status: "queued" })).total;
    ok(counts.includes(String(queued)), `${counts} should include ${queued}`);
    match(b.html, /href="\/admin\/audit"/);

    await b.get("/admin/audit?verify=1");
    match(b.html, /data-chain="ok"/);
    match(b.html, /user\.totp_enabled/);
    match(b.html, /By: Boss/, "actors by name");
  });
});

Deno.test("farm manager (admin.access without outbox.view) cannot read codes", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, {
      email: "fm@example.com",
      roles: ["farm_manager"],
    });
    const b = new Browser(t);
    await signIn(b, "fm@example.com", PASSWORD);
    equal((await b.get("/admin")).status, 200);
    equal((await b.get("/admin/outbox")).status, 403);
  });
});
