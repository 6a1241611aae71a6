import { equal, match, ok, rejects } from "node:assert/strict";
import { FakePaperfly } from "@/services/delivery/couriers/fake_paperfly.ts";
import { paperflyStatus } from "@/services/delivery/couriers/paperfly.ts";
import { POLL_EVERY_MS } from "@/services/delivery/mod.ts";
import { ordersByCourier, withCourier } from "./_helpers.ts";

Deno.test("paperfly: tracking timestamps read as the latest step", () => {
  equal(paperflyStatus({}), "pending");
  equal(paperflyStatus({ PickTime: "2026-12-07 10:00" }), "picked");
  equal(
    paperflyStatus({ PickTime: "x", inTransitTime: "y", PickedForDeliveryTime: "z" }),
    "assigned_for_delivery",
  );
  equal(paperflyStatus({ PickTime: "x", DeliveredTime: "y" }), "delivered");
  equal(paperflyStatus({ PickTime: "x", ReturnedTime: "y" }), "returned");
});

Deno.test("paperfly: flat price, parcel booked once, status by polling on the clock; delivered once with the COD", async () => {
  const fake = new FakePaperfly();
  await withCourier(fake, { COURIER_PAPERFLY_CHARGE_MINOR: 6500 }, async (s) => {
    const { couriers, number, date, staff } = await ordersByCourier(s, "paperfly");
    equal((await couriers.quote(number)).finalPriceMinor, 6500);
    equal((await couriers.day(date)).waiting[0].priceMinor, 6500);

    const parcel = await couriers.book(number, staff.user.id);
    equal(parcel.courier, "paperfly");
    const sent = fake.orders.get(number)!;
    equal(sent.tracking_number, parcel.consignmentId);
    equal(sent.custPhone, "01711000101");
    equal(sent.packagePrice, ((4 * 9500 + 4000) / 100).toFixed(2));
    equal(sent.customerDistrict, "Dhaka");
    equal((await couriers.book(number, staff.user.id)).consignmentId, parcel.consignmentId);
    equal(fake.orders.size, 1);
    // The picking sheet names the consignment.
    const admin = await s.user(["admin"]);
    const sheet = await (await s.fetch(`/admin/shop/picking?date=${date}`, {
      headers: { cookie: admin.cookie },
    })).text();
    ok(sheet.includes(`Paperfly ${parcel.consignmentId}`));

    // Booked just now: not asked again before the interval.
    equal((await couriers.poll()).asked, 0);
    fake.advance(number, "picked");
    fake.advance(number, "in_transit");
    s.clock.set(new Date(s.clock.now().getTime() + POLL_EVERY_MS));
    const first = await couriers.poll();
    equal(first.asked, 1);
    equal(first.changed, 1);
    equal((await s.deps.shop.order(number))!.status, "out_for_delivery");
    equal((await couriers.parcel(number))!.status, "in_transit");
    // Within the interval nothing is asked; then nothing changed is nothing applied.
    equal((await couriers.poll()).asked, 0);
    s.clock.set(new Date(s.clock.now().getTime() + POLL_EVERY_MS));
    equal((await couriers.poll()).changed, 0);

    fake.advance(number, "delivered");
    s.clock.set(new Date(s.clock.now().getTime() + POLL_EVERY_MS));
    equal((await couriers.poll()).changed, 1);
    const o = (await s.deps.shop.order(number))!;
    equal(o.status, "delivered");
    equal(o.events.filter((e) => e.toStatus === "delivered").length, 1);
    const cod = await s
      .sql`select rider, rider_id, courier, amount_minor from shop_cod_collections`;
    equal(cod.length, 1);
    equal(cod[0].courier, "paperfly");
    equal(cod[0].rider_id, null);
    equal(Number(cod[0].amount_minor), 4 * 9500 + 4000);
    // Delivered parcels are not polled any more.
    const calls = fake.trackingCalls;
    s.clock.set(new Date(s.clock.now().getTime() + POLL_EVERY_MS));
    equal((await couriers.poll()).asked, 0);
    equal(fake.trackingCalls, calls);
    const html = await (await s.fetch(`/track/${await s.deps.delivery.trackingToken(number)}`))
      .text();
    match(html, new RegExp(`Paperfly · ${parcel.consignmentId}`));
  });
});

Deno.test("paperfly: wrong credentials are a clear courier error, nothing booked", async () => {
  const fake = new FakePaperfly();
  await withCourier(fake, { COURIER_PAPERFLY_KEY: "forged" }, async (s) => {
    const { couriers, number, staff } = await ordersByCourier(s, "paperfly");
    await rejects(
      couriers.book(number, staff.user.id),
      (e) => e instanceof Error && /Paperfly refused \(401\)/.test(e.message),
    );
    equal(fake.orders.size, 0);
    equal((await s.sql`select count(*)::int as n from delivery_parcels`)[0].n, 0);
    equal((await s.deps.shop.order(number))!.status, "confirmed");
  });
});
