import { equal, match, ok } from "node:assert/strict";
import { deliverDue, enqueueMessage } from "@/services/notify/outbox.ts";
import { FakeWhatsApp } from "@/services/notify/fakes/whatsapp.ts";
import { fallbackUndelivered } from "@/services/notify/receipts.ts";
import { row, smsFakes, transportsFor, withServedApp } from "./_helpers.ts";

function waFake(origin: string) {
  const wa = new FakeWhatsApp("wa-token", "106540352242922", "wa-app-secret");
  wa.webhookUrl = `${origin}/webhooks/whatsapp`;
  wa.hangMs = 3000;
  return {
    wa,
    config: {
      WHATSAPP_BASE_URL: wa.baseUrl,
      WHATSAPP_TOKEN: wa.token,
      WHATSAPP_PHONE_NUMBER_ID: wa.phoneNumberId,
      WHATSAPP_APP_SECRET: wa.appSecret,
      WHATSAPP_VERIFY_TOKEN: "wa-verify-token",
      NOTIFY_TIMEOUT_MS: 1000,
    },
  };
}

const wa = (to = "+8801712345678") => ({
  channel: "whatsapp" as const,
  to,
  body: "Smart Dairy: order SD-1001 is on its way.",
  template: "shop.dispatched",
});

Deno.test("whatsapp: a template message with parameters; signed statuses move it to read", async () => {
  await withServedApp(async (t) => {
    const { wa: fake, config } = waFake(t.origin);
    try {
      Object.assign(t.config, config);
      const { transports } = transportsFor(t.db.sql, t.config, t.origin);
      const { id } = await enqueueMessage(t.db.sql, { ...wa(), locale: "bn" });
      equal((await deliverDue(t.db.sql, transports)).sent, 1);
      const sent = fake.accepted[0];
      equal(sent.to, "8801712345678");
      const tpl = (sent.raw as any).template;
      equal(tpl.name, "smartdairy_notice");
      equal(tpl.language.code, "bn");
      equal(tpl.components[0].parameters[0].text, wa().body);
      equal((await row(t.db.sql, id)).provider_id, sent.id);

      equal(await fake.status(sent.id, "delivered", true), 401, "forged signature refused");
      equal((await row(t.db.sql, id)).delivery_status, null);
      equal(await fake.status(sent.id, "delivered"), 200);
      equal((await row(t.db.sql, id)).delivery_status, "delivered");
      equal(await fake.status(sent.id, "read"), 200);
      equal((await row(t.db.sql, id)).delivery_status, "read");
      const statuses = (await t.deps.notify.receipts(id)).map((r) => r.status);
      equal(statuses.join(","), "delivered,read");

      // An unsigned POST and Meta's handshake.
      const res = await fetch(`${t.origin}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      equal(res.status, 401);
      await res.body?.cancel();
      const hs = await t.fetch(
        "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wa-verify-token&hub.challenge=42",
      );
      equal(await hs.text(), "42");
      const bad = await t.fetch(
        "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=42",
      );
      equal(bad.status, 403);
      await bad.body?.cancel();
    } finally {
      await fake.stop();
    }
  });
});

Deno.test("whatsapp: provider error and timeout are retried later", async () => {
  await withServedApp(async (t) => {
    const { wa: fake, config } = waFake(t.origin);
    try {
      Object.assign(t.config, config);
      const { transports } = transportsFor(t.db.sql, t.config, t.origin);
      fake.fault = "error";
      const a = await enqueueMessage(t.db.sql, wa());
      equal((await deliverDue(t.db.sql, transports)).retried, 1);
      match((await row(t.db.sql, a.id)).last_error, /whatsapp: 130429 Rate limit hit/);
      fake.fault = "timeout";
      const b = await enqueueMessage(t.db.sql, wa("+8801712000009"));
      equal(
        (await deliverDue(t.db.sql, transports, { now: new Date(Date.now() + 3600_000) })).retried,
        2,
      );
      match((await row(t.db.sql, b.id)).last_error, /no answer within 1000 ms/);
      equal(fake.accepted.length, 0);
    } finally {
      await fake.stop();
    }
  });
});

Deno.test("whatsapp: not delivered in N minutes → the same text goes by SMS, once", async () => {
  await withServedApp(async (t) => {
    const { wa: fake, config } = waFake(t.origin);
    const sms = smsFakes(t.origin);
    try {
      Object.assign(t.config, config, sms.config, { NOTIFY_SMS_ORDER: "sslwireless" });
      const { transports } = transportsFor(t.db.sql, t.config, t.origin);
      const slow = await enqueueMessage(t.db.sql, wa("+8801712000001"));
      const quick = await enqueueMessage(t.db.sql, wa("+8801712000002"));
      await deliverDue(t.db.sql, transports);
      equal(fake.accepted.length, 2);
      const quickId = fake.accepted.find((a) => a.to === "8801712000002")!.id;
      await fake.status(quickId, "delivered");

      const sentAt = (await row(t.db.sql, slow.id)).sent_at as Date;
      equal(
        await fallbackUndelivered(t.db.sql, {
          now: new Date(sentAt.getTime() + 9 * 60_000),
          afterMinutes: 10,
        }),
        0,
      );
      const later = new Date(sentAt.getTime() + 11 * 60_000);
      equal(await fallbackUndelivered(t.db.sql, { now: later, afterMinutes: 10 }), 1);
      equal(await fallbackUndelivered(t.db.sql, { now: later, afterMinutes: 10 }), 0, "once");
      await deliverDue(t.db.sql, transports, { now: later });
      equal(sms.ssl.accepted.length, 1);
      equal(sms.ssl.accepted[0].to, "8801712000001");
      equal(sms.ssl.accepted[0].text, wa().body);
      const orig = await row(t.db.sql, slow.id);
      const copy = await row(t.db.sql, String(orig.fallback_id));
      equal(copy.channel, "sms");
      equal(String(copy.fallback_of), slow.id);
      equal(copy.status, "sent");
      ok((await row(t.db.sql, quick.id)).fallback_id === null, "delivered ones need no copy");
    } finally {
      await fake.stop();
      await sms.stop();
    }
  });
});
