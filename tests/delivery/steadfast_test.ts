import { equal, match, ok, rejects } from "node:assert/strict";
import { FakeSteadfast } from "@/services/delivery/couriers/fake_steadfast.ts";
import { FakePaperfly } from "@/services/delivery/couriers/fake_paperfly.ts";
import { type ShopTest, stockOf, withShop } from "@/tests/shop/_helpers.ts";
import { deliveredOnce, ordersByCourier, withCourier } from "./_helpers.ts";

/** Steadfast's status webhook for one parcel, with the bearer `token` (null: none sent). */
function statusHook(
  s: ShopTest,
  consignmentId: string,
  invoice: string,
  status: string,
  token: string | null,
  extra = {},
) {
  return s.fetch("/webhooks/courier/steadfast", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({
      notification_type: "delivery_status",
      consignment_id: Number(consignmentId),
      invoice,
      status,
      ...extra,
    }),
  });
}

Deno.test("steadfast: flat price, parcel booked once, status webhook with the token; forged refused", async () => {
  const fake = new FakeSteadfast();
  await withCourier(fake, { COURIER_STEADFAST_CHARGE_MINOR: 5000 }, async (s) => {
    const { couriers, number, date, staff } = await ordersByCourier(s, "steadfast");
    equal((await couriers.quote(number)).finalPriceMinor, 5000);
    const day = await couriers.day(date);
    equal(day.waiting[0].priceMinor, 5000);

    const parcel = await couriers.book(number, staff.user.id);
    equal(parcel.courier, "steadfast");
    const sent = fake.orders.get(parcel.consignmentId)!;
    equal(sent.invoice, number);
    equal(sent.recipient_phone, "01711000101");
    equal(sent.cod_amount, (4 * 9500 + 4000) / 100);
    equal((await couriers.book(number, staff.user.id)).consignmentId, parcel.consignmentId);
    equal(fake.orders.size, 1);

    const hook = (status: string, token: string | null, extra = {}) =>
      statusHook(s, parcel.consignmentId, number, status, token, extra);
    equal((await hook("delivered", "forged")).status, 401);
    equal((await hook("delivered", null)).status, 401);
    equal((await s.deps.shop.order(number))!.status, "packed", "forged calls change nothing");

    equal((await hook("pending", fake.webhookToken)).status, 200);
    equal((await s.deps.shop.order(number))!.status, "out_for_delivery");
    const done = await hook("delivered", fake.webhookToken, { cod_amount: 420 });
    equal(done.status, 200);
    equal((await done.json()).status, "success");
    equal((await hook("delivered", fake.webhookToken, { cod_amount: 420 })).status, 200);
    await deliveredOnce(s, number, { rider: "Steadfast", amountMinor: 42000 });
    const html = await (await s.fetch(`/track/${await s.deps.delivery.trackingToken(number)}`))
      .text();
    match(html, new RegExp(`Steadfast · ${parcel.consignmentId}`));
  });
});

Deno.test("steadfast: wrong keys are a clear courier error, nothing booked", async () => {
  const fake = new FakeSteadfast();
  await withCourier(fake, { COURIER_STEADFAST_SECRET_KEY: "wrong" }, async (s) => {
    const { couriers, number, staff } = await ordersByCourier(s, "steadfast");
    await rejects(
      couriers.book(number, staff.user.id),
      (e: Error) => e.name === "CourierError" && /401/.test(e.message),
    );
    equal(await couriers.parcel(number), null);
    equal((await s.deps.shop.order(number))!.status, "confirmed");
    ok(fake.orders.size === 0);
  });
});

Deno.test("steadfast: a returned parcel cancels the order and puts its milk back into stock", async () => {
  const fake = new FakeSteadfast();
  await withCourier(fake, { COURIER_STEADFAST_CHARGE_MINOR: 5000 }, async (s) => {
    const { couriers, number, staff } = await ordersByCourier(s, "steadfast");
    const parcel = await couriers.book(number, staff.user.id);
    const hook = (status: string) =>
      statusHook(s, parcel.consignmentId, number, status, fake.webhookToken);
    const before = await stockOf(s.sql, "MILK-1000");
    equal((await hook("pending")).status, 200);
    equal((await s.deps.shop.order(number))!.status, "out_for_delivery");
    equal(await stockOf(s.sql, "MILK-1000"), before, "reserved milk was already counted out");
    equal((await hook("returned")).status, 200);
    equal((await hook("returned")).status, 200, "a repeated return is harmless");
    const o = (await s.deps.shop.order(number))!;
    equal(o.status, "cancelled");
    match(
      o.events.at(-1)!.note ?? "",
      new RegExp(`Returned by Steadfast ${parcel.consignmentId}`),
    );
    equal(await stockOf(s.sql, "MILK-1000"), before + 4, "the 4 litres are back in their lot");
    const [{ n }] = await s.sql`select count(*)::int as n from shop_cod_collections`;
    equal(n, 0, "no cash was collected");
  });
});

Deno.test("couriers per order: staff see each courier's price and send one parcel another way", async () => {
  const steadfast = new FakeSteadfast();
  const paperfly = new FakePaperfly();
  try {
    await withShop(async (s) => {
      const { placed, date, staff, couriers } = await ordersByCourier(s, "steadfast", 2);
      const day = await couriers.day(date);
      const row = day.waiting.find((w) => w.number === placed[0].number)!;
      equal(row.courier, "steadfast");
      equal(row.prices.steadfast, 5000);
      equal(row.prices.paperfly, 6500);
      // The page offers both, the zone's courier chosen.
      const html = await (await s.fetch(`/admin/delivery/couriers?date=${date}`, {
        headers: { cookie: staff.cookie },
      })).text();
      match(html, /<option value="steadfast" selected[^>]*>Steadfast — ৳50/);
      match(html, /<option value="paperfly"[^>]*>Paperfly — ৳65/);

      // One order goes with Paperfly, the other with its zone's Steadfast.
      const a = await couriers.book(placed[0].number, staff.user.id, 1, "paperfly");
      equal(a.courier, "paperfly");
      equal(paperfly.orders.size, 1);
      const b = await couriers.book(placed[1].number, staff.user.id);
      equal(b.courier, "steadfast");
      equal(steadfast.orders.size, 1);
      // An unknown courier is a clear refusal.
      await rejects(
        couriers.quote(placed[1].number, 1, "dhl" as never),
        (e: Error) => e.name === "ValidationError",
      );
    }, {
      config: {
        ...steadfast.config,
        ...paperfly.config,
        COURIER_STEADFAST_CHARGE_MINOR: 5000,
        COURIER_PAPERFLY_CHARGE_MINOR: 6500,
      },
    });
  } finally {
    await steadfast.stop();
    await paperfly.stop();
  }
});
