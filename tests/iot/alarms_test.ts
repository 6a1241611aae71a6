/**
 * Alarm rules against a real database, walking `now` through time: thresholds with durations
 * and the cooling window, rates, silence, per-cow baselines, the cold-chain hold and the outbox.
 */
import assert from "node:assert/strict";
import { withTestDb } from "@/tests/helpers/db.ts";
import { acknowledgeAlarm, evaluateAlarms, getAlarm, listAlarms } from "@/services/iot/alarms.ts";
import { createDutyContact } from "@/services/iot/duty.ts";
import { getTank, releaseTankHold } from "@/services/iot/tanks.ts";
import { prng } from "@/services/iot/simulator.ts";
import { makeDevice, makeTankWithThermometer, putReadings } from "./helpers.ts";

const MIN = 60_000;
const local = (s: string) => new Date(`${s}+06:00`); // farm time
const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * MIN);

Deno.test("cold chain: milk above 8 °C opens a critical alarm at once, holds the tank and texts the duty phone", async () => {
  await withTestDb(async ({ sql }) => {
    const { device } = await makeTankWithThermometer(sql, "tank-1");
    await createDutyContact(sql, {
      name: "Night herdsman",
      channel: "sms",
      address: "+8801711000001",
      minSeverity: "warning",
    });
    await createDutyContact(sql, {
      name: "Info only",
      channel: "email",
      address: "office@smartdairy.test",
      minSeverity: "critical",
      onDutyFrom: "09:00",
      onDutyTo: "17:00",
    });
    const t0 = local("2026-03-10T14:00:00");
    await putReadings(
      sql,
      [0, 5, 10].map((m) => ({
        deviceId: device.id,
        metric: "temperature_c",
        at: plus(t0, m),
        value: 3.8,
        tankId: "tank-1",
      })),
    );
    let r = await evaluateAlarms(sql, { now: plus(t0, 10), kinds: ["threshold"] });
    assert.deepEqual(r.changes, []);

    await putReadings(sql, [{
      deviceId: device.id,
      metric: "temperature_c",
      at: plus(t0, 15),
      value: 9.3,
      tankId: "tank-1",
    }]);
    r = await evaluateAlarms(sql, { now: plus(t0, 15), kinds: ["threshold"] });
    assert.deepEqual(r.changes.map((c) => [c.ruleId, c.state, c.severity]), [
      ["tank-hot", "open", "critical"],
    ]);
    const tank = await getTank(sql, "tank-1");
    assert.equal(tank?.status, "held");
    assert.match(tank!.hold!.reason, /above 8 °C.*9\.3/);
    const sms = await sql`select channel, recipient, body from outbox_messages order by id`;
    assert.equal(sms.length, 2); // the SMS contact, and the office (critical, on duty at 14:15)
    assert.equal(sms[0].recipient, "+8801711000001");
    assert.match(sms[0].body, /CRITICAL: Bulk milk above 8 °C: tank-1 .* reads 9\.3 at 14:15/);
    assert.match(sms[0].body, /ON HOLD/);

    // Evaluating again changes nothing and sends nothing more.
    r = await evaluateAlarms(sql, { now: plus(t0, 16), kinds: ["threshold"] });
    assert.deepEqual(r.changes, []);
    assert.equal((await sql`select count(*)::int as n from outbox_messages`)[0].n, 2);

    // Cooled down: the alarm resolves by itself, the milk stays held until a manager says so.
    await putReadings(sql, [{
      deviceId: device.id,
      metric: "temperature_c",
      at: plus(t0, 25),
      value: 3.9,
      tankId: "tank-1",
    }]);
    r = await evaluateAlarms(sql, { now: plus(t0, 25), kinds: ["threshold"] });
    assert.deepEqual(r.changes.map((c) => [c.ruleId, c.state]), [["tank-hot", "resolved"]]);
    assert.equal((await getTank(sql, "tank-1"))?.status, "held");
    const worker = { userId: crypto.randomUUID(), roles: ["farm_worker" as const] };
    await assert.rejects(
      () => releaseTankHold(sql, { tankId: "tank-1", note: "tested ok" }, worker),
      /Forbidden/,
    );
    const manager = { userId: crypto.randomUUID(), roles: ["farm_manager" as const] };
    const hold = await releaseTankHold(sql, { tankId: "tank-1", note: "Lab test passed" }, manager);
    assert.equal(hold.releasedBy, manager.userId);
    assert.equal((await getTank(sql, "tank-1"))?.status, "ok");
    const [audit] =
      await sql`select action, actor_id from audit_log where action = 'iot.tank.release'`;
    assert.equal(audit.actor_id, manager.userId);
  });
});

Deno.test("tank warm: above 4 °C counts only after the cooling window, then for 30 minutes", async () => {
  await withTestDb(async ({ sql }) => {
    const thermo = (await makeTankWithThermometer(sql, "tank-2")).device;
    const meter = (await makeDevice(sql, "milk_meter", { tankId: "tank-2" })).device;
    const base = local("2026-03-10T12:00:00");
    // The last milking into this tank ended at 12:00; the cooling window runs to 14:00.
    await putReadings(sql, [{
      deviceId: meter.id,
      metric: "yield_kg",
      at: base,
      value: 7,
      animalTag: "SD-0001",
      tankId: "tank-2",
    }]);
    const temps = [];
    for (let m = 0; m <= 170; m += 5) {
      temps.push({
        deviceId: thermo.id,
        metric: "temperature_c",
        at: plus(base, m),
        value: m < 160 ? 5.2 : 3.6,
        tankId: "tank-2",
      });
    }
    await putReadings(sql, temps);
    const warm = async (minutes: number) => {
      const r = await evaluateAlarms(sql, { now: plus(base, minutes), kinds: ["threshold"] });
      return r.changes.map((c) => `${c.ruleId}:${c.state}`);
    };
    assert.deepEqual(await warm(60), []); // inside the cooling window
    assert.deepEqual(await warm(140), []); // 20 min past the window
    assert.deepEqual(await warm(151), ["tank-warm:open"]); // 31 min past the window
    const [alarm] = await listAlarms(sql);
    assert.equal(alarm.severity, "warning");
    assert.equal((await getTank(sql, "tank-2"))?.status, "ok"); // a warning does not hold milk
    assert.deepEqual(await warm(155), []);
    assert.deepEqual(await warm(160), ["tank-warm:resolved"]);
    const done = await getAlarm(sql, alarm.id);
    assert.equal(done?.resolution, "auto");
    assert.deepEqual(done?.events.map((e) => e.kind), ["opened", "resolved"]);
  });
});

Deno.test("tank warm without milk meters: the session schedule sets the cooling window", async () => {
  await withTestDb(async ({ sql }) => {
    const thermo = (await makeTankWithThermometer(sql, "tank-3")).device;
    // Morning session ends 11:00, window to 13:00; warm since 10:00.
    const rows = [];
    for (let m = 0; m <= 240; m += 10) {
      rows.push({
        deviceId: thermo.id,
        metric: "temperature_c",
        at: plus(local("2026-03-10T10:00:00"), m),
        value: 4.6,
      });
    }
    await putReadings(sql, rows);
    const at = async (hhmm: string) =>
      (await evaluateAlarms(sql, { now: local(`2026-03-10T${hhmm}:00`), kinds: ["threshold"] }))
        .changes.map((c) => `${c.ruleId}:${c.state}`);
    assert.deepEqual(await at("13:20"), []);
    assert.deepEqual(await at("13:31"), ["tank-warm:open"]);
  });
});

Deno.test("rate of change: a tank warming fast outside milking; acknowledgement is audited", async () => {
  await withTestDb(async ({ sql }) => {
    const thermo = (await makeTankWithThermometer(sql, "tank-4")).device;
    const t = local("2026-03-10T14:00:00");
    const values = [3.8, 3.8, 3.9, 4.6, 5.4, 6.3]; // every 3 min, +2.5 °C in 15 min
    await putReadings(
      sql,
      values.map((v, i) => ({
        deviceId: thermo.id,
        metric: "temperature_c",
        at: plus(t, i * 3),
        value: v,
      })),
    );
    const r = await evaluateAlarms(sql, { now: plus(t, 15), kinds: ["rate"] });
    assert.deepEqual(r.changes.map((c) => c.ruleId), ["tank-rising"]);
    assert.match(r.changes[0].message, /\+2\.5 in 15 min, now 6\.3/);
    const vet = crypto.randomUUID();
    const acked = await acknowledgeAlarm(
      sql,
      { alarmId: r.changes[0].alarmId, note: "on my way" },
      {
        userId: vet,
      },
    );
    assert.equal(acked.state, "acknowledged");
    assert.equal(acked.acknowledgedBy, vet);
    const [audit] =
      await sql`select actor_id, data from audit_log where action = 'iot.alarm.acknowledge'`;
    assert.equal(audit.actor_id, vet);
    assert.equal(audit.data.note, "on my way");
    // Stable temperature again: the acknowledged alarm resolves by itself.
    await putReadings(
      sql,
      [0, 3, 6, 9, 12].map((m) => ({
        deviceId: thermo.id,
        metric: "temperature_c",
        at: plus(t, 30 + m),
        value: 4.1,
      })),
    );
    const r2 = await evaluateAlarms(sql, { now: plus(t, 42), kinds: ["rate"] });
    assert.deepEqual(r2.changes.map((c) => c.state), ["resolved"]);
    const final = await getAlarm(sql, r.changes[0].alarmId);
    assert.equal(final?.state, "resolved");
    assert.ok(final?.acknowledgedAt);
    assert.deepEqual(final?.events.map((e) => e.kind), ["opened", "acknowledged", "resolved"]);
  });
});

Deno.test("silence: a thermometer quiet for 10 minutes raises an alarm that clears when it speaks", async () => {
  await withTestDb(async ({ sql }) => {
    const thermo = (await makeTankWithThermometer(sql, "tank-5")).device;
    const t = new Date(Date.now() - 60 * MIN);
    const put = (m: number) =>
      putReadings(sql, [{
        deviceId: thermo.id,
        metric: "temperature_c",
        at: plus(t, m),
        value: 3.7,
      }]);
    const silence = async (m: number) =>
      (await evaluateAlarms(sql, { now: plus(t, m), kinds: ["silence"] })).changes
        .filter((c) => c.deviceId === thermo.id).map((c) => `${c.ruleId}:${c.state}`);
    await put(0);
    assert.deepEqual(await silence(9), []);
    assert.deepEqual(await silence(11), ["tank-thermometer-silent:open"]);
    await put(12);
    assert.deepEqual(await silence(12), ["tank-thermometer-silent:resolved"]);
  });
});

Deno.test("collars: activity far above a cow's own normal (heat) and rumination far below it", async () => {
  await withTestDb(async ({ sql }) => {
    const a = (await makeDevice(sql, "activity_collar", { animalTag: "SD-0101" })).device;
    const b = (await makeDevice(sql, "activity_collar", { animalTag: "SD-0102" })).device;
    const now = new Date(Math.floor(Date.now() / (30 * MIN)) * 30 * MIN);
    await sql`update devices set assigned_at = ${new Date(now.getTime() - 20 * 86_400_000)}`;
    const rnd = prng(7);
    const rows = [];
    for (let m = -11 * 1440; m <= 4 * 60; m += 30) {
      const at = plus(now, m);
      for (const d of [a, b]) {
        const noise = 1 + (rnd() - 0.5) * 0.1;
        const heat = d === a && m > -120 && m <= 0 ? 3 : 1;
        const sick = d === a && m > -360 && m <= 0 ? 0.4 : 1;
        rows.push({ deviceId: d.id, metric: "steps", at, value: Math.round(600 * noise * heat) });
        rows.push({ deviceId: d.id, metric: "rumination_min", at, value: 15 * noise * sick });
      }
    }
    await putReadings(sql, rows);
    const kinds = ["activity_spike", "rumination_drop"] as const;
    const r = await evaluateAlarms(sql, { now, kinds });
    assert.deepEqual(
      r.changes.map((c) => [c.ruleId, c.deviceId, c.animalTag, c.state]).sort(),
      [["heat-suspected", a.id, "SD-0101", "open"], ["rumination-drop", a.id, "SD-0101", "open"]],
    );
    const heat = r.changes.find((c) => c.ruleId === "heat-suspected")!;
    assert.match(heat.message, /cow SD-0101 .* (2[6-9]\d|3\d\d)% of her 10-day normal/);
    // Four hours on, both cows look like themselves again.
    const later = await evaluateAlarms(sql, { now: plus(now, 240), kinds });
    assert.deepEqual(later.changes.map((c) => [c.ruleId, c.state]).sort(), [
      ["heat-suspected", "resolved"],
      ["rumination-drop", "resolved"],
    ]);
  });
});

Deno.test("collars: too little history means no verdict", async () => {
  await withTestDb(async ({ sql }) => {
    const c = (await makeDevice(sql, "activity_collar", { animalTag: "SD-0200" })).device;
    const now = new Date(Math.floor(Date.now() / (30 * MIN)) * 30 * MIN);
    const rows = [];
    for (let m = -2 * 1440; m <= 0; m += 30) {
      rows.push({
        deviceId: c.id,
        metric: "steps",
        at: plus(now, m),
        value: m > -120 ? 5000 : 500,
      });
    }
    // Assigned three days ago: two days of history is under minDays (5).
    await sql`update devices set assigned_at = ${new Date(now.getTime() - 3 * 86_400_000)}`;
    await putReadings(sql, rows);
    const r = await evaluateAlarms(sql, { now, kinds: ["activity_spike"] });
    assert.deepEqual(r.changes, []);
  });
});
