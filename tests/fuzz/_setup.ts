/**
 * The world the fuzz suite walks: the seeded shop with an order, a cow, a medicine and a device,
 * so that pages with ids in their paths are reached with real ids too; and signed-in visitors.
 */
import type { Role } from "@/services/identity/roles.ts";
import { createDevice } from "@/services/iot/devices.ts";
import { placeOrder } from "@/services/shop/orders.ts";
import { makeCow, makeMedicine } from "@/tests/farm/_helpers.ts";
import { checkoutFor, type ShopTest, variantId, withShop } from "@/tests/shop/_helpers.ts";
import { Visitor } from "./_fuzz.ts";

export async function withFuzzWorld<T>(fn: (s: ShopTest) => Promise<T>): Promise<T> {
  return await withShop(async (s) => {
    await makeCow(s.sql);
    await makeMedicine(s.sql);
    await createDevice(s.sql, { id: "fz-room-1", type: "room_sensor", name: "Fuzz room" });
    // Noon in Dhaka tomorrow: a time when the next delivery is bookable, whatever the hour now.
    const d = s.clock.now();
    const now = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1, 6));
    try {
      await placeOrder(s.sql, s.od, {
        now,
        userId: null,
        locale: "en",
        items: [{ variantId: await variantId(s.sql, "MILK-1000"), qty: 6 }],
        checkout: await checkoutFor(s.sql, {}, now),
        allowedMethods: ["cod"],
      });
    } catch (e) {
      console.error("fuzz world: no order", e);
    }
    return await fn(s);
  });
}

/** A visitor signed in with these roles (staff with their second factor done). */
export async function signedIn(s: ShopTest, roles: Role[]): Promise<Visitor> {
  const { cookie } = await s.user(roles);
  return new Visitor(s, roles.join("+"), cookie);
}
