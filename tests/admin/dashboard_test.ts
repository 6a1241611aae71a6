/**
 * The back office's home page (/admin), the management dashboard: today's figures a manager would
 * check (sales by channel, deliveries due and late, milk against the week, lots on hold, quality
 * releases waiting), each a link to its screen and shown only to those who may open that screen;
 * Bangla pages with Bangla digits. Day boundaries are Dhaka's, from the app's injected clock.
 */
import { equal, match, ok } from "node:assert/strict";
import { placeOrder } from "@/services/shop/orders.ts";
import { addDays, dhakaDate, dhakaInstant } from "@/services/platform/dhaka.ts";
import { formatTaka, toBanglaDigits } from "@/services/i18n/mod.ts";
import type { Role } from "@/services/identity/roles.ts";
import { makeCow } from "@/tests/farm/_helpers.ts";
import {
  checkoutFor,
  deliverOrder,
  type ShopTest,
  variantId,
  withShop,
} from "@/tests/shop/_helpers.ts";
import { browserTest, shot, watchPage, withBrowser } from "@/tests/helpers/browser.ts";

/** The page as `roles` see it: the figures shown, by their data-figure name. */
async function dashboard(s: ShopTest, roles: Role[], lang: "en" | "bn" = "en") {
  const { cookie } = await s.user(roles);
  const res = await s.fetch("/admin", { headers: { cookie: `${cookie}; lang=${lang}` } });
  const html = await res.text();
  const figures = new Map<string, { value: string; note: string; href: string }>();
  for (const m of html.matchAll(/<a href="([^"]*)" data-figure="([^"]+)"[^>]*>(.*?)<\/a>/gs)) {
    const inner = m[3];
    const value = inner.match(/data-count[^>]*>([^<]*)</)?.[1] ?? "";
    const spans = [...inner.matchAll(/<span[^>]*>([^<]*)<\/span>/g)].map((x) => x[1]);
    figures.set(m[2], {
      value,
      note: spans[2] ?? "",
      href: m[1].replaceAll("&amp;", "&"),
    });
  }
  return { status: res.status, html, figures };
}

async function order(s: ShopTest, at: Date, sku = "MILK-1000", qty = 6) {
  return await placeOrder(s.sql, s.od, {
    now: at,
    userId: null,
    locale: "en",
    items: [{ variantId: await variantId(s.sql, sku), qty }],
    checkout: await checkoutFor(s.sql, {}, at),
    allowedMethods: ["cod"],
  });
}

Deno.test("dashboard: today's shop sales count today's orders only, deliveries due and late", async () => {
  await withShop(async (s) => {
    const today = dhakaDate(s.clock.now());
    // Two orders this morning (Dhaka), one late last evening: only this morning's are today's.
    const a = await order(s, dhakaInstant(today, "00:10"));
    const b = await order(s, dhakaInstant(today, "09:00"), "GHEE-500", 1);
    const c = await order(s, dhakaInstant(addDays(today, -1), "23:50"));
    // Yesterday's order should have gone out yesterday: it is late.
    await s.sql`update shop_orders set delivery_date = ${addDays(today, -1)} where id = ${c.id}`;
    // And one more for today's round.
    await s.sql`update shop_orders set delivery_date = ${today} where id = ${a.id}`;

    const { status, figures } = await dashboard(s, ["sales"]);
    equal(status, 200);
    const sales = figures.get("shop-sales")!;
    equal(sales.value, formatTaka(a.totalMinor + b.totalMinor, "en"));
    equal(sales.note, "2 orders");
    equal(sales.href, "/admin/shop/orders");
    equal(figures.get("subscription-sales")!.value, formatTaka(0, "en"));
    equal(figures.get("due-today")!.value, "1");
    equal(figures.get("due-today")!.href, `/admin/shop/picking?date=${today}`);
    equal(figures.get("late")!.value, "1");

    // A cancelled order is no sale.
    await s.sql`update shop_orders set status = 'cancelled' where id = ${b.id}`;
    const after = await dashboard(s, ["sales"]);
    equal(after.figures.get("shop-sales")!.value, formatTaka(a.totalMinor, "en"));
    equal(after.figures.get("shop-sales")!.note, "1 order");
  });
});

Deno.test("dashboard: a held lot shows under stock and a quarantined one waits for quality", async () => {
  await withShop(async (s) => {
    const [lot] = await s.sql`
      select l.id from inv_lots l join inv_balances b on b.lot_id = l.id
      where b.on_hand > 0 order by l.id limit 1`;
    const before = await dashboard(s, ["warehouse"]);
    equal(before.figures.get("lots-on-hold")!.value, "0");
    await s.deps.inventory.setLotStatus({
      lotId: Number(lot.id),
      status: "hold",
      reason: "dented pouches",
      actor: { id: null, name: "test" },
    });
    const w = await dashboard(s, ["warehouse"]);
    equal(w.figures.get("lots-on-hold")!.value, "1");
    equal(w.figures.get("lots-on-hold")!.href, "/admin/inventory/stock?status=hold");
    ok(w.figures.has("near-expiry"));
    ok(!w.figures.has("releases"), "warehouse staff do not decide releases");

    const [other] = await s.sql`
      select l.id from inv_lots l join inv_balances b on b.lot_id = l.id
      where b.on_hand > 0 and l.id <> ${lot.id} order by l.id limit 1`;
    await s.deps.inventory.setLotStatus({
      lotId: Number(other.id),
      status: "quarantine",
      reason: "retest",
      actor: { id: null, name: "test" },
    });
    const q = await dashboard(s, ["quality"]);
    equal(q.figures.get("releases")!.value, "1");
    equal(q.figures.get("releases")!.href, "/admin/quality");
    ok(!q.figures.has("lots-on-hold"), "quality staff cannot open the stock screen");
  });
});

Deno.test("dashboard: milk today against the average of the seven days before, in litres", async () => {
  await withShop(async (s) => {
    const today = dhakaDate(s.clock.now());
    const cow = await makeCow(s.sql);
    // 20 L a day for the last seven days (1.032 kg a litre), 10 L so far today.
    for (let i = 0; i <= 7; i++) {
      const day = addDays(today, -i);
      const kg = i === 0 ? 10.32 : 20.64;
      await s.sql`
        insert into milk_records (animal_id, milked_on, session, milked_at, yield_kg, source,
          recorded_at)
        values (${cow}, ${day}, 'am', ${dhakaInstant(day, "05:00")}, ${kg}, 'hand',
          ${dhakaInstant(day, "05:10")})`;
    }
    // Eight days ago is outside the week.
    await s.sql`
      insert into milk_records (animal_id, milked_on, session, milked_at, yield_kg, source,
        recorded_at)
      values (${cow}, ${addDays(today, -8)}, 'am', ${dhakaInstant(addDays(today, -8), "05:00")},
        70, 'hand', ${dhakaInstant(addDays(today, -8), "05:10")})`;
    const { figures } = await dashboard(s, ["farm_manager"]);
    const milk = figures.get("milk-today")!;
    equal(milk.value, "10.0 L");
    equal(milk.note, "7-day average 20.0 L");
    equal(milk.href, "/farm/dashboard");
    const bn = await dashboard(s, ["farm_manager"], "bn");
    equal(bn.figures.get("milk-today")!.value, "১০.০ লি");
  });
});

Deno.test("dashboard: each figure only for those who may open its screen", async () => {
  await withShop(async (s) => {
    const farm = await dashboard(s, ["farm_manager"]);
    equal(farm.status, 200);
    for (const f of ["milk-today", "tanks", "open-alarms"]) ok(farm.figures.has(f), f);
    for (const f of ["shop-sales", "received-today", "lots-on-hold", "bills", "staff"]) {
      ok(!farm.figures.has(f), `farm manager sees no ${f}`);
    }
    ok(!farm.html.includes('href="/admin/shop/orders"'), "no link to sales");

    const sales = await dashboard(s, ["sales"]);
    for (const f of ["shop-sales", "subscription-sales", "due-today", "late", "received-today"]) {
      ok(sales.figures.has(f), f);
    }
    for (const f of ["milk-today", "tanks", "cod-owed", "bills", "releases", "audit-entries"]) {
      ok(!sales.figures.has(f), `sales sees no ${f}`);
    }
    match(sales.html, /Accounting \(ledger, receivables, bank balances\) is not built yet/);

    const buyer = await dashboard(s, ["purchase"]);
    equal(buyer.figures.get("bills")!.value, "0");
    equal(buyer.figures.get("bills")!.href, "/admin/purchase/bills?status=entered");
    equal(buyer.figures.get("requests")!.value, "0");
    ok(!buyer.figures.has("shop-sales"));

    const admin = await dashboard(s, ["admin"]);
    for (
      const f of [
        "shop-sales",
        "subscription-sales",
        "due-today",
        "late",
        "milk-today",
        "tanks",
        "open-alarms",
        "lots-on-hold",
        "near-expiry",
        "releases",
        "bills",
        "requests",
        "received-today",
        "cod-owed",
        "staff",
        "customers",
        "outbox-queued",
        "audit-entries",
      ]
    ) ok(admin.figures.has(f), `admin sees ${f}`);

    const hr = await dashboard(s, ["hr"]);
    equal(hr.status, 200);
    equal(hr.figures.size, 0);
    match(hr.html, /no figures for your role/);

    const worker = await dashboard(s, ["farm_worker"]);
    equal(worker.status, 403);
  });
});

Deno.test("dashboard: the Bangla page has Bangla words and digits", async () => {
  await withShop(async (s) => {
    const today = dhakaDate(s.clock.now());
    const a = await order(s, dhakaInstant(today, "08:00"));
    const { status, html, figures } = await dashboard(s, ["admin"], "bn");
    equal(status, 200);
    match(html, /আজকের বিক্রি/);
    match(html, /অনুমোদনের অপেক্ষায়/);
    equal(figures.get("shop-sales")!.value, formatTaka(a.totalMinor, "bn"));
    equal(figures.get("shop-sales")!.note, "১টি অর্ডার");
    match(html, new RegExp(toBanglaDigits(today)));
    ok(!/data-count>[^<]*[0-9]/.test(html), "no Latin digits in the figures");
  });
});

Deno.test({
  name: "dashboard: on a 360 px phone the cards wrap and nothing scrolls sideways (en, bn)",
  ...browserTest,
  fn: async () => {
    await withShop(async (s) => {
      const today = dhakaDate(s.clock.now());
      await order(s, dhakaInstant(today, "08:00"));
      const { cookie } = await s.user(["admin"]);
      const [name, value] = cookie.split("=");
      await withBrowser(s.app.fetch, async (browser, base) => {
        for (const lang of ["en", "bn"]) {
          const context = await browser.newContext({
            viewport: { width: 360, height: 740 },
            deviceScaleFactor: 1,
          });
          await context.addCookies([
            { name, value, url: base },
            { name: "lang", value: lang, url: base },
          ]);
          const page = await context.newPage();
          const errors = watchPage(page);
          const res = await page.goto(`${base}/admin`);
          equal(res?.status(), 200);
          const widths = await page.evaluate(() => ({
            doc: document.documentElement.scrollWidth,
            view: globalThis.innerWidth,
            cards: [...document.querySelectorAll("[data-figure]")].map((e) =>
              e.getBoundingClientRect().right
            ),
          }));
          ok(widths.doc <= widths.view, `${lang}: page ${widths.doc}px wide in ${widths.view}px`);
          ok(widths.cards.length >= 10, `${lang}: ${widths.cards.length} cards`);
          ok(widths.cards.every((r) => r <= widths.view), `${lang}: every card on screen`);
          await shot(page, `admin-dashboard-360-${lang}`);
          equal(errors.join("\n"), "");
          await context.close();
        }
      });
    });
  },
});

Deno.test("dashboard: cash a rider collected today, what riders still owe, requests to approve", async () => {
  await withShop(async (s) => {
    const today = dhakaDate(s.clock.now());
    const placed = await order(s, dhakaInstant(today, "07:00"));
    const { user: staff } = await s.user(["sales"]);
    await deliverOrder(s, placed.id, staff.id, {
      riderId: staff.id,
      rider: "Karim",
      amountMinor: placed.totalMinor,
    });
    // Karim hands in all but ৳100.
    await s.deps.payments.recordHandin({
      riderId: staff.id,
      rider: "Karim",
      handedOn: today,
      amountMinor: placed.totalMinor - 10_000,
      actorId: staff.id,
    });
    await s.deps.inventory.port.ensureItem(s.sql, {
      code: "FEED-DAIRY-MIX",
      nameEn: "Dairy concentrate mix",
      nameBn: "দুগ্ধ দানাদার মিশ্রণ",
      kind: "feed",
      base: "g",
    });
    await s.deps.purchase.createRequest({
      itemCode: "FEED-DAIRY-MIX",
      unit: "kg",
      qty: "500",
      neededBy: addDays(today, 3),
      reason: "feed runs low",
    }, { id: null, name: "Rahim" });

    const admin = await dashboard(s, ["admin"]);
    const received = admin.figures.get("received-today")!;
    equal(received.value, formatTaka(placed.totalMinor, "en"));
    equal(received.note, `Cash on delivery ${formatTaka(placed.totalMinor, "en")}`);
    const owed = admin.figures.get("cod-owed")!;
    equal(owed.value, formatTaka(10_000, "en"));
    equal(owed.note, "1 rider owes (last 14 days)");
    equal(admin.figures.get("requests")!.value, "1");

    // The accountant sees what riders owe and the approvals, not the shop's takings.
    const acc = await dashboard(s, ["accountant"]);
    equal(acc.figures.get("cod-owed")!.value, formatTaka(10_000, "en"));
    equal(acc.figures.get("requests")!.value, "1");
    ok(!acc.figures.has("received-today"));
    ok(!acc.figures.has("shop-sales"));
  });
});
