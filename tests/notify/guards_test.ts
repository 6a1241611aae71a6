import { equal, match, ok, throws } from "node:assert/strict";
import { asProduction } from "@/tests/helpers/production_env.ts";
import { deliverDue, devTransport, enqueueMessage } from "@/services/notify/outbox.ts";
import { FakeSslWireless, FakeTwilio } from "@/services/notify/fakes/sms.ts";
import { FakeSmtp } from "@/services/notify/fakes/smtp.ts";
import { FakeWhatsApp } from "@/services/notify/fakes/whatsapp.ts";
import { startFakeProviders } from "@/services/payments/mod.ts";
import { ProductionGuardError } from "@/services/platform/production_guard.ts";
import { addDays, dhakaDate, dhakaInstant } from "@/services/platform/dhaka.ts";
import { withTestDb } from "@/tests/helpers/db.ts";
import {
  Browser,
  makeUser,
  PASSWORD,
  rupaSignsUp,
  signIn,
  staffWithTotp,
} from "@/tests/identity/_web.ts";
import { type TestApp, withTestApp } from "@/tests/helpers/app.ts";
import { row, transportsFor } from "./_helpers.ts";
import { SEND_LIMITS } from "@/services/notify/guards.ts";
import type { Config } from "@/services/platform/config.ts";

/** The admin (second factor enrolled) who reads /admin/outbox. */
async function adminBrowser(t: TestApp) {
  const admin = { email: "boss@example.com", roles: ["admin" as const], displayName: "Boss" };
  return (await staffWithTotp(t, admin)).b;
}

/** Twilio's fake on loopback, the app sending SMS through it (and `config`); stopped after. */
async function withTwilio(
  config: Partial<Config>,
  fn: (t: TestApp, twilio: FakeTwilio) => Promise<void>,
) {
  const twilio = new FakeTwilio("AC0123456789abcdef0123456789abcdef", "twilio-auth-token");
  try {
    await withTestApp((t) => fn(t, twilio), {
      config: {
        SMS_TWILIO_BASE_URL: twilio.baseUrl,
        SMS_TWILIO_ACCOUNT_SID: twilio.accountSid,
        SMS_TWILIO_AUTH_TOKEN: twilio.authToken,
        SMS_TWILIO_FROM: "+15005550006",
        NOTIFY_SMS_ORDER: "twilio",
        ...config,
      },
    });
  } finally {
    await twilio.stop();
  }
}

Deno.test("guard rails: with a real SMS provider, codes are masked on /admin/outbox and erased once delivered", async () => {
  // Twilio's settings given by the operator (not listed in NOTIFY_FAKE_PROVIDERS): a real one.
  await withTwilio({}, async (t, twilio) => {
    await rupaSignsUp(t);
    const [msg] = await t.db.sql`
      select id::text, body from outbox_messages where recipient = '+8801912000111'`;
    const code = msg.body.match(/\b(\d{6})\b/)[1];
    const b = await adminBrowser(t);
    equal((await b.get("/admin/outbox?to=01912-000111")).status, 200);
    ok(!b.html.includes(code), "the code is not on the page");
    match(b.html, /data-masked[^>]*>code sent to \+88019…11</);

    const { transports } = transportsFor(t.db.sql, t.deps.config);
    equal(transports.sms!.real, true);
    await deliverDue(t.db.sql, transports);
    equal(twilio.accepted[0].text.includes(code), true, "the customer got the code");
    const sent = await row(t.db.sql, msg.id);
    equal(sent.status, "sent");
    equal(sent.body, "", "erased after delivery");
    ok(sent.body_erased_at);
    await b.get("/admin/outbox?to=01912-000111");
    ok(!b.html.includes(code));
  });
});

Deno.test("guard rails: with only local fakes, codes stay readable on /admin/outbox", async () => {
  await withTwilio({ NOTIFY_FAKE_PROVIDERS: "twilio" }, async (t, twilio) => {
    await rupaSignsUp(t);
    const { transports } = transportsFor(t.db.sql, t.deps.config);
    equal(transports.sms!.real, false);
    await deliverDue(t.db.sql, transports);
    const code = twilio.accepted[0].text.match(/\b(\d{6})\b/)![1];
    const b = await adminBrowser(t);
    await b.get("/admin/outbox?to=01912-000111");
    match(b.html, new RegExp(`sign-up code is ${code}`));
  });
});

Deno.test("guard rails: the dev transport and every fake refuse to start in production unless forced", async () => {
  throws(() => devTransport("dev", { NODE_ENV: "production" }), ProductionGuardError);
  throws(() => devTransport("dev", { APP_ENV: "Production" }), ProductionGuardError);
  throws(
    () => devTransport("dev", { PUBLIC_URL: "https://smartdairy.com.bd" }),
    /refused to start/,
  );
  ok(
    devTransport("dev", {
      PUBLIC_URL: "https://smartdairy.com.bd",
      ALLOW_FAKES_IN_PRODUCTION: "1",
    }),
  );
  ok(devTransport("dev", { PUBLIC_URL: "http://localhost:8000", NODE_ENV: "development" }));

  await asProduction(async () => {
    throws(() => new FakeSslWireless("t", "s"), ProductionGuardError);
    throws(() => new FakeTwilio("AC1", "t"), ProductionGuardError);
    throws(() => new FakeWhatsApp("t", "1", "s"), ProductionGuardError);
    throws(() => startFakeProviders(), /Fake payment provider .* refused to start/);
    await FakeSmtp.start().then(
      () => ok(false, "the SMTP fake started"),
      (e) => ok(e instanceof ProductionGuardError),
    );
    // Forced: they start.
    Deno.env.set("ALLOW_FAKES_IN_PRODUCTION", "1");
    const ssl = new FakeSslWireless("t", "s");
    const pay = startFakeProviders();
    await ssl.stop();
    await pay.stop();
  });
});

Deno.test("guard rails: per-recipient and overall limits stop SMS bombing with codes", async () => {
  await withTestDb(async ({ sql }) => {
    const code = (to: string) =>
      enqueueMessage(sql, {
        channel: "sms",
        to,
        body: "Smart Dairy: your sign-up code is 123456.",
        template: "signup_code",
      });
    for (let i = 0; i < 5; i++) equal((await code("+8801712000001")).suppressed, undefined);
    const sixth = await code("+8801712000001");
    equal(sixth.suppressed, "send limit: 5 code messages per hour");
    equal((await row(sql, sixth.id)).status, "suppressed");
    equal((await code("+8801712000002")).suppressed, undefined, "another number is not limited");
    // Order updates have no such limit.
    for (let i = 0; i < 7; i++) {
      const r = await enqueueMessage(sql, {
        channel: "sms",
        to: "+8801712000001",
        body: `Order SD-${i} is on its way`,
        template: "shop.dispatched",
      });
      equal(r.suppressed, undefined);
    }
    // Over all numbers: codes per minute are capped too (lowered here to 6 for the test).
    const saved = SEND_LIMITS.code!.overall;
    SEND_LIMITS.code!.overall = [6, 60];
    try {
      equal(
        (await code("+8801712000003")).suppressed,
        "send limit: 6 code messages per 60 seconds overall",
      );
    } finally {
      SEND_LIMITS.code!.overall = saved;
    }
    // A suppressed message is never sent.
    const sent: string[] = [];
    await deliverDue(sql, {
      sms: { name: "rec", send: (m) => (sent.push(m.id), Promise.resolve({})) },
    }, { batch: 50 });
    ok(!sent.includes(sixth.id));
    equal(sent.length, 5 + 1 + 7);
  });
});

Deno.test("guard rails: promotions wait out the quiet hours (21:00–09:00 Dhaka)", async () => {
  await withTestDb(async ({ sql }) => {
    const day = addDays(dhakaDate(new Date()), 1);
    const promo = (now: Date) =>
      enqueueMessage(sql, {
        channel: "sms",
        to: "+8801712000001",
        body: "Smart Dairy: 10% off ghee this week.",
        purpose: "promotional",
      }, { now });
    const late = await promo(dhakaInstant(day, "22:00"));
    equal(
      (await row(sql, late.id)).next_attempt_at.getTime(),
      dhakaInstant(addDays(day, 1), "09:00").getTime(),
    );
    const sent: string[] = [];
    const transports = {
      sms: { name: "rec", send: (m: { id: string }) => (sent.push(m.id), Promise.resolve({})) },
    };
    await deliverDue(sql, transports, { now: dhakaInstant(addDays(day, 1), "08:59") });
    equal(sent.length, 0);
    await deliverDue(sql, transports, { now: dhakaInstant(addDays(day, 1), "09:00") });
    equal(sent.length, 1);

    // Queued in the day, but the worker only gets to it at 21:30: it waits until 09:00.
    const day2 = addDays(day, 2);
    const evening = await promo(dhakaInstant(day2, "20:59"));
    await sql`update outbox_messages set next_attempt_at = ${dhakaInstant(day2, "20:59")}
      where id = ${evening.id}`;
    await deliverDue(sql, transports, { now: dhakaInstant(day2, "21:30") });
    equal(sent.length, 1);
    const held = await row(sql, evening.id);
    equal(held.status, "queued");
    equal(held.attempts, 0);
    equal(held.next_attempt_at.getTime(), dhakaInstant(addDays(day2, 1), "09:00").getTime());
    // Order updates are not promotions: they go at night.
    await enqueueMessage(sql, {
      channel: "sms",
      to: "+8801712000001",
      body: "Order SD-1 is on its way",
      template: "shop.dispatched",
    });
    await deliverDue(sql, transports, { now: dhakaInstant(addDays(day2, 1), "02:00") });
    equal(sent.length, 2);
  });
});

Deno.test("guard rails: a customer's preferences on the account page are honoured", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { phone: "+8801712345678" });
    const b = new Browser(t);
    await signIn(b, "01712-345678", PASSWORD);
    equal((await b.get("/account/notifications")).status, 200);
    match(b.html, /name="order_updates" checked/);
    const res = await b.post("/account/notifications", { promotional: "on" });
    equal(res.status, 303);
    await b.get("/account/notifications");
    ok(!/name="order_updates" checked/.test(b.html), "order updates now off");
    match(b.html, /name="promotional" checked/);
    const order = await enqueueMessage(t.db.sql, {
      channel: "sms",
      to: "+8801712345678",
      body: "Order SD-1 is on its way",
      template: "shop.dispatched",
    });
    equal(order.suppressed, "order updates turned off");
    const code = await enqueueMessage(t.db.sql, {
      channel: "sms",
      to: "+8801712345678",
      body: "Smart Dairy: your sign-in code is 123456.",
      template: "signin_code",
    });
    equal(code.suppressed, undefined, "codes always go");

    // STOP by SMS shows on the page; saving turns updates back on.
    await t.db.sql`update notify_preferences set opted_out_at = now()
      where address = '+8801712345678'`;
    await b.get("/account/notifications");
    match(b.html, /You replied STOP/);
    await b.post("/account/notifications", { order_updates: "on", promotional: "on" });
    equal((await t.deps.notify.preferences("+8801712345678")).optedOut, false);
    const again = await enqueueMessage(t.db.sql, {
      channel: "sms",
      to: "+8801712345678",
      body: "Order SD-2 is on its way",
      template: "shop.dispatched",
    });
    equal(again.suppressed, undefined);
  });
});
