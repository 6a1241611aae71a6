/**
 * The ingest end to end: devices publish over MQTT (embedded broker, or CI's Mosquitto), rows
 * land in PostgreSQL; bad payloads are dead-lettered, duplicates dropped, a killed worker loses
 * nothing at QoS 1.
 */
import assert from "node:assert/strict";
import { withTestDb } from "@/tests/helpers/db.ts";
import { topicsFor } from "@/services/iot/contract.ts";
import { serviceCredentials } from "@/services/iot/credentials.ts";
import { revokeDevice } from "@/services/iot/devices.ts";
import { listDeadLetters } from "@/services/iot/telemetry.ts";
import { startIngest } from "@/workers/ingest.ts";
import {
  APP_SECRET,
  brokerTestOpts,
  connectClient,
  connectDevice,
  count,
  makeDevice,
  makeTankWithThermometer,
  MOSQUITTO_URL,
  mosquittoUp,
  publishJson,
  startTestBroker,
  startTestIngest,
  testNamespace,
  waitFor,
  waitForRows,
  withIngestRig,
} from "./helpers.ts";

const opts = brokerTestOpts;

Deno.test(
  "ingest: readings land with their tank, duplicates are dropped, bad payloads are dead-lettered",
  opts,
  () =>
    withIngestRig(
      {
        setup: async (db) => ({
          thermo: await makeTankWithThermometer(db.sql, "tank-a"),
          meter: await makeDevice(db.sql, "milk_meter"),
        }),
        ingest: () => ({ alarms: false }),
      },
      async ({ db, topics, url, worker }, { thermo, meter }) => {
        const t = await connectDevice(url, thermo);
        const m = await connectDevice(url, meter);
        const now = Date.now() - 60_000;
        // A buffered batch of three readings, then the same batch again (a device retrying).
        const batch = JSON.stringify([0, 1, 2].map((i) => ({
          ts: now + i * 10_000,
          values: { temperature_c: 3.5 + i / 10 },
        })));
        await t.publishAsync(topics.device(thermo.device.id, "telemetry"), batch, { qos: 1 });
        await t.publishAsync(topics.device(thermo.device.id, "telemetry"), batch, { qos: 1 });
        await publishJson(m, topics.device(meter.device.id, "telemetry"), {
          ts: new Date(now).toISOString(),
          values: { animal_tag: "BD-0042", yield_kg: 12.4, fat_pct: 4.1, duration_s: 380 },
        });
        // Malformed: not JSON; a yield out of range; a thermometer sending collar data; and a
        // mixed batch whose good half must be kept.
        await m.publishAsync(topics.device(meter.device.id, "telemetry"), "{not json", { qos: 1 });
        await publishJson(m, topics.device(meter.device.id, "telemetry"), {
          ts: now,
          values: { animal_tag: "BD-1", yield_kg: 400 },
        });
        await publishJson(t, topics.device(thermo.device.id, "telemetry"), {
          ts: now,
          values: { steps: 12 },
        });
        await publishJson(t, topics.device(thermo.device.id, "telemetry"), [
          { ts: now + 40_000, values: { temperature_c: 3.9 } },
          { ts: now + 50_000, values: { temperature_c: "warm" } },
        ]);
        await publishJson(t, topics.device(thermo.device.id, "status"), {
          online: true,
          firmware: "2.1.0",
          battery_pct: 87,
        });
        await waitForRows(db.sql, "telemetry_dead_letters", 4, "dead letters");
        await waitForRows(db.sql, "telemetry", 8, "8 rows (7 readings + battery)");

        const temps = await db.sql`
        select value, tank_id from telemetry where device_id = ${thermo.device.id}
          and metric = 'temperature_c' order by at`;
        assert.deepEqual(temps.map((r) => [r.value, r.tank_id]), [
          [3.5, "tank-a"],
          [3.6, "tank-a"],
          [3.7, "tank-a"],
          [3.9, "tank-a"],
        ]);
        const milk = await db.sql`
        select metric, value, animal_tag from telemetry where device_id = ${meter.device.id}
        order by metric`;
        assert.deepEqual(milk.map((r) => [r.metric, r.value, r.animal_tag]), [
          ["duration_s", 380, "BD-0042"],
          ["fat_pct", 4.1, "BD-0042"],
          ["yield_kg", 12.4, "BD-0042"],
        ]);
        const letters = await listDeadLetters(db.sql);
        const reasons = letters.map((l) => l.reason).join("\n");
        assert.match(reasons, /not JSON/);
        assert.match(reasons, /yield_kg: Too big/);
        assert.match(reasons, /Unrecognized key: "steps"/);
        assert.match(reasons, /partly rejected: \[1\]\.values\.temperature_c/);
        assert.ok(letters.some((l) => l.payload === "{not json"));

        const [dev] = await db.sql`
        select firmware_version, status, last_seen_at, last_reading_at from devices
        where id = ${thermo.device.id}`;
        assert.equal(dev.firmware_version, "2.1.0");
        assert.equal(dev.status.battery_pct, 87);
        assert.ok(dev.last_seen_at && dev.last_reading_at);
        await waitFor(() => worker.stats().duplicates === 3, "3 duplicates counted");
        await t.endAsync();
        await m.endAsync();
      },
    ),
);

Deno.test(
  "broker: only registered devices connect, and only to their own topics",
  opts,
  () =>
    withIngestRig(
      {
        setup: async (db) => {
          const [a, b, gone] = await Promise.all(
            [0, 1, 2].map(() => makeDevice(db.sql, "room_sensor")),
          );
          await revokeDevice(db.sql, gone.device.id);
          return { a, b, gone };
        },
        broker: { cacheMs: 200 },
        ingest: () => ({ alarms: false }),
      },
      async ({ db, topics, url }, { a, b, gone }) => {
        const refused = async (o: { username?: string; password?: string }) => {
          await assert.rejects(
            () => connectClient(url, o),
            /Connection refused|Not authorized|Bad username/i,
          );
        };
        await refused({});
        await refused({ username: "no-such-device", password: "x" });
        await refused({ username: a.device.id, password: b.secret });
        await refused({ username: gone.device.id, password: gone.secret });
        await refused({ username: "svc-ingest", password: "guess" });

        const ca = await connectDevice(url, a);
        // Publishing to b's topic: the broker drops the connection and stores nothing.
        const closed = new Promise<void>((r) => ca.once("close", () => r()));
        ca.publish(
          topics.device(b.device.id, "telemetry"),
          JSON.stringify({ values: { temperature_c: 20 } }),
          { qos: 1 },
        );
        await closed;
        ca.end(true);
        // Subscribing to other devices' topics is refused too.
        const cb = await connectDevice(url, b);
        const granted = await cb.subscribeAsync(topics.ingestFilter, { qos: 1 }).catch(
          () => [{ qos: 128 }],
        );
        assert.equal(granted[0].qos, 128);
        await cb.endAsync();
        // b publishing to its own topic works.
        const cb2 = await connectDevice(url, b);
        await publishJson(cb2, topics.device(b.device.id, "telemetry"), {
          values: { temperature_c: 21 },
        });
        await waitForRows(db.sql, "telemetry", 1, "b's reading");
        const [row] = await db.sql`select device_id from telemetry`;
        assert.equal(row.device_id, b.device.id);
        // Revoking b while it is connected: the sweep drops it and it cannot come back.
        const dropped = new Promise<void>((r) => cb2.once("close", () => r()));
        await revokeDevice(db.sql, b.device.id);
        await dropped;
        cb2.end(true);
        await refused({ username: b.device.id, password: b.secret });
      },
    ),
);

async function killAndRestart(url: "embedded" | "mosquitto") {
  await withTestDb(async (db) => {
    const ns = testNamespace();
    const topics = topicsFor(ns);
    const devs = await Promise.all([0, 1, 2].map(() => makeDevice(db.sql, "activity_collar", {})));
    const broker = url === "embedded" ? await startTestBroker(db, ns) : null;
    const mqttUrl = broker?.url ?? MOSQUITTO_URL;
    const credentials = broker ? await serviceCredentials(APP_SECRET, "svc-ingest") : undefined;
    const start = () =>
      startIngest({
        sql: db.sql,
        dbKind: db.kind,
        mqttUrl,
        credentials,
        topicNamespace: ns,
        clientId: `sd-ingest-${ns.replace(/\W/g, "")}`,
        batchSize: 40,
        flushMs: 2000, // partial batches wait: the kill catches messages received, unwritten
        sessionExpirySeconds: 120,
        alarms: false,
        live: false,
      });
    const N = 240;
    let worker = await start();
    try {
      await worker.ready;
      const pubs = await Promise.all(
        devs.map((d) =>
          connectClient(mqttUrl, broker ? { username: d.device.id, password: d.secret } : {})
        ),
      );
      const base = Date.now() - 3_600_000;
      const sends: Promise<unknown>[] = [];
      for (let i = 0; i < N; i++) {
        const d = i % 3;
        sends.push(pubs[d].publishAsync(
          topics.device(devs[d].device.id, "telemetry"),
          JSON.stringify({ ts: base + i * 1000, values: { steps: i } }),
          { qos: 1 },
        ));
        if (i === N / 2) {
          // Kill once some batches are committed and more messages are in hand, unwritten.
          await waitFor(
            () => worker.stats().committed >= 40 && worker.stats().pending > 0,
            "a committed batch and pending messages",
          );
          await worker.stop({ flush: false });
          assert.ok(await count(db.sql, "telemetry") < N / 2 + 1);
        }
      }
      await Promise.all(sends); // the broker holds every message (PUBACKed to the devices)
      worker = await start();
      await worker.ready;
      await waitFor(async () => (await count(db.sql, "telemetry")) >= N, `${N} rows`, 20_000);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await count(db.sql, "telemetry"), N);
      const [r] = await db.sql`select count(distinct value)::int as n from telemetry`;
      assert.equal(r.n, N);
      await Promise.all(pubs.map((p) => p.endAsync()));
    } finally {
      await worker.stop();
      await broker?.close();
    }
  });
}

Deno.test(
  "ingest: a worker killed mid-batch and restarted loses nothing (embedded broker)",
  opts,
  () => killAndRestart("embedded"),
);

Deno.test({
  name: "ingest: a worker killed mid-batch and restarted loses nothing (Mosquitto, MQTT 5)",
  ignore: !mosquittoUp,
  ...opts,
  fn: () => killAndRestart("mosquitto"),
});

Deno.test({
  name: "ingest: against Mosquitto, shared subscription, unknown devices dead-lettered",
  ignore: !mosquittoUp,
  ...opts,
  fn: () =>
    withIngestRig(
      {
        setup: (db) => makeDevice(db.sql, "biogas_monitor"),
        broker: "mosquitto",
        ingest: () => ({ sessionExpirySeconds: 60, alarms: false }),
      },
      async ({ db, ns, topics, worker }, d) => {
        assert.equal(worker.stats().shared, true);
        assert.equal(worker.stats().protocolVersion, 5);
        const c = await connectClient(MOSQUITTO_URL);
        await publishJson(c, topics.device(d.device.id, "telemetry"), {
          values: { pressure_kpa: 3.2, ch4_pct: 61 },
        });
        await publishJson(c, topics.device("not-registered", "telemetry"), {
          values: { pressure_kpa: 3.2 },
        });
        await c.publishAsync(`${ns}/v1/${d.device.id}/other`, "{}", { qos: 1 });
        await waitForRows(db.sql, "telemetry", 2, "2 rows");
        await waitForRows(db.sql, "telemetry_dead_letters", 2, "2 letters");
        const reasons = (await listDeadLetters(db.sql)).map((l) => l.reason).sort();
        assert.match(reasons[0], /not a device topic/);
        assert.match(reasons[1], /unknown device not-registered/);
        await c.endAsync();
      },
    ),
});

Deno.test(
  "ingest: carries on after the broker restarts and after its database connections drop",
  opts,
  async () => {
    await withTestDb(async (db) => {
      const ns = testNamespace();
      const topics = topicsFor(ns);
      const d = await makeDevice(db.sql, "room_sensor");
      let broker = await startTestBroker(db, ns);
      const port = broker.port;
      const worker = await startTestIngest(db, broker.url, ns, { alarms: false, log: () => {} });
      try {
        await worker.ready;
        const send = async (value: number) => {
          const c = await connectDevice(broker.url, d);
          await publishJson(c, topics.device(d.device.id, "telemetry"), {
            values: { temperature_c: value },
          });
          await c.endAsync();
        };
        await send(20);
        await waitForRows(db.sql, "telemetry", 1, "first reading");
        // The broker goes away (sessions lost: aedes keeps them in memory) and comes back.
        await broker.close();
        await waitFor(() => !worker.stats().connected, "the worker noticing");
        broker = await startTestBroker(db, ns, { port });
        await waitFor(() => worker.stats().connected, "the worker reconnecting", 20_000);
        await new Promise((r) => setTimeout(r, 200)); // its subscription follows the connect
        await send(21);
        await waitForRows(db.sql, "telemetry", 2, "a reading after the restart");
        if (db.kind === "server") {
          // Every connection of the pool is cut (a database restart, a failover): writes retry.
          await db.sql`
          select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()`;
          await send(22);
          await waitFor(
            async () => (await count(db.sql, "telemetry")) === 3,
            "a reading after the cut",
            20_000,
          );
        }
      } finally {
        await worker.stop();
        await broker.close();
      }
    });
  },
);
