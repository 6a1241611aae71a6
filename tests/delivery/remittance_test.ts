import { equal, match, ok } from "node:assert/strict";
import { FakePaperfly } from "@/services/delivery/couriers/fake_paperfly.ts";
import { POLL_EVERY_MS } from "@/services/delivery/mod.ts";
import { pageForm, post, withShop } from "@/tests/shop/_helpers.ts";
import { ordersForOneDay } from "./_helpers.ts";

Deno.test("courier COD remittance: matched per consignment against delivered COD parcels, differences shown, bad reports refused whole", async () => {
  const fake = new FakePaperfly();
  try {
    await withShop(async (s) => {
      const { placed, zoneId } = await ordersForOneDay(s, 3);
      const staff = await s.user(["sales"]);
      const couriers = s.deps.delivery.couriers;
      await couriers.setZoneCourier({
        zoneId,
        courier: "paperfly",
        pathaoCity: null,
        pathaoZone: null,
      });
      const parcels = [];
      for (const o of placed) parcels.push(await couriers.book(o.number, staff.user.id));
      // Two delivered (learned by polling), the third still on its way.
      for (const o of placed.slice(0, 2)) fake.advance(o.number, "delivered");
      s.clock.set(new Date(s.clock.now().getTime() + POLL_EVERY_MS));
      equal((await couriers.poll()).changed, 3 - 1);
      const due = 4 * 9500 + 4000;
      const [a, b, c] = parcels.map((p) => p.consignmentId);

      const cashier = await s.user(["accountant"]);
      let form = await pageForm(s, "/admin/delivery/remittances", cashier.cookie);
      equal(form.status, 200);
      for (const id of [a, b]) ok(form.html.includes(`data-outstanding="${id}"`), id);
      ok(!form.html.includes(`data-outstanding="${c}"`), "not delivered: not owed yet");

      // A report with bad lines is refused whole, naming each line.
      const bad = await post(s, "/admin/delivery/remittances", {
        courier: "paperfly",
        reference: "PF-PAY-1",
        paidOn: "2026-12-07",
        report: `consignment,cod,charge\n${a},four hundred,70\n${b},420\n${b},420,70`,
      }, form);
      equal(bad.status, 422);
      const html = await bad.text();
      match(
        html,
        /Line 2: &quot;four hundred&quot; is no amount|Line 2: "four hundred" is no amount/,
      );
      match(html, /Line 4: consignment \d+ is listed twice/);
      equal((await s.sql`select count(*)::int as n from delivery_remittances`)[0].n, 0);

      // a in full, b ৳50 short, c not delivered, one consignment not ours.
      form = await pageForm(s, "/admin/delivery/remittances", cashier.cookie);
      const okRes = await post(s, "/admin/delivery/remittances", {
        courier: "paperfly",
        reference: "PF-PAY-1",
        paidOn: "2026-12-07",
        report: [
          "consignment,cod,charge",
          `${a},${(due / 100).toFixed(2)},70`,
          `${b},${((due - 5000) / 100).toFixed(2)},70`,
          `${c},${(due / 100).toFixed(2)},70`,
          "9999999,100,0",
        ].join("\n"),
      }, form);
      equal(okRes.status, 303);
      const page = await (await s.fetch("/admin/delivery/remittances", {
        headers: { cookie: cashier.cookie },
      })).text();
      const outcome = (id: string) =>
        page.match(new RegExp(`data-line="${id}" data-outcome="(\\w+)"`))?.[1];
      equal(outcome(a), "matched");
      equal(outcome(b), "differs");
      equal(outcome(c), "not_delivered");
      equal(outcome("9999999"), "unknown");
      match(page, /Differs \(−৳\s?50/);
      ok(!page.includes(`data-outstanding="${a}"`) && !page.includes(`data-outstanding="${b}"`));
      const [r] = await s.sql`select net_minor from delivery_remittances`;
      equal(Number(r.net_minor), due + (due - 5000) + due + 10_000 - 3 * 7000);

      // The same reference twice is refused; a consignment remitted before is marked so.
      form = await pageForm(s, "/admin/delivery/remittances", cashier.cookie);
      const again = await post(s, "/admin/delivery/remittances", {
        courier: "paperfly",
        reference: "PF-PAY-1",
        paidOn: "2026-12-08",
        report: `${a},1,0`,
      }, form);
      equal(again.status, 409);
      const second = await s.deps.delivery.remittances.record({
        courier: "paperfly",
        reference: "PF-PAY-2",
        paidOn: "2026-12-08",
        report: `${a},${(due / 100).toFixed(2)}`,
      }, cashier.user.id);
      equal(second.lines[0].outcome, "again");
      // Only staff with the books may record money.
      equal(
        (await s.fetch("/admin/delivery/remittances", { headers: { cookie: staff.cookie } }))
          .status,
        403,
      );
    }, { config: fake.config });
  } finally {
    await fake.stop();
  }
});
