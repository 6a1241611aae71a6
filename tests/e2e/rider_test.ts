/**
 * The rider's phone offline, in a real browser at phone width: a rider signs in to /rider, the
 * phone loses its signal, the page comes from the service worker's cache, one stop is marked
 * delivered (with the recipient's code and the cash) and one failed; nothing reaches the server
 * until the signal is back, then each step arrives exactly once (a repeated sync adds nothing),
 * and the customer's tracking page, opened without signing in, says delivered.
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
import { withShop } from "../shop/_helpers.ts";
import { ordersForOneDay } from "../delivery/_helpers.ts";

Deno.test({
  name: "browser: a rider completes a route offline and syncs; the tracking page shows delivered",
  ...browserTest,
  async fn() {
    await withShop(async (s) => {
      const sql = s.sql;
      const day = await ordersForOneDay(s, 2);
      const rider = await makeUser(sql, s.deps.keyring, {
        email: "karim.rider@example.com",
        roles: ["rider"],
        displayName: "Karim Rider",
      });
      const staff = await s.user(["sales"]);
      const routeId = await s.deps.delivery.createRoute({
        date: day.date,
        zoneId: day.zoneId,
        slotCode: day.slotCode,
        riderId: rider.id,
      }, staff.user.id);
      await s.deps.delivery.dispatch(routeId, staff.user.id);
      const stops = await sql`
        select id, order_number, handover_code from delivery_stops order by seq`;
      const [first, second] = day.placed.map((p) => p.number);

      await withBrowser(s.app.fetch, async (browser, base) => {
        const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));

        await signInOnPage(page, base, "/rider", "karim.rider@example.com", PASSWORD);
        // One visit, no reload: the worker keeps the page that installed it.
        await waitForKeptPage(page, "/rider");
        await page.waitForSelector("[data-rider-ready]");

        await context.setOffline(true);
        await page.reload(); // served from the service worker's cache
        await page.waitForSelector("[data-rider-ready]");
        ok(await page.isVisible("[data-offline]"));
        await shot(page, "rider-01-offline");

        const one = page.locator(`[data-stop="${first}"]`);
        await one.locator("input[name=code]").fill(stops[0].handover_code);
        // The recipient signs on the phone (offline): the drawing rides with the step.
        const pad = await one.locator("[data-signature]").boundingBox();
        await page.mouse.move(pad!.x + 20, pad!.y + 60);
        await page.mouse.down();
        for (let i = 1; i <= 12; i++) {
          await page.mouse.move(pad!.x + 20 + i * 18, pad!.y + 60 + (i % 2 ? -25 : 25));
        }
        await page.mouse.up();
        await one.locator("[data-deliver-form] button[type=submit]").click();
        const two = page.locator(`[data-stop="${second}"]`);
        await two.locator("input[name=reason]").fill("Gate locked, no answer");
        await two.locator("[data-fail-form] button[type=submit]").click();
        await page.waitForSelector("[data-outbox='2']");
        equal(await one.getAttribute("data-state"), "delivered:waiting");
        const waiting = await page.evaluate(
          (k) => localStorage.getItem(k),
          `sd-rider-outbox:${rider.id}`,
        );
        equal(JSON.parse(waiting!).length, 2);
        const signed = JSON.parse(waiting!)[0].proof;
        equal(signed.kind, "signature");
        ok(signed.dataUrl.startsWith("data:image/png;base64,"), "kept in the phone's outbox");
        const [before] = await sql`
          select count(*)::int as n from delivery_stops where status <> 'pending'`;
        equal(before.n, 0, "nothing reached the server while offline");
        await shot(page, "rider-02-two-waiting");

        await context.setOffline(false);
        await page.evaluate(() => dispatchEvent(new Event("online")));
        await page.waitForSelector("[data-outbox='0']", { timeout: 20_000 });
        await shot(page, "rider-03-synced");
        equal(await one.getAttribute("data-state"), "delivered");
        equal(await two.getAttribute("data-state"), "failed");
        const done = await sql`select order_number, status from delivery_stops order by seq`;
        deepEqual(done.map((r) => `${r.order_number}:${r.status}`), [
          `${first}:delivered`,
          `${second}:failed`,
        ]);
        equal((await s.deps.shop.order(first))!.status, "delivered");
        const cod = await sql`select amount_minor from shop_cod_collections`;
        equal(cod.length, 1);
        equal(Number(cod[0].amount_minor), 4 * 9500 + 4000);
        const [proof] = await sql`select kind, mime, bytes from delivery_proofs`;
        equal(`${proof.kind}:${proof.mime}`, "signature:image/png");
        ok(proof.bytes > 500, "a drawn signature, not an empty canvas");

        // The same steps sent again (a lost answer, a second tap) add nothing.
        const again = await syncFromPage(page, "/rider/sync", JSON.parse(waiting!));
        equal(again.join(","), "duplicate,duplicate");
        equal((await sql`select count(*)::int as n from shop_cod_collections`)[0].n, 1);
        const delivered = await sql`
          select count(*)::int as n from shop_order_events where to_status = 'delivered'`;
        equal(delivered[0].n, 1);
        const wide = await page.evaluate(() =>
          document.documentElement.scrollWidth > globalThis.innerWidth + 1
        );
        equal(wide, false, "the rider's page fits 390 px");

        // The customer opens the link from the SMS, not signed in (another browser context).
        const [msg] = await sql`
          select body from outbox_messages where template = 'shop.delivered'`;
        const link = msg.body.match(/\/track\/\S+/)![0];
        const customer = await browser.newContext({ viewport: { width: 390, height: 844 } });
        const track = await customer.newPage();
        await track.goto(`${base}${link}`);
        equal(await track.getAttribute("[data-status]", "data-status"), "delivered");
        ok((await track.textContent("[data-status]"))!.includes("Delivered"));
        ok((await track.textContent("[data-rider]"))!.includes("Karim Rider"));
        await shot(track, "rider-04-tracking-delivered");
        deepEqual(errors, []);
        await customer.close();
        await context.close();
      });
    });
  },
});
