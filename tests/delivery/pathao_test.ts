import { equal, match, ok, rejects } from "node:assert/strict";
import { ValidationError } from "@/services/platform/errors.ts";
import { FakePathao } from "@/services/delivery/couriers/fake_pathao.ts";
import { pageForm, post } from "@/tests/shop/_helpers.ts";
import { deliveredOnce, ordersForOneDay, withCourier } from "./_helpers.ts";

Deno.test("pathao: quote shown to staff, parcel booked once from an order, status by webhook", async () => {
  const fake = new FakePathao();
  await withCourier(fake, {}, async (s) => {
    const { placed, zoneId } = await ordersForOneDay(s, 2);
    const staff = await s.user(["sales"]);
    const couriers = s.deps.delivery.couriers;
    const number = placed[0].number;
    // No courier set for the zone: a clear refusal.
    await rejects(
      couriers.quote(number),
      (e) => e instanceof ValidationError && /city and zone/.test(e.fieldErrors.courier),
    );
    await rejects(
      couriers.setZoneCourier({ zoneId, courier: "pathao", pathaoCity: 1, pathaoZone: null }),
      (e) => e instanceof ValidationError && "pathaoZone" in e.fieldErrors,
    );
    await couriers.setZoneCourier({ zoneId, courier: "pathao", pathaoCity: 1, pathaoZone: 298 });
    const q = await couriers.quote(number, 2.5);
    equal(q.finalPriceMinor, FakePathao.price(1, 2.5) * 100);

    const parcel = await couriers.book(number, staff.user.id);
    match(parcel.consignmentId, /^DL\d{6}/);
    equal(parcel.codMinor, 4 * 9500 + 4000);
    equal(parcel.feeMinor, 6000);
    const sent = fake.orders.get(parcel.consignmentId)!;
    equal(sent.recipient_phone, "01711000101");
    equal(sent.amount_to_collect, (4 * 9500 + 4000) / 100);
    equal(sent.merchant_order_id, number);
    // Booking again answers the same parcel; Pathao got one order.
    equal((await couriers.book(number, staff.user.id)).consignmentId, parcel.consignmentId);
    equal(fake.orders.size, 1);
    equal((await s.deps.shop.order(number))!.status, "packed");

    const hook = new URL("/webhooks/courier/pathao", "http://localhost").href;
    const call = (event: string, secret?: string, extra = {}) =>
      s.fetch(hook, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-pathao-signature": secret ?? fake.creds.webhookSecret,
        },
        body: JSON.stringify({ consignment_id: parcel.consignmentId, event, ...extra }),
      });
    // Forged: wrong or missing secret.
    const forged = await call("order.delivered", "not-the-secret");
    equal(forged.status, 401);
    const bare = await s.fetch(hook, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ consignment_id: parcel.consignmentId, event: "order.delivered" }),
    });
    equal(bare.status, 401);
    equal((await s.deps.shop.order(number))!.status, "packed", "forged calls change nothing");

    const picked = await call("order.picked");
    equal(picked.status, 202);
    equal(
      picked.headers.get("x-pathao-merchant-webhook-integration-secret"),
      fake.creds.webhookSecret,
    );
    equal((await s.deps.shop.order(number))!.status, "out_for_delivery");
    const done = await call("order.delivered", undefined, { collected_amount: 420 });
    equal(done.status, 202);
    equal((await call("order.delivered", undefined, { collected_amount: 420 })).status, 202);
    const o = await deliveredOnce(s, number, { rider: "Pathao", amountMinor: 42000 });

    // The customer's tracking page names the courier and the consignment.
    const html = await (await s.fetch(`/track/${await s.deps.delivery.trackingToken(number)}`))
      .text();
    ok(html.includes(parcel.consignmentId));
    match(html, /data-status="delivered"/);
    // An order on a courier cannot also go on a rider's route, and vice versa.
    const rider = await s.user(["rider"]);
    const routeId = await s.deps.delivery.createRoute({
      date: o.deliveryDate,
      zoneId,
      slotCode: "morning",
      riderId: rider.user.id,
    }, staff.user.id);
    equal((await s.deps.delivery.route(routeId))!.stops.length, 1);
    await rejects(couriers.book(placed[1].number, staff.user.id), /riders' routes/);
  });
});

Deno.test("pathao: wrong credentials are a clear courier error", async () => {
  const fake = new FakePathao();
  await withCourier(fake, { COURIER_PATHAO_PASSWORD: "wrong" }, async (s) => {
    const { placed, zoneId } = await ordersForOneDay(s, 1);
    await s.deps.delivery.couriers.setZoneCourier({
      zoneId,
      courier: "pathao",
      pathaoCity: 1,
      pathaoZone: 298,
    });
    await rejects(
      s.deps.delivery.couriers.quote(placed[0].number),
      (e: Error) => e.name === "CourierError" && /401/.test(e.message),
    );
  });
});

Deno.test("pathao: staff see the price, book from the couriers page; the picking sheet names the consignment", async () => {
  const fake = new FakePathao();
  await withCourier(fake, {}, async (s) => {
    const { placed, zoneId, date } = await ordersForOneDay(s, 1);
    const staff = await s.user(["sales"]);
    const path = `/admin/delivery/couriers?date=${date}`;
    const empty = await pageForm(s, path, staff.cookie);
    equal(empty.status, 200);
    ok(empty.html.includes("No confirmed or packed order waits in a courier zone"));
    ok(empty.html.includes("No parcel booked with a courier on this day."));
    // Refused: Pathao without its zone id.
    const bad = await post(s, "/admin/delivery/couriers", {
      action: "zone",
      date,
      zoneId: String(zoneId),
      courier: "pathao",
      pathaoCity: "1",
      pathaoZone: "",
    }, empty);
    equal(bad.status, 422);
    match(await bad.text(), /Enter Pathao(&#39;|&#x27;|')s zone id/);
    equal(
      (await post(s, "/admin/delivery/couriers", {
        action: "zone",
        date,
        zoneId: String(zoneId),
        courier: "pathao",
        pathaoCity: "1",
        pathaoZone: "298",
      }, empty)).status,
      303,
    );
    const page = await pageForm(s, path, staff.cookie);
    match(page.html, new RegExp(`data-waiting="${placed[0].number}"`));
    match(page.html, /data-price="6000"/);
    equal(
      (await post(s, "/admin/delivery/couriers", {
        action: "book",
        date,
        number: placed[0].number,
      }, page)).status,
      303,
    );
    const parcel = (await s.deps.delivery.couriers.parcel(placed[0].number))!;
    const after = await (await s.fetch(path, { headers: { cookie: staff.cookie } })).text();
    ok(after.includes(parcel.consignmentId));
    const sheet = await (await s.fetch(`/admin/shop/picking?date=${date}`, {
      headers: { cookie: staff.cookie },
    })).text();
    ok(sheet.includes(`Pathao ${parcel.consignmentId}`), "consignment on the picking sheet");
  });
});
