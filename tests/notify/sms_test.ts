import { equal, match, ok } from "node:assert/strict";
import { deliverDue, enqueueMessage } from "@/services/notify/outbox.ts";
import { notifyHousekeeping } from "@/services/notify/housekeeping.ts";
import { row, smsFakes, transportsFor, withServedApp } from "./_helpers.ts";

const sms = (to = "+8801712345678", body = "Smart Dairy: order SD-1001 is on its way.") => ({
  channel: "sms" as const,
  to,
  body,
});

Deno.test("sms: SSL Wireless takes the message, its delivery report is stored per message", async () => {
  await withServedApp(async (t) => {
    const f = smsFakes(t.origin);
    try {
      Object.assign(t.config, f.config, { NOTIFY_SMS_ORDER: "sslwireless,alphasms,twilio" });
      const { transports } = transportsFor(t.db.sql, t.config, t.origin);
      const bn = "স্মার্ট ডেইরি: আপনার অর্ডার SD-1001 পথে আছে।";
      const { id } = await enqueueMessage(t.db.sql, { ...sms(), body: bn, locale: "bn" });
      const r = await deliverDue(t.db.sql, transports);
      equal(r.sent, 1);
      equal(f.ssl.accepted.length, 1);
      equal(f.ssl.accepted[0].to, "8801712345678");
      equal(f.ssl.accepted[0].text, bn, "Bangla arrives as Unicode text");
      let m = await row(t.db.sql, id);
      equal(m.transport, "sslwireless");
      equal(m.provider_id, f.ssl.accepted[0].id);
      equal(m.parts, 1);

      equal(await f.ssl.receipt(f.ssl.accepted[0].id, "DELIVRD"), 200);
      m = await row(t.db.sql, id);
      equal(m.delivery_status, "delivered");
      ok(m.delivered_at);
      const receipts = await t.deps.notify.receipts(id);
      equal(receipts.length, 1);
      equal(receipts[0].provider, "sslwireless");
      equal(receipts[0].detail, "DELIVRD");
      // A later "undelivered" does not undo a delivery.
      await f.ssl.receipt(f.ssl.accepted[0].id, "UNDELIV");
      equal((await row(t.db.sql, id)).delivery_status, "delivered");

      // The customer replies STOP to the short code: SSL Wireless forwards it to the same URL.
      equal(await f.ssl.inbound("8801712345678", "STOP"), 200);
      equal((await t.deps.notify.preferences("+8801712345678")).optedOut, true);
      equal(await f.ssl.inbound("8801712345678", "START"), 200);
      equal((await t.deps.notify.preferences("+8801712345678")).optedOut, false);
    } finally {
      await f.stop();
    }
  });
});

Deno.test("sms: a forged SSL Wireless report (wrong token) is refused and changes nothing", async () => {
  await withServedApp(async (t) => {
    const f = smsFakes(t.origin);
    try {
      Object.assign(t.config, f.config);
      const { transports } = transportsFor(t.db.sql, t.config, t.origin);
      const { id } = await enqueueMessage(t.db.sql, sms());
      await deliverDue(t.db.sql, transports);
      const ref = f.ssl.accepted[0].id;
      for (const q of ["?token=wrong-token-0123456789", ""]) {
        const res = await fetch(`${t.origin}/webhooks/sms/sslwireless${q}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ reference_id: ref, status: "DELIVRD" }),
        });
        equal(res.status, 403);
        await res.body?.cancel();
      }
      equal((await row(t.db.sql, id)).delivery_status, null);
      equal((await t.deps.notify.receipts(id)).length, 0);
    } finally {
      await f.stop();
    }
  });
});

Deno.test("sms: provider A errors → provider B takes it; A times out → B; all fail → retried", async () => {
  await withServedApp(async (t) => {
    const f = smsFakes(t.origin);
    try {
      Object.assign(t.config, f.config, { NOTIFY_SMS_ORDER: "sslwireless,alphasms" });
      const { transports } = transportsFor(t.db.sql, t.config, t.origin);

      f.ssl.fault = "error";
      const a = await enqueueMessage(t.db.sql, sms("+8801712000001"));
      await deliverDue(t.db.sql, transports);
      let m = await row(t.db.sql, a.id);
      equal(m.status, "sent");
      equal(m.transport, "alphasms");
      equal(f.alpha.accepted.length, 1);
      equal(f.ssl.accepted.length, 0);

      f.ssl.fault = "timeout";
      const b = await enqueueMessage(t.db.sql, sms("+8801712000002"));
      const started = Date.now();
      await deliverDue(t.db.sql, transports);
      ok(Date.now() - started < 2900, "gave up on the hung gateway at its timeout");
      equal((await row(t.db.sql, b.id)).transport, "alphasms");

      f.ssl.fault = "down";
      f.alpha.fault = "error";
      const c = await enqueueMessage(t.db.sql, sms("+8801712000003"));
      const r = await deliverDue(t.db.sql, transports);
      equal(r.retried, 1);
      m = await row(t.db.sql, c.id);
      equal(m.status, "failed");
      match(m.last_error, /sslwireless: 503/);
      match(m.last_error, /alphasms: 416 Insufficient balance/);
    } finally {
      await f.stop();
    }
  });
});

Deno.test("sms: Alpha SMS delivery states come by polling", async () => {
  await withServedApp(async (t) => {
    const f = smsFakes(t.origin);
    try {
      Object.assign(t.config, f.config, { NOTIFY_SMS_ORDER: "alphasms" });
      const built = transportsFor(t.db.sql, t.config, t.origin);
      const { id } = await enqueueMessage(t.db.sql, sms());
      await deliverDue(t.db.sql, built.transports);
      const house = notifyHousekeeping(t.db.sql, t.config, built);
      await house();
      equal((await row(t.db.sql, id)).delivery_status, null, "still only sent");
      f.alpha.states.set(f.alpha.accepted[0].id, "Delivered");
      await house();
      equal((await row(t.db.sql, id)).delivery_status, "delivered");
      equal((await t.deps.notify.receipts(id))[0].provider, "alphasms");
    } finally {
      await f.stop();
    }
  });
});

Deno.test("sms: Twilio status callbacks are believed only when signed; STOP opts out", async () => {
  await withServedApp(async (t) => {
    const f = smsFakes(t.origin);
    try {
      Object.assign(t.config, f.config, { NOTIFY_SMS_ORDER: "twilio" });
      const { transports } = transportsFor(t.db.sql, t.config, t.origin);
      const { id } = await enqueueMessage(t.db.sql, sms("+8801812345678"));
      await deliverDue(t.db.sql, transports);
      const sid = f.twilio.accepted[0].id;
      equal(f.twilio.accepted[0].raw.StatusCallback, `${t.origin}/webhooks/sms/twilio`);
      equal((await row(t.db.sql, id)).provider_id, sid);

      equal(await f.twilio.receipt(sid, "delivered", true), 403, "forged signature refused");
      equal((await row(t.db.sql, id)).delivery_status, null);
      equal(await f.twilio.receipt(sid, "delivered"), 200);
      equal((await row(t.db.sql, id)).delivery_status, "delivered");

      // The customer answers STOP: order updates no longer go; one-time codes still do.
      const url = `${t.origin}/webhooks/sms/twilio`;
      equal(await f.twilio.inbound(url, "+8801812345678", "STOP", true), 403);
      equal((await t.deps.notify.preferences("+8801812345678")).optedOut, false);
      equal(await f.twilio.inbound(url, "+8801812345678", " stop "), 200);
      equal((await t.deps.notify.preferences("+8801812345678")).optedOut, true);
      const order = await enqueueMessage(t.db.sql, {
        ...sms("+8801812345678"),
        template: "shop.dispatched",
      });
      equal(order.suppressed, "recipient opted out (STOP)");
      const code = await enqueueMessage(t.db.sql, {
        ...sms("+8801812345678", "Smart Dairy: your sign-in code is 123456."),
        template: "signin_code",
      });
      equal(code.suppressed, undefined);
      await deliverDue(t.db.sql, transports);
      equal(f.twilio.accepted.length, 2, "only the code went out");
      equal((await row(t.db.sql, order.id)).status, "suppressed");
    } finally {
      await f.stop();
    }
  });
});

Deno.test("sms: Twilio rate-limited hands over; a number it calls invalid is dead at once", async () => {
  await withServedApp(async (t) => {
    const f = smsFakes(t.origin);
    try {
      Object.assign(t.config, f.config, { NOTIFY_SMS_ORDER: "twilio,sslwireless" });
      const { transports } = transportsFor(t.db.sql, t.config, t.origin);
      f.twilio.fault = "error";
      const a = await enqueueMessage(t.db.sql, sms());
      await deliverDue(t.db.sql, transports);
      const m = await row(t.db.sql, a.id);
      equal(m.status, "sent");
      equal(m.transport, "sslwireless", "Twilio's 429 handed over to SSL Wireless");

      f.twilio.fault = "none";
      f.twilio.invalid.add("+8801799999999");
      const b = await enqueueMessage(t.db.sql, sms("+8801799999999"));
      const r = await deliverDue(t.db.sql, transports);
      equal(r.dead, 1);
      const dead = await row(t.db.sql, b.id);
      equal(dead.status, "dead");
      match(dead.last_error, /21211/);
      equal(f.ssl.accepted.length, 1, "no other gateway was tried for a number known bad");
    } finally {
      await f.stop();
    }
  });
});
