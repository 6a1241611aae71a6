/**
 * Payments reaches orders and accounts only through their doors (issue 11): a provider's payment
 * page is filled from the shop's order interface and identity's contact, and the back office's
 * lists show the order number payments keeps on its own rows (tests/table_owners_test.ts checks
 * that no payments file names shop_orders or users).
 */
import { equal, ok } from "node:assert/strict";
import { createUser } from "@/services/identity/users.ts";
import { placeOrder } from "@/services/shop/orders.ts";
import { startPayment } from "@/services/payments/payments.ts";
import { offeredMethods } from "@/services/payments/settings.ts";
import { checkoutFor, type ShopTest, variantId, withShop } from "../shop/_helpers.ts";
import { approveAndReturn, startedOrder } from "./_fakes.ts";

const nusrat = (s: ShopTest) =>
  createUser(s.sql, s.deps.keyring, {
    email: "nusrat.jahan@example.com",
    phone: "+8801552000177",
    displayName: "Nusrat Jahan",
    password: "correct horse battery staple",
    locale: "en",
    roles: ["customer"],
  });

/** The form our server sent SSLCommerz to open the session of payment `paymentId`. */
async function sessionFields(s: ShopTest, paymentId: string) {
  const [p] = await s.sql`select merchant_ref from shop_payments where id = ${paymentId}`;
  return s.fakes!.sslcommerz.byTranId(p.merchant_ref)!.fields;
}

Deno.test("doors: a provider's page names the order's recipient and address, and the account's e-mail", async () => {
  await withShop(async (s) => {
    const user = await nusrat(s);
    const checkout = await checkoutFor(s.sql, { paymentMethod: "sslcommerz" });
    const placed = await placeOrder(s.sql, s.od, {
      userId: user.id,
      locale: "en",
      items: [{ variantId: await variantId(s.sql, "GHEE-500"), qty: 1 }],
      checkout,
      allowedMethods: offeredMethods(s.pay.providers, true),
    });
    ok((await startPayment(s.pay, placed.paymentId!, { origin: "http://localhost" })).ok);
    const f = await sessionFields(s, placed.paymentId!);
    const [thana] = await s.sql`select name_en from geo_upazilas where id = ${checkout.upazilaId}`;
    equal(f.cus_name, "Rahima Begum", "the order's recipient, not the account holder");
    equal(f.cus_phone, "+8801711000101");
    equal(f.cus_add1, "House 12, Road 5, Gulshan 2");
    equal(f.cus_city, thana.name_en);
    equal(f.cus_email, "nusrat.jahan@example.com");
  }, { fakes: true });
});

Deno.test("doors: a top-up's provider page names the account holder", async () => {
  await withShop(async (s) => {
    const user = await nusrat(s);
    const id = await s.deps.payments.createTopup(user.id, "sslcommerz", 50_000);
    ok((await s.deps.payments.start(id)).ok);
    const f = await sessionFields(s, id);
    equal(f.cus_name, "Nusrat Jahan");
    equal(f.cus_phone, "+8801552000177");
    equal(f.cus_email, "nusrat.jahan@example.com");
    const topup = (await s.deps.payments.list({})).rows.find((p) => p.id === id)!;
    equal(topup.orderNumber, null, "a top-up has no order");
  }, { fakes: true });
});

Deno.test("doors: payments, refunds and findings show the order's number", async () => {
  await withShop(async (s) => {
    const paid = await startedOrder(s, "bkash");
    await approveAndReturn(s, "bkash", paid.payment.provider_ref);
    const held = await startedOrder(s, "bkash");
    s.fakes!.bkash.faults.amountOverride = "1.00";
    await approveAndReturn(s, "bkash", held.payment.provider_ref);

    const list = (await s.deps.payments.list({ method: "bkash" })).rows;
    equal(list.find((p) => p.id === paid.payment.id)?.orderNumber, paid.placed.number);
    equal(list.find((p) => p.id === held.payment.id)?.orderNumber, held.placed.number);
    const detail = (await s.deps.payments.detail(paid.payment.id))!;
    equal(detail.payment.status, "succeeded");
    equal(detail.orderNumber, paid.placed.number);

    const refund = await s.deps.payments.refund({
      paymentId: paid.payment.id,
      amountMinor: 1000,
      reason: "one jar leaked",
      actorId: null,
    });
    equal(refund.status, "succeeded");
    const refunds = await s.deps.payments.refunds({ paymentId: paid.payment.id });
    equal(refunds[0].orderNumber, paid.placed.number);

    const issue = (await s.deps.payments.issues("open")).find((i) =>
      i.paymentId === held.payment.id
    );
    equal(issue?.kind, "amount_mismatch");
    equal(issue?.orderNumber, held.placed.number);
  }, { fakes: true });
});
