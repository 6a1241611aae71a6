/**
 * The books as a consequence of operations (issue 13 §2): through the real use cases, wired as
 * contexts.ts wires them, each operation posts its entry in its own transaction, once.
 */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import type { Sql } from "@/services/platform/db.ts";
import type { Accounting } from "@/services/accounting/mod.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import { withTestApp } from "@/tests/helpers/app.ts";
import { deliverAsAdmin, guestGheeOrder, withShop } from "../shop/_helpers.ts";
import { approveAndReturn, refundInFull, startedOrder } from "../payments/_fakes.ts";
import { type Ctx, purchaseOn, sentOrder, TODAY } from "../purchase/_helpers.ts";
import { balanceOf } from "./_helpers.ts";

/** An account's balance (debit − credit) over everything posted. */
async function entries(sql: Sql, source: string) {
  return await sql<{ source_ref: string; date: string; total: number }[]>`
    select source_ref, to_char(entry_date, 'YYYY-MM-DD') as date, debit_total_minor::int as total
    from acc_entries where source = ${source} order by id`;
}

/** The trial balance over everything: debits equal credits. */
async function trialBalanceZero(s: { deps: { accounting: Accounting } }, sql: Sql) {
  const [r] = await sql`
    select coalesce(sum(debit_minor), 0)::bigint as d, coalesce(sum(credit_minor), 0)::bigint as c
    from acc_entry_lines`;
  equal(Number(r.d), Number(r.c));
  ok(Number(r.d) > 0);
  const tb = await s.deps.accounting.trialBalance({ from: "2020-01-01", to: "2030-12-31" });
  equal(tb.totals.closingMinor, 0);
  equal(tb.totals.debitMinor, tb.totals.creditMinor);
}

async function orderTotals(sql: Sql, id: string) {
  const [o] = await sql`select total_minor::int as total, vat_minor::int as vat, number
                        from shop_orders where id = ${id}`;
  return o as unknown as { total: number; vat: number; number: string };
}

Deno.test("a delivered order paid by bKash: payment into the wallet, sale with its VAT; a refund goes back out", async () => {
  await withShop(async (s) => {
    const { placed, payment } = await startedOrder(s, "bkash");
    await approveAndReturn(s, "bkash", payment.provider_ref);
    // The callback again (a replay): still one payment entry.
    await approveAndReturn(s, "bkash", payment.provider_ref);
    const o = await orderTotals(s.sql, placed.id);
    equal((await entries(s.sql, "payments.payment")).map((e) => e.source_ref), [payment.id]);
    equal(await balanceOf(s.sql, "1160"), o.total);
    // Paid before delivery: the customer's receivable stands in credit (an advance).
    equal(await balanceOf(s.sql, "1220"), -o.total);
    equal((await entries(s.sql, "shop.sale")).length, 0);

    await deliverAsAdmin(s, placed.id);
    const sales = await entries(s.sql, "shop.sale");
    equal(sales.map((e) => [e.source_ref, e.date]), [[placed.id, dhakaDate(s.clock.now())]]);
    equal(await balanceOf(s.sql, "1160"), o.total);
    equal(await balanceOf(s.sql, "1220"), 0);
    equal(await balanceOf(s.sql, "2310"), -o.vat);
    ok(o.vat > 0);
    equal(
      -(await balanceOf(s.sql, "4110")) - (await balanceOf(s.sql, "4300")) -
        (await balanceOf(s.sql, "4200")),
      o.total - o.vat,
    );

    // The same event through the port once more posts nothing new.
    await s.sql.begin((tx) =>
      s.deps.accounting.ledger.payment(tx, {
        paymentId: payment.id,
        method: "bkash",
        purpose: "order",
        amountMinor: o.total,
        orderNumber: o.number,
      })
    );
    equal((await entries(s.sql, "payments.payment")).length, 1);

    const refund = await refundInFull(s, payment.id, o.total);
    equal(refund.status, "succeeded");
    equal((await entries(s.sql, "payments.refund")).map((e) => [e.source_ref, e.total]), [[
      refund.refundId,
      o.total,
    ]]);
    equal(await balanceOf(s.sql, "1160"), 0);
    // Refunded in full after delivery: the sale is undone into sales returns, VAT output too.
    const [{ status }] = await s.sql`select status from shop_orders where id = ${placed.id}`;
    equal(status, "refunded");
    equal((await entries(s.sql, "shop.return")).map((e) => e.source_ref), [placed.id]);
    equal(await balanceOf(s.sql, "1220"), 0);
    equal(await balanceOf(s.sql, "2310"), 0);
    await trialBalanceZero(s, s.sql);
  }, { fakes: true });
});

Deno.test("cash on delivery: the rider's collection, then the hand-in, ends in cash in hand", async () => {
  await withShop(async (s) => {
    const placed = await guestGheeOrder(s, "cod");
    const o = await orderTotals(s.sql, placed.id);
    const staff = await deliverAsAdmin(s, placed.id, { rider: "Karim", amountMinor: o.total });
    equal(await balanceOf(s.sql, "1120"), o.total);
    equal(await balanceOf(s.sql, "1220"), 0);
    equal(await balanceOf(s.sql, "2310"), -o.vat);
    const day = dhakaDate(s.clock.now());
    const handin = {
      riderId: staff.id,
      rider: "Karim",
      handedOn: day,
      amountMinor: o.total,
      actorId: staff.id,
    };
    await s.deps.payments.recordHandin(handin);
    await s.deps.payments.recordHandin(handin); // entered twice: posted once
    equal((await entries(s.sql, "payments.handin")).length, 1);
    equal(await balanceOf(s.sql, "1110"), o.total);
    equal(await balanceOf(s.sql, "1120"), 0);
    // A corrected hand-in posts the difference.
    await s.deps.payments.recordHandin({ ...handin, amountMinor: o.total - 1_000 });
    equal(await balanceOf(s.sql, "1110"), o.total - 1_000);
    equal(await balanceOf(s.sql, "1120"), 1_000);
    await trialBalanceZero(s, s.sql);
  });
});

Deno.test("an order paid from the prepaid balance: Dr prepaid balances / Cr receivable", async () => {
  await withShop(async (s) => {
    const { user } = await s.user();
    await s.sql.begin(async (tx) => {
      await tx`insert into shop_balances (user_id, balance_minor) values (${user.id}, 10000000)`;
      // As if topped up before the books began: the opening balance of 2200.
      await s.deps.accounting.poster.post(tx, {
        source: "test.opening",
        sourceRef: user.id,
        date: dhakaDate(s.clock.now()),
        journal: "OPENING",
        lines: [{ account: "3300", debitMinor: 10_000_000 }, {
          account: "2200",
          creditMinor: 10_000_000,
        }],
      });
    });
    const { placeOrder } = await import("@/services/shop/orders.ts");
    const { checkoutFor, variantId } = await import("../shop/_helpers.ts");
    const placed = await placeOrder(s.sql, { ...s.od, books: s.deps.accounting.ledger }, {
      userId: user.id,
      locale: "en",
      items: [{ variantId: await variantId(s.sql, "GHEE-500"), qty: 1 }],
      checkout: await checkoutFor(s.sql, { paymentMethod: "balance" }),
      allowedMethods: ["balance", "cod"],
    });
    const o = await orderTotals(s.sql, placed.id);
    equal(await balanceOf(s.sql, "2200"), -10_000_000 + o.total);
    equal(await balanceOf(s.sql, "1220"), -o.total);
    await deliverAsAdmin(s, placed.id);
    equal(await balanceOf(s.sql, "1220"), 0);
    await trialBalanceZero(s, s.sql);
  });
});

Deno.test("a delivery in a closed month still goes through: the sale is dated the next open day", async () => {
  await withShop(async (s) => {
    const placed = await guestGheeOrder(s, "cod");
    const o = await orderTotals(s.sql, placed.id);
    const today = dhakaDate(s.clock.now());
    const year = (await s.deps.accounting.listPeriods()).flatMap((y) => y.periods);
    const month = year.find((p) => p.startsOn <= today && p.endsOn >= today)!;
    await s.deps.accounting.closePeriod(month.id, { id: null, name: "Nasrin (accounts)" });
    await deliverAsAdmin(s, placed.id, { rider: "Karim", amountMinor: o.total });
    const [sale] = await entries(s.sql, "shop.sale");
    equal(sale.date, addDays(month.endsOn, 1));
    equal((await entries(s.sql, "payments.cod"))[0].date, addDays(month.endsOn, 1));
    const [{ status }] = await s.sql`select status from shop_orders where id = ${placed.id}`;
    equal(status, "delivered");
  });
});

Deno.test("a purchase receipt and its approved bill: supplier payable = bill total, VAT input = bill VAT", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const base = await purchaseOn(sql); // the items
    const c: Ctx = { sql, inventory: t.deps.inventory, purchase: t.deps.purchase };
    const actor = { id: null, name: "Rahim (purchasing)" };
    const { order, feed, med } = await sentOrder(c);
    void base;
    // 100 kg feed at ৳45.00, 10 bottles at ৳120.00.
    await c.purchase.receiveGoods(order.id, {
      receivedOn: TODAY,
      locationCode: "PLANT-DRY",
      lines: [{ orderLineId: feed.id, qty: "100" }, { orderLineId: med.id, qty: "10" }],
    }, actor);
    equal(await balanceOf(sql, "1350"), 450_000);
    equal(await balanceOf(sql, "1360"), 120_000);
    equal(await balanceOf(sql, "2140"), -570_000);

    const b = await c.purchase.enterBill({
      orderId: order.id,
      billNumber: "INV-77",
      billDate: TODAY,
      lines: [{ orderLineId: feed.id, qty: "100" }, {
        orderLineId: med.id,
        qty: "10",
        unitPriceMinor: 12_500,
      }],
    }, actor);
    await c.purchase.approveBill(b.id, { reason: "price went up" }, actor);
    const bill = (await c.purchase.getBill(b.id))!;
    equal(await balanceOf(sql, "2110"), -bill.totalMinor);
    equal(await balanceOf(sql, "1410"), bill.vatMinor);
    equal(await balanceOf(sql, "2140"), 0);
    equal(await balanceOf(sql, "5130"), 5_000);
    equal((await entries(sql, "purchase.bill")).map((e) => e.source_ref), [String(b.id)]);
    await trialBalanceZero(t, sql);
  });
});
