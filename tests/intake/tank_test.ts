// Milk from the farm's bulk tanks: a tank holding milk of a cow under treatment withdrawal, or on
// an IoT hold, is refused as saleable intake (recorded as rejected, no lot); clean milk becomes a
// RAW-MILK lot in quarantine at PLANT-SILO; the farm names the cows whose milk went in.
import { strict as assert } from "node:assert";
import { withTestApp } from "@/tests/helpers/app.ts";
import { makeTank } from "../iot/helpers.ts";
import { addDays, farmDay } from "@/services/farm/dates.ts";
import { makeCow, makeMedicine, treatBefore } from "../farm/_helpers.ts";
import { IntakeError } from "@/services/intake/mod.ts";
import { milkIntoTank, STAFF, tankForm } from "./_helpers.ts";

const receipt = tankForm;

Deno.test("tank intake: withdrawal milk in the tank is refused as saleable; clean sessions become a quarantined lot", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const { intake, inventory } = t.deps;
    const tank = await makeTank(sql, "tank-w");
    const treated = await makeCow(sql, { tag: "SICK-7" });
    const healthy = await makeCow(sql, { tag: "WELL-7" });
    const day = addDays(farmDay(), -2);
    const med = await makeMedicine(sql, 8); // withdrawal ends before the evening milking
    await treatBefore(sql, {
      animalId: treated,
      medicineId: med,
      day,
      session: "am",
      condition: "mastitis",
    });
    await milkIntoTank(sql, [treated, healthy], day, ["am", "pm"]);

    const refused = await intake.receiveTank(receipt(tank.id, day, ["am"]), STAFF);
    assert.equal(refused.status, "rejected");
    if (refused.status !== "rejected") throw new Error("unreachable");
    assert.deepEqual(refused.reasons.map((r) => r.code), ["withdrawal"]);
    assert.match(refused.message, /withdrawal.*SICK-7/);
    assert.equal((await sql`select count(*)::int as n from inv_lots`)[0].n, 0);
    const [row] = await sql`select status, reject_reason, lot_id from intake_tank_receipts`;
    assert.equal(row.status, "rejected");
    assert.equal(row.lot_id, null);

    // Both sessions together contain the morning's withdrawal milk: refused too.
    const both = await intake.receiveTank(receipt(tank.id, day, ["am", "pm"]), STAFF);
    assert.equal(both.status, "rejected");

    // The evening's milk is clean: a raw-milk lot in quarantine at the silo.
    const ok = await intake.receiveTank(receipt(tank.id, day, ["pm"]), STAFF);
    assert.equal(ok.status, "accepted");
    if (ok.status !== "accepted") throw new Error("unreachable");
    const lot = await inventory.lot(ok.lotId);
    assert.ok(lot);
    assert.equal(lot.itemCode, "RAW-MILK");
    assert.equal(lot.locationCode, "PLANT-SILO");
    assert.equal(lot.status, "quarantine");
    assert.equal(lot.onHand, 412_500);
    assert.equal(lot.attrs.tankId, tank.id);
    assert.deepEqual(lot.attrs.sessions, ["pm"]);
    assert.equal(lot.attrs.fat, 4.1);
    assert.equal(lot.attrs.snf, 8.6);

    // Received once only.
    await assert.rejects(
      () => intake.receiveTank(receipt(tank.id, day, ["pm"]), STAFF),
      (e) => e instanceof IntakeError && e.code === "duplicate_receipt",
    );

    // Lineage: the cows whose milk went in (the treated cow's morning milk was discarded).
    const cows = await t.deps.farm.forIntake().cowsInTank(sql, tank.id, day, ["am", "pm"]);
    assert.deepEqual(
      cows.map((c) => `${c.tag}:${c.session}`).sort(),
      ["SICK-7:pm", "WELL-7:am", "WELL-7:pm"],
    );
    const listed = await intake.listTankReceipts();
    assert.deepEqual(listed.map((r) => r.status).sort(), ["accepted", "rejected", "rejected"]);
  });
});

Deno.test("tank intake: a tank on hold is refused; warm milk is refused; bad input is a 4xx error", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const { intake } = t.deps;
    const tank = await makeTank(sql, "tank-h");
    const day = addDays(farmDay(), -1);
    await sql.begin((tx) =>
      t.deps.iot.forFarm().holdTank(tx, {
        tankId: tank.id,
        reason: "Tank at 11 °C",
        at: new Date(),
      })
    );
    const held = await intake.receiveTank(receipt(tank.id, day, ["am"]), STAFF);
    assert.equal(held.status, "rejected");
    if (held.status !== "rejected") throw new Error("unreachable");
    assert.deepEqual(held.reasons.map((r) => r.code), ["tank_hold"]);
    assert.match(held.message, /on hold: Tank at 11 °C/);

    const other = await makeTank(sql, "tank-x");
    const warm = await intake.receiveTank({ ...receipt(other.id, day, ["am"]), tempC: 14 }, STAFF);
    assert.equal(warm.status, "rejected");
    if (warm.status !== "rejected") throw new Error("unreachable");
    assert.deepEqual(warm.reasons.map((r) => r.code), ["too_warm"]);
    assert.equal((await sql`select count(*)::int as n from inv_lots`)[0].n, 0);

    for (
      const bad of [
        { ...receipt(other.id, day, ["am"]), litres: "lots" },
        { ...receipt(other.id, day, ["am"]), fatPct: 40 },
        { ...receipt(other.id, day, ["dawn"]) },
        { ...receipt(other.id, "2026-02-30", ["am"]) },
      ]
    ) {
      await assert.rejects(
        () => intake.receiveTank(bad as never, STAFF),
        (e) => (e as { status?: number }).status === 422,
      );
    }
    await assert.rejects(
      () => intake.receiveTank(receipt(other.id, addDays(farmDay(), 2), ["am"]), STAFF),
      (e) => e instanceof IntakeError && e.code === "future_date",
    );
    // Only staff with inventory.manage receive milk.
    await assert.rejects(
      () =>
        intake.receiveTank(receipt(other.id, day, ["am"]), { ...STAFF, roles: ["farm_worker"] }),
      (e) => (e as { status?: number }).status === 403,
    );
  });
});
