// Withdrawal blocking end to end: a treated cow's milk is recorded as discarded, kept out of the
// tank figures, and milking her into the tank raises an alert — from the phone (HTTP sync by a
// signed-in farm worker), from a milk meter (telemetry → import), and retroactively.
import { strict as assert } from "node:assert";
import { testClock, withTestApp } from "@/tests/helpers/app.ts";
import { withTestDb } from "@/tests/helpers/db.ts";
import { Browser, makeUser, PASSWORD, signIn } from "../identity/_web.ts";
import { makeDevice, makeTank, putReadings } from "../iot/helpers.ts";
import { recordTreatment, resolveAlert } from "@/services/farm/health.ts";
import { dayTotals, recordMilking, sessionTime } from "@/services/farm/milk.ts";
import { importMeterMilkings } from "@/services/farm/meter_import.ts";
import { createIot } from "@/services/iot/mod.ts";
import { addDays, farmDay } from "@/services/farm/dates.ts";
import {
  count,
  makeCow,
  makeMedicine,
  MANAGER,
  milking,
  syncOverHttp,
  treatBefore,
  VET,
  WORKER,
} from "./_helpers.ts";

// Every instant comes from one injected clock: the farm's door judges "in the future", "too
// old" and "still under withdrawal" against it, never against the machine's time.
Deno.test("withdrawal: milk of a treated cow synced from a phone is discarded, kept out of the tank and raises an alert", async () => {
  const clock = testClock();
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await makeUser(sql, t.deps.keyring, { email: "worker@example.com", roles: ["farm_worker"] });
    const treated = await makeCow(sql, { tag: "SICK-1" });
    const healthy = await makeCow(sql, { tag: "WELL-1" });
    const day = addDays(t.deps.farm.today(), -3);
    const med = await makeMedicine(sql, 48);
    // Treated at 05:00 on `day`, before the morning milking: the withdrawal runs 48 h.
    await treatBefore(sql, {
      animalId: treated,
      medicineId: med,
      day,
      session: "am",
      condition: "mastitis",
    });

    const b = new Browser(t);
    assert.equal((await signIn(b, "worker@example.com", PASSWORD)).status, 303);
    const { status, body } = await syncOverHttp(b, [
      milking(treated, 6, { date: day, session: "am", toTank: true }),
      milking(healthy, 8, { date: day, session: "am" }),
      milking(treated, 5, { date: day, session: "pm", toTank: false }),
    ]);
    assert.equal(status, 200);
    const [toTank, ok, diverted] = body.results;
    assert.equal(toTank.status, "applied");
    assert.equal(toTank.info.discarded, true);
    assert.equal(toTank.info.alert, true);
    assert.ok(toTank.info.withdrawalUntil);
    assert.equal(ok.info.discarded, false);
    assert.equal(diverted.info.discarded, true);
    assert.equal(diverted.info.alert, false); // diverted to the bucket: no alert

    const rows = await sql`select session, discarded, discard_reason, to_tank from milk_records
      where animal_id = ${treated} order by session`;
    assert.deepEqual(rows.map((r) => ({ ...r })), [
      { session: "am", discarded: true, discard_reason: "withdrawal", to_tank: true },
      { session: "pm", discarded: true, discard_reason: "withdrawal", to_tank: false },
    ]);
    const alerts =
      await sql`select kind, severity, animal_id, message from farm_alerts where resolved_at is null`;
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].kind, "withdrawal_to_tank");
    assert.equal(alerts[0].animal_id, treated);
    assert.match(alerts[0].message, /SICK-1/);

    // Tank figures count only the healthy cow's milk.
    const totals = await dayTotals(sql, day);
    assert.equal(totals.producedKg, 19);
    assert.equal(totals.discardedKg, 11);
    assert.equal(totals.saleableKg, 8);
    assert.equal(totals.sessions.find((s) => s.session === "am")!.saleableKg, 8);

    // The alert shows on the worker's start page and on the health page.
    await b.get("/farm");
    assert.match(b.html, /SICK-1 is under milk withdrawal/);
    // Once the withdrawal has ended (two days later, morning), her milk counts again.
    const after = await recordMilking(sql, {
      animalId: treated,
      milkedAt: sessionTime(addDays(day, 2), "am"),
      yieldKg: 7,
    }, WORKER);
    assert.equal(after.status === "applied" && after.discarded, false);
  }, { clock });
});

Deno.test("withdrawal: a milk-meter reading of a treated cow is discarded, alerts and holds the meter's tank", async () => {
  const clock = testClock();
  await withTestDb(async (db) => {
    const sql = db.sql;
    const cow = await makeCow(sql, { tag: "MTR-1" });
    const other = await makeCow(sql, { tag: "MTR-2" });
    await makeTank(sql, "tank-a");
    const { device: meter } = await makeDevice(sql, "milk_meter", {
      id: "mm-test-1",
      tankId: "tank-a",
    });
    const med = await makeMedicine(sql, 72);
    const at = new Date(clock.now().getTime() - 2 * 3600_000);
    await recordTreatment(sql, {
      animalId: cow,
      treatedAt: new Date(at.getTime() - 24 * 3600_000),
      medicineId: med,
      dose: 1,
      route: "intramammary",
    }, VET);
    const reading = (tag: string, t: Date, kg: number) => [
      { deviceId: meter.id, metric: "yield_kg", at: t, value: kg, animalTag: tag, tankId: null },
      { deviceId: meter.id, metric: "fat_pct", at: t, value: 4.1, animalTag: tag, tankId: null },
      { deviceId: meter.id, metric: "duration_s", at: t, value: 380, animalTag: tag, tankId: null },
    ];
    await putReadings(sql, [
      ...reading("MTR-1", at, 6.4),
      ...reading("MTR-2", new Date(at.getTime() + 60_000), 7.1),
      ...reading("NOT-IN-HERD", new Date(at.getTime() + 120_000), 5),
    ]);
    const iot = createIot({ sql }).forFarm();
    const r = await importMeterMilkings(sql, iot, { now: clock.now() });
    assert.equal(r.readings, 3);
    assert.equal(r.applied, 2);
    assert.deepEqual(r.unknownTags, ["NOT-IN-HERD"]);
    const rows =
      await sql`select a.tag, m.yield_kg, m.fat_pct, m.duration_s, m.discarded, m.source, m.device_id
      from milk_records m join animals a on a.id = m.animal_id order by a.tag`;
    assert.deepEqual(
      rows.map((
        x,
      ) => [
        x.tag,
        Number(x.yield_kg),
        Number(x.fat_pct),
        x.duration_s,
        x.discarded,
        x.source,
        x.device_id,
      ]),
      [
        ["MTR-1", 6.4, 4.1, 380, true, "meter", "mm-test-1"],
        ["MTR-2", 7.1, 4.1, 380, false, "meter", "mm-test-1"],
      ],
    );
    assert.equal(await count(sql, "farm_alerts", `animal_id = ${cow}`), 1);
    const [tank] = await sql`select status from tanks where id = 'tank-a'`;
    assert.equal(tank.status, "held");
    // Reading the same milkings again (the cursor lost in a crash before it was saved) adds
    // nothing.
    await sql`update farm_job_state set last_result = last_result - 'cursor'`;
    const again = await importMeterMilkings(sql, iot, { now: clock.now() });
    assert.equal(again.applied, 0);
    assert.equal(again.known, 2);
    assert.equal(await count(sql, "milk_records"), 2);
    void other;
  });
});

Deno.test("withdrawal: a treatment recorded after milkings were synced marks them discarded", async () => {
  const clock = testClock();
  await withTestDb(async (db) => {
    const sql = db.sql;
    const cow = await makeCow(sql, { tag: "LATE-1" });
    const day = addDays(farmDay(clock.now()), -1);
    await recordMilking(sql, {
      animalId: cow,
      milkedAt: sessionTime(day, "am"),
      yieldKg: 6,
      toTank: true,
    }, WORKER);
    await recordMilking(sql, {
      animalId: cow,
      milkedAt: sessionTime(day, "pm"),
      yieldKg: 5,
      toTank: true,
    }, WORKER);
    const med = await makeMedicine(sql, 96);
    // The vet's entry arrives later: the cow was treated before the evening milking.
    const r = await treatBefore(sql, { animalId: cow, medicineId: med, day, session: "pm" });
    assert.equal(r.discardedAfter, 1);
    const rows =
      await sql`select session, discarded from milk_records where animal_id = ${cow} order by session`;
    assert.deepEqual(rows.map((x) => [x.session, x.discarded]), [["am", false], ["pm", true]]);
    assert.equal(await count(sql, "farm_alerts", "kind = 'withdrawal_to_tank'"), 1);
    const totals = await dayTotals(sql, day);
    assert.equal(totals.saleableKg, 6);
  });
});

Deno.test("resolving an alert that does not exist is a clear 'not found', not a server error", async () => {
  await withTestDb(async ({ sql }) => {
    for (const id of ["abc", "1; drop table animals", "999999"]) {
      await assert.rejects(
        () => resolveAlert(sql, id, MANAGER),
        (e: Error & { status?: number }) =>
          e.status === 404 && /No such open alert/.test(e.message),
      );
    }
  });
});

Deno.test("withdrawal: the farm's door judges a running withdrawal by its clock, not the machine's", async () => {
  // A fixed morning (10:00 in Dhaka) long before the machine's today: on the machine's time every
  // withdrawal below has ended, so only the door's clock can see it running.
  const clock = testClock(new Date("2026-10-05T04:00:00Z"));
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const farm = t.deps.farm;
    const cow = await makeCow(sql, { tag: "CLOCK-1" });
    const med = await makeMedicine(sql, 72);
    await farm.recordTreatment({
      animalId: cow,
      treatedAt: clock.now(),
      medicineId: med,
      dose: 1,
      route: "intramammary",
      condition: "mastitis",
    }, VET);
    const milkWithdrawals = async () =>
      (await farm.underWithdrawal()).filter((w) => w.milkUntil).map((w) => w.tag);
    assert.deepEqual(await milkWithdrawals(), ["CLOCK-1"]);
    assert.ok((await farm.getAnimal(cow))?.withdrawalUntil);
    assert.ok((await farm.recorderAnimals()).find((a) => a.tag === "CLOCK-1")?.withdrawalUntil);

    // Four days on by the clock, the 72-hour milk withdrawal is over.
    clock.set(new Date(clock.now().getTime() + 4 * 86_400_000));
    assert.deepEqual(await milkWithdrawals(), []);
    assert.equal((await farm.getAnimal(cow))?.withdrawalUntil, null);
  }, { clock });
});
