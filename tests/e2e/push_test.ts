/**
 * Web Push from the staff PWA in a real browser: a farm worker turns on alerts on this device
 * through /account/notifications (static/push.js: permission, the service worker's
 * pushManager.subscribe with our VAPID key, POST /account/push), the device is listed, an alarm
 * is pushed — VAPID-signed and aes128gcm-encrypted — to the local fake push service, which
 * accepts it, and when the service answers 410 (the device unsubscribed) the subscription is
 * gone from the page. Headless Chromium has no push service of its own (Chrome's is FCM), so the
 * browser's PushManager.subscribe is pointed at the fake: the endpoint is the fake's, the keys
 * are a real P-256 pair and auth secret made in the page; everything else is the app's own path.
 */
import { equal, ok } from "node:assert/strict";
import "../identity/_fixtures.ts";
import { makeUser, PASSWORD } from "../identity/_fixtures.ts";
import { browserTest, shot, signInOnPage, withBrowser } from "../helpers/browser.ts";
import { withShop } from "../shop/_helpers.ts";
import { deliverDue, enqueueMessage } from "@/services/notify/outbox.ts";
import { FakePushService } from "@/services/notify/fakes/push.ts";
import { generateVapidKeys, webPush } from "@/services/notify/transports/push.ts";

Deno.test({
  name:
    "browser: a staff device turns on alerts, a push reaches the fake push service, a 410 removes it",
  ...browserTest,
  async fn() {
    const service = new FakePushService();
    const keys = generateVapidKeys();
    try {
      await withShop(async (s) => {
        const worker = await makeUser(s.sql, s.deps.keyring, {
          email: "milker.push@example.com",
          roles: ["farm_worker"],
          displayName: "Rahim Milker",
        });
        const endpoint = service.endpoint();
        await withBrowser(s.app.fetch, async (browser, base) => {
          const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
          await context.grantPermissions(["notifications"], { origin: base });
          // The browser's push service is the fake (see above); the key the page passes must be
          // our VAPID public key.
          await context.addInitScript((ep: string) => {
            const b64u = (b: Uint8Array) =>
              btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_")
                .replace(/=+$/, "");
            let current: unknown = null;
            // deno-lint-ignore no-explicit-any
            const proto = (globalThis as any).PushManager?.prototype;
            if (!proto) return;
            proto.subscribe = async function (opts: { applicationServerKey: Uint8Array }) {
              const k = new Uint8Array(opts.applicationServerKey);
              sessionStorage.setItem("vapidKeyUsed", b64u(k)); // survives the page's reload
              const pair = await crypto.subtle.generateKey(
                { name: "ECDH", namedCurve: "P-256" },
                true,
                ["deriveBits"],
              );
              const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
              const json = {
                endpoint: ep,
                expirationTime: null,
                keys: { p256dh: b64u(raw), auth: b64u(crypto.getRandomValues(new Uint8Array(16))) },
              };
              current = {
                endpoint: ep,
                toJSON: () => json,
                unsubscribe: () => Promise.resolve(true),
              };
              return current;
            };
            proto.getSubscription = () => Promise.resolve(current);
          }, endpoint);
          const page = await context.newPage();
          const errors: string[] = [];
          page.on("pageerror", (e) => errors.push(e.message));
          await signInOnPage(page, base, "/farm", "milker.push@example.com", PASSWORD);
          // The staff PWA's service worker (scope /) is what push subscriptions hang on.
          await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
          await page.goto(`${base}/account/notifications`);
          await page.waitForSelector("[data-push-on]");
          equal(await page.evaluate(() => Notification.permission), "granted");
          await Promise.all([
            page.waitForNavigation(),
            page.click("[data-push-on]"),
          ]);
          ok((await page.textContent("[data-push]"))!.includes("Mozilla"), "the device is listed");
          await shot(page, "push-01-device-on");
          const subs = await s.deps.notify.pushSubscriptions(worker.id);
          equal(subs.length, 1);
          equal(subs[0].endpoint, endpoint);
          equal(
            await page.evaluate(() => sessionStorage.getItem("vapidKeyUsed")),
            keys.publicKey,
            "subscribed with the server's VAPID key",
          );

          // An alarm for the worker: pushed, signed and encrypted, to the device's service.
          const vapid = { ...keys, subject: "mailto:ops@smartdairy.com.bd" };
          const push = webPush({ sql: s.sql, vapid, timeoutMs: 2000 });
          await enqueueMessage(s.sql, {
            channel: "push",
            to: worker.id,
            subject: "Cold chain: Tank 2 at 7.5 °C",
            body: "Tank 2 is above 4 °C for 15 minutes.",
            template: "iot.alarm_raised",
          });
          equal((await deliverDue(s.sql, { push })).sent, 1);
          equal(service.accepted.length, 1, "the push service accepted it");

          // The device unsubscribed at the push service: 410, and we forget it.
          service.gone.add(endpoint.split("/").pop()!);
          await enqueueMessage(s.sql, {
            channel: "push",
            to: worker.id,
            body: "Task: dry-off 114",
          });
          equal((await deliverDue(s.sql, { push })).dead, 1);
          equal((await s.deps.notify.pushSubscriptions(worker.id)).length, 0);
          await page.reload();
          await page.waitForSelector("[data-push]");
          ok(!(await page.textContent("[data-push]"))!.includes("Mozilla"), "no device listed");
          await shot(page, "push-02-device-gone");
          equal(errors.join("; "), "");
          await context.close();
        });
      }, { config: { VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey } });
    } finally {
      await service.stop();
    }
  },
});
