/**
 * The staff PWA offline, in a real browser at phone width: a farm worker signs in, the phone
 * loses its signal, the recorder page comes from the service worker's cache, five milkings wait
 * in the outbox (IndexedDB), and when the signal is back they are sent: exactly five rows. A
 * repeated sync of the same entries adds none.
 * Set E2E_SCREENSHOTS=/some/dir to keep screenshots.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import "../identity/_fixtures.ts"; // cheap argon2 for the accounts made here
import { makeUser, PASSWORD } from "../identity/_fixtures.ts";
import {
  browserTest,
  shot,
  signInOnPage,
  syncFromPage,
  waitForKeptPage,
  withBrowser,
} from "../helpers/browser.ts";
import { withTestApp } from "../helpers/app.ts";
import { count, makeCow } from "../farm/_helpers.ts";

Deno.test({
  name: "browser: farm worker records five milkings offline; they sync once back online",
  ...browserTest,
  async fn() {
    await withTestApp(async (t) => {
      const sql = t.db.sql;
      await makeUser(sql, t.deps.keyring, {
        email: "jamal@example.com",
        roles: ["farm_worker"],
        displayName: "Jamal Mia",
      });
      const tags = ["COW-1", "COW-2", "COW-3", "COW-4", "COW-5"];
      for (const tag of tags) await makeCow(sql, { tag });
      await withBrowser(t.app.fetch, async (browser, base) => {
        const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));

        await signInOnPage(page, base, "/farm", "jamal@example.com", PASSWORD);
        // One visit, no reload: the worker keeps the page that installed it.
        await waitForKeptPage(page, "/farm");
        await page.waitForSelector("[data-ready]");
        // Every control of every recorder form has a label a screen reader announces.
        const unlabelled = await page.$$eval(
          "form[data-kind] input, form[data-kind] select",
          (els) =>
            els.filter((e) => !(e as HTMLInputElement).labels?.length)
              .map((e) => `${e.closest("form")!.dataset.kind}:${(e as HTMLInputElement).name}`),
        );
        deepEqual(unlabelled, []);

        await context.setOffline(true);
        await page.reload(); // served from the service worker's cache
        await page.waitForSelector("[data-ready]");
        equal(await page.evaluate(() => navigator.onLine), false);
        ok((await page.textContent("[data-testid=net]"))!.includes("Offline"));
        await shot(page, "farm-01-offline");

        const form = page.locator("form[data-kind=milking]");
        for (const [i, tag] of tags.entries()) {
          await form.locator("input[name=animal]").fill(tag);
          await form.locator("input[name=yieldKg]").fill(String(5 + i / 2));
          await form.locator("button").click();
          await page.waitForFunction(
            (n) => document.querySelector("[data-testid=waiting-count]")?.textContent === String(n),
            i + 1,
          );
        }
        const waiting = await page.locator("[data-testid=waiting] li").allTextContents();
        equal(waiting.length, 5);
        ok(waiting[0].includes("kg"));
        equal(await count(sql, "milk_records"), 0, "nothing reached the server while offline");
        await shot(page, "farm-02-five-waiting");
        const entries = await page.evaluate(() =>
          new Promise<unknown[]>((resolve, reject) => {
            const r = indexedDB.open("sd-farm", 1);
            r.onsuccess = () => {
              const q = r.result.transaction("outbox").objectStore("outbox").getAll();
              q.onsuccess = () => resolve(q.result);
              q.onerror = () => reject(q.error);
            };
            r.onerror = () => reject(r.error);
          })
        ) as { id: string; kind: string; recordedAt: string; data: unknown }[];
        equal(entries.length, 5);

        await context.setOffline(false);
        await page.waitForFunction(
          () => document.querySelector("[data-testid=waiting-count]")?.textContent === "0",
          undefined,
          { timeout: 20_000 },
        );
        await shot(page, "farm-03-synced");
        equal(await count(sql, "milk_records"), 5, "exactly five rows");
        const rows =
          await sql`select a.tag from milk_records m join animals a on a.id = m.animal_id order by a.tag`;
        equal(rows.map((r) => r.tag).join(","), tags.join(","));

        // The same entries sent again (a lost answer, a second tap) add nothing.
        const again = await syncFromPage(
          page,
          "/farm/sync",
          entries.map(({ id, kind, recordedAt, data }) => ({ id, kind, recordedAt, data })),
        );
        equal(again.join(","), "duplicate,duplicate,duplicate,duplicate,duplicate");
        equal(await count(sql, "milk_records"), 5);
        const wide = await page.evaluate(() =>
          document.documentElement.scrollWidth > globalThis.innerWidth + 1
        );
        equal(wide, false, "the recorder fits 390 px");
        deepEqual(errors, []);
        await context.close();
      });
    });
  },
});
