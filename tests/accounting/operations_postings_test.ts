/**
 * Postings of stock and milk operations (issue 13 §2), through the real use cases wired as
 * contexts.ts wires them: contract farmers' milk into stock owed to them and their statements
 * paid (payable back to zero), a production order (materials into work in progress at cost,
 * goods out at the expected yield, the yield variance), scrap, an approved count, goods shipped
 * at the cost of the lots. After it all the trial balance is zero, work in progress is empty and
 * every inventory account equals the stock ledger's quantities valued by the method.
 */
import { deepStrictEqual as equal, ok, rejects } from "node:assert/strict";
import { InventoryError } from "@/services/inventory/mod.ts";
import type { Sql } from "@/services/platform/db.ts";
import { type TestApp, testClock, withTestApp } from "@/tests/helpers/app.ts";
import { delivery, makeFarmer, milkIntoTank, setup, STAFF, tankForm } from "../intake/_helpers.ts";
import { makeTank } from "../iot/helpers.ts";
import { makeCow } from "../farm/_helpers.ts";
import { addDays, farmDay } from "@/services/farm/dates.ts";
import { milkBom } from "../production/_helpers.ts";
import { FEED_MIX } from "../inventory/_helpers.ts";
import { balanceOf, boughtLot } from "./_helpers.ts";

const actor = { id: null, name: "test" };

async function entry(sql: Sql, source: string, ref: string) {
  const rows = await sql<{ account: string; d: number; c: number; partner: string | null }[]>`
    select a.code as account, l.debit_minor::int as d, l.credit_minor::int as c,
           l.partner_ref as partner
      from acc_entries e join acc_entry_lines l on l.entry_id = e.id
      join acc_accounts a on a.id = l.account_id
     where e.source = ${source} and e.source_ref = ${ref} order by l.line_no`;
  return rows.map((r) => [r.account, r.d, r.c, r.partner]);
}

async function entryCount(sql: Sql): Promise<number> {
  return (await sql`select count(*)::int as n from acc_entries`)[0].n;
}

/** Debits equal credits over everything, and the trial balance report agrees. */
/** A shop order for `qty` of one item, reserved and handed over in one transaction. */
async function shipOrder(t: TestApp, orderId: string, itemCode: string, qty: number, on: string) {
  const port = t.deps.inventory.port;
  await t.db.sql.begin(async (tx) => {
    const r = await port.reserve(tx, {
      ref: { kind: "shop_order", id: orderId },
      lines: [{ itemCode, qty }],
      on,
    });
    ok(r.ok);
    await port.fulfil(tx, { kind: "shop_order", id: orderId }, actor);
  });
}

async function trialBalanceZero(t: TestApp) {
  const sql = t.db.sql;
  const [r] = await sql`select coalesce(sum(debit_minor), 0)::bigint as d,
                               coalesce(sum(credit_minor), 0)::bigint as c from acc_entry_lines`;
  equal(Number(r.d), Number(r.c));
  const tb = await t.deps.accounting.trialBalance({ from: "2020-01-01", to: "2030-12-31" });
  equal(tb.totals.closingMinor, 0);
}

/**
 * The stock ledger (inventory's moves) valued: per item the quantity the inventory holds equals
 * the quantity the books value, and per inventory account the books' value equals the ledger.
 */
async function inventoryMatchesBooks(t: TestApp) {
  const sql = t.db.sql;
  const stock = await sql<{ code: string; qty: number }[]>`
    select i.code, coalesce(sum(m.qty), 0)::int as qty from inv_items i
      join inv_lots l on l.item_id = i.id join inv_moves m on m.lot_id = l.id
     group by i.code order by i.code`;
  const report = await t.deps.accounting.stockValuation();
  const valued = new Map(report.rows.map((r) => [r.itemCode, r.qty]));
  for (const s of stock) equal([s.code, valued.get(s.code) ?? 0], [s.code, s.qty]);
  for (const a of report.accounts) equal([a.code, a.valuedMinor], [a.code, a.ledgerMinor]);
  equal(report.totalValuedMinor, report.totalLedgerMinor);
  return report;
}

Deno.test("farmers' milk → production → scrap, count, shipment: each posts at cost, once; the books equal the stock", async () => {
  const clock = testClock(new Date("2026-02-05T04:00:00Z"));
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const { intake, inventory, production, accounting } = t.deps;

    // ---- contract farmers' milk: Dr raw milk / Cr each farmer's payable ----
    const { pointId } = await setup(intake);
    const a = await makeFarmer(intake);
    const b = await makeFarmer(intake);
    const day = "2026-01-25";
    // ৳50.00/L at the chart's reference fat and SNF.
    await intake.recordDelivery(delivery(a.id, pointId, day, { litres: 120 }), STAFF);
    await intake.recordDelivery(delivery(b.id, pointId, day, { litres: 80 }), STAFF);
    const milkLot = await intake.receivePointDay({ pointId, day }, STAFF);
    const [point] = await sql`select code from intake_points where id = ${pointId}`;
    const milkRef = `point-${point.code}-${day}`;
    equal(await entry(sql, "intake.milk", milkRef), [
      ["1310", 1_000_000, 0, null],
      ["2120", 0, 600_000, `farmer:${a.id}`],
      ["2120", 0, 400_000, `farmer:${b.id}`],
    ]);
    // ৳5 per litre of deductions for farmer a (feed on credit), then the statements paid.
    await intake.addDeduction(
      { farmerId: a.id, onDate: day, amountMinor: 50_000, reason: "Feed on credit" },
      STAFF,
    );
    await intake.buildStatements({ day }, STAFF);
    const statements = await intake.listStatements({ periodStart: "2026-01-21" });
    equal(statements.length, 2);
    await intake.markPaid({ ids: statements.map((s) => String(s.id)), via: "bkash" }, STAFF);
    const sa = statements.find((s) => s.farmerId === a.id)!;
    equal(await entry(sql, "intake.payout", String(sa.id)), [
      ["2120", 600_000, 0, `farmer:${a.id}`],
      ["1160", 0, 550_000, null],
      ["1230", 0, 50_000, `farmer:${a.id}`],
    ]);
    // The farmers are owed nothing any more.
    equal(await balanceOf(sql, "2120"), 0);
    equal(await balanceOf(sql, "1160"), -950_000);
    // The same payout through the port again posts nothing new.
    const n = await entryCount(sql);
    await sql.begin((tx) =>
      accounting.ledger.farmerPaid(tx, {
        statementId: sa.id,
        farmerId: a.id,
        periodStart: "2026-01-21",
        grossMinor: 600_000,
        deductionsMinor: 50_000,
        via: "bkash",
      })
    );
    equal(await entryCount(sql), n);

    // ---- pouches bought: ৳2.00 each (the purchase receipt's port call) ----
    await inventory.port.ensureItem(sql, {
      code: "PKG-POUCH-1L",
      nameEn: "Milk pouch 1 L",
      nameBn: "দুধের পাউচ ১ লিটার",
      kind: "packaging",
      base: "pc",
    });
    await inventory.port.ensureItem(sql, {
      code: "FG-TMILK-1000",
      nameEn: "Test milk 1 L",
      nameBn: "পরীক্ষার দুধ ১ লিটার",
      kind: "finished",
      base: "pc",
      shelfLifeDays: 3,
      shopSku: "TMILK-1000",
    });
    await boughtLot(t.deps, sql, {
      itemCode: "PKG-POUCH-1L",
      kind: "packaging",
      locationCode: "PLANT-DRY",
      qty: 1000,
      valueMinor: 200_000,
      producedOn: "2026-01-01",
      receiptNumber: "GRN-T-1",
      orderNumber: "PO-T-1",
    });
    await inventory.setLotStatus({
      lotId: milkLot.lotId,
      status: "released",
      reason: "tests passed",
      actor,
    });

    // ---- production: 100 pouches planned, 98 made (on the milk's day: it keeps two days) ----
    await production.saveBomVersion(milkBom(), actor);
    const o = await production.createOrder({
      outputItemCode: "FG-TMILK-1000",
      plannedQty: "100",
      plannedOn: day,
      outputLocation: "PLANT-COLD1",
    }, actor);
    await production.startOrder(o.id, { mode: "fefo", on: day }, actor);
    // 101,500 ml of milk at ৳0.05/ml (FIFO: the one farmers' lot) + 101 pouches at ৳2.
    const wip = 101_500 * 5 + 101 * 200;
    equal(await entry(sql, "production.consume", o.number), [
      ["1370", wip, 0, `production:${o.number}`],
      ["1310", 0, 101_500 * 5, null],
      ["1330", 0, 101 * 200, null],
    ]);
    equal(await balanceOf(sql, "1370"), wip);
    const done = await production.finishOrder(
      o.id,
      { actualQty: 98, producedOn: day },
      actor,
    );
    equal(done.order.expectedQty, 100);
    // The product at the cost of 100 expected pouches each; 2 short: the yield variance.
    const unit = wip / 100;
    equal(await entry(sql, "production.output", o.number), [
      ["1340", unit * 98, 0, null],
      ["5110", unit * 2, 0, null],
      ["1370", 0, wip, `production:${o.number}`],
    ]);
    equal(await balanceOf(sql, "1370"), 0);
    equal(await balanceOf(sql, "5110"), unit * 2);
    // Repeated events post once.
    const n2 = await entryCount(sql);
    await sql.begin((tx) =>
      accounting.ledger.productionFinished(tx, {
        orderNumber: o.number,
        expectedQty: 100,
        outputs: [{ itemCode: "FG-TMILK-1000", kind: "finished", qty: 98, role: "product" }],
      })
    );
    await sql.begin((tx) =>
      accounting.ledger.productionConsumed(tx, {
        orderNumber: o.number,
        lines: [{ itemCode: "RAW-MILK", kind: "raw_milk", qty: 101_500 }],
      })
    );
    equal(await entryCount(sql), n2);
    await inventoryMatchesBooks(t);

    // ---- scrap 2 pouches of milk: Dr scrap loss / Cr finished goods at cost ----
    const [out] = await sql`select lot_id, lot_code from prod_outputs where order_id = ${o.id}`;
    const scrap = await inventory.scrap({
      lot: out.lot_code,
      location: "PLANT-COLD1",
      qty: "2",
      unit: "pc",
      reason: "damaged",
    }, actor);
    equal(await entry(sql, "inventory.scrap", String(scrap.id)), [
      ["5120", unit * 2, 0, null],
      ["1340", 0, unit * 2, null],
    ]);

    // ---- count: 1 pouch of milk missing at the cold room, 500 ml of milk found at the silo ----
    const me = { id: crypto.randomUUID(), name: "Rahim", manager: true };
    const c1 = await inventory.startCount("PLANT-COLD1", me);
    await inventory.recordCounted(c1.id, [{ lotId: Number(out.lot_id), qty: "95", unit: "pc" }]);
    await inventory.submitCount(c1.id, me);
    await inventory.approveCount(c1.id, me);
    equal(await entry(sql, "inventory.count", String(c1.id)), [
      ["1340", 0, unit, null],
      ["5120", unit, 0, null],
    ]);
    const silo = await inventory.lot(milkLot.lotId);
    const c2 = await inventory.startCount("PLANT-SILO", me);
    await inventory.recordCounted(c2.id, [{
      lotId: milkLot.lotId,
      qty: String(silo!.onHand + 500),
      unit: "ml",
    }]);
    await inventory.submitCount(c2.id, me);
    await inventory.approveCount(c2.id, me);
    equal(await entry(sql, "inventory.count", String(c2.id)), [
      ["1310", 2_500, 0, null],
      ["5120", 0, 2_500, null],
    ]);

    // ---- 10 pouches of milk shipped to a customer: Dr cost of goods sold / Cr finished goods ----
    await inventory.setLotStatus({
      lotId: Number(out.lot_id),
      status: "released",
      reason: "quality passed",
      actor,
    });
    await shipOrder(t, "order-1", "FG-TMILK-1000", 10, day);
    const [cogs] = await sql`select source_ref, debit_total_minor::int as v from acc_entries
                             where source = 'inventory.cogs'`;
    ok(cogs.source_ref.startsWith("shop_order:order-1:"));
    equal(cogs.v, unit * 10);
    equal(await balanceOf(sql, "5100"), unit * 10);
    // Fulfilling again (out for delivery, then delivered) ships nothing more and posts nothing.
    await sql.begin((tx) =>
      inventory.port.fulfil(tx, { kind: "shop_order", id: "order-1" }, actor)
    );
    equal(await balanceOf(sql, "5100"), unit * 10);

    // ---- the books after it all ----
    await trialBalanceZero(t);
    const report = await inventoryMatchesBooks(t);
    const fg = report.rows.find((r) => r.itemCode === "FG-TMILK-1000")!;
    equal([fg.qty, fg.valueMinor], [98 - 2 - 1 - 10, unit * (98 - 13)]);
    const milk = report.rows.find((r) => r.itemCode === "RAW-MILK")!;
    equal([milk.qty, milk.valueMinor], [200_000 - 101_500 + 500, (200_000 - 101_500) * 5 + 2_500]);
    equal(await balanceOf(sql, "1310"), milk.valueMinor);
  }, { clock });
});

Deno.test("own farm tank milk enters stock at the farmers' price (Cr own milk transferred), once", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const { intake, accounting } = t.deps;
    await setup(intake); // the price chart
    const tank = await makeTank(sql, "tank-acc");
    const cow = await makeCow(sql, { tag: "ACC-1" });
    const day = addDays(farmDay(), -1);
    await milkIntoTank(sql, [cow], day, ["am"]);
    const n = await entryCount(sql);
    // 412.5 L at 4.1 % fat, 8.6 % SNF: 5000 + 6×50 + 6×30 = ৳54.80/L → ৳22,605.00.
    const r = await intake.receiveTank(tankForm(tank.id, day, ["am"]), STAFF);
    equal(r.status, "accepted");
    equal(await entry(sql, "intake.milk", `tank-${r.id}`), [
      ["1310", 2_260_500, 0, null],
      ["5620", 0, 2_260_500, null],
    ]);
    equal(await entryCount(sql), n + 1);
    // The same event through the port again values and posts nothing more.
    await sql.begin((tx) =>
      accounting.ledger.milkReceived(tx, {
        ref: `tank-${r.id}`,
        itemCode: "RAW-MILK",
        qty: 412_500,
        lines: [{ farmerId: null, valueMinor: 2_260_500 }],
      })
    );
    equal(await entryCount(sql), n + 1);
    const report = await inventoryMatchesBooks(t);
    equal(report.rows.map((r) => [r.itemCode, r.qty, r.valueMinor]), [
      ["RAW-MILK", 412_500, 2_260_500],
    ]);
    await trialBalanceZero(t);
  });
});

Deno.test("feed the farm uses leaves stock at cost (Dr feed consumed / Cr feed inventory)", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const { inventory, accounting } = t.deps;
    await inventory.port.ensureItem(sql, FEED_MIX);
    const today = accounting.today();
    // ৳30.00 a kilo.
    const lot = await boughtLot(t.deps, sql, {
      itemCode: "FEED-MIX",
      kind: "feed",
      locationCode: "FARM-STORE",
      qty: 10_000,
      valueMinor: 30_000,
      producedOn: today,
      receiptNumber: "GRN-FEED-1",
      orderNumber: "PO-FEED-1",
    });
    await sql.begin((tx) =>
      inventory.port.consume(tx, {
        lotId: lot.lotId,
        qty: 2_500,
        reason: "farm_use",
        ref: { kind: "farm", id: "feeding:1" },
        actor,
        on: today,
        locationCodes: ["FARM-STORE"],
      })
    );
    equal(await entry(sql, "inventory.farm-use", `farm:feeding:1:${lot.lotId}`), [
      ["5600", 7_500, 0, null],
      ["1350", 0, 7_500, null],
    ]);
    await inventoryMatchesBooks(t);
    await trialBalanceZero(t);
  });
});

Deno.test("opening stock with its value: Dr inventory / Cr opening balance equity, then sold at that cost", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const { inventory, accounting } = t.deps;
    const today = accounting.today();
    const items = [
      {
        code: "FG-GHEE-OPEN",
        nameEn: "Ghee 500 g",
        nameBn: "ঘি ৫০০ গ্রাম",
        kind: "finished" as const,
        base: "pc" as const,
        shelfLifeDays: 180,
      },
      {
        code: "ING-SUGAR-OPEN",
        nameEn: "Sugar",
        nameBn: "চিনি",
        kind: "ingredient" as const,
        base: "g" as const,
      },
    ];
    // A bad value is refused and nothing is written.
    await rejects(
      () =>
        inventory.openingStock(items, [{
          itemCode: "ING-SUGAR-OPEN",
          locationCode: "PLANT-DRY",
          qty: 1_000,
          producedOn: today,
          valueMinor: -5,
        }], actor),
      (e) => e instanceof InventoryError && e.status < 500,
    );
    equal((await sql`select count(*)::int as n from inv_lots`)[0].n, 0);
    await inventory.openingStock(items, [
      // Two lots of ghee: 30 at ৳650 and 10 at ৳700 → ৳26,500 for 40.
      {
        itemCode: "FG-GHEE-OPEN",
        locationCode: "PLANT-COLD1",
        qty: 30,
        producedOn: today,
        valueMinor: 1_950_000,
      },
      {
        itemCode: "FG-GHEE-OPEN",
        locationCode: "PLANT-COLD1",
        qty: 10,
        producedOn: today,
        valueMinor: 700_000,
      },
      {
        itemCode: "ING-SUGAR-OPEN",
        locationCode: "PLANT-DRY",
        qty: 50_000,
        producedOn: today,
        valueMinor: 600_000,
      },
      // No value given: in stock, not in the books.
      { itemCode: "ING-SUGAR-OPEN", locationCode: "PLANT-DRY", qty: 1, producedOn: today },
    ], actor);
    const [e] = await sql`select source_ref from acc_entries where source = 'inventory.opening'`;
    equal(await entry(sql, "inventory.opening", e.source_ref), [
      ["1320", 600_000, 0, null],
      ["1340", 2_650_000, 0, null],
      ["3300", 0, 3_250_000, null],
    ]);
    // 4 ghee shipped at the average of what was taken in (one opening layer): ৳662.50 each.
    await shipOrder(t, "order-open", "FG-GHEE-OPEN", 4, today);
    equal(await balanceOf(sql, "5100"), 265_000);
    const report = await accounting.stockValuation();
    equal(
      report.rows.map((r) => [r.itemCode, r.qty, r.valueMinor]),
      [["FG-GHEE-OPEN", 36, 2_385_000], ["ING-SUGAR-OPEN", 50_000, 600_000]],
    );
    equal(report.totalValuedMinor, report.totalLedgerMinor);
    await trialBalanceZero(t);
  });
});
