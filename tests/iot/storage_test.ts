/**
 * Telemetry storage on the fallback path (what runs without TimescaleDB): the branch choice,
 * rollups against hand-computed figures, retention, and the read models built on them.
 */
import assert from "node:assert/strict";
import { withTestDb } from "@/tests/helpers/db.ts";
import { evaluateAlarms } from "@/services/iot/alarms.ts";
import { runRetention, runRollups, storageMode } from "@/services/iot/rollups.ts";
import { deviceSeries, deviceSummary, farmOverview } from "@/services/iot/queries.ts";
import { seedDemoDevices } from "@/services/iot/demo.ts";
import { demoDeviceSecret } from "@/services/iot/credentials.ts";
import { verifyDeviceCredentials } from "@/services/iot/devices.ts";
import { APP_SECRET, makeDevice, makeTank, putReadings } from "./helpers.ts";

const at = (iso: string) => new Date(iso);

Deno.test("storage: the plan follows TimescaleDB's availability and licence", async () => {
  await withTestDb(async ({ sql }) => {
    const [r] = await sql`
      select iot_storage_plan(false, null) as none, iot_storage_plan(false, 'timescale') as off,
        iot_storage_plan(true, 'apache') as apache, iot_storage_plan(true, 'timescale') as full,
        iot_storage_plan(true, null) as unknown,
        iot_storage_plan(sd_timescale_available(), sd_timescale_license()) as here`;
    assert.deepEqual(
      { ...r },
      {
        none: "plain",
        off: "plain",
        apache: "hypertable",
        full: "timescale",
        unknown: "hypertable",
        here: r.here,
      },
    );
    // What the migration applied is what the plan says for this server (here: no TimescaleDB,
    // so the plain table with its BRIN index and the rollup tables).
    assert.equal(await storageMode(sql), r.here);
    if (r.here === "plain") {
      const [idx] = await sql`
        select indexdef from pg_indexes where tablename = 'telemetry' and indexname = 'telemetry_at_brin'`;
      assert.match(idx.indexdef, /USING brin/);
      const [kind] = await sql`select relkind from pg_class where relname = 'telemetry_hourly'`;
      assert.equal(kind.relkind, "r");
    }
  });
});

Deno.test("rollups: hourly and farm-day buckets match hand-computed figures, late data included", async () => {
  await withTestDb(async ({ sql }) => {
    const d = (await makeDevice(sql, "room_sensor")).device;
    const put = (iso: string, value: number) =>
      putReadings(sql, [{ deviceId: d.id, metric: "temperature_c", at: at(iso), value }]);
    // 23:30 and 23:45 farm time on 10 March, then 00:10 and 00:20 on 11 March (UTC+6).
    await put("2026-03-10T17:30:00Z", 10);
    await put("2026-03-10T17:45:00Z", 14);
    await put("2026-03-10T18:10:00Z", 20);
    await put("2026-03-10T18:20:00Z", 26);
    await putReadings(sql, [{
      deviceId: d.id,
      metric: "humidity_pct",
      at: at("2026-03-10T18:20:00Z"),
      value: 80,
    }]);
    const first = await runRollups(sql);
    assert.equal(first.mode, "plain");
    const hourly = async () =>
      (await sql`
        select bucket, samples::int, value_sum, value_sumsq, value_min, value_max, value_avg
        from telemetry_hourly where device_id = ${d.id} and metric = 'temperature_c'
        order by bucket`).map((r) => ({ ...r }));
    assert.deepEqual(await hourly(), [
      {
        bucket: at("2026-03-10T17:00:00Z"),
        samples: 2,
        value_sum: 24,
        value_sumsq: 296,
        value_min: 10,
        value_max: 14,
        value_avg: 12,
      },
      {
        bucket: at("2026-03-10T18:00:00Z"),
        samples: 2,
        value_sum: 46,
        value_sumsq: 1076,
        value_min: 20,
        value_max: 26,
        value_avg: 23,
      },
    ]);
    const daily = async () =>
      (await sql`
        select bucket, samples::int, value_avg, value_min, value_max from telemetry_daily
        where device_id = ${d.id} and metric = 'temperature_c' order by bucket`)
        .map((r) => ({ ...r }));
    assert.deepEqual(await daily(), [
      {
        bucket: at("2026-03-09T18:00:00Z"),
        samples: 2,
        value_avg: 12,
        value_min: 10,
        value_max: 14,
      },
      {
        bucket: at("2026-03-10T18:00:00Z"),
        samples: 2,
        value_avg: 23,
        value_min: 20,
        value_max: 26,
      },
    ]);
    // A late reading for 23:50 and a duplicate of 23:30: the bucket is recomputed exactly once.
    await put("2026-03-10T17:50:00Z", 9);
    await put("2026-03-10T17:30:00Z", 10);
    await runRollups(sql);
    const h = await hourly();
    assert.deepEqual([h[0].samples, h[0].value_sum, h[0].value_min, h[0].value_avg], [
      3,
      33,
      9,
      11,
    ]);
    assert.deepEqual((await daily())[0].samples, 3);
    // Nothing new: a run changes nothing.
    const again = await runRollups(sql);
    assert.deepEqual(await hourly(), h);
    assert.ok(again.hourly <= 3);

    const series = await deviceSeries(sql, {
      deviceId: d.id,
      metric: "temperature_c",
      from: at("2026-03-01T00:00:00Z"),
      to: at("2026-03-11T00:00:00Z"),
    });
    assert.equal(series.resolution, "hour");
    assert.deepEqual(series.value, [11, 23]);
    assert.deepEqual(series.max, [14, 26]);
    const raw = await deviceSeries(sql, {
      deviceId: d.id,
      metric: "temperature_c",
      from: at("2026-03-10T17:00:00Z"),
      to: at("2026-03-10T19:00:00Z"),
    });
    assert.equal(raw.resolution, "raw");
    assert.deepEqual(raw.value, [10, 14, 9, 20, 26]);
    const squeezed = await deviceSeries(sql, {
      deviceId: d.id,
      metric: "temperature_c",
      from: at("2026-03-10T17:00:00Z"),
      to: at("2026-03-10T19:00:00Z"),
      maxPoints: 2,
    });
    assert.equal(squeezed.bucketSeconds, 3600);
    assert.deepEqual(squeezed.value, [11, 23]);
    const days = await deviceSeries(sql, {
      deviceId: d.id,
      metric: "temperature_c",
      from: at("2025-03-01T00:00:00Z"),
      to: at("2026-03-31T00:00:00Z"),
    });
    assert.equal(days.resolution, "day");
    assert.deepEqual(days.value, [11, 23]);
  });
});

Deno.test("retention: raw readings past TELEMETRY_RETENTION_DAYS and rollups past three years go", async () => {
  await withTestDb(async ({ sql }) => {
    const d = (await makeDevice(sql, "biogas_monitor")).device;
    const now = at("2026-06-01T00:00:00Z");
    const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
    await putReadings(
      sql,
      [100, 91, 89, 1].map((n) => ({
        deviceId: d.id,
        metric: "ch4_pct",
        at: daysAgo(n),
        value: n,
      })),
    );
    await runRollups(sql);
    await sql`
      insert into telemetry_hourly values
        (${daysAgo(4 * 365)}, ${d.id}, 'ch4_pct', 1, 60, 3600, 60, 60, 60),
        (${daysAgo(2 * 365)}, ${d.id}, 'ch4_pct', 1, 60, 3600, 60, 60, 60)`;
    await sql`
      insert into telemetry_dead_letters (received_at, topic, reason, payload, payload_size)
      values (${daysAgo(40)}, 'x', 'old', '\\x00', 1), (${daysAgo(2)}, 'x', 'new', '\\x00', 1)`;
    const r = await runRetention(sql, { now, retentionDays: 90, batch: 1 });
    assert.deepEqual(r, { telemetry: 2, hourly: 1, daily: 0, deadLetters: 1, events: 0 });
    const left = await sql`select value from telemetry order by at`;
    assert.deepEqual(left.map((x) => x.value), [89, 1]);
    // Rollups of the deleted raw days stay (they are kept three years).
    const [{ n }] =
      await sql`select count(*)::int as n from telemetry_hourly where device_id = ${d.id}`;
    assert.equal(n, 5);
  });
});

Deno.test("farm overview: tank temperatures, today's milk by session, active alarms, device health", async () => {
  await withTestDb(async ({ sql }) => {
    await makeTank(sql, "tank-1");
    await makeTank(sql, "tank-2");
    const t1 = (await makeDevice(sql, "tank_thermometer", { tankId: "tank-1" })).device;
    const meter = (await makeDevice(sql, "milk_meter", { tankId: "tank-1" })).device;
    const now = new Date("2026-03-10T12:00:00Z"); // 18:00 farm time
    const milk = (localTime: string, tag: string, kg: number) => ({
      deviceId: meter.id,
      metric: "yield_kg",
      at: new Date(`2026-03-10T${localTime}:00+06:00`),
      value: kg,
      animalTag: tag,
    });
    await putReadings(sql, [
      milk("05:10", "SD-0001", 6.5),
      milk("05:20", "SD-0002", 5.5),
      milk("16:00", "SD-0001", 6),
      milk("12:30", "SD-0003", 2), // outside the sessions
      { ...milk("23:00", "SD-0001", 7), at: new Date("2026-03-09T17:00:00Z") }, // yesterday
      {
        deviceId: t1.id,
        metric: "temperature_c",
        at: new Date(now.getTime() - 120_000),
        value: 3.6,
      },
      {
        deviceId: t1.id,
        metric: "temperature_c",
        at: new Date(now.getTime() - 60_000),
        value: 9.1,
      },
    ]);
    await evaluateAlarms(sql, { now, kinds: ["threshold"] });
    const o = await farmOverview(sql, { now });
    assert.equal(o.milkToday.day, "2026-03-10");
    assert.deepEqual(o.milkToday.sessions, [
      { session: "morning", kg: 12, milkings: 2, cows: 2 },
      { session: "evening", kg: 6, milkings: 1, cows: 1 },
      { session: "other", kg: 2, milkings: 1, cows: 1 },
    ]);
    assert.equal(o.milkToday.totalKg, 20);
    const tank1 = o.tanks.find((t) => t.id === "tank-1")!;
    assert.equal(tank1.temperatureC, 9.1);
    assert.equal(tank1.thermometerId, t1.id);
    assert.equal(tank1.status, "held");
    assert.equal(o.tanks.find((t) => t.id === "tank-2")!.temperatureC, null);
    assert.equal(o.alarms.critical, 1);
    assert.equal(o.alarms.active[0].ruleId, "tank-hot");
    assert.equal(o.devices.total, 2);
    const s = await deviceSummary(sql, t1.id, { now });
    assert.deepEqual(s?.latest.map((l) => [l.metric, l.value]), [["temperature_c", 9.1]]);
    assert.equal(s?.alarms.length, 1);
  });
});

Deno.test("demo devices: seeded once with secrets derived from APP_SECRET", async () => {
  await withTestDb(async ({ sql }) => {
    const first = await seedDemoDevices(sql, APP_SECRET, { cows: 30 });
    assert.equal(first.created, first.devices);
    const again = await seedDemoDevices(sql, APP_SECRET, { cows: 40 });
    assert.equal(again.created, 11); // only the ten new collars and a fourth milking stall
    const ok = await verifyDeviceCredentials(
      sql,
      "col-0001",
      await demoDeviceSecret(APP_SECRET, "col-0001"),
    );
    assert.deepEqual(ok, { ok: true, device: { id: "col-0001", type: "activity_collar" } });
    const bad = await verifyDeviceCredentials(
      sql,
      "col-0001",
      await demoDeviceSecret("another-secret-of-32-characters!!", "col-0001"),
    );
    assert.deepEqual(bad, { ok: false, reason: "bad_secret" });
    const [tt] = await sql`select tank_id from devices where id = 'tt-tank-1'`;
    assert.equal(tt.tank_id, "tank-1");
  });
});
