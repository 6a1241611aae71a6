/**
 * Delivery fixtures: the shop's test app with cash-on-delivery orders for one day, zone and slot,
 * a rider (staff user with the rider role) and the app's clock moved to that day.
 */
import { placeOrder } from "@/services/shop/orders.ts";
import { dhakaInstant } from "@/services/platform/dhaka.ts";
import { checkoutFor, type ShopTest, variantId } from "@/tests/shop/_helpers.ts";

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
