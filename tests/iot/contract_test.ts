/** The topic and payload contract, and the broker's topic rights (no broker, no database). */
import assert from "node:assert/strict";
import { filterMatches, mayPublish, maySubscribe } from "@/services/iot/broker.ts";
import { parseMessage, parseTopic, topicsFor } from "@/services/iot/contract.ts";
import { isOnDuty } from "@/services/iot/duty.ts";
import { farmDayStart, lastMilkingEnd } from "@/services/iot/alarms.ts";
import { chooseResolution } from "@/services/iot/queries.ts";
import { demoFarm } from "@/services/iot/demo.ts";

const now = Date.parse("2026-03-10T06:00:00Z");
const opts = { receivedAt: now, oldestAt: now - 89 * 86_400_000 };

Deno.test("contract: topics parse only for device ids and known message kinds", () => {
  const t = topicsFor("sd");
  assert.deepEqual(parseTopic(t, "sd/v1/tt-tank-1/telemetry"), {
    deviceId: "tt-tank-1",
    kind: "telemetry",
  });
  assert.equal(parseTopic(t, "sd/v1/tt-tank-1/cmd"), null);
  assert.equal(parseTopic(t, "sd/v1/TT-1/telemetry"), null);
  assert.equal(parseTopic(t, "sd/v1/svc-ingest/telemetry"), null);
  assert.equal(parseTopic(t, "sd/v1/a/b/telemetry"), null);
  assert.equal(parseTopic(t, "other/v1/tt-1/telemetry"), null);
  assert.throws(() => topicsFor("sd/#"));
});

Deno.test("contract: a milk meter's record becomes one row per metric tagged with the cow", () => {
  const r = parseMessage("telemetry", "milk_meter", {
    ts: now - 1000,
    values: { animal_tag: "SD-0001", yield_kg: 11.5, fat_pct: 4.2, snf_pct: 8.7 },
  }, opts);
  assert.ok(r.ok && r.message.kind === "telemetry");
  assert.deepEqual(r.message.readings.map((x) => [x.metric, x.value, x.animalTag, x.at]), [
    ["yield_kg", 11.5, "SD-0001", now - 1000],
    ["fat_pct", 4.2, "SD-0001", now - 1000],
    ["snf_pct", 8.7, "SD-0001", now - 1000],
  ]);
});

Deno.test("contract: each device type accepts its own values and refuses others", () => {
  const ok = (type: Parameters<typeof parseMessage>[1], values: unknown) =>
    parseMessage("telemetry", type, { values }, opts).ok;
  assert.ok(ok("tank_thermometer", { temperature_c: 3.9 }));
  assert.ok(!ok("tank_thermometer", { temperature_c: 200 }));
  assert.ok(!ok("tank_thermometer", { temp: 3 }));
  assert.ok(ok("activity_collar", { steps: 300 }));
  assert.ok(!ok("activity_collar", { steps: 3.5 }));
  assert.ok(!ok("activity_collar", {}));
  assert.ok(ok("biogas_monitor", { ch4_pct: 60 }));
  assert.ok(ok("gps_tracker", { lat: 23.8, lon: 90.2 }));
  assert.ok(!ok("gps_tracker", { lat: 123.8, lon: 90.2 }));
  assert.ok(!ok("milk_meter", { yield_kg: 10 })); // which cow?
  const rfid = parseMessage("telemetry", "rfid_reader", { values: { tag: "SD-0007" } }, opts);
  assert.ok(rfid.ok && rfid.message.kind === "telemetry");
  assert.deepEqual(rfid.message.readings, [
    { metric: "tag_read", at: now, value: 1, animalTag: "SD-0007" },
  ]);
});

Deno.test("contract: batches keep good entries and name the bad ones; clocks are checked", () => {
  const r = parseMessage("telemetry", "room_sensor", [
    { ts: now - 60_000, values: { temperature_c: 30.1, humidity_pct: 70 } },
    { ts: now + 3_600_000, values: { temperature_c: 30 } },
    { ts: now - 100 * 86_400_000, values: { temperature_c: 30 } },
    { ts: "2026-03-10T05:59:00+06:00", values: { temperature_c: 29.5 } },
    { values: { humidity_pct: 101 } },
  ], opts);
  assert.ok(r.ok);
  assert.equal(r.message.kind, "telemetry");
  if (r.message.kind !== "telemetry") return;
  assert.equal(r.message.readings.length, 3);
  assert.equal(r.message.readings[2].at, Date.parse("2026-03-09T23:59:00Z"));
  assert.equal(r.message.rejected.length, 3);
  assert.match(r.message.rejected[0], /^\[1\].*ahead of the receive time/);
  assert.match(r.message.rejected[1], /^\[2\].*older than the raw retention/);
  assert.match(r.message.rejected[2], /^\[4\]\.values/);
  const none = parseMessage("telemetry", "room_sensor", [], opts);
  assert.deepEqual(none, { ok: false, reason: "empty batch" });
  const bad = parseMessage("telemetry", "room_sensor", "hello", opts);
  assert.equal(bad.ok, false);
});

Deno.test("contract: status and event messages", () => {
  const s = parseMessage("status", "activity_collar", {
    online: true,
    firmware: "3.0.1",
    battery_pct: 55,
    rssi_dbm: -71,
  }, opts);
  assert.ok(s.ok && s.message.kind === "status");
  assert.deepEqual(s.message.readings.map((r) => r.metric), ["battery_pct", "rssi_dbm"]);
  const e = parseMessage(
    "event",
    "milk_meter",
    [{ kind: "door_open" }, { kind: "Bad Kind" }],
    opts,
  );
  assert.ok(e.ok && e.message.kind === "event");
  assert.equal(e.message.events.length, 1);
  assert.equal(e.message.rejected.length, 1);
});

Deno.test("broker rights: devices publish only to their own topics, services as documented", () => {
  const t = topicsFor("sd");
  const dev = { kind: "device" as const, id: "tt-1" };
  const ingest = { kind: "service" as const, account: "svc-ingest" as const };
  const live = { kind: "service" as const, account: "svc-live" as const };
  assert.ok(mayPublish(t, dev, "sd/v1/tt-1/telemetry"));
  assert.ok(mayPublish(t, dev, "sd/v1/tt-1/status"));
  assert.ok(!mayPublish(t, dev, "sd/v1/tt-2/telemetry"));
  assert.ok(!mayPublish(t, dev, "sd/live/v1/tt-1"));
  assert.ok(mayPublish(t, ingest, "sd/live/v1/tt-1"));
  assert.ok(mayPublish(t, ingest, "sd/alarms/v1"));
  assert.ok(!mayPublish(t, ingest, "sd/v1/tt-1/telemetry"));
  assert.ok(!mayPublish(t, live, "sd/alarms/v1"));
  assert.ok(maySubscribe(t, dev, "sd/v1/tt-1/cmd"));
  assert.ok(!maySubscribe(t, dev, "sd/v1/+/telemetry"));
  assert.ok(maySubscribe(t, ingest, "sd/v1/+/+"));
  assert.ok(!maySubscribe(t, ingest, "$share/ingest/sd/v1/+/+"));
  assert.ok(!maySubscribe(t, ingest, "#"));
  assert.ok(maySubscribe(t, live, "sd/live/v1/+"));
  assert.ok(maySubscribe(t, live, "sd/live/v1/tt-1"));
  assert.ok(maySubscribe(t, live, "sd/alarms/v1"));
  assert.ok(!maySubscribe(t, live, "sd/v1/+/+"));
  assert.ok(filterMatches("a/+/c", "a/b/c"));
  assert.ok(filterMatches("a/#", "a/b/c"));
  assert.ok(!filterMatches("a/+", "a/b/c"));
});

Deno.test("milking sessions: the cooling window follows the farm clock (UTC+6)", () => {
  const at = (local: string) => new Date(`${local}+06:00`);
  assert.deepEqual(lastMilkingEnd(at("2026-03-10T12:00:00")), at("2026-03-10T11:00:00"));
  assert.deepEqual(lastMilkingEnd(at("2026-03-10T05:00:00")), at("2026-03-10T05:00:00"));
  assert.deepEqual(lastMilkingEnd(at("2026-03-10T02:00:00")), at("2026-03-09T22:00:00"));
  assert.deepEqual(lastMilkingEnd(at("2026-03-10T23:30:00")), at("2026-03-10T22:00:00"));
  assert.deepEqual(farmDayStart(at("2026-03-10T00:30:00")), at("2026-03-10T00:00:00"));
  assert.deepEqual(farmDayStart(new Date("2026-03-10T17:59:00Z")), at("2026-03-10T00:00:00"));
});

Deno.test("duty contacts: severity floor and duty hours across midnight", () => {
  const c = {
    id: "1",
    name: "Night herdsman",
    channel: "sms" as const,
    address: "+8801711000000",
    minSeverity: "warning" as const,
    onDutyFrom: "22:00",
    onDutyTo: "06:00",
    active: true,
  };
  const at = (local: string) => new Date(`2026-03-10T${local}:00+06:00`);
  assert.ok(isOnDuty(c, "critical", at("23:30")));
  assert.ok(isOnDuty(c, "warning", at("05:59")));
  assert.ok(!isOnDuty(c, "warning", at("06:00")));
  assert.ok(!isOnDuty(c, "info", at("23:30")));
  assert.ok(isOnDuty({ ...c, onDutyFrom: null, onDutyTo: null }, "warning", at("12:00")));
  assert.ok(!isOnDuty({ ...c, active: false }, "critical", at("23:30")));
});

Deno.test("series: resolution follows the range", () => {
  const d = (days: number) => new Date(Date.parse("2026-03-10T00:00:00Z") + days * 86_400_000);
  assert.equal(chooseResolution(d(0), d(1)), "raw");
  assert.equal(chooseResolution(d(0), d(30)), "hour");
  assert.equal(chooseResolution(d(0), d(365)), "day");
});

Deno.test("demo farm: sizes follow the herd", () => {
  const small = demoFarm(255);
  const big = demoFarm(800);
  const count = (f: typeof small, type: string) => f.devices.filter((d) => d.type === type).length;
  assert.equal(count(small, "activity_collar"), 255);
  assert.equal(count(big, "activity_collar"), 800);
  assert.equal(small.tanks.length, 2);
  assert.equal(big.tanks.length, 3);
  assert.equal(count(big, "tank_thermometer"), 3);
  assert.ok(count(small, "milk_meter") >= 2);
  assert.equal(new Set(big.devices.map((d) => d.id)).size, big.devices.length);
  assert.throws(() => demoFarm(0));
});
