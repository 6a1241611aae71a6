/**
 * Delivery fixtures: the shop's test app with cash-on-delivery orders for one day, zone and slot,
 * a rider (staff user with the rider role) and the app's clock moved to that day; routes, a
 * phone's sync outbox, and fake couriers.
 */
import { equal } from "node:assert/strict";
import { placeOrder } from "@/services/shop/orders.ts";
import { dhakaInstant } from "@/services/platform/dhaka.ts";
import type { Config } from "@/services/platform/config.ts";
import { checkoutFor, type ShopTest, variantId, withShop } from "@/tests/shop/_helpers.ts";

export const ALL = ["bkash", "nagad", "sslcommerz", "bank_transfer", "cod", "balance"] as const;

/** `n` COD orders (4 milk each) for the first bookable morning in Gulshan; the clock moves there. */
export async function ordersForOneDay(s: ShopTest, n: number, locale: "en" | "bn" = "en") {
  const milk = await variantId(s.sql, "MILK-1000");
  const checkout = await checkoutFor(s.sql, {}, s.clock.now());
  const placed = [];
  for (let i = 0; i < n; i++) {
    placed.push(
      await placeOrder(s.sql, s.od, {
        userId: null,
        locale,
        items: [{ variantId: milk, qty: 4 }],
        checkout: { ...checkout, recipient: `Customer ${i + 1}` },
        allowedMethods: ALL,
      }),
    );
  }
  // The rider's day is the delivery day (Dhaka), early in the morning.
  s.clock.set(dhakaInstant(checkout.deliveryDate, "07:30"));
  return { placed, date: checkout.deliveryDate, zoneId: checkout.zoneId, slotCode: "morning" };
}

/** The path (no origin) of a tracking link in a message body. */
export function trackPath(body: string): string | null {
  const m = body.match(/https?:\/\/[^\s]+(\/track\/[^\s]+)/);
  return m ? m[1] : null;
}

/** `n` orders for one day on a route of their zone and slot: a rider's, made by a sales user. */
export async function routeForDay(s: ShopTest, n = 2) {
  const day = await ordersForOneDay(s, n);
  const rider = await s.user(["rider"]);
  const staff = await s.user(["sales"]);
  const routeId = await s.deps.delivery.createRoute({
    date: day.date,
    zoneId: day.zoneId,
    slotCode: day.slotCode,
    riderId: rider.user.id,
  }, staff.user.id);
  return { ...day, rider, staff, routeId };
}

/** A route of `n` orders sent out: its stops as the rider's day lists them, and the app's now. */
export async function dispatchedStops(s: ShopTest, n: number) {
  const route = await routeForDay(s, n);
  await s.deps.delivery.dispatch(route.routeId, route.staff.user.id);
  const stops = (await s.deps.delivery.riderDay(route.rider.user.id)).flatMap((r) => r.stops);
  return { ...route, stops, at: s.clock.now().toISOString() };
}

/**
 * A phone's offline outbox (the rider's /rider/sync, the rep's /field/sync): the session cookie
 * and the CSRF token the GET hands out; the answer sends entries and reads the JSON reply.
 */
export async function phoneSync(s: ShopTest, path: "/rider/sync" | "/field/sync", cookie: string) {
  const res = await s.fetch(path, { headers: { cookie, accept: "application/json" } });
  equal(res.status, 200);
  const set = res.headers.getSetCookie().map((c) => c.split(";")[0]);
  const jar = [cookie, ...set].join("; ");
  const { csrf } = await res.json();
  return async (entries: unknown[]) => {
    const r = await s.fetch(path, {
      method: "POST",
      body: JSON.stringify({ entries }),
      headers: {
        cookie: jar,
        "x-csrf-token": csrf,
        "content-type": "application/json",
        accept: "application/json",
        origin: "http://localhost",
        host: "localhost",
      },
    });
    return { status: r.status, body: await r.json() };
  };
}

/** A fake courier on loopback: the shop runs configured for it (and `config`); the fake stops after. */
export async function withCourier(
  fake: { config: Partial<Config>; stop(): Promise<void> },
  config: Partial<Config>,
  fn: (s: ShopTest) => Promise<void>,
) {
  try {
    await withShop(fn, { config: { ...fake.config, ...config } });
  } finally {
    await fake.stop();
  }
}

/** `n` orders for one day in a zone sent with a flat-price courier (no Pathao ids), and a sales user. */
export async function ordersByCourier(s: ShopTest, courier: "steadfast" | "paperfly", n = 1) {
  const day = await ordersForOneDay(s, n);
  const staff = await s.user(["sales"]);
  const couriers = s.deps.delivery.couriers;
  await couriers.setZoneCourier({
    zoneId: day.zoneId,
    courier,
    pathaoCity: null,
    pathaoZone: null,
  });
  return { ...day, staff, couriers, number: day.placed[0].number };
}

/**
 * The order was delivered exactly once and one cash collection was recorded for it, by `rider`
 * (a rider's name or a courier's) for `amountMinor`. Returns the order.
 */
export async function deliveredOnce(
  s: ShopTest,
  number: string,
  cod: { rider: string | null; amountMinor: number },
) {
  const o = (await s.deps.shop.order(number))!;
  equal(o.status, "delivered");
  equal(o.events.filter((e) => e.toStatus === "delivered").length, 1);
  const rows = await s.sql`select rider, amount_minor from shop_cod_collections`;
  equal(rows.length, 1);
  equal(rows[0].rider, cod.rider);
  equal(Number(rows[0].amount_minor), cod.amountMinor);
  return o;
}
