// Reproduction: the calendar of what is due (pure), and the event rules on the database.
import { strict as assert } from "node:assert";
import { withTestDb } from "@/tests/helpers/db.ts";
import { dueList } from "@/services/farm/calendar.ts";
import type { HerdAnimal } from "@/services/farm/herd_data.ts";
import { DEFAULT_SETTINGS } from "@/services/farm/settings.ts";
import { addDays, farmDay } from "@/services/farm/dates.ts";
import { recordDryOff, recordInsemination, recordPregnancyCheck } from "@/services/farm/repro.ts";
import { FarmRuleError } from "@/services/farm/errors.ts";
import { makeCow, WORKER } from "./_helpers.ts";

const TODAY = "2025-06-30";
const d = (n: number) => addDays(TODAY, n);
let id = 0;
function cow(p: Partial<HerdAnimal>): HerdAnimal {
  id++;
  return {
    id,
    tag: `C${id}`,
    name: null,
    sex: "female",
    status: "lactating",
    birthDate: "2020-01-01",
    exitDate: null,
    doNotBreedOn: null,
    groupId: null,
    lactations: [],
    inseminations: [],
    pregnancyChecks: [],
    heats: [],
    ...p,
  };
}
const lac = (calvedOn: string) => ({ parity: 2, calvedOn, driedOffOn: null, endedOn: null });

Deno.test("calendar: checks, calvings, dry-offs, cows to breed and heats to watch", () => {
  const animals = [
    cow({ lactations: [lac(d(-60))] }), // C1: VWP 50 → to breed since d(-10), DIM 60
    cow({ lactations: [lac(d(-120))], inseminations: [d(-40)] }), // C2: check due d(-5)
    cow({ lactations: [lac(d(-100))], inseminations: [d(-20)] }), // C3: check d(15), watch heat
    cow({
      lactations: [lac(d(-300))],
      inseminations: [d(-200)],
      pregnancyChecks: [{ date: d(-160), pregnant: true }],
    }), // C4
    cow({ status: "heifer", birthDate: d(-460) }), // C5: heifer to breed since d(-10)
    cow({ lactations: [lac(d(-80))], doNotBreedOn: d(-5) }), // C6: do-not-breed: nothing
    cow({
      lactations: [lac(d(-70))],
      inseminations: [d(-30)],
      pregnancyChecks: [{ date: d(-2), pregnant: false }],
    }), // C7: open again
    cow({ sex: "male", status: "calf", birthDate: d(-30) }), // C8: a bull calf: nothing
  ];
  const items = dueList({ today: TODAY, settings: DEFAULT_SETTINGS, animals }, { aheadDays: 30 });
  const got = items.map((i) => `${i.tag} ${i.kind} ${i.dueOn}`).sort();
  assert.deepEqual(
    got,
    [
      `C1 first_service ${d(-10)}`,
      `C2 pregnancy_check ${d(-5)}`,
      `C3 heat_watch ${TODAY}`,
      `C3 pregnancy_check ${d(15)}`,
      // C4 conceived d(-200): calving d(80) (beyond 30 days), dry-off 60 days before: d(20).
      `C4 dry_off ${d(20)}`,
      `C5 heifer_service ${d(-10)}`,
    ].sort(),
  );
  const c1 = items.find((i) => i.tag === "C1")!;
  assert.equal(c1.info.dim, 60);
  // Looking further ahead, C4's calving appears.
  const far = dueList({ today: TODAY, settings: DEFAULT_SETTINGS, animals }, { aheadDays: 90 });
  assert.ok(far.some((i) => i.tag === "C4" && i.kind === "calving" && i.dueOn === d(80)));
});

Deno.test("repro: a pregnancy check confirms the latest service; dry-off closes the lactation", async () => {
  await withTestDb(async (db) => {
    const cowId = await makeCow(db.sql, { calvedDaysAgo: 120 });
    const today = farmDay();
    await assert.rejects(
      recordPregnancyCheck(db.sql, { animalId: cowId, date: today, pregnant: true }, WORKER),
      (e) => e instanceof FarmRuleError && e.code === "no_service",
    );
    const first = await recordInsemination(db.sql, {
      animalId: cowId,
      date: addDays(today, -60),
      serviceType: "natural",
    }, WORKER);
    const second = await recordInsemination(db.sql, {
      animalId: cowId,
      date: addDays(today, -38),
      serviceType: "natural",
    }, WORKER);
    const check = await recordPregnancyCheck(db.sql, {
      animalId: cowId,
      date: today,
      pregnant: true,
      method: "ultrasound",
    }, WORKER);
    assert.equal(check.expectedCalving, addDays(addDays(today, -38), 280));
    const [row] = await db
      .sql`select insemination_id::text from repro_events where id = ${check.id}`;
    assert.equal(row.insemination_id, second.id);
    assert.notEqual(row.insemination_id, first.id);
    // Served again while confirmed pregnant: accepted, with a warning.
    const again = await recordInsemination(db.sql, {
      animalId: cowId,
      date: today,
      serviceType: "natural",
    }, WORKER);
    assert.match(again.warning ?? "", /pregnant/);

    await recordDryOff(db.sql, { animalId: cowId, date: today }, WORKER);
    const [a] = await db.sql`select status from animals where id = ${cowId}`;
    assert.equal(a.status, "dry");
    await assert.rejects(
      recordDryOff(db.sql, { animalId: cowId, date: today }, WORKER),
      (e) => e instanceof FarmRuleError && e.code === "already_dry",
    );
    await assert.rejects(
      recordInsemination(db.sql, {
        animalId: cowId,
        date: addDays(today, 1),
        serviceType: "natural",
      }, WORKER),
      (e) => e instanceof FarmRuleError && e.code === "future_date",
    );
  });
});

Deno.test("jobs: weaned female calves become heifers; young calves and bull calves stay", async () => {
  await withTestDb(async (db) => {
    const { createAnimal } = await import("@/services/farm/animals.ts");
    const { promoteYoungstock } = await import("@/services/farm/jobs.ts");
    const today = farmDay();
    const mk = (tag: string, sex: "female" | "male", ageDays: number) =>
      createAnimal(db.sql, {
        tag,
        breed: "Sahiwal",
        sex,
        birthDate: addDays(today, -ageDays),
        origin: "born",
        status: "calf",
      }, null);
    await mk("OLD-F", "female", 200);
    await mk("YOUNG-F", "female", 100);
    await mk("OLD-M", "male", 200);
    assert.equal(await promoteYoungstock(db.sql, today), 1);
    const rows = await db.sql`select tag, status from animals order by tag`;
    assert.deepEqual(rows.map((r) => `${r.tag}:${r.status}`), [
      "OLD-F:heifer",
      "OLD-M:calf",
      "YOUNG-F:calf",
    ]);
    assert.equal(await promoteYoungstock(db.sql, today), 0);
  });
});
