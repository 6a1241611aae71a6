/** The world the fuzz suite walks: the seeded shop, a few cows and medicines, signed-in visitors. */
import type { Role } from "@/services/identity/roles.ts";
import { makeCow, makeMedicine } from "@/tests/farm/_helpers.ts";
import { type ShopTest, withShop } from "@/tests/shop/_helpers.ts";
import { Visitor } from "./_fuzz.ts";

export async function withFuzzWorld<T>(fn: (s: ShopTest) => Promise<T>): Promise<T> {
  return await withShop(async (s) => {
    await makeCow(s.sql);
    await makeMedicine(s.sql);
    return await fn(s);
  });
}

/** A visitor signed in with these roles (staff with their second factor done). */
export async function signedIn(s: ShopTest, roles: Role[]): Promise<Visitor> {
  const { cookie } = await s.user(roles);
  return new Visitor(s, roles.join("+"), cookie);
}
