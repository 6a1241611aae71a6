import { equal, match, ok } from "node:assert/strict";
import { pageForm, post, withShop } from "@/tests/shop/_helpers.ts";
import { dispatchedStops } from "./_helpers.ts";

Deno.test("cash hand-in: a cashier receives a rider user's cash against what the rider collected; differences shown, audited, flagged", async () => {
  await withShop(async (s) => {
    const day = await dispatchedStops(s, 2);
    const { rider, staff, stops, at } = day;
    const results = await s.deps.delivery.syncRider(
      stops.map((x) => ({
        id: crypto.randomUUID(),
        stopId: x.id,
        action: "delivered",
        at,
        note: "handed to the guard",
        codMinor: x.codDueMinor,
      })),
      { id: rider.user.id },
    );
    equal(results.map((r) => r.status).join(), "applied,applied");
    const collected = stops.reduce((a, x) => a + x.codDueMinor, 0);
    // The collections name the rider user, not a typed name.
    const rows = await s.sql`select rider_id, courier from shop_cod_collections`;
    equal(rows.length, 2);
    ok(rows.every((r) => r.rider_id === rider.user.id && r.courier === null));

    // The cashier's form offers our riders; a typed name or another staff user is refused.
    const cashier = await s.user(["accountant"]);
    let form = await pageForm(s, "/admin/shop/reconciliation", cashier.cookie);
    equal(form.status, 200);
    ok(form.html.includes(`<option value="${rider.user.id}">`));
    ok(!form.html.includes('name="rider"'), "no free-text rider field");
    const refused: Record<string, string>[] = [
      { rider: rider.user.displayName ?? "Rider", day: day.date, amount: "100" },
      { riderId: staff.user.id, day: day.date, amount: "100" },
      { riderId: rider.user.id, day: day.date, amount: "-5" },
    ];
    for (const fields of refused) {
      const r = await post(s, "/admin/shop/reconciliation", { action: "handin", ...fields }, form);
      equal(r.status, 422, JSON.stringify(fields));
      form = await pageForm(s, "/admin/shop/reconciliation", cashier.cookie);
    }
    equal((await s.sql`select count(*)::int as n from shop_cod_handins`)[0].n, 0);

    // ৳100 short.
    const short = collected - 10_000;
    /** The cashier receives `amountMinor` from the rider for the day. */
    const handIn = (amountMinor: number, from: typeof form) =>
      post(s, "/admin/shop/reconciliation", {
        action: "handin",
        riderId: rider.user.id,
        day: day.date,
        amount: (amountMinor / 100).toFixed(2),
      }, from);
    const r = await handIn(short, form);
    equal(r.status, 303);
    const notice = decodeURIComponent(r.headers.get("location")!);
    match(notice, /short by ৳\s?100/);
    const page = await (await s.fetch("/admin/shop/reconciliation", {
      headers: { cookie: cashier.cookie },
    })).text();
    const row = page.slice(page.indexOf(`data-rider-day="${rider.user.id}:${day.date}"`));
    ok(row.length < page.length, "the rider's day is listed");
    match(row.slice(0, 800), /short ৳\s?100/);
    ok(row.slice(0, 800).includes("text-red-700"));
    const [h] = await s.sql`
      select amount_minor, expected_minor, received_by from shop_cod_handins
      where rider_id = ${rider.user.id}`;
    equal(Number(h.amount_minor), short);
    equal(Number(h.expected_minor), collected);
    equal(h.received_by, cashier.user.id);
    const [audit] = await s.sql`
      select actor_id, data from audit_log where action = 'shop.cod.handin' order by at desc limit 1`;
    equal(audit.actor_id, cashier.user.id);
    const data = typeof audit.data === "string" ? JSON.parse(audit.data) : audit.data;
    equal(data.differenceMinor, -10_000);
    equal(data.expectedMinor, collected);
    const subject = `rider:${rider.user.id}:${day.date}`;
    const open = async () =>
      (await s.sql`
        select count(*)::int as n from shop_reconciliation_issues
        where kind = 'cod_rider_difference' and subject = ${subject} and status = 'open'`)[0].n;
    equal(await open(), 1);

    // The rider brings the rest: corrected, the difference is gone and the finding closed.
    form = await pageForm(s, "/admin/shop/reconciliation", cashier.cookie);
    const fixed = await handIn(collected, form);
    match(decodeURIComponent(fixed.headers.get("location")!), /matches the collections/);
    equal(await open(), 0);
    const days = await s.deps.payments.riderDays();
    const mine = days.find((d) => d.riderId === rider.user.id)!;
    equal(mine.differenceMinor, 0);
    equal(mine.orders, 2);
    equal((await s.sql`select count(*)::int as n from shop_cod_handins`)[0].n, 1);
  });
});
