/**
 * Standing orders (issue 14 §3): set per outlet and weekday on /b2b/standing; the daily job places
 * each one once per delivery day after the cut-off (18:00 Dhaka the day before) — not before,
 * not twice (run again, run twice at once), not on a day without B2B deliveries, and not for a
 * standing order set up after that day's cut-off. Outlets keep their area, slot and receiving
 * hours; the minimum order per delivery area holds.
 */
import { equal, match, ok } from "node:assert/strict";
import { pageForm, post, withShop } from "@/tests/shop/_helpers.ts";
import { addDays, dhakaDate, dhakaInstant, isoWeekday } from "@/services/platform/dhaka.ts";
import { approvedAccount, quickOrder } from "./_helpers.ts";

Deno.test("b2b: standing orders are placed once per day after the cut-off, skipping holidays", async () => {
  await withShop(async (s) => {
    const sales = await s.user(["sales"]);
    const a = await approvedAccount(s, sales, "Lake View Hotel", { limit: "1000000" });
    const today = dhakaDate(s.clock.now());
    const d1 = addDays(today, 2);
    const run = () => s.deps.b2b.runStandingOrders();

    // The buyer sets Lake View's standing order for d1's weekday.
    const f = await pageForm(s, "/b2b/standing", a.applicant.cookie);
    const outletId = f.html.match(/name="outletId"[\s\S]*?<option value="(\d+)"/)![1];
    const bad = await post(s, "/b2b/standing", {
      outletId,
      weekday: String(isoWeekday(d1)),
      "lines.0.sku": "NOPE-1",
      "lines.0.qty": "3",
    }, f);
    equal(bad.status, 422);
    ok((await bad.text()).includes("No product with this code."));
    const saved = await post(s, "/b2b/standing", {
      outletId,
      weekday: String(isoWeekday(d1)),
      "lines.0.sku": "sdoi-500",
      "lines.0.qty": "4",
      "lines.1.sku": "MILK-1000",
      "lines.1.qty": "2",
    }, f);
    equal(saved.status, 303);
    const list = await (await s.fetch("/b2b/standing", { headers: { cookie: a.applicant.cookie } }))
      .text();
    match(
      list,
      /data-standing="\d+"[\s\S]*?SDOI-500 × 4, MILK-1000 × 2|MILK-1000 × 2, SDOI-500 × 4/,
    );

    // Before the cut-off the day before: nothing.
    s.clock.set(dhakaInstant(addDays(d1, -1), "17:59"));
    equal((await run()).ordered, 0);
    equal((await s.sql`select count(*)::int as n from b2b_orders`)[0].n, 0);
    // After it: one order for d1, however often and however many jobs run.
    s.clock.set(dhakaInstant(addDays(d1, -1), "18:00"));
    const [r1, r2] = await Promise.all([run(), run()]);
    equal(r1.ordered + r2.ordered, 1, "two jobs at once place it once");
    equal((await run()).ordered, 0, "run again: nothing more");
    const orders = await s.sql`select id, delivery_date::text as d, status from b2b_orders`;
    equal(orders.length, 1);
    equal(orders[0].d, d1);
    equal(orders[0].status, "confirmed");
    const lines = await s.sql`select sku, qty from b2b_order_lines where order_id = ${orders[0].id}
      order by sku`;
    equal(lines.map((l) => `${l.sku}×${l.qty}`).join(","), "MILK-1000×2,SDOI-500×4");
    // The buyer sees it among the account's orders.
    const home = await (await s.fetch("/b2b", { headers: { cookie: a.applicant.cookie } })).text();
    ok(home.includes(d1));

    // Sales mark the next week's day a holiday: skipped, once, and shown on the calendar.
    const d2 = addDays(d1, 7);
    const cal = await pageForm(s, "/admin/b2b/standing", sales.cookie);
    equal(cal.status, 200);
    equal(
      (await post(
        s,
        "/admin/b2b/standing",
        { action: "holiday", day: d2, name: "Eid ul-Fitr" },
        cal,
      ))
        .status,
      303,
    );
    s.clock.set(dhakaInstant(addDays(d2, -1), "18:30"));
    const h = await run();
    equal(h.holiday, 1);
    equal(h.ordered, 0);
    equal((await run()).holiday, 0, "a holiday is recorded once");
    equal((await s.sql`select count(*)::int as n from b2b_orders`)[0].n, 1);
    const calendar = await (await s.fetch("/admin/b2b/standing", {
      headers: { cookie: sales.cookie },
    })).text();
    match(calendar, new RegExp(`data-day="${d2}"[\\s\\S]*?Holiday — skipped</span> Eid ul-Fitr`));
    match(calendar, new RegExp(`data-day="${addDays(d2, 7)}"[\\s\\S]*?Planned`));

    // A standing order set after a day's cut-off starts the week after.
    const b = await approvedAccount(s, sales, "Dhanmondi Sweets", { limit: "1000000" });
    const d3 = addDays(d2, 1);
    s.clock.set(dhakaInstant(addDays(d3, -1), "18:30"));
    const fb = await pageForm(s, "/b2b/standing", b.applicant.cookie);
    const bOutlet = fb.html.match(/name="outletId"[\s\S]*?<option value="(\d+)"/)![1];
    equal(
      (await post(s, "/b2b/standing", {
        outletId: bOutlet,
        weekday: String(isoWeekday(d3)),
        "lines.0.sku": "GHEE-500",
        "lines.0.qty": "1",
      }, fb)).status,
      303,
    );
    s.clock.set(dhakaInstant(addDays(d3, -1), "18:45"));
    equal((await run()).ordered, 0, "set at 18:30, after the 18:00 cut-off for d3");
    s.clock.set(dhakaInstant(addDays(d3, 6), "18:00"));
    const later = await run();
    // Dhanmondi's first, and Lake View's for that same day (its cut-off passed with no job run
    // since: caught up, once).
    equal(later.ordered, 2);
    equal((await run()).ordered, 0);
    const [bo] = await s.sql`select delivery_date::text as d from b2b_orders
      where account_id = ${b.id}`;
    equal(bo.d, addDays(d3, 7));
  });
});

Deno.test("b2b: outlets keep their area, slot and receiving hours; the area's minimum order holds", async () => {
  await withShop(async (s) => {
    const sales = await s.user(["sales"]);
    const a = await approvedAccount(s, sales, "Gulshan Grill", { limit: "1000000" });
    const f = await pageForm(s, "/b2b/outlets", a.applicant.cookie);
    const outletId = f.html.match(/data-outlet="(\d+)"/)![1];
    const badHours = await post(s, "/b2b/outlets", {
      id: outletId,
      name: "Gulshan kitchen",
      address: "House 5, Road 11, Gulshan 1, Dhaka",
      zoneCode: "gulshan",
      slotCode: "morning",
      receivingFrom: "09:00",
      receivingTo: "07:00",
    }, f);
    equal(badHours.status, 422);
    ok((await badHours.text()).includes("The end comes after the start."));
    const good = await post(s, "/b2b/outlets", {
      id: outletId,
      name: "Gulshan kitchen",
      address: "House 5, Road 11, Gulshan 1, Dhaka",
      zoneCode: "gulshan",
      slotCode: "morning",
      receivingFrom: "06:30",
      receivingTo: "09:00",
    }, f);
    equal(good.status, 303);
    const added = await post(s, "/b2b/outlets", {
      name: "Banani café",
      address: "Road 27, Banani, Dhaka",
      zoneCode: "banani",
      slotCode: "evening",
      receivingFrom: "",
      receivingTo: "",
    }, f);
    equal(added.status, 303);
    const details = await s.deps.b2b.outletDetails(a.id);
    equal(details.length, 2);
    equal(details[0].zoneCode, "gulshan");
    equal(details[0].receivingFrom, "06:30");
    equal(details[1].slotCode, "evening");
    const page = await (await s.fetch("/b2b/outlets", { headers: { cookie: a.applicant.cookie } }))
      .text();
    ok(page.includes('value="06:30"'));

    // Sales set ৳5,000 as the minimum for Gulshan: 2 doi to the Gulshan outlet are refused.
    const d = await pageForm(s, "/admin/b2b/dashboard", sales.cookie);
    equal(
      (await post(s, "/admin/b2b/dashboard", {
        action: "zone",
        zoneCode: "gulshan",
        minOrder: "5000",
      }, d)).status,
      303,
    );
    const small = await quickOrder(s, a.applicant.cookie, [["SDOI-500", 2]]);
    equal(small.status, 422);
    ok((await small.text()).includes("The minimum order is ৳5,000.00 (without VAT)."));
    equal((await s.sql`select count(*)::int as n from b2b_orders`)[0].n, 0);
    const big = await quickOrder(s, a.applicant.cookie, [["SDOI-500", 60]]);
    equal(big.status, 303);
    await big.body?.cancel();

    // The dashboard counts it by account and by area; exposure shows the open order.
    const dash = await (await s.fetch(
      `/admin/b2b/dashboard?from=${dhakaDate(s.clock.now())}&to=${
        addDays(dhakaDate(s.clock.now()), 3)
      }`,
      { headers: { cookie: sales.cookie } },
    )).text();
    match(dash, /data-row="Gulshan Grill"[\s\S]*?<td[^>]*>1<\/td>/);
    match(dash, /data-row="Gulshan"/);
    match(dash, new RegExp(`data-exposure="${a.id}"`));
  });
});
