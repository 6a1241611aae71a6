/**
 * Unpaid orders: a payment the customer cancels brings the cart back (the unpaid order cancelled,
 * its stock released); an order still unpaid after PAYMENT_UNPAID_MINUTES (default 30) is
 * cancelled by the sweep with its items back in the cart; "My orders" hides orders cancelled
 * before any payment unless asked.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { placeOrder } from "@/services/shop/orders.ts";
import { offeredMethods } from "@/services/payments/settings.ts";
import { sweepPayments } from "@/services/payments/reconciliation.ts";
import { startPayment } from "@/services/payments/payments.ts";
import { getCart, userOwner } from "@/services/shop/cart.ts";
import { availableDates, getSlot } from "@/services/shop/delivery.ts";
import { checkoutFor, type ShopTest, stockOf, variantId, withShop } from "../shop/_helpers.ts";

async function customerOrder(s: ShopTest, userId: string, method: "bkash" | "sslcommerz") {
  // Placed at the machine's time, like the payment attempt the provider records next.
  const placed = await placeOrder(s.sql, s.od, {
    now: new Date(),
    userId,
    locale: "en",
    items: [
      { variantId: await variantId(s.sql, "GHEE-500"), qty: 2 },
      { variantId: await variantId(s.sql, "MILK-1000"), qty: 3 },
    ],
    // The second open morning: its cut-off is a day away whatever the hour, so only the unpaid
    // minutes decide (the first one's may fall within the half hour, late in the evening).
    checkout: await checkoutFor(s.sql, {
      paymentMethod: method,
      deliveryDate: availableDates((await getSlot(s.sql, "morning"))!, new Date(), 2)[1],
    }),
    allowedMethods: offeredMethods(s.pay.providers, true),
  });
  const started = await startPayment(s.pay, placed.paymentId!, { origin: "http://localhost" });
  ok(started.ok);
  const [payment] = await s.sql`select * from shop_payments where order_id = ${placed.id}`;
  return { placed, payment };
}

const cartOf = async (s: ShopTest, userId: string) =>
  (await getCart(s.deps.kv, userOwner(userId))).items.map((i) => [i.variantId, i.qty]).sort();

Deno.test("unpaid: cancelling at bKash brings the cart back and releases the stock", async () => {
  await withShop(async (s) => {
    const { user, cookie } = await s.user();
    const ghee = await stockOf(s.sql, "GHEE-500");
    const { placed, payment } = await customerOrder(s, user.id, "bkash");
    equal(await stockOf(s.sql, "GHEE-500"), ghee - 2);

    const back = new URL(s.fakes!.bkash.cancel(payment.provider_ref));
    const res = await s.fetch(back.pathname + back.search, { redirect: "manual" });
    equal(res.headers.get("location"), "/shop/cart?pay=cancelled");
    const [o] = await s.sql`select status from shop_orders where id = ${placed.id}`;
    equal(o.status, "cancelled");
    equal(await stockOf(s.sql, "GHEE-500"), ghee, "the reserved ghee is for sale again");
    deepEqual(
      await cartOf(s, user.id),
      [
        [await variantId(s.sql, "GHEE-500"), 2],
        [await variantId(s.sql, "MILK-1000"), 3],
      ].sort(),
    );

    // The same return again (a reload) neither cancels twice nor doubles the cart.
    await s.fetch(back.pathname + back.search, { redirect: "manual" });
    equal((await cartOf(s, user.id)).length, 2);
    equal((await cartOf(s, user.id))[0][1] + (await cartOf(s, user.id))[1][1], 5);

    const cart = await (await s.fetch("/shop/cart?pay=cancelled", { headers: { cookie } })).text();
    ok(cart.includes("Payment cancelled. Your items are back in your cart"));
    ok(cart.includes("Pure cow ghee"));

    // "My orders" leaves out the order given up before payment, unless asked.
    const mine = await (await s.fetch("/shop/orders", { headers: { cookie } })).text();
    ok(!mine.includes(placed.number), "hidden by default");
    const all = await (await s.fetch("/shop/orders?cancelled=1", { headers: { cookie } })).text();
    ok(all.includes(placed.number), "shown when asked");
  }, { fakes: true });
});

Deno.test("unpaid: the sweep cancels an order left unpaid past the configured minutes, cart restored", async () => {
  await withShop(async (s) => {
    const { user } = await s.user();
    const { placed, payment } = await customerOrder(s, user.id, "sslcommerz");
    const placedAt = (await s.sql`select placed_at from shop_orders where id = ${placed.id}`)[0]
      .placed_at as Date;
    // The payment page was left open: the attempt ends as expired, nothing comes back.
    await s.sql`update shop_payments set status = 'failed' where id = ${payment.id}`;
    const at = (minutes: number) => new Date(placedAt.getTime() + minutes * 60_000);
    const ctx = { ...s.pay, keyring: s.deps.keyring };

    equal((await sweepPayments(ctx, at(29), 30 * 60_000)).ordersCancelled, 0, "29 minutes: waits");
    equal(
      (await s.sql`select status from shop_orders where id = ${placed.id}`)[0].status,
      "pending_payment",
    );
    equal(
      (await sweepPayments(ctx, at(31), 45 * 60_000)).ordersCancelled,
      0,
      "a 45-minute setting",
    );
    equal(
      (await sweepPayments(ctx, at(31), 30 * 60_000)).ordersCancelled,
      1,
      "31 minutes: cancelled",
    );
    equal(
      (await s.sql`select status from shop_orders where id = ${placed.id}`)[0].status,
      "cancelled",
    );
    equal((await cartOf(s, user.id)).length, 2, "its items are back in the cart");
    equal((await sweepPayments(ctx, at(40), 30 * 60_000)).ordersCancelled, 0, "once");
    equal((await cartOf(s, user.id)).length, 2);
  }, { fakes: true });
});
