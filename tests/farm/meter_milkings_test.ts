// Milk meters → milk records without a round trip through telemetry: the ingest publishes one
// milking per meter milking (iot_milkings) with its telemetry, and the farm reads each published
// milking once, after its cursor, through the IoT door.
import { strict as assert } from "node:assert";
import { withTestDb } from "@/tests/helpers/db.ts";
import { makeDevice, makeTank, putReadings } from "../iot/helpers.ts";
import { createFarm } from "@/services/farm/mod.ts";
import { createIot } from "@/services/iot/mod.ts";
import { count, makeCow } from "./_helpers.ts";

const milking = (deviceId: string, tag: string, at: Date, kg: number) => [
  { deviceId, metric: "yield_kg", at, value: kg, animalTag: tag },
  { deviceId, metric: "fat_pct", at, value: 4.2, animalTag: tag },
  { deviceId, metric: "snf_pct", at, value: 8.6, animalTag: tag },
  { deviceId, metric: "conductivity_ms_cm", at, value: 5.1, animalTag: tag },
  { deviceId, metric: "duration_s", at, value: 402, animalTag: tag },
];

Deno.test("meter milkings: one published milking per meter milking, recorded once by the farm", async () => {
  await withTestDb(async ({ sql }) => {
    await makeTank(sql, "tank-m");
    const { device } = await makeDevice(sql, "milk_meter", { id: "mm-pub-1", tankId: "tank-m" });
    await makeCow(sql, { tag: "PUB-1" });
    const at = new Date(Date.now() - 3600_000);
    // The five readings of a milking, sent twice (a meter that resends after a lost ack).
    await putReadings(sql, milking(device.id, "PUB-1", at, 7.25));
    await putReadings(sql, milking(device.id, "PUB-1", at, 7.25));
    const published = await sql`
      select device_id, animal_tag, tank_id, yield_kg, fat_pct, snf_pct, conductivity_ms_cm,
        duration_s from iot_milkings`;
    assert.deepEqual(published.map((r) => ({ ...r })), [{
      device_id: "mm-pub-1",
      animal_tag: "PUB-1",
      tank_id: "tank-m",
      yield_kg: 7.25,
      fat_pct: 4.2,
      snf_pct: 8.6,
      conductivity_ms_cm: 5.1,
      duration_s: 402,
    }]);

    const iot = createIot({ sql });
    const farm = createFarm({ sql, iot: iot.forFarm() });
    const first = await farm.runJobs();
    assert.equal(first.meters.readings, 1);
    assert.equal(first.meters.applied, 1);
    // The next run reads only what was published since: nothing is scanned again.
    const second = await farm.runJobs();
    assert.equal(second.meters.readings, 0);
    assert.equal(await count(sql, "milk_records"), 1);
    const [rec] = await sql`select yield_kg, fat_pct, duration_s, source from milk_records`;
    assert.deepEqual([Number(rec.yield_kg), Number(rec.fat_pct), rec.duration_s, rec.source], [
      7.25,
      4.2,
      402,
      "meter",
    ]);
  });
});

Deno.test("meter milkings: a milking of a cow not yet registered is recorded once she is", async () => {
  await withTestDb(async ({ sql }) => {
    const { device } = await makeDevice(sql, "milk_meter", { id: "mm-pub-2" });
    const at = new Date(Date.now() - 3600_000);
    await putReadings(sql, milking(device.id, "LATE-REG", at, 6));
    const farm = createFarm({ sql, iot: createIot({ sql }).forFarm() });
    const before = await farm.runJobs();
    assert.deepEqual(before.meters.unknownTags, ["LATE-REG"]);
    assert.equal(await count(sql, "milk_records"), 0);
    await makeCow(sql, { tag: "LATE-REG" });
    const after = await farm.runJobs();
    assert.equal(after.meters.applied, 1);
    assert.equal(await count(sql, "milk_records"), 1);
  });
});
