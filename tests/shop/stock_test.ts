/**
 * The shop's stock is inventory's: checkout reserves FEFO lots for the delivery date, the picking
 * sheet and the staff order view name lot and location per line, cancelling releases, sending
 * the order out fulfils (a sale move), staff receive packs into lots, and the balance cache
 * equals the ledger throughout.
 */
import { deepStrictEqual as same, equal, ok } from "node:assert/strict";
import { placeOrder } from "@/services/shop/orders.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import {
  checkoutFor,
  pageForm,
  post,
  stockLots,
  stockOf,
  variantId,
  withShop,
} from "./_helpers.ts";

Deno.test("stock: orders reserve the earliest lots, name them for picking, release and fulfil", async () => {
  await withShop(async (s) => {
    const today = dhakaDate(s.clock.now());
    const [late, early, held] = await stockLots(s, "GHEE-1000", [
      { qty: 5, location: "DEPOT-DHK", expiresOn: addDays(today, 90) },
      { qty: 2, location: "PLANT-DRY", expiresOn: addDays(today, 40) },
      { qty: 50, location: "PLANT-COLD1", expiresOn: addDays(today, 20) },
    ]);
    const actor = { id: null, name: "QC" };
    await s.deps.inventory.port.setLotStatus(s.sql, {
      lotId: held.lotId,
      status: "hold",
      reason: "cold-chain alarm",
      actor,
    });
    equal(await stockOf(s.sql, "GHEE-1000"), 7, "held lots are not for sale");
    const page = await (await s.fetch("/shop/products/pure-cow-ghee")).text();
    ok(page.includes("7"), "the product page shows inventory's count");

    const ghee = await variantId(s.sql, "GHEE-1000");
    const checkout = await checkoutFor(s.sql);
    const order = (qty: number) =>
      placeOrder(s.sql, s.od, {
        userId: null,
        locale: "en",
        items: [{ variantId: ghee, qty }],
        checkout,
        allowedMethods: ["cod"],
      });
    const a = await order(3);
    same(
      (await s.deps.shop.orderPicks(a.id))[0].map((p) => [p.lotCode, p.locationCode, p.qty]),
      [[early.lotCode, "PLANT-DRY", 2], [late.lotCode, "DEPOT-DHK", 1]],
      "earliest expiry first, across lots",
    );
    equal(await stockOf(s.sql, "GHEE-1000"), 4);

    // The picking sheet and the staff order view name the lots and locations.
    const staff = await s.user(["sales"]);
    const sheet = await s.deps.shop.pickingSheet(checkout.deliveryDate, null);
    const line = sheet.orders.find((o) => o.number === a.number)!.lines[0];
    same(line.picks.map((p) => p.lotCode), [early.lotCode, late.lotCode]);
    const html = await (await s.fetch(`/admin/shop/picking?date=${checkout.deliveryDate}`, {
      headers: { cookie: staff.cookie },
    })).text();
    ok(html.includes(early.lotCode) && html.includes("PLANT-DRY"), "picking sheet names lots");
    const view = await (await s.fetch(`/admin/shop/orders/${a.number}`, {
      headers: { cookie: staff.cookie },
    })).text();
    ok(view.includes(late.lotCode) && view.includes("DEPOT-DHK"), "order view names lots");

    // Cancelling gives the packs back; sending an order out sells them from its lots.
    const b = await order(4);
    equal(await stockOf(s.sql, "GHEE-1000"), 0);
    await s.deps.shop.setOrderStatus({ orderId: b.id, to: "cancelled", actorId: staff.user.id });
    equal(await stockOf(s.sql, "GHEE-1000"), 4, "cancel releases");
    for (const to of ["packed", "out_for_delivery"] as const) {
      await s.deps.shop.setOrderStatus({ orderId: a.id, to, actorId: staff.user.id });
    }
    const e = (await s.deps.inventory.port.lot(s.sql, early.lotId))!;
    same([e.onHand, e.reserved], [0, 0], "sold from the early lot");
    const l = (await s.deps.inventory.port.lot(s.sql, late.lotId))!;
    same([l.onHand, l.reserved], [4, 0]);
    const moves = await s.deps.inventory.movesOfLot(late.lotId);
    same(moves.map((m) => [m.kind, m.qty, m.ref.id]), [["receipt", 5, moves[0].ref.id], [
      "sale",
      -1,
      a.id,
    ]]);
    equal(await stockOf(s.sql, "GHEE-1000"), 4);
    same(await s.deps.inventory.ledgerMismatches(), []);
  });
});

Deno.test("stock: staff receive packs into a lot from the product page", async () => {
  await withShop(async (s) => {
    const staff = await s.user(["admin"]);
    const [p] = await s.sql`
      select p.id, v.id as vid from shop_products p join shop_variants v on v.product_id = p.id
      where v.sku = 'LASSI-250'`;
    const before = await stockOf(s.sql, "LASSI-250");
    const form = await pageForm(s, `/admin/shop/products/${p.id}`, staff.cookie);
    ok(form.html.includes("Receive stock into a lot"));
    const today = dhakaDate(s.clock.now());
    const bad = await post(s, `/admin/shop/products/${p.id}`, {
      action: "receive",
      variantId: String(p.vid),
      qty: "0",
      producedOn: today,
      locationCode: "DEPOT-DHK",
    }, form);
    equal(bad.status, 422);
    const res = await post(s, `/admin/shop/products/${p.id}`, {
      action: "receive",
      variantId: String(p.vid),
      qty: "24",
      producedOn: today,
      locationCode: "DEPOT-DHK",
    }, form);
    equal(res.status, 303);
    const lotCode = decodeURIComponent(res.headers.get("location")!.split("received=")[1]);
    ok(lotCode.startsWith("FG-LASSI-250-"), lotCode);
    equal(await stockOf(s.sql, "LASSI-250"), before + 24);
    const [lot] = await s.deps.inventory.lots({
      itemCode: "FG-LASSI-250",
      locationCode: "DEPOT-DHK",
    })
      .then((ls) => ls.filter((x) => x.code === lotCode));
    equal(lot.onHand, 24);
    const [audit] = await s.sql`
      select data from audit_log where action = 'shop.stock.received' order by id desc limit 1`;
    equal(audit.data.lot, lotCode);
  });
});
