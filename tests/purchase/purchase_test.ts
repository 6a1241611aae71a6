/**
 * Purchasing (issue 12 §8): supplier BINs, receipts into lots (partial, quarantine on receipt,
 * over-receipt refused), three-way matched bills with approval, input VAT for accounting, and
 * reorder proposals from low stock.
 */
import { deepStrictEqual as equal, ok, rejects } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import { PurchaseError, ValidationError } from "@/services/purchase/mod.ts";
import { actor, purchaseOn, receiveToday, sentOrder, supplier, TODAY } from "./_helpers.ts";

const code = (c: string) => (e: unknown) => e instanceof PurchaseError && e.code === c;

Deno.test("a supplier's BIN is 13 digits, unique, or empty for an unregistered supplier", async () => {
  await withTestDb(async (db) => {
    const c = await purchaseOn(db.sql);
    await rejects(supplier(c, { bin: "12345" }), code("bin_invalid"));
    await rejects(supplier(c, { bin: "12345678901234" }), code("bin_invalid"));
    await rejects(supplier(c, { bin: "12345678901a3" }), code("bin_invalid"));
    const s = await supplier(c, { bin: "0012-3456-78901" });
    equal(s.bin, "0012345678901");
    await rejects(supplier(c, { bin: "0012345678901" }), code("bin_taken"));
    equal((await supplier(c, { bin: "" })).bin, null);
    await rejects(supplier(c, { name: s.name.toUpperCase() }), code("name_taken"));
    await rejects(
      supplier(c, { category: "toys" as "feed" }),
      (e) => e instanceof ValidationError && "category" in e.fieldErrors,
    );
  });
});

Deno.test("partial receipts create lots and move the order to partially received, then received", async () => {
  await withTestDb(async (db) => {
    const c = await purchaseOn(db.sql);
    const { order, feed, med } = await sentOrder(c);
    equal(feed.qtyBase, 100_000);
    const r1 = await receiveToday(c, order.id, [
      { orderLineId: feed.id, qty: "40", supplierLot: "B-7781", expiresOn: "2026-06-01" },
      { orderLineId: med.id, qty: "" },
    ]);
    equal(r1.status, "partially_received");
    equal(r1.lots.length, 1);
    const lot = (await c.inventory.lot(r1.lots[0]))!;
    equal([lot.itemCode, lot.onHand, lot.status, lot.expiresOn], [
      "FEED-DAIRY-MIX",
      40_000,
      "released",
      "2026-06-01",
    ]);
    equal(lot.attrs.supplierLot, "B-7781");
    equal((await c.purchase.getOrder(order.id))!.status, "partially_received");

    // Medicine needs a quality check on receipt: its lot waits in quarantine.
    const r2 = await receiveToday(c, order.id, [
      { orderLineId: feed.id, qty: "60" },
      { orderLineId: med.id, qty: "10", supplierLot: "OX-22" },
    ]);
    equal(r2.status, "received");
    equal((await c.inventory.lot(r2.lots[1]))!.status, "quarantine");
    const after = (await c.purchase.getOrder(order.id))!;
    equal(after.lines.map((l) => l.receivedBase), [100_000, 10]);
    equal((await c.purchase.listReceipts({ orderId: order.id })).length, 2);
    equal(await c.inventory.ledgerMismatches(), []);
    // Received: it can be closed, not cancelled.
    await rejects(c.purchase.cancelOrder(order.id, actor), code("order_status"));
    await c.purchase.closeOrder(order.id, actor);
    equal((await c.purchase.getOrder(order.id))!.status, "closed");
  });
});

Deno.test("a receipt beyond the order's tolerance is refused and nothing enters stock", async () => {
  await withTestDb(async (db) => {
    const c = await purchaseOn(db.sql);
    const { order, feed } = await sentOrder(c);
    // 5 % tolerance on 100 kg: 105 kg is fine in total, 105.001 is not.
    await rejects(
      receiveToday(c, order.id, [{ orderLineId: feed.id, qty: "105.001" }]),
      (e) => code("over_receipt")(e) && (e as PurchaseError).params.max === "105",
    );
    equal(await c.purchase.listReceipts({ orderId: order.id }), []);
    equal((await c.purchase.getOrder(order.id))!.status, "sent");
    await receiveToday(c, order.id, [{ orderLineId: feed.id, qty: "100" }]);
    await rejects(
      receiveToday(c, order.id, [{ orderLineId: feed.id, qty: "6" }]),
      code("over_receipt"),
    );
    // A draft cannot be received; nothing typed is refused.
    await rejects(
      receiveToday(c, order.id, [{ orderLineId: feed.id, qty: "" }]),
      code("nothing_received"),
    );
  });
});

Deno.test("three-way match: matched, quantity mismatch, price mismatch, approval needs a reason", async () => {
  await withTestDb(async (db) => {
    const c = await purchaseOn(db.sql);
    const { order, feed, med } = await sentOrder(c);
    await receiveToday(c, order.id, [{ orderLineId: feed.id, qty: "60" }, {
      orderLineId: med.id,
      qty: "10",
    }]);

    // Matched: 60 kg received and billed at the order's price; VAT from the order's rate.
    const b1 = await c.purchase.enterBill({
      orderId: order.id,
      billNumber: "INV-1",
      billDate: TODAY,
      lines: [{ orderLineId: feed.id, qty: "60" }],
    }, actor);
    const bill1 = (await c.purchase.getBill(b1.id))!;
    equal(bill1.matchStatus, "matched");
    equal([bill1.netMinor, bill1.vatMinor, bill1.totalMinor], [270_000, 13_500, 283_500]);
    equal(bill1.dueOn, "2026-04-09");
    await c.purchase.approveBill(b1.id, {}, actor);

    // Quantity mismatch: 12 bottles billed, 10 received.
    const b2 = await c.purchase.enterBill({
      orderId: order.id,
      billNumber: "INV-2",
      billDate: TODAY,
      lines: [{ orderLineId: med.id, qty: "12" }],
    }, actor);
    const bill2 = (await c.purchase.getBill(b2.id))!;
    equal([bill2.matchStatus, bill2.lines[0].match], ["mismatch", "qty_mismatch"]);
    await rejects(c.purchase.approveBill(b2.id, {}, actor), code("reason_required"));
    await c.purchase.cancelBill(b2.id, actor);

    // Price mismatch: the right quantity at ৳125.00 instead of ৳120.00.
    const b3 = await c.purchase.enterBill({
      orderId: order.id,
      billNumber: "INV-3",
      billDate: TODAY,
      lines: [{ orderLineId: med.id, qty: "10", unitPriceMinor: 12500, vatMinor: 18750 }],
    }, actor);
    const bill3 = (await c.purchase.getBill(b3.id))!;
    equal([bill3.matchStatus, bill3.lines[0].match], ["mismatch", "price_mismatch"]);
    equal(bill3.vatMinor, 18_750);
    await rejects(c.purchase.approveBill(b3.id, { reason: "  " }, actor), code("reason_required"));
    await c.purchase.approveBill(b3.id, { reason: "Price rise agreed by phone" }, actor);
    await rejects(c.purchase.approveBill(b3.id, { reason: "again" }, actor), code("bill_status"));

    // The next bill for feed sees only what was received and not yet billed (none).
    const b4 = await c.purchase.enterBill({
      orderId: order.id,
      billNumber: "INV-4",
      billDate: TODAY,
      lines: [{ orderLineId: feed.id, qty: "40" }],
    }, actor);
    equal((await c.purchase.getBill(b4.id))!.lines[0].match, "qty_mismatch");
    await rejects(
      c.purchase.enterBill({
        orderId: order.id,
        billNumber: "INV-1",
        billDate: TODAY,
        lines: [{ orderLineId: feed.id, qty: "1" }],
      }, actor),
      code("bill_taken"),
    );

    // Accounting reads approved bills once, in approval order, with their input VAT.
    const first = await c.purchase.approvedBillsAfter(0, 1);
    equal(first.bills.map((b) => [b.billNumber, b.vatMinor]), [["INV-1", 13_500]]);
    const rest = await c.purchase.approvedBillsAfter(first.cursor);
    equal(rest.bills.map((b) => [b.billNumber, b.vatMinor, b.netMinor]), [[
      "INV-3",
      18_750,
      125_000,
    ]]);
    equal(rest.bills[0].supplierBin?.length, 13);
    equal((await c.purchase.approvedBillsAfter(rest.cursor)).bills, []);
  });
});

Deno.test("low stock proposes orders by preferred supplier; one click makes a draft order", async () => {
  await withTestDb(async (db) => {
    const c = await purchaseOn(db.sql);
    const feedCo = await supplier(c, { category: "feed" });
    const pkgCo = await supplier(c, { category: "packaging" });
    const other = await supplier(c, { category: "feed" });
    await c.purchase.setPrice({
      supplierId: other.id,
      itemCode: "FEED-DAIRY-MIX",
      unit: "kg",
      unitPriceMinor: 5000,
      vatRateBp: 500,
    }, actor);
    await c.purchase.setPrice({
      supplierId: feedCo.id,
      itemCode: "FEED-DAIRY-MIX",
      unit: "bag_50kg",
      unitPriceMinor: 220_000,
      vatRateBp: 500,
      preferred: true,
    }, actor);
    await c.purchase.setPrice({
      supplierId: pkgCo.id,
      itemCode: "PKG-POUCH-1L",
      unit: "roll_1000",
      unitPriceMinor: 150_000,
      vatRateBp: 1500,
      preferred: true,
    }, actor);
    // 200 kg of feed (point 500 kg) and 8,000 pouches (point 5,000: fine).
    await c.inventory.receive({
      itemCode: "FEED-DAIRY-MIX",
      locationCode: "PLANT-DRY",
      qty: 200_000,
      producedOn: TODAY,
      status: "released",
      ref: { kind: "opening", id: "t" },
      actor,
    });
    await c.inventory.receive({
      itemCode: "PKG-POUCH-1L",
      locationCode: "PLANT-DRY",
      qty: 8000,
      producedOn: TODAY,
      status: "released",
      ref: { kind: "opening", id: "t" },
      actor,
    });
    const proposals = await c.purchase.reorderProposals();
    equal(proposals.length, 1);
    equal(proposals[0].supplierId, feedCo.id);
    const line = proposals[0].lines[0];
    // reorder qty 1,000 kg = 20 bags of 50 kg.
    equal([line.itemCode, line.available, line.qtyBase, line.unit, line.qty], [
      "FEED-DAIRY-MIX",
      200_000,
      1_000_000,
      "bag_50kg",
      "20",
    ]);

    const o = await c.purchase.orderFromProposal(feedCo.id, actor);
    const order = (await c.purchase.getOrder(o.id))!;
    equal(order.status, "draft");
    equal(order.lines.map((l) => [l.itemCode, l.qtyBase, l.unitPriceMinor]), [[
      "FEED-DAIRY-MIX",
      1_000_000,
      220_000,
    ]]);
    // What is on order counts: no second proposal, and a second click makes nothing.
    equal(await c.purchase.reorderProposals(), []);
    await rejects(c.purchase.orderFromProposal(feedCo.id, actor), code("no_proposal"));

    // Pouches drop below their point (8,000 − 4,000 reserved… here scrapped): a proposal appears.
    const lots = await c.inventory.lots({ itemCode: "PKG-POUCH-1L" });
    await c.inventory.port.consume(db.sql, {
      lotId: lots[0].id,
      qty: 4000,
      reason: "scrap",
      ref: { kind: "scrap", id: "t" },
      actor,
    });
    const again = await c.purchase.reorderProposals();
    equal(again.map((p) => [p.supplierId, p.lines[0].qty, p.lines[0].unit]), [[
      pkgCo.id,
      "20",
      "roll_1000",
    ]]);
    ok(again[0].lines[0].qtyBase >= 20_000);
  });
});

Deno.test("requests are approved into the preferred supplier's draft order", async () => {
  await withTestDb(async (db) => {
    const c = await purchaseOn(db.sql);
    const vetCo = await supplier(c, { category: "medicine" });
    await c.purchase.setPrice({
      supplierId: vetCo.id,
      itemCode: "MED-OXYTET",
      unit: "box_100",
      unitPriceMinor: 1_100_000,
      vatRateBp: 0,
      preferred: true,
    }, actor);
    await rejects(
      c.purchase.createRequest({
        itemCode: "MED-OXYTET",
        unit: "kg",
        qty: "1",
        neededBy: TODAY,
        reason: "x",
      }, actor),
      code("unit_mismatch"),
    );
    const r1 = await c.purchase.createRequest({
      itemCode: "MED-OXYTET",
      unit: "pc",
      qty: "30",
      neededBy: "2026-03-20",
      reason: "Mastitis season",
    }, actor);
    const r2 = await c.purchase.createRequest({
      itemCode: "MED-OXYTET",
      unit: "pc",
      qty: "20",
      neededBy: "2026-03-25",
      reason: "Stock for the vet box",
    }, actor);
    const a = await c.purchase.decideRequest(r1.id, { approve: true }, actor);
    const b = await c.purchase.decideRequest(r2.id, { approve: true }, actor);
    equal(a.orderId, b.orderId);
    const order = (await c.purchase.getOrder(a.orderId!))!;
    // ৳11,000 per 100 → ৳110.00 a piece.
    equal(order.lines.map((l) => [l.qtyBase, l.unit, l.unitPriceMinor]), [[30, "pc", 11_000], [
      20,
      "pc",
      11_000,
    ]]);
    await rejects(
      c.purchase.decideRequest(r1.id, { approve: false }, actor),
      code("request_status"),
    );
    const listed = await c.purchase.listRequests();
    equal(listed.map((r) => [r.status, r.orderNumber]), [
      ["approved", order.number],
      ["approved", order.number],
    ]);
  });
});
