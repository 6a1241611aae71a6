/** The device registry and alarm-rule administration (what the admin pages call). */
import assert from "node:assert/strict";
import { withTestDb } from "@/tests/helpers/db.ts";
import {
  createDevice,
  getDevice,
  listDevices,
  revokeDevice,
  rotateDeviceSecret,
  updateDevice,
  verifyDeviceCredentials,
} from "@/services/iot/devices.ts";
import { listRules, saveRule, setRuleEnabled } from "@/services/iot/alarm_rules.ts";
import { evaluateAlarms } from "@/services/iot/alarms.ts";
import { makeDevice, makeTank, putReadings } from "./helpers.ts";

Deno.test("devices: registered with a secret shown once, checked, rotated and revoked", async () => {
  await withTestDb(async ({ sql }) => {
    await makeTank(sql, "tank-1");
    const admin = crypto.randomUUID();
    const { device, secret } = await createDevice(sql, {
      id: " TT-Tank-1 ",
      type: "tank_thermometer",
      name: "Tank 1 probe",
      locationKind: "tank",
      location: "",
      tankId: "tank-1",
      firmwareVersion: "1.0.3",
    }, { actorId: admin });
    assert.equal(device.id, "tt-tank-1");
    assert.equal(device.location, null);
    assert.ok(device.assignedAt);
    assert.equal(secret.length, 43); // 32 random bytes, base64url
    const [row] = await sql`select secret_hash from devices where id = 'tt-tank-1'`;
    assert.ok(!new TextDecoder().decode(row.secret_hash).includes(secret));
    assert.deepEqual(await verifyDeviceCredentials(sql, "tt-tank-1", secret), {
      ok: true,
      device: { id: "tt-tank-1", type: "tank_thermometer" },
    });

    await assert.rejects(
      () => createDevice(sql, { id: "tt-tank-1", type: "room_sensor", name: "x" }),
      (e: Error) => e.name === "ConflictError",
    );
    await assert.rejects(
      () => createDevice(sql, { id: "svc-ingest", type: "room_sensor", name: "x" }),
      (e: Error & { fieldErrors?: Record<string, string> }) => /reserved/.test(e.fieldErrors!.id),
    );
    // The ingest's MQTT client id: a device registered under it could never connect.
    await assert.rejects(
      () => createDevice(sql, { id: "sd-ingest-sd", type: "room_sensor", name: "x" }),
      (e: Error & { fieldErrors?: Record<string, string> }) => /reserved/.test(e.fieldErrors!.id),
    );
    await assert.rejects(
      () => createDevice(sql, { id: "c-1x", type: "activity_collar", name: "x", tankId: "nope" }),
      (e: Error & { fieldErrors?: Record<string, string> }) =>
        e.fieldErrors?.tankId === "No such tank",
    );
    await assert.rejects(
      () =>
        createDevice(sql, {
          id: "c-2x",
          type: "activity_collar",
          name: "x",
          tankId: "tank-1",
          animalTag: "SD-1",
        }),
      (e: Error & { fieldErrors?: Record<string, string> }) =>
        /not both/.test(e.fieldErrors!.tankId),
    );

    const rotated = await rotateDeviceSecret(sql, "tt-tank-1", { actorId: admin });
    assert.notEqual(rotated.secret, secret);
    assert.deepEqual(await verifyDeviceCredentials(sql, "tt-tank-1", secret), {
      ok: false,
      reason: "bad_secret",
    });
    assert.equal((await verifyDeviceCredentials(sql, "tt-tank-1", rotated.secret)).ok, true);

    await revokeDevice(sql, "tt-tank-1", { actorId: admin });
    assert.deepEqual(await verifyDeviceCredentials(sql, "tt-tank-1", rotated.secret), {
      ok: false,
      reason: "revoked",
    });
    await assert.rejects(() => rotateDeviceSecret(sql, "tt-tank-1"), /revoked/);
    const actions = await sql`
      select action from audit_log where entity = 'device' and entity_id = 'tt-tank-1' order by id`;
    assert.deepEqual(actions.map((a) => a.action), [
      "iot.device.create",
      "iot.device.rotate_secret",
      "iot.device.revoke",
    ]);
  });
});

Deno.test("devices: reassignment restarts the baseline clock; list filters", async () => {
  await withTestDb(async ({ sql }) => {
    const c = (await makeDevice(sql, "activity_collar", { animalTag: "SD-0001", id: "col-0001" }))
      .device;
    await makeDevice(sql, "room_sensor", { id: "rs-barn-a", name: "Barn A sensor" });
    const later = new Date(Date.now() + 60_000);
    const moved = await updateDevice(sql, c.id, { animalTag: "SD-0002" }, { now: later });
    assert.equal(moved.animalTag, "SD-0002");
    assert.deepEqual(moved.assignedAt, later);
    const renamed = await updateDevice(sql, c.id, { name: "Collar of Lali" });
    assert.deepEqual(renamed.assignedAt, later); // same cow: the baseline continues
    assert.equal(renamed.name, "Collar of Lali");
    assert.equal((await listDevices(sql, { q: "lali" })).devices[0].id, "col-0001");
    assert.equal((await listDevices(sql, { type: "room_sensor" })).total, 1);
    await revokeDevice(sql, "rs-barn-a");
    assert.equal((await listDevices(sql)).total, 1);
    assert.equal((await listDevices(sql, { includeRevoked: true })).total, 2);
    assert.equal(await getDevice(sql, "nope"), null);
  });
});

Deno.test("rules: a custom threshold rule fires; a disabled rule does not; bad rules are refused", async () => {
  await withTestDb(async ({ sql }) => {
    const d = (await makeDevice(sql, "room_sensor", { id: "rs-cold-room" })).device;
    await saveRule(sql, "cold-room-warm", {
      kind: "threshold",
      name: "Cold room above 6 °C for 20 min",
      deviceId: d.id,
      metric: "temperature_c",
      severity: "warning",
      params: { op: ">", value: 6, durationS: 1200 },
    });
    const t = new Date("2026-03-10T08:00:00Z");
    await putReadings(
      sql,
      [0, 10, 20, 30].map((m) => ({
        deviceId: d.id,
        metric: "temperature_c",
        at: new Date(t.getTime() + m * 60_000),
        value: 7,
      })),
    );
    const now = new Date(t.getTime() + 30 * 60_000);
    const r = await evaluateAlarms(sql, { now, kinds: ["threshold"] });
    assert.deepEqual(r.changes.map((c) => c.ruleId), ["cold-room-warm"]);
    await setRuleEnabled(sql, "heat-suspected", false);
    assert.ok(
      !(await listRules(sql, { enabledOnly: true })).some((x) => x.id === "heat-suspected"),
    );
    await assert.rejects(
      () =>
        saveRule(sql, "bad-rule", {
          kind: "threshold",
          name: "no metric",
          deviceType: "room_sensor",
          severity: "info",
          params: { op: ">", value: 1 },
        }),
      (e: Error & { fieldErrors?: Record<string, string> }) => !!e.fieldErrors?.metric,
    );
    await assert.rejects(
      () =>
        saveRule(sql, "bad-rule", {
          kind: "rate",
          name: "no window",
          deviceType: "room_sensor",
          metric: "temperature_c",
          severity: "info",
          // deno-lint-ignore no-explicit-any
          params: { op: ">", change: 1 } as any,
        }),
      (e: Error & { fieldErrors?: Record<string, string> }) => !!e.fieldErrors?.["params.windowS"],
    );
  });
});
