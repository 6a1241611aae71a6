// The demo herd: 255 animals on the farm with two years of recent history, enough for every KPI.
import { strict as assert } from "node:assert";
import { withTestDb } from "@/tests/helpers/db.ts";
import { seedFarm } from "@/scripts/seed_farm.ts";
import { herdDashboard } from "@/services/farm/dashboard.ts";
import { addDays, farmDay } from "@/services/farm/dates.ts";
import { count } from "./_helpers.ts";

Deno.test("seedFarm: a recent two-year history that every KPI can be computed from", async () => {
  await withTestDb(async (db) => {
    const r = await seedFarm(db.sql, { seed: 7 });
    assert.equal(r.skipped, false);
    assert.equal(r.inHerd, 255);
    assert.equal(await count(db.sql, "animals", "exit_date is null"), 255);
    assert.ok(r.milkRecords > 100_000, `${r.milkRecords} milk records`);
    assert.equal(await count(db.sql, "milk_records"), r.milkRecords);
    const today = farmDay();
    const [span] = await db
      .sql`select min(milked_on)::text as first, max(milked_on)::text as last from milk_records`;
    assert.ok(span.last >= addDays(today, -1), `latest milking ${span.last}`);
    assert.ok(span.first <= addDays(today, -700), `history starts ${span.first}`);
    for (const kind of ["heat", "insemination", "pregnancy_check", "calving", "dry_off"]) {
      assert.ok(await count(db.sql, "repro_events", `kind = '${kind}'`) > 10, kind);
    }
    assert.ok(
      await count(db.sql, "treatments", "milk_withdrawal_until > now()") > 0,
      "a withdrawal is running",
    );
    assert.ok(
      await count(db.sql, "animals", "status in ('sold', 'dead')") > 20,
      "animals left the herd",
    );
    assert.ok(await count(db.sql, "feedings") > 1000);
    assert.ok(await count(db.sql, "bulk_tank_intakes") > 1000);
    // No milk of a cow under withdrawal or of colostrum counts as saleable.
    assert.equal(
      await count(
        db.sql,
        "milk_records m",
        `not m.discarded and exists (select 1 from treatments t
      where t.animal_id = m.animal_id and m.milked_at >= t.treated_at and m.milked_at < t.milk_withdrawal_until)`,
      ),
      0,
    );

    const d = await herdDashboard(db.sql, today);
    assert.equal(d.inHerd, 255);
    assert.ok(d.counts.lactating > 80 && d.counts.dry > 5, JSON.stringify(d.counts));
    assert.ok(d.milk.yesterday && d.milk.yesterday.producedKg > 500, "yesterday's milk");
    assert.ok(d.avgDim! > 60 && d.avgDim! < 300, `DIM ${d.avgDim}`);
    assert.ok(
      d.yield305.lactations > 30 && d.yield305.avgKg! > 1500 && d.yield305.avgKg! < 6000,
      `305 ${d.yield305.avgKg}`,
    );
    assert.ok(
      d.calvingInterval.avgDays! > 330 && d.calvingInterval.avgDays! < 480,
      `CI ${d.calvingInterval.avgDays}`,
    );
    assert.ok(d.daysOpen.avgDays! > 50 && d.daysOpen.avgDays! < 200, `DO ${d.daysOpen.avgDays}`);
    const s = d.repro.summary;
    assert.ok(s.hdr! > 0.3 && s.hdr! < 0.8, `HDR ${s.hdr}`);
    assert.ok(s.cr! > 0.25 && s.cr! < 0.6, `CR ${s.cr}`);
    assert.ok(s.pr! > 0.08 && s.pr! < 0.35, `PR ${s.pr}`);
    assert.ok(Math.abs(s.pr! - s.hdr! * s.cr!) < 1e-9);
    assert.ok(d.scc.cowsTested > 50 && d.scc.shareLsAtMost3! > 0.4, `LS ${d.scc.shareLsAtMost3}`);
    assert.ok(
      d.feed.perLitreMinor! > 1000 && d.feed.perLitreMinor! < 10_000,
      `feed ${d.feed.perLitreMinor}`,
    );
    assert.ok(Object.values(d.due).reduce((a, b) => a + b, 0) > 10, "things are due");

    const again = await seedFarm(db.sql);
    assert.equal(again.skipped, true);
    assert.equal(await count(db.sql, "milk_records"), r.milkRecords);
  });
});
