import { equal, match, ok, rejects } from "node:assert/strict";
import { placeOrder } from "@/services/shop/orders.ts";
import { getOrder } from "@/services/shop/orders.ts";
import { transitionOrder } from "@/services/shop/order_status.ts";
import { cancelOrder } from "@/services/shop/cancel.ts";
import { ShopError } from "@/services/shop/errors.ts";
import { checkoutFor, stockOf, variantId, withShop } from "./_helpers.ts";

const ALL = ["bkash", "nagad", "sslcommerz", "bank_transfer", "cod", "balance"] as const;
const code = (c: string) => (e: unknown) => e instanceof ShopError && e.code === c;

Deno.test("orders: placing reserves stock, numbers the order and queues the message", async () => {
  await withShop(async (s) => {
    const milk = await variantId(s.sql, "MILK-1000");
    const ghee = await variantId(s.sql, "GHEE-250");
    const before = await stockOf(s.sql, "MILK-1000");
    const placed = await placeOrder(s.sql, s.od, {
      userId: null,
      locale: "bn",
      items: [{ variantId: milk, qty: 2 }, { variantId: ghee, qty: 1 }, {
        variantId: milk,
        qty: 1,
      }],
      checkout: await checkoutFor(s.sql),
      allowedMethods: ALL,
    });
    match(placed.number, /^SD-\d{4}-\d{6}$/);
    equal(placed.status, "confirmed"); // cash on delivery
    equal(await stockOf(s.sql, "MILK-1000"), before - 3);
    const o = (await getOrder(s.sql, s.deps.keyring, { id: placed.id }))!;
    equal(o.lines.length, 2);
    equal(o.subtotalMinor, 3 * 9500 + 45000);
    equal(o.deliveryFeeMinor, 4000); // Gulshan
    equal(o.totalMinor, o.subtotalMinor + 4000);
    equal(o.vatMinor, 5870); // only the ghee: 15 % inside ৳450
    equal(o.contact.line, "House 12, Road 5, Gulshan 2");
    const [raw] = await s.sql`select line_enc, phone_enc from shop_orders where id = ${placed.id}`;
    ok(
      !raw.line_enc.includes("Gulshan") && !raw.phone_enc.includes("1711"),
      "address stored encrypted",
    );
    const msgs = await s
      .sql`select body, locale from outbox_messages where template = 'shop.order_placed'`;
    equal(msgs.length, 1);
    equal(msgs[0].locale, "bn");
    ok(msgs[0].body.includes(placed.number));
  });
});

Deno.test("orders: refusals leave nothing behind", async () => {
  await withShop(async (s) => {
    const keyring = s.od;
    const lassi = await variantId(s.sql, "LASSI-250");
    const base = { userId: null, locale: "en" as const, allowedMethods: ALL };
    // Below Gulshan's ৳300 minimum.
    await rejects(
      placeOrder(s.sql, keyring, {
        ...base,
        items: [{ variantId: lassi, qty: 1 }],
        checkout: await checkoutFor(s.sql),
      }),
      code("min_order"),
    );
    // More than the shelf holds.
    await rejects(
      placeOrder(s.sql, keyring, {
        ...base,
        items: [{ variantId: lassi, qty: 500 }],
        checkout: await checkoutFor(s.sql),
      }),
      code("out_of_stock"),
    );
    // A thana that is not in the chosen zone.
    const [mirpur] = await s
      .sql`select id from geo_upazilas where name_en = 'Mirpur' and kind = 'metro_thana'`;
    await rejects(
      placeOrder(s.sql, keyring, {
        ...base,
        items: [{ variantId: lassi, qty: 10 }],
        checkout: await checkoutFor(s.sql, { upazilaId: mirpur.id }),
      }),
      code("zone_not_covering"),
    );
    // A district from another division.
    await rejects(
      placeOrder(s.sql, keyring, {
        ...base,
        items: [{ variantId: lassi, qty: 10 }],
        checkout: await checkoutFor(s.sql, { divisionId: 1 }),
      }),
      code("address_mismatch"),
    );
    // A method that is not offered.
    await rejects(
      placeOrder(s.sql, keyring, {
        ...base,
        allowedMethods: ["cod"],
        items: [{ variantId: lassi, qty: 10 }],
        checkout: await checkoutFor(s.sql, { paymentMethod: "bkash" }),
      }),
      code("payment_method_unavailable"),
    );
    equal((await s.sql`select count(*)::int as n from shop_orders`)[0].n, 0);
    equal(await stockOf(s.sql, "LASSI-250"), 200);
    equal((await s.sql`select count(*)::int as n from outbox_messages`)[0].n, 0);
  });
});

Deno.test("orders: discount codes are checked, shared over lines and capped in uses", async () => {
  await withShop(async (s) => {
    const ghee = await variantId(s.sql, "GHEE-500");
    await s.sql`insert into shop_discount_codes (code, kind, value, max_uses, once_per_customer)
      values ('ONCE', 'fixed', 5000, 1, false)`;
    const input = async () => ({
      userId: null,
      locale: "en" as const,
      allowedMethods: ALL,
      items: [{ variantId: ghee, qty: 1 }],
      checkout: await checkoutFor(s.sql, { discountCode: "once" }),
    });
    const first = await placeOrder(s.sql, s.od, await input());
    const o = (await getOrder(s.sql, s.deps.keyring, { id: first.id }))!;
    equal(o.discountMinor, 5000);
    equal(o.totalMinor, 85000 - 5000 + 4000);
    await rejects(placeOrder(s.sql, s.od, await input()), code("discount_used_up"));
    await rejects(
      placeOrder(s.sql, s.od, {
        ...(await input()),
        checkout: await checkoutFor(s.sql, { discountCode: "NOPE" }),
      }),
      code("discount_invalid"),
    );
  });
});

Deno.test("orders: the state machine allows only its transitions; cancelling restocks", async () => {
  await withShop(async (s) => {
    const ghee = await variantId(s.sql, "GHEE-1000");
    const placed = await placeOrder(s.sql, s.od, {
      userId: null,
      locale: "en",
      allowedMethods: ALL,
      items: [{ variantId: ghee, qty: 2 }],
      checkout: await checkoutFor(s.sql),
    });
    const move = (to: Parameters<typeof transitionOrder>[2]["to"]) =>
      s.sql.begin((tx) => transitionOrder(tx, s.od, { orderId: placed.id, to, actorId: null }));
    await rejects(move("delivered"), code("transition_not_allowed"));
    await move("packed");
    equal((await move("packed")).changed, false, "idempotent");
    await rejects(move("confirmed"), code("transition_not_allowed"));
    equal(await stockOf(s.sql, "GHEE-1000"), 198);
    await cancelOrder({ ...s.pay, keyring: s.deps.keyring }, {
      orderId: placed.id,
      actorId: null,
      reason: "customer moved",
    });
    equal(await stockOf(s.sql, "GHEE-1000"), 200);
    const o = (await getOrder(s.sql, s.deps.keyring, { id: placed.id }))!;
    equal(o.status, "cancelled");
    equal(o.events.map((e) => e.toStatus).join(","), "confirmed,packed,cancelled");
    const audit = await s
      .sql`select count(*)::int as n from audit_log where action = 'shop.order.status'`;
    equal(audit[0].n, 2);
  });
});

Deno.test("orders: customers may cancel only their own orders and only before the cut-off", async () => {
  await withShop(async (s) => {
    const { user } = await s.user();
    const other = await s.user();
    const ghee = await variantId(s.sql, "GHEE-500");
    const placed = await placeOrder(s.sql, s.od, {
      userId: user.id,
      locale: "en",
      allowedMethods: ALL,
      items: [{ variantId: ghee, qty: 1 }],
      checkout: await checkoutFor(s.sql),
    });
    const ctx = { ...s.pay, keyring: s.deps.keyring };
    await rejects(
      cancelOrder(ctx, {
        orderId: placed.id,
        customerId: other.user.id,
        actorId: other.user.id,
        reason: "x",
      }),
      code("not_found"),
    );
    const [o] = await s.sql`select cutoff_at from shop_orders where id = ${placed.id}`;
    await rejects(
      cancelOrder(ctx, {
        orderId: placed.id,
        customerId: user.id,
        actorId: user.id,
        reason: "x",
        now: new Date(o.cutoff_at.getTime() + 1000),
      }),
      code("cutoff_passed"),
    );
    await cancelOrder(ctx, {
      orderId: placed.id,
      customerId: user.id,
      actorId: user.id,
      reason: "changed my mind",
    });
    equal((await getOrder(s.sql, s.deps.keyring, { id: placed.id }))!.status, "cancelled");
  });
});

Deno.test("orders: prepaid balance pays at once, or the order is refused", async () => {
  await withShop(async (s) => {
    const { user } = await s.user();
    const ghee = await variantId(s.sql, "GHEE-500");
    const input = async () => ({
      userId: user.id,
      locale: "en" as const,
      allowedMethods: ALL,
      items: [{ variantId: ghee, qty: 1 }],
      checkout: await checkoutFor(s.sql, { paymentMethod: "balance" }),
    });
    await rejects(placeOrder(s.sql, s.od, await input()), code("insufficient_balance"));
    const { creditBalance, getBalance } = await import("@/services/payments/balance.ts");
    await s.sql.begin((tx) => creditBalance(tx, user.id, 100000, "topup", "test-1"));
    const placed = await placeOrder(s.sql, s.od, await input());
    equal(placed.status, "confirmed");
    equal(await getBalance(s.sql, user.id), 100000 - 89000);
    const [p] = await s.sql`select status from shop_payments where order_id = ${placed.id}`;
    equal(p.status, "succeeded");
  });
});
