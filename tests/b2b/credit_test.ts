/**
 * B2B rules through the context's door: quantity breaks and group vs contract prices, validity
 * dates, the approval step, the overdue-invoice hold, minimum order and short stock.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { withShop } from "@/tests/shop/_helpers.ts";
import { addDays, dhakaDate, dhakaInstant } from "@/services/platform/dhaka.ts";
import { ConflictError, ValidationError } from "@/services/platform/errors.ts";
import { doorAccount } from "./_helpers.ts";

const staff = { id: null, name: "sales" };

Deno.test("b2b prices: contract beats group beats public; quantity breaks; validity dates", async () => {
  await withShop(async (s) => {
    const b2b = s.deps.b2b;
    const a = await doorAccount(s, "Dhanmondi Sweets");
    const today = dhakaDate(s.clock.now());
    // Group price for horeca, a contract price for this account valid only from next month.
    await b2b.savePrice({
      accountId: null,
      customerGroup: "horeca",
      sku: "GHEE-500",
      minQty: 1,
      priceMinor: 70_000,
      validFrom: "2020-01-01",
      validTo: null,
    }, staff);
    await b2b.savePrice({
      accountId: a.id,
      customerGroup: null,
      sku: "GHEE-500",
      minQty: 1,
      priceMinor: 65_000,
      validFrom: addDays(today, 40),
      validTo: null,
    }, staff);
    await b2b.savePrice({
      accountId: a.id,
      customerGroup: null,
      sku: "MILK-1000",
      minQty: 10,
      priceMinor: 8_000,
      validFrom: "2020-01-01",
      validTo: addDays(today, 60),
    }, staff);
    const list = await b2b.priceList((await b2b.account(a.id))!);
    const ghee = list.find((p) => p.pack.sku === "GHEE-500")!;
    equal(ghee.unitMinor, 70_000, "the group's price (the contract is not valid yet)");
    equal(ghee.source, "group");
    equal(ghee.withVatMinor, 80_500, "with 15 % VAT");
    const milk = list.find((p) => p.pack.sku === "MILK-1000")!;
    equal(milk.unitMinor, 9_500, "below the break: the public price (VAT exempt)");
    deepStrictEqual(milk.breaks[0], { minQty: 10, unitMinor: 8_000 });

    const o = await b2b.placeOrder(a.user.id, a.id, {
      outletId: a.outletId,
      deliveryDate: addDays(today, 1),
      lines: [{ sku: "MILK-1000", qty: 9 }, { sku: "GHEE-500", qty: 1 }, {
        sku: "MILK-1000",
        qty: 3,
      }],
    });
    const d = (await b2b.order(o.id, a.id))!;
    const milkLine = d.lines.find((l) => l.sku === "MILK-1000")!;
    equal(milkLine.qty, 12, "the same code twice is one line");
    equal(milkLine.unitPriceMinor, 8_000, "12 reach the break");
    equal(d.totalMinor, 12 * 8_000 + 80_500);

    // A bad price is refused on its fields.
    await rejects(
      b2b.savePrice({
        accountId: a.id,
        customerGroup: null,
        sku: "NOPE",
        minQty: 0,
        priceMinor: 0,
        validFrom: today,
        validTo: addDays(today, -1),
      }, staff),
      (e) =>
        e instanceof ValidationError &&
        ["sku", "minQty", "price", "validTo"].every((k) => k in e.fieldErrors),
    );
  });
});

Deno.test("b2b orders: approval step, minimum order, short stock, overdue invoices hold the next order", async () => {
  await withShop(async (s) => {
    const b2b = s.deps.b2b;
    const a = await doorAccount(s, "Banani Grand Hotel", {
      approval: true,
      terms: "cash",
      min: 50_000,
    });
    const buyer = (await s.user(["customer"])).user;
    await b2b.setMember(a.id, buyer.id, "buyer", staff);
    const tomorrow = addDays(dhakaDate(s.clock.now()), 1);
    const place = (lines: { sku: string; qty: number }[], who = buyer.id, on = tomorrow) =>
      b2b.placeOrder(who, a.id, { outletId: a.outletId, deliveryDate: on, lines });

    await rejects(
      place([{ sku: "MILK-1000", qty: 1 }]),
      (e) => e instanceof ValidationError && e.fieldErrors.lines === "minOrder:50000",
    );
    await rejects(
      place([{ sku: "MILK-1000", qty: 100_000 }]),
      (e) => e instanceof ValidationError && /^short:\d+$/.test(e.fieldErrors["lines.0.qty"]),
    );
    // A buyer's order waits for the approver; the buyer cannot approve it, the admin can.
    const o = await place([{ sku: "GHEE-500", qty: 1 }]);
    equal(o.status, "pending_approval");
    await rejects(b2b.approveOrder(buyer.id, a.id, o.id), ConflictError);
    await b2b.approveOrder(a.user.id, a.id, o.id);
    equal((await b2b.order(o.id, a.id))!.status, "confirmed");
    // Another account's user cannot see it.
    const other = await doorAccount(s, "Uttara Bakers");
    equal(await b2b.order(o.id, other.id), null);

    // Delivered on cash terms: due today. Two days later it is overdue and the next order holds.
    const invoice = await b2b.deliver(o.id, { receivedBy: "Rana" }, staff);
    ok(invoice);
    s.clock.set(dhakaInstant(addDays(dhakaDate(s.clock.now()), 2), "10:00"));
    const next = await place(
      [{ sku: "GHEE-500", qty: 1 }],
      a.user.id,
      addDays(dhakaDate(s.clock.now()), 1),
    );
    equal(next.status, "credit_hold");
    const [h] = await s.sql`select hold_reason from b2b_orders where id = ${next.id}`;
    equal(h.hold_reason, "overdue");
    const ex = await b2b.exposure(a.id);
    equal(ex.overdueMinor, 85_000, "the ghee at the public price without VAT, plus VAT");
    // Released by the sales manager with a reason: the admin's order needs no approval.
    await b2b.releaseHold(next.id, "Cheque received, clearing Monday", staff);
    equal((await b2b.order(next.id, a.id))!.status, "confirmed");
    await rejects(b2b.releaseHold(next.id, "again", staff), ConflictError);
  });
});
