/**
 * The shop at any time of day: the clock-sensitive paths (what checkout offers, placing the
 * order, cancelling before the cut-off, staff moving the order, a subscription's first date and
 * its cut-off) run on the app's injected clock at 00:30, 06:00 and 23:59 in Dhaka, whatever the
 * machine's own time is.
 *
 * The delivery rules as a customer reads them: the morning slot (06–09) closes at 22:00 the day
 * before, the evening slot (17–20, +৳20) at 12:00 the same day.
 */
import { equal, ok } from "node:assert/strict";
import { formatTaka } from "@/services/i18n/mod.ts";
import { addDays, dhakaInstant } from "@/services/platform/dhaka.ts";
import {
  bananiAddress,
  gheeToCheckout,
  pageForm,
  post,
  type ShopTest,
  variantId,
  withShop,
} from "./_helpers.ts";

/** A Wednesday; any date would do. */
const D = "2026-03-04";
const MIN = 60_000;

const CUTOFF: Record<string, (date: string) => Date> = {
  morning: (date) => dhakaInstant(addDays(date, -1), "22:00"),
  evening: (date) => dhakaInstant(date, "12:00"),
};

const CASES = [
  // Just after midnight: this morning closed at 22:00 yesterday; this evening is still open.
  { time: "00:30", first: `${D}/evening`, closed: `${D}/morning`, subStart: addDays(D, 1) },
  // The morning cut-off long gone, the evening one six hours away.
  { time: "06:00", first: `${D}/evening`, closed: `${D}/morning`, subStart: addDays(D, 1) },
  // A minute before midnight: tomorrow morning closed at 22:00, so tomorrow evening comes first.
  {
    time: "23:59",
    first: `${addDays(D, 1)}/evening`,
    closed: `${addDays(D, 1)}/morning`,
    subStart: addDays(D, 2),
  },
];

async function geo(s: ShopTest, zone: string) {
  const [g] = await s.sql`
    select z.id as zone, u.id as thana, d.id as district, d.division_id as division,
      z.fee_minor::int as fee
    from delivery_zones z join shop_zone_upazilas zu on zu.zone_id = z.id
    join geo_upazilas u on u.id = zu.upazila_id join geo_districts d on d.id = u.district_id
    where z.code = ${zone} limit 1`;
  return g;
}

const offered = (html: string) => {
  const select = html.match(/<select[^>]*name="when"[\s\S]*?<\/select>/)![0];
  return [...select.matchAll(/<option([^>]*)value="([^"]+)"([^>]*)>/g)].map((m) => ({
    value: m[2],
    selected: /\bselected\b/.test(m[1] + m[3]),
  }));
};

for (const c of CASES) {
  Deno.test(`clock: at ${c.time} in Dhaka the shop offers only open deliveries and keeps its cut-offs`, async () => {
    await withShop(async (s) => {
      const at = dhakaInstant(D, c.time);
      s.clock.set(at);
      const customer = await s.user();
      // Checkout offers (date, slot) pairs whose cut-off is still ahead, the soonest first and
      // preselected.
      const page = await gheeToCheckout(s, customer.cookie, 2);
      equal(page.status, 200);
      const options = offered(page.html);
      ok(options.length > 0, "something is offered");
      equal(options[0].value, c.first);
      ok(options[0].selected, "the soonest open delivery is preselected");
      for (const o of options) {
        const [date, slot] = o.value.split("/");
        ok(CUTOFF[slot](date) > s.clock.now(), `${o.value} is offered but closed`);
      }
      ok(!options.some((o) => o.value === c.closed), `${c.closed} is closed`);

      const g = await geo(s, "banani");
      const token = page.html.match(/name="token" value="([^"]+)"/)![1];
      const fields = {
        token,
        ...bananiAddress(g),
        when: options[0].value,
        paymentMethod: "cod",
        discountCode: "",
        note: "",
      };

      // A closed pair (a page left open too long) is still refused by the server.
      const late = await post(s, "/shop/checkout", { ...fields, when: c.closed }, page);
      equal(late.status, 422);
      const lateHtml = await late.text();
      ok(lateHtml.includes("The cut-off for that delivery has passed"));
      // The page comes back with the soonest open delivery chosen, and the total for it.
      equal(offered(lateHtml).find((o) => o.selected)?.value, c.first);
      const [v] = await s
        .sql`select price_minor::int as p from shop_variants where sku = 'GHEE-500'`;
      const total = 2 * v.p + g.fee + 2000; // the evening slot costs ৳20 more
      ok(lateHtml.includes(formatTaka(total, "en")), "the summary shows the total");

      const placed = await post(s, "/shop/checkout", fields, page);
      equal(placed.status, 303);
      const where = placed.headers.get("location")!;
      const number = where.match(/SD-\d{4}-\d{6}/)![0];
      const [o] = await s.sql`
        select total_minor::int as total, delivery_date::text as date, slot_code, status
        from shop_orders where number = ${number}`;
      equal(`${o.date}/${o.slot_code}`, c.first);
      equal(o.total, total);
      equal(o.status, "confirmed");
      let mine = await (await s.fetch(where, { headers: { cookie: page.cookie } })).text();
      ok(mine.includes(formatTaka(total, "en")), "the order page shows the total");

      // The customer may cancel until the cut-off, and not a minute after.
      ok(mine.includes('data-testid="cancel-order"'), "cancel is offered before the cut-off");
      const [date, slot] = c.first.split("/");
      s.clock.set(new Date(CUTOFF[slot](date).getTime() + MIN));
      const orderUrl = `/shop/orders/${number}`;
      const own = await pageForm(s, orderUrl, page.cookie);
      ok(!own.html.includes('data-testid="cancel-order"'), "no cancel after the cut-off");
      const cancel = await post(s, orderUrl, { action: "cancel" }, own);
      equal(cancel.status, 409);
      ok((await cancel.text()).includes("The cut-off has passed"));

      // Staff pack it and send it out.
      const staff = await s.user(["sales"]);
      let admin = await pageForm(s, `/admin/shop/orders/${number}`, staff.cookie);
      for (const to of ["packed", "out_for_delivery"]) {
        const r = await post(s, `/admin/shop/orders/${number}`, { to }, admin);
        equal(r.status, 303, to);
        admin = await pageForm(s, `/admin/shop/orders/${number}`, admin.cookie);
      }
      mine = await (await s.fetch(orderUrl, { headers: { cookie: page.cookie } })).text();
      ok(mine.includes('data-status="out_for_delivery"'));

      // A subscription starts on the first morning whose cut-off is ahead, and each date can
      // be skipped until its cut-off.
      s.clock.set(at);
      let sub = await pageForm(s, "/shop/subscriptions/new", page.cookie);
      const first = sub.html.match(/name="startDate"[\s\S]*?<option[^>]*value="([^"]+)"/)![1];
      equal(first, c.subStart);
      const milk = await variantId(s.sql, "MILK-1000");
      const created = await post(s, "/shop/subscriptions/new", {
        ...bananiAddress(g),
        startDate: first,
        billing: "per_delivery",
        ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((wd) => [`q.${milk}.${wd}`, "1"])),
      }, sub);
      equal(created.status, 303);
      const subUrl = created.headers.get("location")!.split("?")[0];
      sub = await pageForm(s, subUrl, page.cookie);
      ok(sub.html.includes(`data-testid="skip-${first}"`), "the first date can be skipped");
      ok(!sub.html.includes(`data-testid="skip-${addDays(first, -1)}"`), "the day before is fixed");
      s.clock.set(new Date(CUTOFF.morning(first).getTime() + MIN));
      sub = await pageForm(s, subUrl, page.cookie);
      ok(!sub.html.includes(`data-testid="skip-${first}"`), "fixed after its cut-off");
      const skip = await post(s, subUrl, { action: "skip", date: first }, sub);
      equal(skip.status, 409);
      ok((await skip.text()).includes("The cut-off has passed"));
    });
  });
}
