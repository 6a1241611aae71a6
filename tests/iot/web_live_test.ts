/**
 * The live screens' server-sent events through the app, fed by a real embedded broker and the
 * ingest: a device publishes, the stream delivers.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { withTestApp } from "@/tests/helpers/app.ts";
import { createDutyContact } from "@/services/iot/duty.ts";
import { listMessages } from "@/services/notify/outbox.ts";
import type { AlarmsEvent, LiveMilkView, ReadingEvent, TankEvent } from "@/components/IotFormat.ts";
import { liveStack, sseReader, staff } from "./web_helpers.ts";
import { brokerTestOpts, makeDevice, makeTankWithThermometer, waitFor } from "./helpers.ts";

const opts = brokerTestOpts;

Deno.test(
  "live overview stream: tank readings, today's milk and a cold-chain alarm arrive as events",
  opts,
  async () => {
    await withTestApp(async (t) => {
      const sql = t.db.sql;
      const thermo = await makeTankWithThermometer(sql, "tank-1", { id: "tt-tank-1" });
      const meter = await makeDevice(sql, "milk_meter", { id: "mm-01", tankId: "tank-1" });
      await createDutyContact(sql, {
        name: "Night herdsman",
        channel: "sms",
        address: "+8801711000001",
        minSeverity: "warning",
      });
      const live = await liveStack(t);
      const { b } = await staff(t, ["farm_worker"]);
      const res = await t.fetch("/farm/live/events", { headers: { cookie: b.cookieHeader() } });
      equal(res.status, 200);
      match(res.headers.get("content-type")!, /^text\/event-stream/);
      equal(res.headers.get("cache-control"), "no-cache, no-transform");
      const events = sseReader(res);
      try {
        await events.next((e) => e.event === "ready", "ready");

        await live.publish(thermo.device.id, thermo.secret, { temperature_c: 3.7 });
        const tank = await events.next((e) => e.event === "tank", "tank");
        const te = JSON.parse(tank.data) as TankEvent;
        deepEqual([te.tankId, te.deviceId, te.temperatureC], ["tank-1", "tt-tank-1", 3.7]);

        await live.publish(meter.device.id, meter.secret, {
          animal_tag: "SD-0007",
          yield_kg: 11.5,
        });
        const milk = await events.next((e) => e.event === "milk", "milk");
        const me = JSON.parse(milk.data) as LiveMilkView;
        equal(me.totalKg, 11.5);
        equal(me.sessions.reduce((n, s) => n + s.cows, 0), 1);

        // Above 8 °C: the ingest opens the critical alarm, the tank goes on hold.
        await live.publish(thermo.device.id, thermo.secret, { temperature_c: 9.6 });
        const alarms = await events.next(
          (e) => e.event === "alarms" && (JSON.parse(e.data) as AlarmsEvent).alarms.length > 0,
          "alarms",
        );
        const ae = JSON.parse(alarms.data) as AlarmsEvent;
        equal(ae.alarms[0].severity, "critical");
        match(ae.alarms[0].message, /reads 9\.6/);
        deepEqual(ae.tanks.find((x) => x.id === "tank-1")?.status, "held");
        // …and the duty phone was texted through the outbox.
        const sms = await waitFor(
          async () => (await listMessages(sql, { recipient: "+8801711000001" })).rows[0],
          "the alarm SMS",
        );
        match(sms.body, /CRITICAL/);
        match(sms.body, /ON HOLD/);
      } finally {
        await events.cancel();
        await live.close();
      }
    });
  },
);

Deno.test(
  "device stream: only that device's readings; an unknown device is a 404",
  opts,
  async () => {
    await withTestApp(async (t) => {
      const sql = t.db.sql;
      const a = await makeDevice(sql, "room_sensor", { id: "rs-a" });
      const other = await makeDevice(sql, "room_sensor", { id: "rs-b" });
      const live = await liveStack(t);
      const { b } = await staff(t, ["vet"]);
      const headers = { cookie: b.cookieHeader() };
      equal((await t.fetch("/farm/live/events?device=rs-zz", { headers })).status, 404);
      equal((await t.fetch("/farm/live/events?device=BAD%20ID", { headers })).status, 404);
      const res = await t.fetch("/farm/live/events?device=rs-a", { headers });
      equal(res.status, 200);
      const events = sseReader(res);
      try {
        await events.next((e) => e.event === "ready", "ready");
        await live.publish(other.device.id, other.secret, { temperature_c: 30 });
        await live.publish(a.device.id, a.secret, { temperature_c: 21.5, humidity_pct: 64 });
        const r = await events.next((e) => e.event === "reading", "reading");
        const re = JSON.parse(r.data) as ReadingEvent;
        equal(re.deviceId, "rs-a");
        deepEqual(
          re.readings.map((x) => [x.metric, x.value]).sort(),
          [["humidity_pct", 64], ["temperature_c", 21.5]],
        );
        ok(!events.seen.some((e) => e.data.includes("rs-b")), "nothing from the other sensor");

        // The page itself shows what was stored, with a chart per metric.
        await b.get("/farm/live/devices/rs-a");
        match(b.html, /data-chart="temperature_c"/);
        match(b.html, /data-chart="humidity_pct"/);
        match(b.html, /21\.5 °C/);
      } finally {
        await events.cancel();
        await live.close();
      }
    });
  },
);

Deno.test("live stream: customers and anonymous visitors get none", opts, async () => {
  await withTestApp(async (t) => {
    const anon = await t.fetch("/farm/live/events", { redirect: "manual" });
    equal(anon.status, 303);
    await anon.body?.cancel();
    const { b } = await staff(t, ["customer"]);
    const res = await t.fetch("/farm/live/events", { headers: { cookie: b.cookieHeader() } });
    equal(res.status, 403);
    await res.body?.cancel();
  });
});
