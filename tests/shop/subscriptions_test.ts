import { equal, rejects } from "node:assert/strict";
import {
  addPause,
  calendar,
  createSubscription,
  firstChangeableDate,
  getSubscription,
  removePause,
  runSubscriptions,
  skipDate,
  unskipDate,
  updateItems,
} from "@/services/shop/subscriptions.ts";
import { cutoffFor, getSlot } from "@/services/shop/delivery.ts";
import { addDays } from "@/services/platform/dhaka.ts";
import { ShopError } from "@/services/shop/errors.ts";
import { checkoutFor, stockOf, variantId, withShop } from "./_helpers.ts";

const code = (c: string) => (e: unknown) => e instanceof ShopError && e.code === c;

Deno.test("subscriptions: pauses, skips and cut-offs decide what the worker orders, once", async () => {
  await withShop(async (s) => {
    const { user } = await s.user();
    const milk = await variantId(s.sql, "MILK-1000");
    const now0 = s.clock.now();
    const d1 = await firstChangeableDate(s.sql, now0);
    const co = await checkoutFor(s.sql);
    const items = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ variantId: milk, weekday, qty: 1 }));
    const id = await createSubscription(s.sql, s.deps.keyring, user.id, "en", {
      ...co,
      startDate: d1,
      billing: "per_delivery",
      items,
    }, now0);
    await skipDate(s.sql, user.id, id, addDays(d1, 1), now0);
    await addPause(s.sql, user.id, id, addDays(d1, 2), addDays(d1, 3), now0);
    // Two units on the fifth day: a change before its cut-off.
    const d5 = addDays(d1, 4);
    const { isoWeekday } = await import("@/services/platform/dhaka.ts");
    await updateItems(
      s.sql,
      user.id,
      id,
      items.map((i) => i.weekday === isoWeekday(d5) ? { ...i, qty: 2 } : i),
    );

    const slot = (await getSlot(s.sql, "morning"))!;
    const after = (d: string) => new Date(cutoffFor(slot, d).getTime() + 60_000);
    const stock0 = await stockOf(s.sql, "MILK-1000");
    let r = await runSubscriptions(s.sql, s.od, after(d1));
    equal(r.ordered, 1);
    r = await runSubscriptions(s.sql, s.od, after(d1));
    equal(r.ordered + r.failed + r.nothingDue, 0, "idempotent per subscription and date");
    await rejects(skipDate(s.sql, user.id, id, d1, after(d1)), code("cutoff_passed"));

    for (let i = 1; i <= 4; i++) {
      await runSubscriptions(s.sql, s.od, after(addDays(d1, i)));
    }
    const sub = (await getSubscription(s.sql, s.deps.keyring, id))!;
    const outcome = (d: string) => sub.runs.find((x) => x.date === d)?.outcome;
    equal(outcome(d1), "ordered");
    equal(outcome(addDays(d1, 1)), "nothing_due", "skipped");
    equal(outcome(addDays(d1, 2)), "nothing_due", "paused");
    equal(outcome(addDays(d1, 3)), "nothing_due", "paused");
    equal(outcome(d5), "ordered");
    equal(await stockOf(s.sql, "MILK-1000"), stock0 - 3);
    const orders = await s.sql`
      select o.delivery_date::text as d, o.payment_method, o.delivery_fee_minor::int as fee,
        (select sum(qty)::int from shop_order_lines l where l.order_id = o.id) as qty
      from shop_orders o where subscription_id = ${id} order by delivery_date`;
    equal(orders.length, 2);
    equal(orders[1].qty, 2);
    equal(orders[0].payment_method, "cod");
    equal(orders[0].fee, 0);

    const days = await calendar(s.sql, sub, 7, after(d1));
    equal(days.find((d) => d.date === addDays(d1, 1))?.state, "skipped");
    equal(days.find((d) => d.date === addDays(d1, 2))?.state, "paused");
  });
});

Deno.test("subscriptions: unskip and ending a pause early only touch dates before their cut-off", async () => {
  await withShop(async (s) => {
    const { user } = await s.user();
    const milk = await variantId(s.sql, "MILK-500");
    const now0 = s.clock.now();
    const d1 = await firstChangeableDate(s.sql, now0);
    const id = await createSubscription(s.sql, s.deps.keyring, user.id, "en", {
      ...(await checkoutFor(s.sql)),
      startDate: d1,
      billing: "per_delivery",
      items: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ variantId: milk, weekday, qty: 1 })),
    }, now0);
    await skipDate(s.sql, user.id, id, addDays(d1, 2), now0);
    await unskipDate(s.sql, user.id, id, addDays(d1, 2), now0);
    await addPause(s.sql, user.id, id, d1, addDays(d1, 5), now0);
    const slot = (await getSlot(s.sql, "morning"))!;
    const later = new Date(cutoffFor(slot, addDays(d1, 1)).getTime() + 1000);
    const pause = (await getSubscription(s.sql, s.deps.keyring, id))!.pauses[0];
    await removePause(s.sql, user.id, id, pause.id, later);
    const sub = (await getSubscription(s.sql, s.deps.keyring, id))!;
    equal(sub.skips.length, 0);
    equal(sub.pauses[0].to, addDays(d1, 1), "days already fixed stay paused");
  });
});

Deno.test("subscriptions: prepaid billing charges the balance; a short balance skips with a message", async () => {
  await withShop(async (s) => {
    const { user } = await s.user(["customer"], { locale: "bn" });
    const milk = await variantId(s.sql, "MILK-1000");
    const now0 = s.clock.now();
    const d1 = await firstChangeableDate(s.sql, now0);
    const id = await createSubscription(s.sql, s.deps.keyring, user.id, "bn", {
      ...(await checkoutFor(s.sql)),
      startDate: d1,
      billing: "prepaid",
      items: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ variantId: milk, weekday, qty: 1 })),
    }, now0);
    const slot = (await getSlot(s.sql, "morning"))!;
    const at = (d: string) => new Date(cutoffFor(slot, d).getTime() + 60_000);
    let r = await runSubscriptions(s.sql, s.od, at(d1));
    equal(r.failed, 1);
    const [msg] = await s
      .sql`select body, locale from outbox_messages where template = 'shop.subscription_not_delivered'`;
    equal(msg.locale, "bn");
    const { creditBalance, getBalance } = await import("@/services/payments/balance.ts");
    await s.sql.begin((tx) => creditBalance(tx, user.id, 50000, "topup", "t1"));
    r = await runSubscriptions(s.sql, s.od, at(addDays(d1, 1)));
    equal(r.ordered, 1);
    equal(await getBalance(s.sql, user.id), 50000 - 9500);
    const sub = (await getSubscription(s.sql, s.deps.keyring, id))!;
    equal(sub.runs.find((x) => x.date === d1)?.outcome, "insufficient_balance");
  });
});
