/**
 * Identity in a real browser (Chromium, phone width): sign up with the code from the outbox, sign
 * out, sign in again; an administrator's first sign-in with second-factor enrolment.
 * Set E2E_SCREENSHOTS=/some/dir to keep a screenshot of every step.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import "../identity/_fixtures.ts"; // cheap argon2 for the accounts made here
import { lastCodeSentTo, makeUser, PASSWORD } from "../identity/_fixtures.ts";
import { totpCode } from "@/services/identity/totp.ts";
import { browserTest, shot, withPage } from "../helpers/browser.ts";
import { withTestApp } from "../helpers/app.ts";

Deno.test({
  name: "browser: sign up with the code, sign out, sign in again (phone width)",
  ...browserTest,
  async fn() {
    await withTestApp(async (t) => {
      await withPage(t.app.fetch, { width: 390, height: 844 }, async (page, base, errors) => {
        await page.goto(`${base}/signup`);
        await shot(page, "01-signup");
        await page.fill("#name", "Shirin Sultana");
        await page.fill("#identifier", "01712-345678");
        await page.fill("#password", "dhaka milk run 5");
        await page.click("button[type=submit]");
        await page.waitForURL(`${base}/signup/verify`);
        match(await page.textContent("main") ?? "", /017•••••678/);
        await shot(page, "02-signup-code");

        const code = await lastCodeSentTo(t.db.sql, "+8801712345678");
        await page.fill("#code", code);
        await page.click("button[type=submit]");
        await page.waitForURL(`${base}/account?welcome=1`);
        match(await page.textContent("main") ?? "", /Welcome to Smart Dairy, Shirin Sultana/);
        await shot(page, "03-account");

        // The cookie the browser keeps cannot be read by scripts.
        const cookies = await page.context().cookies();
        const session = cookies.find((c) => c.name === "sd_session");
        ok(session?.httpOnly);
        equal(session?.sameSite, "Lax");
        equal(await page.evaluate(() => document.cookie.includes("sd_session")), false);

        await page.click("form[action='/signout'] button");
        await page.waitForURL(`${base}/signin?signedout=1`);
        match(await page.textContent("main") ?? "", /You are signed out/);
        await shot(page, "04-signed-out");

        await page.fill("#identifier", "01712345678");
        await page.fill("#password", "wrong password here");
        await page.click("button[type=submit]");
        match(await page.textContent("[role=alert]") ?? "", /not right/);
        await page.fill("#password", "dhaka milk run 5");
        await page.click("button[type=submit]");
        await page.waitForURL(`${base}/`);
        await page.click("header a[href='/account']");
        await page.waitForURL(`${base}/account`);
        match(await page.textContent("main") ?? "", /Shirin Sultana/);

        // No horizontal scrolling at phone width on any of these pages.
        for (const path of ["/account", "/account/sessions", "/account/password", "/signin"]) {
          await page.goto(`${base}${path}`);
          const wide = await page.evaluate(() =>
            document.documentElement.scrollWidth > globalThis.innerWidth + 1
          );
          equal(wide, false, `${path} fits 390 px`);
        }
        await page.goto(`${base}/account/sessions`);
        await shot(page, "05-sessions");
        deepEqual(errors, []);
      });
    });
  },
});

Deno.test({
  name: "browser: admin's first sign-in sets up the second factor, then the back office opens",
  ...browserTest,
  async fn() {
    await withTestApp(async (t) => {
      await makeUser(t.db.sql, t.deps.keyring, {
        email: "admin@example.com",
        displayName: "Administrator",
        roles: ["admin"],
      });
      await withPage(t.app.fetch, { width: 390, height: 844 }, async (page, base, errors) => {
        await page.goto(`${base}/admin/users`);
        await page.waitForURL(`${base}/signin?next=%2Fadmin%2Fusers`);
        await shot(page, "10-admin-signin");
        await page.fill("#identifier", "admin@example.com");
        await page.fill("#password", PASSWORD);
        await page.click("button[type=submit]");
        await page.waitForURL(`${base}/account/two-factor?next=%2Fadmin%2Fusers`);
        match(await page.textContent("main") ?? "", /requires two-step sign-in/);
        await shot(page, "11-two-factor-required");

        await page.click("button[value=start]");
        const secret = (await page.textContent("[data-totp-secret]"))!.replace(/\s+/g, "");
        match(await page.textContent("main") ?? "", /otpauth:\/\/totp\//);
        await shot(page, "12-two-factor-secret");
        await page.fill("#code", totpCode(secret));
        await page.click("button[value=confirm]");
        await page.waitForSelector("[data-recovery-code]");
        equal((await page.$$("[data-recovery-code]")).length, 10);
        await shot(page, "13-recovery-codes");

        await page.click("text=Continue");
        await page.waitForURL(`${base}/admin/users`);
        match(await page.textContent("main") ?? "", /admin@example\.com/);
        await shot(page, "14-admin-users");

        // Create a staff account with a generated password, then open it.
        await page.click("text=New staff account");
        await page.fill("#displayName", "Jamal Mia");
        await page.fill("#phone", "01711-555666");
        await page.check("input[name=roles][value=farm_worker]");
        await shot(page, "14b-admin-new-user");
        await page.click("button[type=submit]");
        ok((await page.textContent("[data-password]"))!.length >= 16);
        await page.click("text=Open");
        match(await page.textContent("main") ?? "", /Jamal Mia/);
        await shot(page, "14c-admin-user");

        await page.goto(`${base}/admin`);
        match(await page.textContent("main") ?? "", /Welcome, Administrator/);
        await shot(page, "15-admin-dashboard");
        await page.goto(`${base}/admin/outbox`);
        await shot(page, "16-admin-outbox");
        await page.goto(`${base}/admin/audit?verify=1`);
        match(await page.textContent("main") ?? "", /The chain is intact/);
        await shot(page, "17-admin-audit");

        // Sign out and in again: now the code from the app is asked for.
        await page.goto(`${base}/account`);
        await page.click("form[action='/signout'] button");
        await page.waitForURL(`${base}/signin?signedout=1`);
        await page.goto(`${base}/signin?next=/admin`);
        await page.fill("#identifier", "admin@example.com");
        await page.fill("#password", PASSWORD);
        await page.click("button[type=submit]");
        await page.waitForURL(`${base}/signin/verify`);
        await shot(page, "18-verify");
        // The enrolment used this time step; the app's next code is the one to type.
        await page.fill("#code", totpCode(secret, new Date(t.deps.clock.now().getTime() + 30_000)));
        await page.click("button[type=submit]");
        await page.waitForURL(`${base}/admin`);
        deepEqual(errors, []);
      });
    });
  },
});
