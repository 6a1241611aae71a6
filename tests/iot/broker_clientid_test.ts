/**
 * Client ids are bound to who signed in (issue 9, finding 1): a registered device that connected
 * with the ingest's client id and `clean: true` took over and erased the ingest's persistent
 * session, and acknowledged readings were never stored. The broker now refuses such a CONNECT
 * before it touches the session; and the ingest notices when its session is lost anyway.
 */
import assert from "node:assert/strict";
import { mayUseClientId, serviceCredentials } from "@/services/iot/credentials.ts";
import { metrics } from "@/services/platform/metrics.ts";
import {
  APP_SECRET,
  brokerTestOpts,
  connectClient,
  connectDevice,
  ingestClientId,
  makeDevice,
  MOSQUITTO_URL,
  mosquittoUp,
  publishJson,
  waitFor,
  waitForRows,
  withIngestRig,
} from "./helpers.ts";

const opts = brokerTestOpts;
const takeovers = metrics.counter("iot_ingest_session_takeovers_total", "");
const rejected = /Identifier rejected|Connection refused/i;
const refusals = metrics.counter("iot_broker_auth_failures_total", "");

Deno.test("client ids: a device uses its own id, a service its own prefixes", () => {
  const dev = { kind: "device", id: "pt-tank" } as const;
  assert.equal(mayUseClientId(dev, "pt-tank"), true);
  assert.equal(mayUseClientId(dev, "pt-tank:gateway"), true);
  assert.equal(mayUseClientId(dev, "pt-tank-b"), false); // another device
  assert.equal(mayUseClientId(dev, "pt-tank-b:x"), false);
  assert.equal(mayUseClientId(dev, "sd-ingest-sd"), false);
  assert.equal(mayUseClientId(dev, "mqttjs_1234abcd"), false);
  assert.equal(mayUseClientId(dev, ""), false);
  const ingest = { kind: "service", account: "svc-ingest" } as const;
  assert.equal(mayUseClientId(ingest, "sd-ingest-sd"), true);
  assert.equal(mayUseClientId(ingest, "sd-iot-jobs-1a2b"), true);
  assert.equal(mayUseClientId(ingest, "sd-live-1a2b"), false);
  assert.equal(mayUseClientId(ingest, "pt-tank"), false);
  const live = { kind: "service", account: "svc-live" } as const;
  assert.equal(mayUseClientId(live, "sd-live-1a2b"), true);
  assert.equal(mayUseClientId(live, "sd-ingest-sd"), false);
  // A device whose id is a service's client id cannot borrow it either.
  assert.equal(mayUseClientId({ kind: "device", id: "sd-ingest-sd" }, "sd-ingest-sd"), false);
});

Deno.test(
  "broker: a device may connect only as itself and read only its own commands",
  opts,
  () =>
    withIngestRig(
      {
        setup: async (db) => [
          await makeDevice(db.sql, "room_sensor"),
          await makeDevice(db.sql, "room_sensor"),
        ],
        ingest: () => ({ alarms: false, log: () => {} }),
      },
      async ({ db, ns, topics, url, worker }, [a, b]) => {
        const ingestId = ingestClientId(ns);
        const asA = { username: a.device.id, password: a.secret };
        const ingestCreds = await serviceCredentials(APP_SECRET, "svc-ingest");
        const liveCreds = await serviceCredentials(APP_SECRET, "svc-live");
        const refusedBefore = refusals.get({ reason: "client id not allowed" });
        // The attack: the ingest's id, or another device's, with a device's credentials.
        for (const clientId of [ingestId, "sd-iot-jobs-x", "sd-live-x", b.device.id, "mqttjs_1"]) {
          await assert.rejects(
            () => connectClient(url, { ...asA, clientId, clean: true }),
            rejected,
            clientId,
          );
        }
        // Service ids only with the matching service's credentials.
        await assert.rejects(
          () => connectClient(url, { ...liveCreds, clientId: ingestId, clean: true }),
          rejected,
        );
        await assert.rejects(
          () => connectClient(url, { ...ingestCreds, clientId: a.device.id }),
          rejected,
        );
        assert.equal(refusals.get({ reason: "client id not allowed" }), refusedBefore + 7);
        // None of it reached the ingest.
        assert.equal(worker.stats().sessionLosses, 0);
        assert.deepEqual(worker.health(), { ok: true, detail: "connected" });

        // Its own id (or a suffixed one) works, and it publishes as before.
        const own = await connectClient(url, { ...asA, clientId: a.device.id });
        const second = await connectClient(url, { ...asA, clientId: `${a.device.id}:gw` });
        await publishJson(own, topics.device(a.device.id, "telemetry"), {
          values: { temperature_c: 20 },
        });
        await waitForRows(db.sql, "telemetry", 1, "a's reading");
        // Subscriptions: its own commands only; not others', not the ingest's shared group.
        const grant = (filter: string) =>
          second.subscribeAsync(filter, { qos: 1 }).then((g) => g[0].qos, () => 128);
        assert.equal(await grant(topics.commands(a.device.id)), 1);
        assert.equal(await grant(topics.commands(b.device.id)), 128);
        assert.equal(await grant(`$share/ingest/${ns}/v1/+/+`), 128);
        assert.equal(await grant(topics.sharedIngestFilter), 128);
        assert.equal(await grant(topics.ingestFilter), 128);
        assert.equal(await grant(`${ns}/live/v1/#`), 128);
        await own.endAsync();
        await second.endAsync();
        assert.equal(worker.stats().sessionLosses, 0);
      },
    ),
);

Deno.test(
  "broker: readings published while a device keeps trying to take over the ingest's session are all stored",
  opts,
  () =>
    withIngestRig(
      {
        setup: async (db) => [
          await makeDevice(db.sql, "tank_thermometer"),
          await makeDevice(db.sql, "room_sensor"),
        ],
        ingest: (ns) => ({
          clientId: ingestClientId(ns),
          alarms: false,
          live: false,
          log: () => {},
        }),
      },
      async ({ db, ns, topics, url, worker }, [tank, attacker]) => {
        const ingestId = ingestClientId(ns);
        const pub = await connectDevice(url, tank);
        const N = 100;
        const base = Date.now() - 600_000;
        let attempts = 0;
        let tookOver = 0;
        for (let i = 0; i < N; i++) {
          if (i % 5 === 0) {
            // The attack, interleaved with the readings: the ingest's id, a clean session.
            attempts++;
            try {
              const c = await connectDevice(url, attacker, {
                clientId: ingestId,
                clean: true,
              });
              tookOver++;
              await c.endAsync(true);
            } catch (err) {
              assert.match((err as Error).message, rejected);
            }
          }
          // QoS 1: the broker acknowledged it, so it must be stored.
          await publishJson(pub, topics.device(tank.device.id, "telemetry"), {
            ts: base + i * 1000,
            values: { temperature_c: 3 + i / 100 },
          });
        }
        assert.equal(tookOver, 0, `${tookOver} of ${attempts} takeovers were let in`);
        await waitForRows(db.sql, "telemetry", N, `all ${N} acknowledged readings committed`);
        assert.equal(worker.stats().sessionLosses, 0);
        await pub.endAsync();
      },
    ),
);

Deno.test(
  "ingest: a session taken over is noticed (metrics, readiness) and the ingest subscribes again",
  opts,
  async () => {
    let now = Date.now();
    const logged: string[] = [];
    const before = takeovers.get({ reason: "missing" });
    await withIngestRig(
      {
        setup: (db) => makeDevice(db.sql, "room_sensor"),
        ingest: (ns) => ({
          clientId: ingestClientId(ns),
          alarms: false,
          live: false,
          sessionAlertMs: 60_000,
          now: () => now,
          log: (level, msg) => level === "error" && logged.push(msg),
        }),
      },
      async ({ db, ns, topics, url, worker }, d) => {
        const ingestId = ingestClientId(ns);
        assert.equal(worker.health().ok, true);
        // Someone holding the real service credentials connects with the ingest's id and a
        // clean session (a second ingest misconfigured, or stolen credentials).
        const intruder = await connectClient(url, {
          ...(await serviceCredentials(APP_SECRET, "svc-ingest")),
          clientId: ingestId,
          clean: true,
        });
        await waitFor(() => worker.stats().sessionLosses === 1, "the loss noticed");
        await waitFor(() => worker.stats().connected, "the ingest back");
        intruder.end(true);
        const stats = worker.stats();
        assert.equal(stats.lastSessionLoss?.reason, "missing");
        assert.equal(takeovers.get({ reason: "missing" }), before + 1);
        assert.match(logged.join("\n"), new RegExp(`${ingestId}.*no session`));
        const health = worker.health();
        assert.equal(health.ok, false);
        assert.match(health.detail, /session lost 1 time/);
        // It subscribed again: a reading published now is stored.
        const c = await connectDevice(url, d);
        await publishJson(c, topics.device(d.device.id, "telemetry"), {
          values: { temperature_c: 22 },
        });
        await waitForRows(db.sql, "telemetry", 1, "the reading");
        await c.endAsync();
        // Unhealthy while it lasts; healthy again once sessionAlertMs pass without another loss.
        now += 59_000;
        assert.equal(worker.health().ok, false);
        now += 2_000;
        assert.deepEqual(worker.health(), { ok: true, detail: "connected" });
        assert.equal(worker.stats().sessionLosses, 1);
      },
    );
  },
);

Deno.test({
  name: "ingest: a takeover on Mosquitto (MQTT 5) is noticed once and the ingest subscribes again",
  ignore: !mosquittoUp,
  ...opts,
  fn: () =>
    withIngestRig(
      {
        setup: (db) => makeDevice(db.sql, "room_sensor"),
        broker: "mosquitto",
        ingest: (ns) => ({
          clientId: ingestClientId(ns),
          sessionExpirySeconds: 60,
          alarms: false,
          live: false,
          log: () => {},
        }),
      },
      async ({ db, ns, topics, worker }, d) => {
        const ingestId = ingestClientId(ns);
        assert.equal(worker.stats().protocolVersion, 5);
        const intruder = await connectClient(MOSQUITTO_URL, {
          clientId: ingestId,
          clean: true,
          protocolVersion: 5,
        });
        await waitFor(() => worker.stats().sessionLosses >= 1, "the takeover noticed");
        // "taken_over" where the broker sends DISCONNECT 0x8E before it closes the old
        // connection; Mosquitto 2.0 just closes it, and the reconnect finds no session.
        assert.match(worker.stats().lastSessionLoss!.reason, /^(taken_over|missing)$/);
        assert.equal(worker.health().ok, false);
        await waitFor(() => worker.stats().connected, "the ingest back");
        intruder.end(true);
        const c = await connectClient(MOSQUITTO_URL);
        await publishJson(c, topics.device(d.device.id, "telemetry"), {
          values: { temperature_c: 22 },
        });
        await waitForRows(db.sql, "telemetry", 1, "the reading");
        await c.endAsync();
        // One takeover, one loss (not a second one for the reconnect that followed it).
        assert.equal(worker.stats().sessionLosses, 1);
      },
    ),
});
