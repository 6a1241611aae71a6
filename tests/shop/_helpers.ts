/**
 * Shop test fixtures: the web app in-process with the shop seeded (and, when asked, the fake
 * payment providers running on loopback ports and configured), customers with sessions, and a
 * valid checkout for a Gulshan address.
 */
import { equal } from "node:assert/strict";
import type { OrderDeps } from "@/services/shop/mod.ts";
import { createInventory } from "@/services/inventory/mod.ts";
import { type TestApp, type TestClock, testClock, withTestApp } from "@/tests/helpers/app.ts";
import { seedShop } from "@/scripts/seed_shop.ts";
import { type FakeProviders, startFakeProviders } from "@/services/payments/fakes/mod.ts";
import { createUser, type User } from "@/services/identity/users.ts";
import type { Role } from "@/services/identity/roles.ts";
import { sessionStore } from "@/services/identity/sessions.ts";
import { toSessionUser } from "@/plugins/session.ts";
import type { Sql } from "@/services/platform/db.ts";
import { type CheckoutInput, placeOrder } from "@/services/shop/orders.ts";
import type { PaymentMethod } from "@/services/payments/types.ts";
import { availableDates, getSlot } from "@/services/shop/delivery.ts";
import { addDays, dhakaDate, dhakaInstant } from "@/services/platform/dhaka.ts";
import { offeredMethods } from "@/services/payments/settings.ts";
import type { StartContext } from "@/services/payments/payments.ts";
import type { Config } from "@/services/platform/config.ts";

export interface ShopTest extends TestApp {
  sql: Sql;
  kv: Deno.Kv;
  fakes: FakeProviders | null;
  /** Payments' own context (as contexts.ts wires it), with what order changes need. */
  pay: StartContext & OrderDeps;
  /** What placing and moving orders needs: the keyring and inventory's stock port. */
  od: OrderDeps;
  /**
   * The app's clock: by default today (in Dhaka) at 10:00 Dhaka time, whatever the machine's
   * hour, running on with real time; `clock.set(dhakaInstant(date, "00:30"))` moves it.
   */
  clock: TestClock;
  /** A new account with a signed-in session cookie. */
  user(roles?: Role[], opts?: { locale?: "en" | "bn" }): Promise<{ user: User; cookie: string }>;
}

let phoneSeq = 0;

export async function withShop<T>(
  fn: (s: ShopTest) => Promise<T>,
  opts: {
    fakes?: boolean;
    config?: Partial<Config>;
    /** Packs per SKU (inventory lots), 200 by default. */
    stock?: number;
    clock?: TestClock;
  } = {},
): Promise<T> {
  const fakes = opts.fakes ? startFakeProviders() : null;
  const clock = opts.clock ?? testClock(dhakaInstant(dhakaDate(new Date()), "10:00"));
  try {
    return await withTestApp(async (t) => {
      const sql = t.db.sql;
      const kv = t.deps.kv!;
      // Stock that outlasts the tests' clock (it runs days ahead): lots expire in 60 days.
      const today = dhakaDate(clock.now());
      await seedShop(sql, { stock: opts.stock, on: today, expiresOn: addDays(today, 60) });
      // The shop's clock too: orders placed directly are judged at the app's time (cut-offs).
      const od: OrderDeps = {
        keyring: t.deps.keyring,
        stock: t.deps.inventory.port,
        now: () => clock.now(),
      };
      // The app's own payment context: its order and identity interfaces, as contexts.ts wires them.
      const pay = { ...t.deps.payments.context(), ...od };
      return await fn({
        ...t,
        sql,
        kv,
        fakes,
        pay,
        od,
        clock,
        async user(roles: Role[] = ["customer"], o = {}) {
          const n = String(++phoneSeq + Math.floor(Math.random() * 1000) * 1000).padStart(8, "0");
          const user = await createUser(sql, t.deps.keyring, {
            phone: `+88017${n}`,
            displayName: `Test ${roles.join("+")} ${n}`,
            password: "correct horse battery staple",
            locale: o.locale ?? "en",
            roles,
          });
          const { token } = await sessionStore(kv).create({
            user: toSessionUser(user),
            stage: "signed_in",
            totpEnabled: false,
            secondFactorAt: Date.now(),
          });
          return { user, cookie: `sd_session=${token}` };
        },
      });
    }, {
      config: {
        ...(fakes?.config ?? {}),
        PAYMENT_FAKES: "off",
        PAYMENT_TIMEOUT_MS: 1500,
        ...opts.config,
      },
      clock,
    });
  } finally {
    await fakes?.stop();
  }
}

/** Staff take an order through packed and out for delivery to delivered, with the cash collected. */
export async function deliverOrder(
  s: ShopTest,
  orderId: string,
  actorId: string,
  cod?: { riderId: string; rider: string; amountMinor: number },
) {
  for (const to of ["packed", "out_for_delivery"] as const) {
    await s.deps.shop.setOrderStatus({ orderId, to, actorId });
  }
  await s.deps.shop.setOrderStatus({ orderId, to: "delivered", actorId, cod });
}

/** A new admin delivers the order (as the rider of the cash, when `cod`); the admin is returned. */
export async function deliverAsAdmin(
  s: ShopTest,
  orderId: string,
  cod?: { rider: string; amountMinor: number },
) {
  const { user } = await s.user(["admin"]);
  await deliverOrder(s, orderId, user.id, cod && { ...cod, riderId: user.id });
  return user;
}

/** A valid checkout: Gulshan, the first bookable morning, cash on delivery unless changed. */
export async function checkoutFor(
  sql: Sql,
  over: Partial<CheckoutInput> = {},
  now = new Date(),
): Promise<CheckoutInput> {
  const [g] = await sql`
    select z.id as zone_id, u.id as upazila_id, d.id as district_id, d.division_id
    from delivery_zones z join shop_zone_upazilas zu on zu.zone_id = z.id
    join geo_upazilas u on u.id = zu.upazila_id join geo_districts d on d.id = u.district_id
    where z.code = 'gulshan' limit 1`;
  const slot = (await getSlot(sql, "morning"))!;
  return {
    recipient: "Rahima Begum",
    phone: "+8801711000101",
    line: "House 12, Road 5, Gulshan 2",
    divisionId: g.division_id,
    districtId: g.district_id,
    upazilaId: g.upazila_id,
    zoneId: Number(g.zone_id),
    deliveryDate: availableDates(slot, now, 1)[0],
    slotCode: "morning",
    paymentMethod: "cod",
    discountCode: undefined,
    note: undefined,
    ...over,
  };
}

/** A guest's order of one ghee (500 g) to Gulshan, to be paid by `method`. */
export async function guestGheeOrder(s: ShopTest, method: PaymentMethod) {
  return await placeOrder(s.sql, s.od, {
    userId: null,
    locale: "en",
    items: [{ variantId: await variantId(s.sql, "GHEE-500"), qty: 1 }],
    checkout: await checkoutFor(s.sql, { paymentMethod: method }),
    allowedMethods: offeredMethods(s.pay.providers, false),
  });
}

/** The request of a browser returning from SSLCommerz's page with the form `fields`. */
export const sslcommerzReturn = (fields: Record<string, string>) => ({
  method: "POST",
  body: new URLSearchParams(fields),
  redirect: "manual" as const,
  headers: {
    "content-type": "application/x-www-form-urlencoded",
    origin: "https://sandbox.sslcommerz.com",
  },
});

/** A variant id by SKU (seeded catalogue). */
export async function variantId(sql: Sql, sku: string): Promise<number> {
  const [v] = await sql`select id from shop_variants where sku = ${sku}`;
  if (!v) throw new Error(`no variant ${sku}`);
  return Number(v.id);
}

/**
 * Packs of a SKU available today (inventory: released, unexpired lots less reservations; the
 * seeded lots outlast any test clock).
 */
export async function stockOf(sql: Sql, sku: string): Promise<number> {
  const port = createInventory({ sql }).port;
  return (await port.availableBySku([sku], dhakaDate(new Date()))).get(sku) ?? 0;
}

/** Reads the CSRF token of a page fetched with `cookie` and returns the combined cookies. */
export async function pageForm(
  t: TestApp,
  path: string,
  cookie: string,
): Promise<{ cookie: string; token: string; html: string; status: number }> {
  const res = await t.fetch(path, { headers: { cookie } });
  const html = await res.text();
  const set = res.headers.getSetCookie().map((c) => c.split(";")[0]);
  const jar = new Map(cookie.split("; ").filter(Boolean).map((c) => [c.split("=")[0], c]));
  for (const c of set) jar.set(c.split("=")[0], c);
  const token = html.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "";
  return { cookie: [...jar.values()].join("; "), token, html, status: res.status };
}

export function post(
  t: TestApp,
  path: string,
  fields: Record<string, string>,
  s: { cookie: string; token: string },
): Promise<Response> {
  return t.fetch(path, {
    method: "POST",
    body: new URLSearchParams({ _csrf: s.token, ...fields }),
    redirect: "manual",
    headers: {
      cookie: s.cookie,
      origin: "http://localhost",
      host: "localhost",
      "content-type": "application/x-www-form-urlencoded",
    },
  });
}

/**
 * Puts `qty` ghee in the cart through the product page's form (asserting the 303) and returns
 * the checkout page with the session's cookies.
 */
export async function gheeToCheckout(s: ShopTest, cookie: string, qty: number) {
  const ghee = await variantId(s.sql, "GHEE-500");
  const product = await pageForm(s, "/shop/products/pure-ghee", cookie);
  const add = await post(s, "/shop/cart", {
    action: "add",
    variantId: String(ghee),
    qty: String(qty),
    back: "/shop/products/pure-ghee",
  }, product);
  equal(add.status, 303);
  return await pageForm(s, "/shop/checkout", product.cookie);
}

/**
 * The address fields of a form for Tanvir Hasan in Banani (`g`: the zone's `division`,
 * `district`, `thana` and `zone` ids).
 */
export function bananiAddress(
  g: Record<string, unknown>,
): Record<string, string> {
  return {
    recipient: "Tanvir Hasan",
    phone: "01913-000104",
    line: "House 7, Road 11, Banani",
    divisionId: String(g.division),
    districtId: String(g.district),
    upazilaId: String(g.thana),
    zoneId: String(g.zone),
  };
}

/**
 * Replaces a SKU's sellable stock with `lots` (each received as a released lot; the seeded lots
 * are put on hold): the last units, spread over lots, locations and expiry dates.
 */
export async function stockLots(
  s: ShopTest,
  sku: string,
  lots: { qty: number; location?: string; producedOn?: string; expiresOn?: string }[],
): Promise<{ lotId: number; lotCode: string }[]> {
  const inv = s.deps.inventory;
  const actor = { id: null, name: "test" };
  const item = (await inv.port.item(s.sql, `FG-${sku}`))!;
  for (const l of await inv.lots({ itemCode: item.code })) {
    await inv.port.setLotStatus(s.sql, { lotId: l.id, status: "hold", reason: "test", actor });
  }
  const today = dhakaDate(s.clock.now());
  const out = [];
  for (const l of lots) {
    out.push(
      await inv.port.receive(s.sql, {
        itemCode: item.code,
        locationCode: l.location ?? "PLANT-COLD1",
        qty: l.qty,
        producedOn: l.producedOn ?? today,
        expiresOn: l.expiresOn ?? addDays(today, 60),
        status: "released",
        ref: { kind: "production", id: `test-${crypto.randomUUID().slice(0, 8)}` },
        actor,
      }),
    );
  }
  return out;
}
