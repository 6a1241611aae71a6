// Offline sync: idempotency keys, the conflict rules of docs/farm_sync.md, per-entry answers.
import { strict as assert } from "node:assert";
import { withTestDb } from "@/tests/helpers/db.ts";
import { syncEntries } from "@/services/farm/sync.ts";
import { exitAnimal } from "@/services/farm/animals.ts";
import { recordDryOff, setDoNotBreed } from "@/services/farm/repro.ts";
import { addDays, farmDay } from "@/services/farm/dates.ts";
import {
  count,
  makeCow,
  makeHeifer,
  makeMedicine,
  MANAGER,
  milking,
  VET,
  WORKER,
} from "./_helpers.ts";

const yesterday = () => addDays(farmDay(), -1);

Deno.test("sync: a repeated sync adds nothing and answers with the first result", async () => {
  await withTestDb(async (db) => {
    const cow = await makeCow(db.sql);
    const entries = [1, 2, 3].map((i) =>
      milking(cow, 5 + i, { session: i === 3 ? "pm" : "am", date: addDays(farmDay(), -i) })
    );
    const first = await syncEntries(db.sql, entries, WORKER);
    assert.deepEqual(first.map((r) => r.status), ["applied", "applied", "applied"]);
    assert.equal(await count(db.sql, "milk_records"), 3);
    const again = await syncEntries(db.sql, entries, WORKER);
    assert.deepEqual(again.map((r) => r.status), ["duplicate", "duplicate", "duplicate"]);
    assert.deepEqual(again.map((r) => r.original), ["applied", "applied", "applied"]);
    assert.equal(await count(db.sql, "milk_records"), 3);
    assert.equal(await count(db.sql, "farm_sync_entries"), 3);
  });
});

Deno.test("sync: an entry for an animal sold meanwhile is rejected with a reason", async () => {
  await withTestDb(async (db) => {
    const cow = await makeCow(db.sql, { tag: "SOLD-1" });
    await exitAnimal(db.sql, cow, {
      status: "sold",
      exitDate: addDays(farmDay(), -2),
      exitReason: "low_yield",
    }, null);
    const entry = milking(cow, 6, { date: yesterday() });
    const [r] = await syncEntries(db.sql, [entry], WORKER);
    assert.equal(r.status, "rejected");
    assert.equal(r.code, "animal_exited");
    assert.equal(r.params?.tag, "SOLD-1");
    assert.equal(r.params?.date, addDays(farmDay(), -2));
    assert.equal(await count(db.sql, "milk_records"), 0);
    // Remembered: sending it again gives the same rejection, still nothing written.
    const [again] = await syncEntries(db.sql, [entry], WORKER);
    assert.equal(again.status, "duplicate");
    assert.equal(again.original, "rejected");
    assert.equal(again.code, "animal_exited");
    // A milking from before the sale is history and is kept.
    const [before] = await syncEntries(
      db.sql,
      [milking(cow, 7, { date: addDays(farmDay(), -3) })],
      WORKER,
    );
    assert.equal(before.status, "applied");
  });
});

Deno.test("sync: two entries for the same cow, day and milking — the later recorded one wins", async () => {
  await withTestDb(async (db) => {
    const cow = await makeCow(db.sql);
    const t0 = Date.now() - 60 * 60_000;
    const early = milking(cow, 6.5, {}, new Date(t0).toISOString());
    const late = milking(cow, 7.25, {}, new Date(t0 + 10 * 60_000).toISOString());
    // The later entry arrives first (another phone synced sooner); the earlier one comes after.
    const [a] = await syncEntries(db.sql, [late], WORKER);
    assert.equal(a.status, "applied");
    const [b] = await syncEntries(db.sql, [early], WORKER);
    assert.equal(b.status, "superseded");
    assert.equal(b.info?.keptKg, 7.25);
    const rows = await db.sql`select yield_kg from milk_records where animal_id = ${cow}`;
    assert.deepEqual(rows.map((r) => Number(r.yield_kg)), [7.25]);
    // A correction recorded later replaces the value.
    const fix = milking(cow, 7.5, {}, new Date(t0 + 20 * 60_000).toISOString());
    const [c] = await syncEntries(db.sql, [fix], WORKER);
    assert.equal(c.status, "applied");
    assert.equal(c.info?.replacedKg, 7.25);
    const after = await db.sql`select yield_kg from milk_records where animal_id = ${cow}`;
    assert.deepEqual(after.map((r) => Number(r.yield_kg)), [7.5]);
  });
});

Deno.test("sync: farm rules — dried off, never calved, do-not-breed, unknown animal, bad data", async () => {
  await withTestDb(async (db) => {
    const dry = await makeCow(db.sql, { calvedDaysAgo: 300 });
    await recordDryOff(db.sql, { animalId: dry, date: addDays(farmDay(), -5) }, WORKER);
    const heifer = await makeHeifer(db.sql);
    const dnb = await makeCow(db.sql, { calvedDaysAgo: 200 });
    await setDoNotBreed(db.sql, { animalId: dnb, date: addDays(farmDay(), -10) }, MANAGER);
    const results = await syncEntries(db.sql, [
      milking(dry, 3, { date: yesterday() }),
      milking(heifer, 3),
      {
        id: crypto.randomUUID(),
        kind: "insemination",
        recordedAt: new Date().toISOString(),
        data: { animalId: dnb, date: yesterday(), serviceType: "natural" },
      },
      milking(999_999, 3),
      milking(dry, -4),
      { id: "not-a-uuid", kind: "milking", recordedAt: new Date().toISOString(), data: {} },
      { id: crypto.randomUUID(), kind: "teleport", recordedAt: new Date().toISOString(), data: {} },
    ], WORKER);
    assert.deepEqual(results.map((r) => [r.status, r.code]), [
      ["rejected", "dried_off"],
      ["rejected", "not_in_milk"],
      ["rejected", "do_not_breed"],
      ["rejected", "animal_unknown"],
      ["rejected", "invalid"],
      ["rejected", "invalid"],
      ["rejected", "invalid"],
    ]);
    assert.match(results[4].message ?? "", /yield/i);
    assert.equal(await count(db.sql, "milk_records"), 0);
    assert.equal(await count(db.sql, "repro_events", "kind = 'insemination'"), 0);
  });
});

Deno.test("sync: treatments need the farm.health permission; events of other kinds apply", async () => {
  await withTestDb(async (db) => {
    const cow = await makeCow(db.sql, { calvedDaysAgo: 80 });
    const med = await makeMedicine(db.sql, 72);
    const treat = () => ({
      id: crypto.randomUUID(),
      kind: "treatment",
      recordedAt: new Date().toISOString(),
      data: {
        animalId: cow,
        treatedAt: new Date(Date.now() - 3600_000).toISOString(),
        medicineId: med,
        dose: 1,
        route: "intramammary",
        condition: "mastitis",
        batch: "B-1",
      },
    });
    const [byWorker] = await syncEntries(db.sql, [treat()], WORKER);
    assert.equal(byWorker.status, "rejected");
    assert.equal(byWorker.code, "forbidden");
    const [byVet] = await syncEntries(db.sql, [treat()], VET);
    assert.equal(byVet.status, "applied");
    assert.ok(byVet.info?.milkWithdrawalUntil);
    const now = new Date().toISOString();
    const rs = await syncEntries(db.sql, [
      {
        id: crypto.randomUUID(),
        kind: "heat",
        recordedAt: now,
        data: { animalId: cow, date: yesterday(), source: "collar" },
      },
      {
        id: crypto.randomUUID(),
        kind: "insemination",
        recordedAt: now,
        data: { animalId: cow, date: yesterday(), serviceType: "natural" },
      },
    ], WORKER);
    assert.deepEqual(rs.map((r) => r.status), ["applied", "applied"]);
    assert.equal(await count(db.sql, "repro_events", `animal_id = ${cow}`), 2);
    assert.equal(await count(db.sql, "diagnoses", `animal_id = ${cow}`), 1);
  });
});

Deno.test("sync: a calving entry registers the calf at once and opens a lactation", async () => {
  await withTestDb(async (db) => {
    const cow = await makeCow(db.sql, { calvedDaysAgo: 390, tag: "MOM-1" });
    const entry = {
      id: crypto.randomUUID(),
      kind: "calving",
      recordedAt: new Date().toISOString(),
      data: {
        animalId: cow,
        date: yesterday(),
        ease: 2,
        calves: [{ tag: "CALF-1", sex: "female" }],
      },
    };
    const [r] = await syncEntries(db.sql, [entry], WORKER);
    assert.equal(r.status, "applied");
    const [calf] = await db.sql`select a.status, a.birth_date::text, d.tag as dam from animals a
      join animals d on d.id = a.dam_id where a.tag = 'CALF-1'`;
    assert.deepEqual({ ...calf }, { status: "calf", birth_date: yesterday(), dam: "MOM-1" });
    const lacs = await db
      .sql`select parity from lactations where animal_id = ${cow} order by parity`;
    assert.deepEqual(lacs.map((l) => l.parity), [2, 3]);
    // The same calf tag again (another phone recorded the calving too) is refused.
    const [dup] = await syncEntries(db.sql, [{ ...entry, id: crypto.randomUUID() }], WORKER);
    assert.equal(dup.status, "rejected");
    assert.equal(dup.code, "calved_recently");
    assert.equal(await count(db.sql, "animals", "tag = 'CALF-1'"), 1);
  });
});
