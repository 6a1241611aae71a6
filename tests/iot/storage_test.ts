/**
 * Telemetry storage on whichever plan this server runs (plain table, hypertable with fallback
 * rollups, or TimescaleDB's continuous aggregates): the branch choice, rollups against
 * hand-computed figures, late readings, retention, and the read models built on them.
 */
import assert from "node:assert/strict";
import { withTestDb } from "@/tests/helpers/db.ts";
import { evaluateAlarms } from "@/services/iot/alarms.ts";
import {
  checkStorage,
  describeStorage,
  runRetention,
  runRollups,
  StorageDowngradeError,
  storageMode,
  storageStatus,
  StorageUnsupportedError,
} from "@/services/iot/rollups.ts";
import { timescaleInfo } from "@/services/platform/migrate.ts";
import type { Sql } from "@/services/platform/db.ts";
import { LATE_AFTER_MS, lateWindow, TelemetryColumns } from "@/services/iot/telemetry.ts";
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
    // What the migrations applied is what the plan says for this server, and it says why.
    const status = await storageStatus(sql);
    assert.equal(status.mode, r.here);
    assert.equal(await storageMode(sql), r.here);
    assert.equal(status.allowed, r.here);
    assert.equal(status.downgraded, false);
    assert.doesNotMatch(status.reason, /DOWNGRADE/);
    const [kind] = await sql`select relkind from pg_class where relname = 'telemetry_hourly'`;
    const info = await timescaleInfo(sql);
    if (r.here === "plain") {
      const [idx] = await sql`
        select indexdef from pg_indexes where tablename = 'telemetry' and indexname = 'telemetry_at_brin'`;
      assert.match(idx.indexdef, /USING brin/);
      assert.equal(kind.relkind, "r");
      assert.match(status.reason, /No TimescaleDB/);
    } else if (r.here === "hypertable") {
      assert.deepEqual(info.hypertables, ["telemetry"]);
      assert.equal(kind.relkind, "r");
      assert.match(status.reason, /fallback rollups/);
    } else {
      assert.equal(kind.relkind, "v");
      assert.deepEqual(info.continuousAggregates, ["telemetry_daily", "telemetry_hourly"]);
      assert.deepEqual(info.compression, ["telemetry"]);
      assert.match(status.reason, /continuous aggregates/);
    }
  });
});

Deno.test("storage: a plan below what the server allows stops the start unless accepted", async () => {
  await withTestDb(async ({ sql }) => {
    // As if a setup step had failed on a server that allows more than the plain table.
    await sql`update iot_storage set mode = 'plain', detail = 'boom'`;
    await assert.rejects(
      () => checkStorage(sql, { allowFallback: false, allowed: "timescale" }),
      (e: Error) =>
        e instanceof StorageDowngradeError && /IOT_ALLOW_FALLBACK=1/.test(e.message) &&
        /DOWNGRADE: the server allows timescale but this database uses plain/.test(e.message),
    );
    const accepted = await checkStorage(sql, { allowFallback: true, allowed: "timescale" });
    assert.equal(accepted.downgraded, true);
    assert.match(describeStorage(accepted), /^IoT storage: plain \(server allows timescale\)/);
    // The plan this server allows, recorded as such, is not a downgrade.
    const [{ allowed }] = await sql`
      select iot_storage_plan(sd_timescale_available(), sd_timescale_license()) as allowed`;
    await sql`update iot_storage set mode = ${allowed}`;
    assert.equal((await checkStorage(sql, { allowFallback: false })).downgraded, false);
  });
});

Deno.test("storage: a plan the server no longer supports stops the start, whatever is accepted", async () => {
  await withTestDb(async ({ sql }) => {
    // As if TimescaleDB's licence had been switched to Apache after the migrations set up
    // continuous aggregates: every insert would fail.
    await sql`update iot_storage set mode = 'timescale'`;
    for (const allowFallback of [false, true]) {
      await assert.rejects(
        () => checkStorage(sql, { allowFallback, allowed: "hypertable" }),
        (e: Error) =>
          e instanceof StorageUnsupportedError &&
          /^IoT storage: timescale \(server allows hypertable\)/.test(e.message) &&
          /no longer supports/.test(e.message),
      );
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
    assert.equal(first.mode, await storageMode(sql));
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
    assert.ok(again.hourly <= (again.mode === "timescale" ? 0 : 3));

    /** The device's temperatures between two instants, as the chart asks for them. */
    const temperatures = (from: string, to: string, maxPoints?: number) =>
      deviceSeries(sql, {
        deviceId: d.id,
        metric: "temperature_c",
        from: at(from),
        to: at(to),
        maxPoints,
      });
    const series = await temperatures("2026-03-01T00:00:00Z", "2026-03-11T00:00:00Z");
    assert.equal(series.resolution, "hour");
    assert.deepEqual(series.value, [11, 23]);
    assert.deepEqual(series.max, [14, 26]);
    const raw = await temperatures("2026-03-10T17:00:00Z", "2026-03-10T19:00:00Z");
    assert.equal(raw.resolution, "raw");
    assert.deepEqual(raw.value, [10, 14, 9, 20, 26]);
    const squeezed = await temperatures("2026-03-10T17:00:00Z", "2026-03-10T19:00:00Z", 2);
    assert.equal(squeezed.bucketSeconds, 3600);
    assert.deepEqual(squeezed.value, [11, 23]);
    const days = await temperatures("2025-03-01T00:00:00Z", "2026-03-31T00:00:00Z");
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
    // Continuous aggregates keep their rows by their own retention policies (3 years); the
    // fallback tables are trimmed by the job, shown here with rows of 4 and 2 years ago.
    const aggregates = (await storageMode(sql)) === "timescale";
    if (!aggregates) {
      await sql`
        insert into telemetry_hourly values
          (${daysAgo(4 * 365)}, ${d.id}, 'ch4_pct', 1, 60, 3600, 60, 60, 60),
          (${daysAgo(2 * 365)}, ${d.id}, 'ch4_pct', 1, 60, 3600, 60, 60, 60)`;
    }
    await sql`
      insert into telemetry_dead_letters (received_at, topic, reason, payload, payload_size)
      values (${daysAgo(40)}, 'x', 'old', '\\x00', 1), (${daysAgo(2)}, 'x', 'new', '\\x00', 1)`;
    const r = await runRetention(sql, { now, retentionDays: 90, batch: 1 });
    assert.deepEqual(r, {
      telemetry: 2,
      hourly: aggregates ? 0 : 1,
      daily: 0,
      deadLetters: 1,
      events: 0,
    });
    const left = await sql`select value from telemetry order by at`;
    assert.deepEqual(left.map((x) => x.value), [89, 1]);
    // Rollups of the deleted raw days stay (they are kept three years).
    const [{ n }] =
      await sql`select count(*)::int as n from telemetry_hourly where device_id = ${d.id}`;
    assert.equal(n, aggregates ? 4 : 5);
  });
});

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Start of the farm day (Asia/Dhaka, UTC+6) of t. */
const farmDay = (t: number) => Math.floor((t + 6 * HOUR) / DAY) * DAY - 6 * HOUR;

/**
 * What the refresh policies will have done by now on the TimescaleDB path: everything up to their
 * end offsets materialised (a no-op on the fallback tables).
 */
async function policiesRan(sql: Sql) {
  if ((await storageMode(sql)) !== "timescale") return;
  const now = Date.now();
  await sql`call refresh_continuous_aggregate('telemetry_hourly', null,
    ${new Date(Math.floor(now / HOUR) * HOUR - HOUR)}::timestamptz)`;
  await sql`call refresh_continuous_aggregate('telemetry_daily', null,
    ${new Date(farmDay(now - DAY))}::timestamptz)`;
}

Deno.test("late readings: the batch records the window of readings older than two days", () => {
  const rows = new TelemetryColumns();
  const now = Date.parse("2026-03-10T12:00:00Z");
  rows.push("d", "m", now - 60_000, 1, null, null);
  assert.equal(lateWindow(rows, now - LATE_AFTER_MS), null);
  rows.push("d", "m", now - 5 * DAY, 1, null, null);
  rows.push("d", "m", now - 3 * DAY, 1, null, null);
  rows.push("d", "m", now - 9 * DAY, 1, null, null);
  assert.deepEqual(lateWindow(rows, now - LATE_AFTER_MS), [now - 9 * DAY, now - 3 * DAY]);
});

Deno.test("late readings: a reading 5 days late reaches the hourly and daily figures on the next run", async () => {
  await withTestDb(async ({ sql }) => {
    const d = (await makeDevice(sql, "room_sensor")).device;
    // The real clock: TimescaleDB's refresh policies count from now().
    const hour = Math.floor((Date.now() - 5 * DAY) / HOUR) * HOUR;
    const put = (minute: number, value: number) =>
      putReadings(sql, [{
        deviceId: d.id,
        metric: "temperature_c",
        at: new Date(hour + minute * 60_000),
        value,
      }]);
    const figures = async () => {
      const [h] = await sql`
        select samples::int, value_avg, value_min from telemetry_hourly
        where device_id = ${d.id} and bucket = ${new Date(hour)}`;
      const [dd] = await sql`
        select samples::int, value_avg, value_min from telemetry_daily
        where device_id = ${d.id} and bucket = ${new Date(farmDay(hour))}`;
      return { hourly: { ...h }, daily: { ...dd } };
    };
    await put(10, 20);
    await put(20, 30);
    await runRollups(sql);
    await policiesRan(sql);
    const before = { samples: 2, value_avg: 25, value_min: 20 };
    assert.deepEqual(await figures(), { hourly: before, daily: before });

    // The gateway's buffer arrives: one refresh cycle later the figures include it.
    await put(40, 10);
    const [{ n }] = await sql`select count(*)::int as n from telemetry_late`;
    assert.equal(n, 1);
    await runRollups(sql);
    const after = { samples: 3, value_avg: 20, value_min: 10 };
    assert.deepEqual(await figures(), { hourly: after, daily: after });
    assert.equal((await sql`select 1 from telemetry_late`).length, 0);
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
