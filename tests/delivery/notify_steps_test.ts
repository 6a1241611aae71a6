import { equal, match, ok } from "node:assert/strict";
import { createUser } from "@/services/identity/users.ts";
import { placeOrder } from "@/services/shop/orders.ts";
import { checkoutFor, type ShopTest, variantId, withShop } from "@/tests/shop/_helpers.ts";
import { ALL, ordersForOneDay } from "./_helpers.ts";

async function messages(s: ShopTest, template: string) {
  return await s.sql`
    select channel, recipient, body, subject, locale, params from outbox_messages
    where template = ${template} order by id`;
}

Deno.test("delivery steps reach the customer in their language by the channel they prefer (WhatsApp here): dispatched, failed, delivered", async () => {
  await withShop(async (s) => {
    const { placed, date, zoneId, slotCode } = await ordersForOneDay(s, 2, "bn");
    const phone = "+8801711000101"; // the checkout's number
    await s.deps.notify.setPreferences(phone, {
      orderUpdates: true,
      promotional: false,
      channel: "whatsapp",
    });
    equal((await s.deps.notify.preferences(phone)).channel, "whatsapp");
    const rider = await s.user(["rider"]);
    const staff = await s.user(["sales"]);
    const routeId = await s.deps.delivery.createRoute(
      { date, zoneId, slotCode, riderId: rider.user.id },
      staff.user.id,
    );
    await s.deps.delivery.dispatch(routeId, staff.user.id);
    const out = await messages(s, "shop.out_for_delivery");
    equal(out.length, 2);
    for (const m of out) {
      equal(m.channel, "whatsapp");
      equal(m.recipient, phone);
      equal(m.locale, "bn");
      match(m.body, /আপনার কাছে পৌঁছানোর পথে/);
      const params = typeof m.params === "string" ? JSON.parse(m.params) : m.params;
      match(params[1], /\/track\//, "the tracking link is a template parameter");
    }
    const stops = (await s.deps.delivery.riderDay(rider.user.id)).flatMap((r) => r.stops);
    const at = s.clock.now().toISOString();
    const failed = {
      id: crypto.randomUUID(),
      stopId: stops[1].id,
      action: "failed",
      at,
      reason: "গেট বন্ধ",
    };
    await s.deps.delivery.syncRider([
      {
        id: crypto.randomUUID(),
        stopId: stops[0].id,
        action: "delivered",
        at,
        note: "guard",
        codMinor: stops[0].codDueMinor,
      },
      failed,
    ], { id: rider.user.id });
    await s.deps.delivery.syncRider([failed], { id: rider.user.id }); // sent again: told once
    const f = await messages(s, "shop.delivery_failed");
    equal(f.length, 1);
    equal(f[0].channel, "whatsapp");
    match(f[0].body, /পৌঁছে দেওয়া যায়নি \(গেট বন্ধ\)/);
    const d = await messages(s, "shop.delivered");
    equal(d.length, 1);
    equal(d[0].channel, "whatsapp");
    equal(placed.length, 2);
  });
});

Deno.test("order updates by email when preferred and the account has an address; SMS when the chosen channel cannot reach them", async () => {
  await withShop(async (s) => {
    const milk = await variantId(s.sql, "MILK-1000");
    const checkout = await checkoutFor(s.sql, {}, s.clock.now());
    const user = await createUser(s.sql, s.deps.keyring, {
      phone: "+8801711000101",
      email: "rahima@example.com",
      displayName: "Rahima",
      password: "correct horse battery staple",
      locale: "en",
      roles: ["customer"],
    });
    const place = () =>
      placeOrder(s.sql, s.od, {
        userId: user.id,
        locale: "en",
        items: [{ variantId: milk, qty: 4 }],
        checkout: { ...checkout, recipient: "Rahima" },
        allowedMethods: ALL,
      });
    const staff = await s.user(["sales"]);
    const send = async (orderId: string) => {
      for (const to of ["packed", "out_for_delivery"] as const) {
        await s.deps.shop.setOrderStatus({ orderId, to, actorId: staff.user.id });
      }
    };
    // The account page offers email (the account has one) and saves the choice with it.
    const cookie = await signIn(s, user.id);
    const page = await s.fetch("/account/notifications", { headers: { cookie } });
    const html = await page.text();
    ok(html.includes('<option value="email"'));
    const csrf = html.match(/name="_csrf" value="([^"]+)"/)![1];
    const saved = await s.fetch("/account/notifications", {
      method: "POST",
      headers: {
        cookie: [cookie, ...page.headers.getSetCookie().map((c) => c.split(";")[0])].join("; "),
        "content-type": "application/x-www-form-urlencoded",
        origin: "http://localhost",
      },
      body: new URLSearchParams({ _csrf: csrf, order_updates: "on", channel: "email" }),
    });
    equal(saved.status, 303);
    equal((await s.deps.notify.preferences("+8801711000101")).channel, "email");
    const a = await place();
    await send(a.id);
    const [mail] = await messages(s, "shop.out_for_delivery");
    equal(mail.channel, "email");
    equal(mail.recipient, "rahima@example.com");
    equal(mail.subject, `Smart Dairy: your order ${a.number}`);
    match(mail.body, /on its way/);
    // Push chosen, but no device subscribed: SMS.
    await s.deps.notify.setPreferences("+8801711000101", {
      orderUpdates: true,
      promotional: true,
      channel: "push",
    });
    const b = await place();
    await send(b.id);
    const sms = (await messages(s, "shop.out_for_delivery"))[1];
    equal(sms.channel, "sms");
    equal(sms.recipient, "+8801711000101");
  });
});

/** A session cookie for an existing user (the shop helper makes new users only). */
async function signIn(s: ShopTest, userId: string): Promise<string> {
  const { sessionStore } = await import("@/services/identity/sessions.ts");
  const { toSessionUser } = await import("@/plugins/session.ts");
  const { getUser } = await import("@/services/identity/users.ts");
  const u = (await getUser(s.sql, s.deps.keyring, userId))!;
  const { token } = await sessionStore(s.kv).create({
    user: toSessionUser(u),
    stage: "signed_in",
    totpEnabled: false,
    secondFactorAt: Date.now(),
  });
  return `sd_session=${token}`;
}
