/**
 * The field rep's phone in a real browser at phone width: the first visit to /field is enough for
 * it to open without signal (the service worker keeps the page it was installed from); a visit
 * recorded offline waits on the phone and arrives once when the signal is back; signing out
 * forgets the kept page, so the next person on that phone sees no outlets offline.
 * Set E2E_SCREENSHOTS=/some/dir to keep screenshots.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import "../identity/_fixtures.ts"; // cheap argon2 for the accounts made here
import { makeUser, PASSWORD } from "../identity/_fixtures.ts";
import {
  browserTest,
  shot,
  signInOnPage,
  waitForKeptPage,
  withBrowser,
} from "../helpers/browser.ts";
import { withShop } from "../shop/_helpers.ts";
import { doorAccount } from "../b2b/_helpers.ts";

Deno.test({
  name:
    "browser: the field page opens offline after one visit; a visit syncs once; sign-out forgets it",
  ...browserTest,
  async fn() {
    await withShop(async (s) => {
      const account = await doorAccount(s, "Mohakhali Tea Stall");
      const rep = await makeUser(s.sql, s.deps.keyring, {
        email: "sabina.rep@example.com",
        roles: ["sales"],
        displayName: "Sabina Rep",
      });
      await s.deps.b2b.setRoute(rep.id, [account.outletId], { id: null, name: "sales" });

      await withBrowser(s.app.fetch, async (browser, base) => {
        const context = await browser.newContext({ viewport: { width: 360, height: 760 } });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));

        await signInOnPage(page, base, "/field", "sabina.rep@example.com", PASSWORD);
        // One visit, no reload: the worker keeps the page that installed it.
        await waitForKeptPage(page, "/field");
        ok(
          await page.evaluate(async () =>
            (await (await caches.open("sd-v3")).keys()).some((r) => r.url.includes("/_frsh/js/"))
          ),
          "its island's scripts are kept with it",
        );

        await context.setOffline(true);
        await page.reload();
        await page.waitForSelector("[data-field-ready]");
        ok(await page.isVisible("[data-offline]"), "says it is offline");
        ok(await page.isVisible(`[data-outlet="${account.outletId}"]`), "the rep's outlet");
        await shot(page, "field-01-offline");

        const outlet = page.locator(`[data-outlet="${account.outletId}"]`);
        await outlet.locator("[data-visit-form] input[name=note]").fill("Owner away, back Sunday");
        await outlet.locator("[data-visit-form] button[type=submit]").click();
        await page.waitForSelector("[data-outbox='1']");
        const [before] = await s.sql`select count(*)::int as n from b2b_field_entries`;
        equal(before.n, 0, "nothing reached the server while offline");

        await context.setOffline(false);
        await page.evaluate(() => dispatchEvent(new Event("online")));
        await page.waitForSelector("[data-outbox='0']", { timeout: 20_000 });
        const visits = await s.sql`select kind, note from b2b_field_entries`;
        equal(visits.map((v) => `${v.kind}:${v.note}`).join(), "visit:Owner away, back Sunday");
        await shot(page, "field-02-synced");

        await page.click("form[action='/signout'] button[type=submit]");
        await page.waitForURL((u) => u.pathname !== "/field");
        await waitForKeptPage(page, "/field", false);
        await context.setOffline(true);
        await page.goto(`${base}/field`).catch(() => {});
        ok(!(await page.content()).includes("Mohakhali Tea Stall"), "no outlets once signed out");
        deepEqual(errors, []);
      });
    });
  },
});
