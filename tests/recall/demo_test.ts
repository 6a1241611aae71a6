// The demo data shows lineage on the first start (issue 12 §9): the seeded farm's tank milk is
// received, released, made into products and sold; a trace forward from a seeded cow finds a
// customer's order. A shorter history than the first start's two years keeps the test quick.
import { strict as assert } from "node:assert";
import { withTestApp } from "../helpers/app.ts";
import { seedDemoDevices } from "@/services/iot/demo.ts";
import { seedFarm } from "@/scripts/seed_farm.ts";
import { seedShop } from "@/scripts/seed_shop.ts";
import { seedIntake } from "@/services/intake/seed.ts";
import { seedProduction } from "@/services/production/mod.ts";
import { seedLineage } from "@/services/recall/demo.ts";
import { createContexts } from "@/contexts.ts";
import { createUser } from "@/services/identity/users.ts";

Deno.test("demo data: a seeded cow's milk reaches a customer's order in the recall trace", async () => {
  await withTestApp(async ({ deps, db }) => {
    const sql = db.sql;
    const appSecret = deps.appSecret;
    await seedDemoDevices(sql, appSecret, { cows: 20 });
    await seedFarm(sql, { days: 60, herdSize: 20 });
    await seedShop(sql);
    await seedIntake(sql, { appSecret, days: 3, keyring: deps.keyring });
    await seedProduction(sql, deps.inventory.port);
    for (
      const [phone, displayName] of [["01711000101", "Rahima Begum"], [
        "01711000102",
        "Abdul Karim",
      ]]
    ) {
      await createUser(sql, deps.keyring, {
        phone,
        displayName,
        password: "demo-password-1",
        roles: ["customer"],
      });
    }
    // The first start's administrator (the demo's deliveries are recorded in their name).
    await createUser(sql, deps.keyring, {
      email: "admin@smartdairy.test",
      displayName: "Administrator",
      password: "demo-password-1",
      roles: ["admin"],
    });
    const now = new Date();
    let at = now;
    const clock = { now: () => at, set: (d: Date) => (at = d) };
    const contexts = createContexts({
      sql,
      kv: deps.kv,
      keyring: deps.keyring,
      config: deps.config,
      clock,
      appSecret,
      mqttUrl: () => "",
    });
    const seeded = await seedLineage(contexts, { sql, clock, now, days: 60, log: () => {} });
    assert.ok(seeded.intakeLots > 0, "tank milk received as intake lots");
    assert.ok(seeded.productionOrders > 0, "production orders made from them");
    assert.ok(seeded.shopOrders > 0, "customers ordered the products");
    assert.ok(seeded.cowTag, "a cow to start the trace from");
    // Orders of past days were delivered and their cash handed in: the books have their history.
    assert.ok(seeded.deliveredOrders > 0, "past orders delivered");
    const books = await sql<{ source: string; n: number }[]>`
      select source, count(*)::int as n from acc_entries group by source`;
    const posted = new Map(books.map((r) => [r.source, r.n]));
    for (const source of ["shop.sale", "payments.cod", "payments.handin"]) {
      assert.ok((posted.get(source) ?? 0) > 0, `${source} posted`);
    }
    assert.equal(posted.get("shop.sale"), seeded.deliveredOrders);
    const tb = await deps.accounting.trialBalance({ from: "2020-01-01", to: "2035-12-31" });
    assert.equal(tb.totals.closingMinor, 0);
    const invoices = await deps.accounting.salesDocumentsInPeriod({
      from: "2020-01-01",
      to: "2035-12-31",
      kind: "invoice",
    });
    assert.equal(invoices.length, seeded.deliveredOrders, "a Mushak 6.3 for each delivered order");

    const recall = deps.recall;
    const trace = await recall.trace(recall.parseStart({ kind: "cow", value: seeded.cowTag! }));
    assert.equal(trace.cow?.tag, seeded.cowTag);
    assert.ok(trace.orderCount > 0, "the cow's milk reached at least one customer order");
    assert.ok(trace.orders[0].customer, "the order names its customer");

    const again = await seedLineage(contexts, { sql, clock, now, days: 60 });
    assert.equal(again.skipped, true, "seeding twice changes nothing");
  });
});

Deno.test("main: the inventory expiry alerts run once a Dhaka day, again after a failure", async () => {
  const { oncePerDay } = await import("@/workers/schedulers.ts");
  let at = new Date("2026-12-07T17:00:00Z"); // 23:00 in Dhaka
  let sent = 0;
  let fail = false;
  const step = oncePerDay({ now: () => at }, () => {
    if (fail) return Promise.reject(new Error("database down"));
    sent++;
    return Promise.resolve();
  });
  await step();
  await step();
  assert.equal(sent, 1, "once on the day");
  at = new Date("2026-12-07T18:30:00Z"); // 00:30 the next day in Dhaka
  fail = true;
  await assert.rejects(step);
  fail = false;
  await step();
  await step();
  assert.equal(sent, 2, "the next day once, after the failed try");
});
