/**
 * The platform in a real browser: islands hydrate and react to clicks (with a signal shared by
 * two islands), a page without islands loads no script, the contact form re-renders bad input,
 * and the language switch sticks.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { fixtureApp } from "../framework/fixture_app.ts";
import { browserTest, withBrowser } from "../helpers/browser.ts";
import { withTestApp } from "../helpers/app.ts";

Deno.test({
  name: "browser: islands hydrate, share a signal, and keep their slots",
  ...browserTest,
  async fn() {
    const app = await fixtureApp();
    await withBrowser(app.fetch, async (browser, base) => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("response", (r) => {
        if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) {
          errors.push(`${r.status()} ${r.url()}`);
        }
      });
      await page.goto(`${base}/islands`);
      await page.waitForFunction(() => document.querySelector("#a .count")?.textContent === "5");
      await page.click("#a .inc");
      await page.waitForFunction(() => document.querySelector("#a .count")?.textContent === "6");
      // The second island holds the same signal: it sees the change.
      assertEquals(await page.textContent("#b .count"), "6");
      // The nested island (inside Outer) is interactive through the outer one.
      await page.click("#inner .inc");
      await page.waitForFunction(() =>
        document.querySelector("#inner .count")?.textContent === "2"
      );
      assertEquals(await page.textContent("#slot-a"), "server slot");
      assertEquals(errors, []);
    });
  },
});

Deno.test({
  name: "browser: public pages without islands load no script; the contact island counts",
  ...browserTest,
  async fn() {
    await withTestApp(async (t) => {
      await withBrowser(t.app.fetch, async (browser, base) => {
        const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
        const scripts: string[] = [];
        page.on("request", (r) => r.resourceType() === "script" && scripts.push(r.url()));
        await page.goto(`${base}/`);
        match(await page.textContent("h1") ?? "", /Milk the way it should taste/);
        assertEquals(await page.locator("script").count(), 0);
        await page.goto(`${base}/about`);
        assertEquals(scripts, [], "pages without islands fetch no JavaScript");

        await page.goto(`${base}/contact`);
        await page.waitForLoadState("networkidle");
        ok(scripts.length > 0, "the contact page loads its island");
        await page.fill("#message", "Hello");
        await page.waitForFunction(() =>
          document.querySelector("[data-testid=chars-left]")?.textContent?.startsWith("1995")
        );

        // Bad input comes back with the user's values and messages.
        await page.fill("#name", "Rahima Begum");
        await page.fill("#phone", "12345");
        await page.click("button[type=submit]");
        await page.waitForSelector("[role=alert]");
        assertEquals(await page.inputValue("#name"), "Rahima Begum");
        assertEquals(await page.inputValue("#phone"), "12345");
        match(await page.textContent("body") ?? "", /Bangladesh mobile number/);

        // Fixed input is saved and the visitor is thanked.
        await page.fill("#phone", "01712-345678");
        await page.fill("#message", "Please deliver 2 litres every morning to Road 7.");
        await page.click("button[type=submit]");
        await page.waitForSelector("[role=status]");
        const [row] = await t.db.sql`select name, topic from contact_messages`;
        assertEquals(row.name, "Rahima Begum");

        // The language switch is remembered.
        await page.click("a[hreflang=bn]");
        await page.waitForURL(`${base}/contact`);
        match(await page.textContent("h1") ?? "", /যোগাযোগ/);
        await page.goto(`${base}/`);
        assertEquals(await page.getAttribute("html", "lang"), "bn");
      });
    });
  },
});
