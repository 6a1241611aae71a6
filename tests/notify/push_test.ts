import { deepEqual, equal, match, ok } from "node:assert/strict";
import { deliverDue, enqueueMessage } from "@/services/notify/outbox.ts";
import { FakePushService } from "@/services/notify/fakes/push.ts";
import { generateVapidKeys, webPush } from "@/services/notify/transports/push.ts";
import { Browser, makeUser, PASSWORD, signIn } from "@/tests/identity/_web.ts";
import { withTestApp } from "@/tests/helpers/app.ts";

const b64url = (b: Uint8Array) =>
  btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** What PushManager.subscribe() gives a browser: an endpoint, a P-256 key and an auth secret. */
async function browserSubscription(endpoint: string) {
  const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
    "deriveBits",
  ]);
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return {
    endpoint,
    expirationTime: null,
    keys: { p256dh: b64url(raw), auth: b64url(crypto.getRandomValues(new Uint8Array(16))) },
  };
}

Deno.test("push: a staff device subscribes, an alarm reaches it, a 410 removes the subscription", async () => {
  const service = new FakePushService();
  try {
    await withTestApp(async (t) => {
      const user = await makeUser(t.db.sql, t.deps.keyring, {
        email: "milker@example.com",
        roles: ["farm_worker"],
      });
      const b = new Browser(t);
      await signIn(b, "milker@example.com", PASSWORD);
      await b.get("/account/notifications");
      equal((await b.get("/account/notifications")).status, 200);
      match(b.html, /data-push/);
      const csrf = b.html.match(/data-csrf="([^"]+)"/)![1];
      const post = (body: unknown) =>
        t.fetch("/account/push", {
          method: "POST",
          headers: {
            cookie: b.cookieHeader(),
            origin: "http://localhost",
            "content-type": "application/json",
            "x-csrf-token": csrf,
          },
          body: JSON.stringify(body),
        });
      const bad = await post({ endpoint: "not a url", keys: {} });
      equal(bad.status, 422);
      await bad.body?.cancel();
      const phone = await browserSubscription(service.endpoint());
      const laptop = await browserSubscription(service.endpoint());
      for (const s of [phone, laptop]) {
        const res = await post({ ...s, device: "test device" });
        equal(res.status, 201);
        await res.body?.cancel();
      }
      equal((await t.deps.notify.pushSubscriptions(user.id)).length, 2);

      const vapid = { ...generateVapidKeys(), subject: "mailto:ops@smartdairy.com.bd" };
      const push = webPush({ sql: t.db.sql, vapid, timeoutMs: 2000 });
      const { id } = await enqueueMessage(t.db.sql, {
        channel: "push",
        to: user.id,
        subject: "Cold chain: Tank 2 at 7.5 °C",
        body: "Tank 2 is above 4 °C for 15 minutes.",
        template: "iot.alarm_raised",
      });
      equal((await deliverDue(t.db.sql, { push })).sent, 1);
      equal(service.accepted.length, 2, "both devices got it");
      deepEqual(service.accepted.map((a) => a.raw.urgency), ["high", "high"]);
      ok(service.accepted.every((a) => a.raw.sub === "mailto:ops@smartdairy.com.bd"));
      const [m] = await t.db.sql`select status, provider_id from outbox_messages where id = ${id}`;
      equal(m.status, "sent");
      equal(m.provider_id, "push:2/2");

      // The phone unsubscribed: the push service answers 410 and we forget it.
      service.gone.add(phone.endpoint.split("/").pop()!);
      await enqueueMessage(t.db.sql, {
        channel: "push",
        to: user.id,
        body: "Task: dry-off cow 114",
      });
      equal((await deliverDue(t.db.sql, { push })).sent, 1);
      const left = await t.deps.notify.pushSubscriptions(user.id);
      deepEqual(left.map((s) => s.endpoint), [laptop.endpoint]);

      // The laptop too: nothing left to reach, the message is dead at once.
      service.gone.add(laptop.endpoint.split("/").pop()!);
      const last = await enqueueMessage(t.db.sql, { channel: "push", to: user.id, body: "x" });
      equal((await deliverDue(t.db.sql, { push })).dead, 1);
      equal((await t.deps.notify.pushSubscriptions(user.id)).length, 0);
      const [dead] = await t.db.sql`select status from outbox_messages where id = ${last.id}`;
      equal(dead.status, "dead");
    });
  } finally {
    await service.stop();
  }
});

Deno.test("push: a customer cannot subscribe a device; the push service's error is retried", async () => {
  const service = new FakePushService();
  try {
    await withTestApp(async (t) => {
      await makeUser(t.db.sql, t.deps.keyring, { email: "buyer@example.com" });
      const b = new Browser(t);
      await signIn(b, "buyer@example.com", PASSWORD);
      await b.get("/account/notifications");
      ok(!b.html.includes("data-push-on"), "no device alerts for customers");
      const res = await t.fetch("/account/push", {
        method: "POST",
        headers: {
          cookie: b.cookieHeader(),
          origin: "http://localhost",
          "content-type": "application/json",
          "x-csrf-token": b.token,
        },
        body: JSON.stringify(await browserSubscription(service.endpoint())),
      });
      equal(res.status, 403);
      await res.body?.cancel();

      const staff = await makeUser(t.db.sql, t.deps.keyring, { roles: ["farm_worker"] });
      const sub = await browserSubscription(service.endpoint());
      ok((await t.deps.notify.subscribePush(staff.id, sub)).ok);
      service.fault = "error";
      const vapid = { ...generateVapidKeys(), subject: "mailto:ops@smartdairy.com.bd" };
      const push = webPush({ sql: t.db.sql, vapid, timeoutMs: 2000 });
      await enqueueMessage(t.db.sql, { channel: "push", to: staff.id, body: "x" });
      equal((await deliverDue(t.db.sql, { push })).retried, 1);
      equal((await t.deps.notify.pushSubscriptions(staff.id)).length, 1, "kept");
    });
  } finally {
    await service.stop();
  }
});
