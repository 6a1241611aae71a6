/**
 * Field sales (issue 14 §6) through the rep's phone endpoint: the rep sees only their outlets with
 * balances and overdue invoices; orders, visits and cash collections sent from the phone's outbox
 * apply once — the same entries sent again (and together with new ones) are duplicates; a cash
 * collection settles the overdue invoice, releases nothing it should not and sends a receipt SMS.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { withShop } from "@/tests/shop/_helpers.ts";
import { addDays, dhakaDate, dhakaInstant } from "@/services/platform/dhaka.ts";
import { phoneSync } from "@/tests/delivery/_helpers.ts";
import { doorAccount } from "./_helpers.ts";

const staff = { id: null, name: "sales" };

Deno.test("b2b field sales: offline orders, visits and collections sync exactly once", async () => {
  await withShop(async (s) => {
    const b2b = s.deps.b2b;
    const a = await doorAccount(s, "Mohakhali Tea Stall", { terms: "cash" });
    const other = await doorAccount(s, "Not On My Route");
    const o = await a.place([{ sku: "GHEE-500", qty: 2 }]);
    const invoice = await b2b.deliver(o.id, { receivedBy: "Rana" }, staff);
    s.clock.set(dhakaInstant(addDays(dhakaDate(s.clock.now()), 3), "10:00"));

    const rep = await s.user(["sales"]);
    await b2b.setRoute(rep.user.id, [a.outletId], staff);
    const route = await b2b.routeOf(rep.user.id);
    equal(route.length, 1);
    equal(route[0].openMinor, o.totalMinor);
    equal(route[0].overdueMinor, o.totalMinor);
    deepStrictEqual(route[0].overdue.map((i) => i.number), [invoice]);
    const page = await s.fetch("/field", { headers: { cookie: rep.cookie } });
    equal(page.status, 200);
    const html = await page.text();
    ok(html.includes("Mohakhali Tea Stall") && !html.includes("Not On My Route"));
    // A shop customer may not use the rep's page.
    const shopper = await s.user(["customer"]);
    const no = await s.fetch("/field/sync", { headers: { cookie: shopper.cookie } });
    equal(no.status, 403);
    await no.body?.cancel();

    const send = await phoneSync(s, "/field/sync", rep.cookie);
    const at = s.clock.now().toISOString();
    const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const entries = [
      { id: ids[0], kind: "visit", outletId: a.outletId, recordedAt: at, note: "Shop open" },
      {
        id: ids[1],
        kind: "collection",
        outletId: a.outletId,
        recordedAt: at,
        amountMinor: o.totalMinor,
      },
      {
        id: ids[2],
        kind: "order",
        outletId: a.outletId,
        recordedAt: at,
        lines: [{ sku: "MILK-1000", qty: 12 }],
      },
    ];
    const first = await send(entries);
    equal(first.status, 200);
    deepStrictEqual(first.body.results.map((r: { status: string }) => r.status), [
      "applied",
      "applied",
      "applied",
    ]);
    const number = first.body.results[2].orderNumber;
    ok(number);
    // The collection paid the overdue invoice, so the rep's order is not held.
    equal((await b2b.openInvoices(a.id)).openMinor, 0);
    const orders = await b2b.orders({ accountId: a.id });
    equal(orders.find((x) => x.number === number)!.status, "confirmed");
    const sms = await s.sql`select recipient, body from outbox_messages
      where dedupe_key = ${`b2b-receipt:${ids[1]}`}`;
    equal(sms.length, 1);
    equal(sms[0].recipient, "+8801811000333");
    ok(sms[0].body.includes("Mohakhali Tea Stall"), sms[0].body);

    // The phone did not hear the answer and sends everything again, with one new visit and one
    // outlet not on the route.
    const fourth = crypto.randomUUID();
    const again = await send([
      ...entries,
      { id: fourth, kind: "visit", outletId: a.outletId, recordedAt: at },
      { id: crypto.randomUUID(), kind: "visit", outletId: other.outletId, recordedAt: at },
    ]);
    deepStrictEqual(again.body.results.map((r: { status: string }) => r.status), [
      "duplicate",
      "duplicate",
      "duplicate",
      "applied",
      "rejected",
    ]);
    equal(again.body.results[2].orderNumber, number);
    // Nothing doubled: one order, one payment, one receipt, four entries kept.
    equal((await b2b.orders({ accountId: a.id })).length, 2);
    const paid = await b2b.paymentsOf(a.id);
    equal(paid.length, 1);
    equal(paid[0].method, "cod");
    equal(paid[0].amountMinor, o.totalMinor);
    equal((await b2b.openInvoices(a.id)).creditMinor, 0);
    equal(
      (await s.sql`select 1 from outbox_messages where dedupe_key like 'b2b-receipt:%'`).length,
      1,
    );
    const kept = await b2b.fieldEntries(rep.user.id);
    equal(kept.filter((e) => e.outcome === "applied").length, 4);
    // Another rep cannot replay this rep's entry ids.
    const rep2 = await s.user(["sales"]);
    await b2b.setRoute(rep2.user.id, [a.outletId], staff);
    const send2 = await phoneSync(s, "/field/sync", rep2.cookie);
    const replay = await send2([entries[0]]);
    equal(replay.body.results[0].status, "rejected");
    // A bad entry is refused on its own; the rest go on.
    const bad = await send([{ id: "x", kind: "visit" }, {
      id: crypto.randomUUID(),
      kind: "collection",
      outletId: a.outletId,
      recordedAt: at,
      amountMinor: -5,
    }]);
    deepStrictEqual(bad.body.results.map((r: { status: string }) => r.status), [
      "rejected",
      "rejected",
    ]);
  });
});
