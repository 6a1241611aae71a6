// Feed and medicine drawn from stock (issue 12 §8): a treatment names its medicine lot and takes
// the dose from it, a feeding takes its kilograms FEFO, what stock cannot give is refused on the
// page and flagged (never lost) when an offline entry syncs late, and the pages show the stock.
import { strict as assert } from "node:assert";
import { withTestDb } from "@/tests/helpers/db.ts";
import { testClock, withTestApp } from "@/tests/helpers/app.ts";
import { dhakaDate, dhakaInstant } from "@/services/platform/dhaka.ts";
import type { Sql } from "@/services/platform/db.ts";
import { createInventory } from "@/services/inventory/mod.ts";
import type { ItemInput } from "@/services/inventory/types.ts";
import { inventoryForFarm } from "@/services/farm/mod.ts";
import { recordTreatment } from "@/services/farm/health.ts";
import { recordFeeding, saveFeedItem } from "@/services/farm/feed.ts";
import { linkFeedItem, linkMedicine } from "@/services/farm/stock.ts";
import { syncEntries } from "@/services/farm/sync.ts";
import { addDays, farmDay } from "@/services/farm/dates.ts";
import { FarmRuleError } from "@/services/farm/errors.ts";
import { count, makeCow, makeMedicine, MANAGER, syncOverHttp, VET } from "./_helpers.ts";
import { Browser, makeUser, PASSWORD, signIn } from "../identity/_web.ts";

const actor = { id: null, name: "test purchase" };
/** Every instant of these tests: 10:00 in Dhaka today, whatever the machine's hour. */
const NOW = dhakaInstant(dhakaDate(new Date()), "10:00");
const clock = { now: () => NOW };
const ago = (ms: number) => new Date(NOW.getTime() - ms);

/**
 * Inventory and the farm's door to it, with the stock item `item` made; `receive` brings in a lot
 * of it (`qty` in its base unit) bought `ageDays` ago, expiring on `expiresOn`.
 */
async function farmStockOf(sql: Sql, item: ItemInput, ageDays: number) {
  const inventory = createInventory({ sql, clock });
  const stock = inventoryForFarm(inventory);
  const today = farmDay(NOW);
  await inventory.port.ensureItem(sql, item);
  const receive = (qty: number, expiresOn: string, locationCode = "FARM-STORE") =>
    inventory.port.receive(sql, {
      itemCode: item.code,
      locationCode,
      qty,
      producedOn: addDays(today, -ageDays),
      expiresOn,
      ref: { kind: "purchase", id: `t-${crypto.randomUUID().slice(0, 8)}` },
      actor,
    });
  return { inventory, stock, today, receive };
}

/** A medicine counted in tubes, linked to stock item MED-T (pc), with two lots at the farm. */
async function medicineWithLots(sql: Sql) {
  const { inventory, stock, today, receive } = await farmStockOf(sql, {
    code: "MED-T",
    nameEn: "Mastitis tube",
    nameBn: "ম্যাস্টাইটিস টিউব",
    kind: "medicine",
    base: "pc",
    shelfLifeDays: 365,
  }, 60);
  const soon = await receive(2, addDays(today, 20));
  const later = await receive(5, addDays(today, 200));
  const medicineId = await makeMedicine(sql, 72);
  await linkMedicine(sql, stock, medicineId, { stockItemCode: "MED-T", unitsPerStock: "1" });
  const onHand = async (lotId: number) => (await inventory.port.lot(sql, lotId))!.onHand;
  return { inventory, stock, soon, later, medicineId, onHand, receive };
}

const treat = (animalId: number, medicineId: number, dose: number, lotId?: number) => ({
  animalId,
  treatedAt: ago(60_000),
  medicineId,
  dose,
  route: "intramammary" as const,
  lotId: lotId ?? null,
});

Deno.test("stock: a treatment with a lot lowers that lot's stock by the dose", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const s = await medicineWithLots(sql);
    const cow = await makeCow(sql);
    const r = await recordTreatment(sql, treat(cow, s.medicineId, 2, s.later.lotId), VET, {
      stock: s.stock,
      now: NOW,
    });
    assert.equal(r.lotCode, s.later.lotCode);
    assert.equal(await s.onHand(s.later.lotId), 3);
    assert.equal(await s.onHand(s.soon.lotId), 2, "the other lot is untouched");
    const [t] = await sql`select lot_code, batch, milk_withdrawal_until from treatments`;
    assert.equal(t.lot_code, s.later.lotCode);
    assert.equal(t.batch, s.later.lotCode.slice(0, 40));
    assert.ok(t.milk_withdrawal_until, "the withdrawal still comes from the medicine");
    const [move] = await sql`
      select ref_kind, ref_id, qty, kind from inv_moves where kind = 'consume'`;
    assert.deepEqual(
      { ...move },
      { ref_kind: "farm", ref_id: `treatment:${r.id}`, qty: -2, kind: "consume" },
    );
    // No lot named: the earliest expiry that holds the dose is used.
    const r2 = await recordTreatment(sql, treat(cow, s.medicineId, 1), VET, {
      stock: s.stock,
      now: NOW,
    });
    assert.equal(r2.lotCode, s.soon.lotCode);
    assert.equal(await s.onHand(s.soon.lotId), 1);
    assert.deepEqual(await s.inventory.ledgerMismatches(), []);
  });
});

Deno.test("stock: a medicine in bottles opens one and uses what is left first", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const s = await medicineWithLots(sql);
    const [{ id }] = await sql`
      insert into medicines (name, kind, unit, milk_withdrawal_hours, meat_withdrawal_days)
      values ('Oxytet 100 ml', 'antibiotic', 'ml', 96, 21) returning id`;
    await linkMedicine(sql, s.stock, id, { stockItemCode: "MED-T", unitsPerStock: "100" });
    const cow = await makeCow(sql);
    await recordTreatment(sql, treat(cow, id, 30, s.soon.lotId), VET, { stock: s.stock, now: NOW });
    assert.equal(await s.onHand(s.soon.lotId), 1, "one bottle opened");
    await recordTreatment(sql, treat(cow, id, 60, s.soon.lotId), VET, { stock: s.stock, now: NOW });
    assert.equal(await s.onHand(s.soon.lotId), 1, "the open bottle had 70 ml left");
    await recordTreatment(sql, treat(cow, id, 30, s.soon.lotId), VET, { stock: s.stock, now: NOW });
    assert.equal(await s.onHand(s.soon.lotId), 0, "10 ml left, a second bottle opened");
  });
});

Deno.test("stock: not enough stock, a held or an expired lot → 409 and nothing written", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const s = await medicineWithLots(sql);
    const cow = await makeCow(sql);
    const refused = async (input: ReturnType<typeof treat>, code: string) => {
      const e = await recordTreatment(sql, input, VET, { stock: s.stock, now: NOW }).then(
        () => null,
        (e) => e,
      );
      assert.ok(e instanceof FarmRuleError, `refused (${code})`);
      assert.equal(e.code, code);
      assert.equal(e.status, 409);
      assert.equal(e.field, "lotId");
    };
    await refused(treat(cow, s.medicineId, 3, s.soon.lotId), "stock_short");
    await s.inventory.setLotStatus({
      lotId: s.later.lotId,
      status: "hold",
      reason: "QC",
      actor,
    });
    await refused(treat(cow, s.medicineId, 1, s.later.lotId), "lot_held");
    // Neither lot can give 3 now (2 free, the other held).
    await refused(treat(cow, s.medicineId, 3), "stock_short");
    const old = await s.receive(4, addDays(farmDay(NOW), -1));
    await refused(treat(cow, s.medicineId, 1, old.lotId), "lot_expired");
    // A lot at a plant store is not the farm's.
    const away = await s.receive(4, addDays(farmDay(NOW), 90), "PLANT-DRY");
    await refused(treat(cow, s.medicineId, 1, away.lotId), "stock_short");
    assert.equal(await count(sql, "treatments"), 0);
    assert.equal(await count(sql, "diagnoses"), 0);
    assert.equal(await count(sql, "farm_stock_draws"), 0);
    assert.equal(await s.onHand(s.soon.lotId), 2);
    assert.equal(await count(sql, "inv_moves", "kind = 'consume'"), 0);
  });
});

Deno.test("stock: a synced offline treatment whose lot ran out is kept and flagged", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const s = await medicineWithLots(sql);
    const cow = await makeCow(sql);
    // Meanwhile, on a page, the last two tubes of the lot were used.
    await recordTreatment(sql, treat(cow, s.medicineId, 2, s.soon.lotId), VET, {
      stock: s.stock,
      now: NOW,
    });
    const entry = {
      id: crypto.randomUUID(),
      kind: "treatment",
      recordedAt: ago(3_600_000).toISOString(),
      data: {
        animalId: cow,
        treatedAt: ago(3_600_000).toISOString(),
        medicineId: s.medicineId,
        dose: 1,
        route: "intramammary",
        lotId: s.soon.lotId,
      },
    };
    const [r] = await syncEntries(sql, [entry], VET, undefined, s.stock, NOW);
    assert.equal(r.status, "applied");
    assert.equal(r.info?.alert, true);
    assert.equal(r.info?.lot, s.soon.lotCode);
    assert.equal(await count(sql, "treatments"), 2, "the treatment happened: it is kept");
    const [short] = await sql`
      select source, qty, status, lot_code from farm_stock_draws where status = 'short'`;
    assert.deepEqual({ ...short }, {
      source: "treatment",
      qty: 1,
      status: "short",
      lot_code: s.soon.lotCode,
    });
    const [alert] = await sql`select kind, animal_id from farm_alerts`;
    assert.equal(alert.kind, "stock_shortfall");
    assert.equal(alert.animal_id, cow);
    assert.equal(await s.onHand(s.later.lotId), 5, "no other lot is touched behind her back");
    // Sent again: nothing twice.
    const [again] = await syncEntries(sql, [entry], VET, undefined, s.stock, NOW);
    assert.equal(again.status, "duplicate");
    assert.equal(await count(sql, "farm_stock_draws", "status = 'short'"), 1);
  });
});

Deno.test("stock: feeding draws FEFO; a correction draws or lists only the difference", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const { inventory, stock, today, receive } = await farmStockOf(sql, {
      code: "FEED-T",
      nameEn: "Test concentrate",
      nameBn: "পরীক্ষার দানাদার",
      kind: "feed",
      base: "g",
      shelfLifeDays: 120,
    }, 30);
    const lot = (kg: number, days: number) => receive(kg * 1000, addDays(today, days));
    const late = await lot(500, 60);
    const early = await lot(100, 10);
    const feedId = await saveFeedItem(sql, {
      name: "Concentrate",
      kind: "concentrate",
      costPerKgMinor: 45_00,
    }, MANAGER);
    await linkFeedItem(sql, stock, feedId, { stockItemCode: "FEED-T" });
    const [{ id: groupId }] = await sql`
      insert into farm_groups (code, name, kind) values ('LAC-T', 'Milking', 'lactating')
      returning id`;
    const kg = async (lotId: number) => (await inventory.port.lot(sql, lotId))!.onHand / 1000;
    const feed = (quantityKg: number, opts = {}) =>
      recordFeeding(sql, { date: today, groupId, feedItemId: feedId, quantityKg }, MANAGER, {
        stock,
        ...opts,
      });
    await feed(150);
    assert.equal(await kg(early.lotId), 0, "the earliest expiry first");
    assert.equal(await kg(late.lotId), 450);
    await feed(170);
    assert.equal(await kg(late.lotId), 430, "a correction up draws only the difference");
    await feed(120);
    assert.equal(await kg(late.lotId), 430, "a correction down draws nothing…");
    const [surplus] = await sql`select qty from farm_stock_draws where status = 'surplus'`;
    assert.equal(surplus.qty, 50_000, "…and lists 50 kg to put back");
    // More than the store has: refused on the page, nothing written.
    const e = await feed(1000).then(() => null, (e) => e);
    assert.ok(e instanceof FarmRuleError);
    assert.equal(e.code, "stock_short");
    assert.equal(e.field, "quantityKg");
    const [row] = await sql`select quantity_kg from feedings`;
    assert.equal(Number(row.quantity_kg), 120);
    // Synced late: kept, what is there drawn, the rest flagged.
    await feed(700, { lenientStock: true });
    assert.equal(await kg(late.lotId), 0);
    const [short] = await sql`select qty from farm_stock_draws where status = 'short'`;
    assert.equal(short.qty, 700_000 - 170_000 - 430_000 + 50_000);
    assert.equal(await count(sql, "farm_alerts", "kind = 'stock_shortfall'"), 1);
    assert.deepEqual(await inventory.ledgerMismatches(), []);
  });
});

Deno.test("stock: the farm pages show stock per medicine and feed, and refuse a short dose", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const farm = t.deps.farm;
    const inventory = t.deps.inventory;
    const today = farmDay(NOW);
    await inventory.port.ensureItem(sql, {
      code: "MED-P",
      nameEn: "Page tube",
      nameBn: "পেজ টিউব",
      kind: "medicine",
      base: "pc",
    });
    await inventory.port.ensureItem(sql, {
      code: "FEED-P",
      nameEn: "Page feed",
      nameBn: "পেজ খাদ্য",
      kind: "feed",
      base: "g",
    });
    const lot = await inventory.receive({
      itemCode: "MED-P",
      locationCode: "FARM-STORE",
      qty: 7,
      producedOn: today,
      expiresOn: addDays(today, 300),
      ref: { kind: "purchase", id: "p1" },
      actor,
    });
    await inventory.receive({
      itemCode: "FEED-P",
      locationCode: "FARM-STORE",
      qty: 250_000,
      producedOn: today,
      expiresOn: addDays(today, 90),
      ref: { kind: "purchase", id: "p2" },
      actor,
    });
    const medId = await farm.saveMedicine(null, {
      name: "Cloxacillin tube",
      kind: "antibiotic",
      unit: "tube",
      milkWithdrawalHours: "72",
      meatWithdrawalDays: "7",
      stockItemCode: "MED-P",
      unitsPerStock: "1",
      active: "on",
    }, MANAGER);
    await farm.saveFeedItem({
      name: "Page mix",
      kind: "concentrate",
      costPerKgMinor: 40_00,
      stockItemCode: "FEED-P",
    }, MANAGER);
    const cow = await makeCow(sql, { tag: "STK-1" });
    await makeUser(sql, t.deps.keyring, { email: "boss@example.com", roles: ["farm_manager"] });
    const b = new Browser(t);
    await signIn(b, "boss@example.com", PASSWORD);

    assert.equal((await b.get("/farm/health")).status, 200);
    assert.match(b.html, /data-stock="7"/, "the health page shows 7 tubes in stock");
    assert.ok(b.html.includes(lot.lotCode), "the lot is offered on the treatment form");
    assert.equal((await b.get("/farm/feed")).status, 200);
    assert.match(b.html, /data-stock="250"/, "the feed page shows 250 kg in stock");
    assert.equal((await b.get("/farm/manage/medicines")).status, 200);
    assert.ok(b.html.includes("(MED-P)"));
    assert.equal((await b.get("/farm")).status, 200);
    assert.ok(b.html.includes(lot.lotCode), "the recorder keeps the lot list for offline use");

    // Too big a dose: 422 with the reason on the lot field, nothing written.
    await b.get("/farm/health");
    const form = {
      action: "treat",
      animal: "STK-1",
      medicineId: String(medId),
      lotId: String(lot.lotId),
      route: "intramammary",
    };
    assert.equal((await b.post("/farm/health", { ...form, dose: "9" })).status, 422);
    assert.ok(b.html.includes(lot.lotCode) && b.html.includes("9"), "the reason names the lot");
    assert.equal(await count(sql, "treatments"), 0);
    const ok = await b.post("/farm/health", { ...form, dose: "3" });
    assert.equal(ok.status, 303);
    assert.equal((await inventory.lot(lot.lotId))!.onHand, 4);
    assert.equal((await b.get("/farm/health")).status, 200);
    assert.match(b.html, /data-stock="4"/);

    // A treatment recorded offline syncs after the lot was put on hold: kept, and flagged.
    await inventory.setLotStatus({ lotId: lot.lotId, status: "hold", reason: "QC", actor });
    const synced = await syncOverHttp(b, [{
      id: crypto.randomUUID(),
      kind: "treatment",
      recordedAt: ago(600_000).toISOString(),
      data: {
        animalId: cow,
        treatedAt: ago(600_000).toISOString(),
        medicineId: medId,
        dose: 1,
        route: "intramammary",
        lotId: lot.lotId,
      },
    }]);
    assert.equal(synced.status, 200);
    assert.equal(synced.body.results[0].status, "applied");
    assert.equal(synced.body.results[0].info.alert, true);
    assert.equal(await count(sql, "treatments"), 2);
    assert.equal((await b.get("/farm/health")).status, 200);
    assert.ok(b.html.includes("Stock to reconcile"), "the manager's list");
    assert.ok(b.html.includes("could not be drawn from stock"), "the alert");
    const [draw] = await sql`select id::text from farm_stock_draws where status = 'short'`;
    assert.equal(
      (await b.post("/farm/health", { action: "reconciled", drawId: draw.id })).status,
      303,
    );
    await b.get("/farm/health");
    assert.ok(!b.html.includes("Stock to reconcile"), "reconciled: off the list");
    assert.ok(!b.html.includes("could not be drawn from stock"), "and the alert resolved");
  }, { clock: testClock(NOW) });
});

Deno.test("stock: the demo farm store has a medicine and a feed lot, linked, twice is a no-op", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    await sql`
      insert into medicines (name, kind, unit, milk_withdrawal_hours, meat_withdrawal_days)
      values ('Oxytetracycline LA 20%', 'antibiotic', 'ml', 168, 28)`;
    await sql`
      insert into feed_items (name, kind, dry_matter_pct, cost_per_kg_minor)
      values ('Maize silage', 'forage', 32, 700)`;
    // Purchasing received 40 bottles of oxytetracycline at the farm store (in quarantine).
    const { seedPurchase } = await import("@/services/purchase/seed.ts");
    await seedPurchase(sql);
    const { seedFarmStock } = await import("@/services/farm/seed_stock.ts");
    const first = await seedFarmStock(sql);
    assert.deepEqual(first, { skipped: false, linked: 2, lots: 1 }, "silage: an opening lot");
    assert.equal((await seedFarmStock(sql)).skipped, true);
    const stock = inventoryForFarm(createInventory({ sql, clock }));
    const { medicineStock, feedStock } = await import("@/services/farm/stock.ts");
    const meds = [...(await medicineStock(sql, stock, farmDay(NOW))).values()];
    assert.equal(meds[0].units, 4000, "the 40 bottles of 100 ml purchasing received");
    const feeds = [...(await feedStock(sql, stock, farmDay(NOW))).values()];
    assert.equal(feeds[0].units, 20_000);
  });
});
