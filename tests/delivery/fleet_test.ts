import { equal, match, ok, rejects } from "node:assert/strict";
import { ValidationError } from "@/services/platform/errors.ts";
import { pageForm, post, withShop } from "@/tests/shop/_helpers.ts";
import {
  deliveredOnce,
  dispatchedStops,
  ordersForOneDay,
  phoneSync,
  routeForDay,
  trackPath,
} from "./_helpers.ts";

Deno.test("delivery: a route takes the day's orders of its zone and slot; refusals name the field", async () => {
  await withShop(async (s) => {
    const { routeId, placed, date, zoneId, rider, staff } = await routeForDay(s, 3);
    const route = (await s.deps.delivery.route(routeId))!;
    equal(route.stops.length, 3);
    equal(route.stops.map((x) => x.orderNumber).join(), placed.map((p) => p.number).join());
    ok(route.stops[0].mapUrl.startsWith("https://www.google.com/maps/search/?api=1&query="));
    ok(route.stops[0].mapUrl.includes("Gulshan"));
    equal(route.stops[0].codDueMinor, 4 * 9500 + 4000);
    // Stop order is editable.
    await s.deps.delivery.moveStop(routeId, route.stops[2].id, "up");
    const moved = (await s.deps.delivery.route(routeId))!;
    equal(
      moved.stops.map((x) => x.orderNumber).join(),
      [0, 2, 1].map((i) => placed[i].number).join(),
    );
    // No order is on two routes: a second route of the same zone and slot finds nothing left.
    const other = await s.user(["rider"]);
    await rejects(
      s.deps.delivery.createRoute(
        { date, zoneId, slotCode: "morning", riderId: other.user.id },
        staff.user.id,
      ),
      (e) =>
        e instanceof ValidationError && /No confirmed or packed order/.test(e.fieldErrors.form),
    );
    // A customer is no rider.
    const customer = await s.user(["customer"]);
    await rejects(
      s.deps.delivery.createRoute(
        { date, zoneId, slotCode: "morning", riderId: customer.user.id },
        staff.user.id,
      ),
      (e) => e instanceof ValidationError && e.fieldErrors.riderId === "Choose a rider",
    );
    await rejects(
      s.deps.delivery.createRoute({
        date: "2026-02-30",
        zoneId,
        slotCode: "morning",
        riderId: rider.user.id,
      }, staff.user.id),
      (e) => e instanceof ValidationError && "date" in e.fieldErrors,
    );
    equal((await s.sql`select count(*)::int as n from delivery_routes`)[0].n, 1);
  });
});

Deno.test("delivery: dispatch sends the orders out with a tracking link the customer opens without signing in", async () => {
  await withShop(async (s) => {
    const { routeId, placed, rider, staff } = await routeForDay(s, 1);
    await s.deps.delivery.dispatch(routeId, staff.user.id);
    const o = (await s.deps.shop.order(placed[0].number))!;
    equal(o.status, "out_for_delivery");
    const [msg] = await s.sql`
      select body from outbox_messages where template = 'shop.out_for_delivery'`;
    const path = trackPath(msg.body);
    ok(path, `a tracking link in: ${msg.body}`);
    ok(!path!.endsWith(placed[0].number), "the link is not just the order number");

    const res = await s.fetch(path!); // no cookie: not signed in
    equal(res.status, 200);
    const html = await res.text();
    ok(html.includes(placed[0].number));
    match(html, /data-status="out_for_delivery"/);
    ok(html.includes(rider.user.displayName), "the rider is named");
    const [stop] = await s.sql`select handover_code from delivery_stops`;
    ok(html.includes(`data-handover-code="${stop.handover_code}"`), "the code to give the rider");
    match(html, /data-event="out_for_delivery"/);

    // Bangla.
    const bn = await (await s.fetch(path!, { headers: { cookie: "lang=bn" } })).text();
    ok(bn.includes("পথে আছে"));

    // Forged links: another signature, another order number with this signature, a bare number.
    const sig = path!.split(".").pop()!;
    const flipped = sig.slice(0, -1) + (sig.endsWith("0") ? "1" : "0");
    for (
      const bad of [
        path!.slice(0, -sig.length) + flipped,
        `/track/SD-2000-000001.${sig}`,
        `/track/${placed[0].number}`,
      ]
    ) {
      const r = await s.fetch(bad);
      equal(r.status, 404, bad);
      const html = await r.text();
      ok(!html.includes("data-order") && html.includes("This tracking link is not valid."));
    }
  });
});

Deno.test("delivery: the rider's sync delivers once with the code and COD, fails with a reason, never twice", async () => {
  await withShop(async (s) => {
    const { placed, rider, stops, at } = await dispatchedStops(s, 3);
    equal(stops.length, 3);
    ok(stops[0].phone.startsWith("+880"));
    const codes = new Map(
      (await s.sql`select id, handover_code from delivery_stops`).map((r) => [
        Number(r.id),
        r.handover_code as string,
      ]),
    );
    const send = await phoneSync(s, "/rider/sync", rider.cookie);
    const due = stops[0].codDueMinor;
    const wrong = codes.get(stops[2].id) === "0000" ? "1111" : "0000";
    /** Stop `i` delivered with the handover `code` and its cash. */
    const delivered = (i: number, code: string | undefined) => ({
      id: crypto.randomUUID(),
      stopId: stops[i].id,
      action: "delivered",
      at,
      code,
      codMinor: due,
    });
    const entries = [
      delivered(0, codes.get(stops[0].id)),
      { id: crypto.randomUUID(), stopId: stops[1].id, action: "failed", at, reason: "Nobody home" },
      delivered(2, wrong),
      { id: crypto.randomUUID(), stopId: stops[2].id, action: "delivered", at },
    ];
    const first = await send(entries);
    equal(first.status, 200);
    equal(
      first.body.results.map((r: { status: string }) => r.status).join(),
      "applied,applied,rejected,rejected",
    );
    equal(first.body.results[2].code, "wrong_code");
    match(first.body.results[3].message, /code or a note/);

    // The phone sends the same steps again (lost answer), and a new step for a done stop.
    const again = await send([
      ...entries.slice(0, 2),
      { id: crypto.randomUUID(), stopId: stops[0].id, action: "delivered", at, note: "again" },
    ]);
    equal(
      again.body.results.map((r: { status: string }) => r.status).join(),
      "duplicate,duplicate,duplicate",
    );

    await deliveredOnce(s, placed[0].number, { rider: rider.user.displayName, amountMinor: due });
    equal(
      (await s
        .sql`select count(*)::int as n from outbox_messages where template = 'shop.delivered'`)[0]
        .n,
      1,
    );
    equal((await s.deps.shop.order(placed[1].number))!.status, "out_for_delivery");
    equal((await s.deps.shop.order(placed[2].number))!.status, "out_for_delivery");

    // The right code afterwards delivers the third.
    const late = await send([delivered(2, codes.get(stops[2].id))]);
    equal(late.body.results[0].status, "applied");

    // Another rider cannot touch these stops; a customer cannot open the rider's pages.
    const other = await s.user(["rider"]);
    const foreign = await (await phoneSync(s, "/rider/sync", other.cookie))([
      { id: crypto.randomUUID(), stopId: stops[1].id, action: "delivered", at, note: "mine" },
    ]);
    equal(foreign.body.results[0].code, "not_your_stop");
    const customer = await s.user(["customer"]);
    equal((await s.fetch("/rider", { headers: { cookie: customer.cookie } })).status, 403);
    equal(
      (await s.fetch("/rider/sync", {
        headers: { cookie: customer.cookie, accept: "application/json" },
      })).status,
      403,
    );

    // The tracking page of the failed stop says why; the delivered one says delivered.
    const page = async (n: string) =>
      await (await s.fetch(`/track/${await s.deps.delivery.trackingToken(n)}`)).text();
    match(await page(placed[1].number), /data-failed[^>]*>[^<]*Nobody home/);
    const done = await page(placed[0].number);
    match(done, /data-status="delivered"/);
    ok(!done.includes("data-handover-code"), "no code once delivered");

    // The rider's page lists the stops with call and navigate links.
    const html = await (await s.fetch("/rider", { headers: { cookie: rider.cookie } })).text();
    ok(html.includes(`href="tel:${stops[0].phone}"`));
    ok(html.includes(placed[2].number));
  });
});

Deno.test("delivery: staff pages make, reorder and dispatch a route; empty states", async () => {
  await withShop(async (s) => {
    const staff = await s.user(["sales"]);
    const empty = await (await s.fetch("/admin/delivery", { headers: { cookie: staff.cookie } }))
      .text();
    ok(empty.includes("No route for this day."));
    ok(empty.includes("No rider yet"));
    const day = await ordersForOneDay(s, 2);
    const rider = await s.user(["rider"]);
    const form = await pageForm(s, `/admin/delivery?date=${day.date}`, staff.cookie);
    // Refused: no rider chosen.
    const bad = await post(s, "/admin/delivery", {
      date: day.date,
      zoneId: String(day.zoneId),
      slotCode: "morning",
      riderId: "",
    }, form);
    equal(bad.status, 422);
    ok((await bad.text()).includes("Choose a rider"));
    const made = await post(s, "/admin/delivery", {
      date: day.date,
      zoneId: String(day.zoneId),
      slotCode: "morning",
      riderId: rider.user.id,
    }, form);
    equal(made.status, 303);
    const at = made.headers.get("location")!;
    match(at, /^\/admin\/delivery\/[0-9a-f-]{36}$/);
    const routePage = await pageForm(s, at, staff.cookie);
    ok(routePage.html.includes(day.placed[0].number));
    const stops = (await s.deps.delivery.route(at.split("/").pop()!))!.stops;
    equal(
      (await post(s, at, { action: "down", stopId: String(stops[0].id) }, routePage)).status,
      303,
    );
    const after = (await s.deps.delivery.route(at.split("/").pop()!))!.stops;
    equal(after[0].orderNumber, day.placed[1].number);
    equal((await post(s, at, { action: "dispatch" }, routePage)).status, 303);
    equal((await s.deps.shop.order(day.placed[0].number))!.status, "out_for_delivery");
    // A warehouse user has no access.
    const wh = await s.user(["warehouse"]);
    equal((await s.fetch("/admin/delivery", { headers: { cookie: wh.cookie } })).status, 403);
  });
});
