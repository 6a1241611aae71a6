/**
 * The live feed (what SSE routes read) and the simulated farm, end to end through the embedded
 * broker and the ingest.
 */
import assert from "node:assert/strict";
import { serviceCredentials } from "@/services/iot/credentials.ts";
import { seedDemoDevices } from "@/services/iot/demo.ts";
import { type LiveEvent, openLiveFeed } from "@/services/iot/live.ts";
import { startSimulation } from "@/services/iot/simulator.ts";
import { startIotJobs } from "@/workers/iot_jobs.ts";
import {
  APP_SECRET,
  brokerTestOpts,
  connectClient,
  connectDevice,
  count,
  makeDevice,
  makeTankWithThermometer,
  publishJson,
  waitFor,
  withIngestRig,
} from "./helpers.ts";

const opts = brokerTestOpts;

Deno.test(
  "live feed: committed readings and alarm changes reach a filtered subscriber",
  opts,
  () =>
    withIngestRig(
      {
        setup: async (db) => ({
          thermo: await makeTankWithThermometer(db.sql, "tank-1"),
          room: await makeDevice(db.sql, "room_sensor"),
        }),
        ingest: () => ({ liveIntervalMs: 100 }),
      },
      async ({ ns, topics, url }, { thermo, room }) => {
        const feed = openLiveFeed({
          mqttUrl: url,
          credentials: await serviceCredentials(APP_SECRET, "svc-live"),
          topicNamespace: ns,
          filter: { tankIds: ["tank-1"] },
        });
        try {
          await feed.ready;
          const events: LiveEvent[] = [];
          const reading = (async () => {
            for await (const e of feed) events.push(e);
          })();
          const r = await connectDevice(url, room);
          await publishJson(r, topics.device(room.device.id, "telemetry"), {
            values: { temperature_c: 31 },
          });
          const t = await connectDevice(url, thermo);
          await publishJson(t, topics.device(thermo.device.id, "telemetry"), {
            values: { temperature_c: 9.5 },
          });
          await waitFor(() => events.some((e) => e.kind === "alarm"), "the alarm event");
          await waitFor(() => events.some((e) => e.kind === "reading"), "the reading event");
          const readings = events.filter((e) => e.kind === "reading");
          assert.deepEqual(
            readings.map((e) =>
              e.kind === "reading" && [e.deviceId, e.tankId, e.readings[0].value]
            ),
            [
              [thermo.device.id, "tank-1", 9.5],
            ],
          );
          const alarm = events.find((e) => e.kind === "alarm");
          assert.equal(alarm?.kind === "alarm" && alarm.alarm.ruleId, "tank-hot");
          assert.equal(alarm?.kind === "alarm" && alarm.alarm.state, "open");
          // The live account may read but not publish.
          const spy = await connectClient(
            url,
            await serviceCredentials(APP_SECRET, "svc-live"),
          );
          const closed = new Promise<void>((res) => spy.once("close", () => res()));
          spy.publish(topics.alarms, "{}", { qos: 1 });
          await closed;
          spy.end(true);
          await feed.close();
          await reading;
          await r.endAsync();
          await t.endAsync();
        } finally {
          await feed.close();
        }
      },
    ),
);

Deno.test(
  "simulator: a faulty demo farm is ingested, its junk dead-lettered, its rollups kept",
  opts,
  () =>
    withIngestRig({
      setup: (db) => seedDemoDevices(db.sql, APP_SECRET, { cows: 20 }),
    }, async ({ db, ns, url, worker }) => {
      const sim = await startSimulation({
        brokerUrl: url,
        appSecret: APP_SECRET,
        cows: 20,
        rate: 400,
        faults: ["malformed", "duplicate", "out-of-order", "late"],
        faultRate: 0.1,
        topicNamespace: ns,
        seed: 42,
        log: () => {},
      });
      try {
        await waitFor(() => sim.stats().connected === sim.stats().devices, "all devices connected");
        await waitFor(async () => (await count(db.sql, "telemetry")) > 500, "500 readings");
        await waitFor(
          async () => (await count(db.sql, "telemetry_dead_letters")) > 0,
          "a dead letter",
        );
        await sim.stop();
        const s = sim.stats();
        assert.equal(s.refused, 0);
        assert.ok(s.faults.malformed > 0 && s.faults.duplicate > 0);
        await waitFor(() => worker.stats().duplicates > 0, "duplicates dropped");
        const [types] = await db.sql`
        select count(distinct d.type)::int as n from telemetry t join devices d on d.id = t.device_id`;
        assert.ok(types.n >= 5, `readings from ${types.n} device types`);
        const jobs = startIotJobs({ sql: db.sql, retentionDays: 90 });
        const r = await jobs.runOnce();
        await jobs.stop();
        // The fallback rollups wrote hourly rows; continuous aggregates answer from the raw
        // rows until their policy materialises them (these readings are not late).
        if (r.rollups.mode !== "timescale") assert.ok(r.rollups.hourly > 0);
        assert.deepEqual(r.alarms.errors, []);
        const [{ n }] = await db.sql`
        select count(*)::int as n from telemetry_hourly h
        full join (select device_id, metric, date_bin('1 hour', at, timestamptz '2000-01-01') as b,
                count(*) as c from telemetry group by 1, 2, 3) raw
          on raw.device_id = h.device_id and raw.metric = h.metric and raw.b = h.bucket
        where raw.c is distinct from h.samples`;
        assert.equal(n, 0, "every hourly bucket counts its raw rows");
      } finally {
        await sim.stop();
      }
    }),
);
