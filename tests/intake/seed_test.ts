// The intake demo data: farmers and points, deliveries priced from the chart, collection and
// tank intake lots in inventory's ledger, statements; a second run changes nothing.
import { strict as assert } from "node:assert";
import { withTestDb } from "@/tests/helpers/db.ts";
import { seedDemoDevices } from "@/services/iot/demo.ts";
import { seedFarm } from "@/scripts/seed_farm.ts";
import { seedIntake } from "@/services/intake/seed.ts";
import { testKeyring } from "@/tests/helpers/app.ts";

Deno.test("intake seed: farmers, deliveries, intake lots from the collection points and the seeded tanks, statements", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const keyring = await testKeyring();
    await seedDemoDevices(sql, "seed-secret-".padEnd(40, "x"), { cows: 40 });
    await seedFarm(sql, { days: 30, herdSize: 40 });
    const r = await seedIntake(sql, { appSecret: "s".repeat(40), days: 12, keyring });
    assert.equal(r.skipped, false);
    assert.equal(r.farmers, 10);
    assert.ok(r.deliveries >= 130, `${r.deliveries} deliveries`);
    assert.ok(r.pointLots >= 30, `${r.pointLots} point lots`);
    assert.ok(r.tankLots > 0, `${r.tankLots} tank lots`);
    assert.ok(r.statements > 0);
    const [lots] = await sql`
      select count(*)::int as n, count(*) filter (where l.status = 'quarantine')::int as q
      from inv_lots l join inv_items i on i.id = l.item_id where i.code = 'RAW-MILK'`;
    assert.equal(lots.n, r.pointLots + r.tankLots);
    assert.equal(lots.q, lots.n);
    const [paid] = await sql`
      select count(*) filter (where status = 'accepted' and amount_minor > 0)::int as paid,
        count(*) filter (where status = 'rejected' and amount_minor = 0)::int as unpaid,
        count(*) filter (where status = 'rejected')::int as rejected
      from intake_deliveries`;
    assert.ok(paid.paid > 0);
    assert.equal(paid.unpaid, paid.rejected);
    const again = await seedIntake(sql, { appSecret: "s".repeat(40), keyring });
    assert.equal(again.skipped, true);
  });
});
