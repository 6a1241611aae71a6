/**
 * The live farm in a real browser (Chromium, phone width) against a real server, broker and
 * ingest: readings a device publishes appear on the open page without a reload, a warming tank
 * turns its tile red with the hold and the alarm, and a device's chart grows.
 * Set E2E_SCREENSHOTS=/some/dir to keep screenshots.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { browserTest, shot, signInOnPage, withPage } from "../helpers/browser.ts";
import { withTestApp } from "../helpers/app.ts";
import { makeUser, PASSWORD } from "../identity/_fixtures.ts";
import { liveStack } from "../iot/web_helpers.ts";
import { makeDevice, makeTank } from "../iot/helpers.ts";

Deno.test({
  name: "browser: the live farm updates without a reload as devices publish (phone width)",
  ...browserTest,
  async fn() {
    await withTestApp(async (t) => {
      const sql = t.db.sql;
      await makeTank(sql, "tank-1");
      await makeTank(sql, "tank-2");
      const thermo = await makeDevice(sql, "tank_thermometer", {
        id: "tt-tank-1",
        tankId: "tank-1",
        name: "Tank 1 thermometer",
      });
      const meter = await makeDevice(sql, "milk_meter", { id: "mm-01", tankId: "tank-1" });
      await makeUser(sql, t.deps.keyring, { email: "rahim@example.com", roles: ["farm_worker"] });
      const live = await liveStack(t);
      try {
        await withPage(t.app.fetch, { width: 390, height: 844 }, async (page, base, errors) => {
          await signInOnPage(page, base, "/farm/live", "rahim@example.com", PASSWORD);
          await page.waitForSelector('[data-live-status="live"]');
          match(await page.textContent('[data-tank="tank-1"] [data-temp]') ?? "", /—/);
          await shot(page, "iot-01-live-empty");

          // A reading: the tile shows it, cold, without a reload.
          const marker = await page.evaluate(() => (globalThis as any).__same = "page");
          await live.publish(thermo.device.id, thermo.secret, { temperature_c: 3.2 });
          await page.waitForFunction(() =>
            document.querySelector('[data-tank="tank-1"] [data-temp]')?.textContent?.includes(
              "3.2",
            )
          );
          equal(await page.getAttribute('[data-tank="tank-1"]', "data-level"), "ok");

          // Milk from a meter: today's total follows.
          await live.publish(meter.device.id, meter.secret, {
            animal_tag: "SD-0001",
            yield_kg: 12.4,
          });
          await page.waitForFunction(() =>
            document.querySelector("[data-milk-total]")?.textContent?.includes("12.4")
          );

          // The tank warms past 8 °C: red tile, milk on hold, the alarm listed.
          await live.publish(thermo.device.id, thermo.secret, { temperature_c: 9.7 });
          await page.waitForSelector('[data-tank="tank-1"][data-level="hot"]');
          await page.waitForSelector('[data-tank="tank-1"] [data-held]');
          await page.waitForSelector("[data-alarm]");
          match(await page.textContent("[data-alarms]") ?? "", /reads 9\.7/);
          equal(await page.evaluate(() => (globalThis as any).__same), marker, "never reloaded");
          equal(
            await page.evaluate(() =>
              document.documentElement.scrollWidth > globalThis.innerWidth + 1
            ),
            false,
            "fits 390 px",
          );
          await shot(page, "iot-02-live-hot");

          // The thermometer's page: its chart grows as readings arrive.
          await page.click('[data-tank="tank-1"] a[href="/farm/live/devices/tt-tank-1"]');
          await page.waitForURL(`${base}/farm/live/devices/tt-tank-1`);
          await page.waitForSelector('[data-latest][data-live-status="live"]');
          await page.waitForSelector('[data-chart="temperature_c"] canvas');
          const before = Number(
            await page.getAttribute('[data-chart="temperature_c"] [data-points]', "data-points"),
          );
          equal(before, 2);
          await live.publish(thermo.device.id, thermo.secret, { temperature_c: 10.4 });
          await page.waitForFunction(() =>
            document.querySelector('[data-chart="temperature_c"] [data-points]')
              ?.getAttribute("data-points") === "3"
          );
          match(
            await page.textContent('[data-metric="temperature_c"] [data-value]') ?? "",
            /10\.4 °C/,
          );
          await shot(page, "iot-03-device");
          deepEqual(errors, []);
          await page.close();
        }, { console: true });
      } finally {
        await live.close();
      }
    });
  },
});

Deno.test({
  name: "browser: the admin device page shows the secret once, charts without CSP errors",
  ...browserTest,
  async fn() {
    await withTestApp(async (t) => {
      const sql = t.db.sql;
      await makeTank(sql, "tank-1");
      await makeUser(sql, t.deps.keyring, { email: "karim@example.com", roles: ["farm_manager"] });
      await withPage(t.app.fetch, { width: 1200, height: 900 }, async (page, base, errors) => {
        await signInOnPage(page, base, "/admin/iot/devices/new", "karim@example.com", PASSWORD);
        await page.fill("#id", "tt-tank-9");
        await page.selectOption("#type", "tank_thermometer");
        await page.fill("#name", "Tank 9 thermometer");
        await page.selectOption("#tankId", "tank-1");
        await page.click("button[type=submit]");
        const secret = (await page.textContent("[data-secret]"))?.trim() ?? "";
        ok(secret.length >= 40);
        await shot(page, "iot-04-secret");
        await page.click(`a[href="/admin/iot/devices/tt-tank-9"]`);
        await page.waitForURL(`${base}/admin/iot/devices/tt-tank-9`);
        ok(!(await page.content()).includes(secret), "not shown again");
        await page.reload();
        ok(!(await page.content()).includes(secret));
        await shot(page, "iot-05-device-admin");
        deepEqual(errors, []);
        await page.close();
      }, { console: true });
    });
  },
});
