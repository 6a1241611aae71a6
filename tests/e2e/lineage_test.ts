/**
 * Cow to customer and back through the real pages (issue 12, "Done when"), in Chromium at laptop
 * width: the warehouse receives a farm tank's milk (a raw-milk lot in quarantine), quality tests
 * and releases it, production makes sweet doi from it (FEFO takes that lot), quality releases the
 * doi, a customer buys three cups in the shop with cash on delivery, and the recall screen, asked
 * about the cow, names that customer's order. Only what has no page is arranged in code: the cow
 * and its milking into the tank, the sweet doi recipe and its sugar, culture and cups.
 * Set E2E_SCREENSHOTS=/some/dir to keep a screenshot of every step.
 */
import { equal, match, ok } from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { browserTest, shot, watchPage, withBrowser } from "../helpers/browser.ts";
import { type ShopTest, variantId, withShop } from "../shop/_helpers.ts";
import { makeTank } from "../iot/helpers.ts";
import { FINISHED_OK, RAW_OK } from "../quality/_helpers.ts";
import { makeCow, WORKER } from "../farm/_helpers.ts";
import { recordMilking, sessionTime } from "@/services/farm/milk.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import type { Role } from "@/services/identity/roles.ts";

const TAG = "SHONA-7";
const ARRANGE = { id: null, name: "Test arrange" };

/** The cow and a herd mate milked into a tank on `day`; the sweet doi recipe and its stock. */
async function arrange(s: ShopTest, day: string) {
  const { inventory, production } = s.deps;
  const tank = await makeTank(s.sql, "tank-lineage");
  for (const tag of [TAG, `${TAG}-MATE`]) {
    const animalId = await makeCow(s.sql, { tag });
    await recordMilking(s.sql, {
      animalId,
      milkedAt: sessionTime(day, "am"),
      yieldKg: 8,
      toTank: true,
    }, WORKER);
  }
  const items = [
    ["RAW-MILK", "Raw milk", "কাঁচা দুধ", "raw_milk", "ml", 2],
    ["ING-SUGAR", "Sugar", "চিনি", "ingredient", "g", 365],
    ["ING-CULTURE", "Yogurt culture", "দইয়ের কালচার", "ingredient", "g", 180],
    ["PKG-CUP-500", "Cup 500 g", "কাপ ৫০০ গ্রাম", "packaging", "pc", 730],
  ] as const;
  const today = dhakaDate(s.clock.now());
  await s.sql.begin(async (tx) => {
    for (const [code, nameEn, nameBn, kind, base, shelfLifeDays] of items) {
      await inventory.port.ensureItem(tx, { code, nameEn, nameBn, kind, base, shelfLifeDays });
      if (kind === "raw_milk") continue;
      await inventory.port.receive(tx, {
        itemCode: code,
        locationCode: "PLANT-DRY",
        qty: base === "pc" ? 100 : 10_000,
        producedOn: addDays(today, -5),
        status: "released",
        ref: { kind: "opening", id: `lineage-${code}` },
        actor: ARRANGE,
      });
    }
  });
  // 1000 cups of 500 g from 560 L of milk, 50 kg sugar, 100 g culture and 1010 cups.
  await production.saveBomVersion({
    outputItemCode: "FG-SDOI-500",
    nameEn: "Sweet doi 500 g",
    nameBn: "মিষ্টি দই ৫০০ গ্রাম",
    hsCode: "0403.20",
    outputQty: 1000,
    lossPct: "3",
    tolerancePct: "2",
    targetFatPct: "",
    targetSnfPct: "",
    validFrom: addDays(today, -30),
    inputs: [
      { itemCode: "RAW-MILK", role: "main", qty: 560_000, wastagePct: "3" },
      { itemCode: "ING-SUGAR", role: "ingredient", qty: 50_000, wastagePct: "0" },
      { itemCode: "ING-CULTURE", role: "ingredient", qty: 100, wastagePct: "0" },
      { itemCode: "PKG-CUP-500", role: "packaging", qty: 1010, wastagePct: "1" },
    ],
    byproducts: [],
  }, ARRANGE);
  return tank;
}

/** A page signed in as a new account with `roles` (its own browser context). */
async function signedIn(s: ShopTest, browser: Browser, base: string, roles: Role[]) {
  const { cookie } = await s.user(roles);
  const [name, value] = cookie.split("=");
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name, value, url: base }]);
  const page = await context.newPage();
  return { page, errors: watchPage(page) };
}

/** Clicks the submit button of the form `form` (a selector) and waits for a URL like `url`. */
async function submit(page: Page, form: string, url: RegExp) {
  await Promise.all([page.waitForURL(url), page.click(`${form} button[type=submit]`)]);
}

/** A lot's quality file: record passing results (`values` by parameter), then release it. */
async function testAndRelease(page: Page, base: string, lotCode: string, values: object) {
  await page.goto(`${base}/admin/quality?status=quarantine`);
  await Promise.all([
    page.waitForURL(/\/admin\/quality\/lots\/\d+$/),
    page.click(`a[data-lot="${lotCode}"]`),
  ]);
  equal(await page.textContent("dd[data-status]"), "Quarantine");
  for (const [code, v] of Object.entries(values)) {
    const field = page.locator(`[name="p_${code}"]`);
    if (await field.evaluate((e) => e.tagName === "SELECT")) await field.selectOption(v);
    else await field.fill(v);
  }
  await submit(page, "form:has(input[name=action][value=record])", /\?recorded$/);
  match(await page.textContent("body") ?? "", /Test results recorded\./);
  await page.selectOption("#decision", "release");
  await page.fill("#reason", "All results within the plan's limits");
  await submit(page, "form:has(input[name=action][value=decide])", /\?decided$/);
  match(await page.textContent("body") ?? "", /Decision saved\./);
  equal((await page.textContent("dd[data-status]"))?.trim(), "Released");
}

Deno.test({
  name:
    "browser: receive milk, produce sweet doi, release it, sell it, find the customer from the cow",
  ...browserTest,
  async fn() {
    await withShop(async (s) => {
      const today = dhakaDate(s.clock.now());
      const day = addDays(today, -1);
      const tank = await arrange(s, day);
      await withBrowser(s.app.fetch, async (browser, base) => {
        s.deps.config.PUBLIC_URL = base;
        const warehouse = await signedIn(s, browser, base, ["warehouse"]);
        const quality = await signedIn(s, browser, base, ["quality"]);
        const production = await signedIn(s, browser, base, ["production"]);
        const customer = await signedIn(s, browser, base, ["customer"]);

        // 1. The warehouse receives the tank's morning milk: a raw-milk lot in quarantine.
        let page = warehouse.page;
        await page.goto(`${base}/admin/intake/tanks`);
        await page.selectOption("#tankId", tank.id);
        await page.fill("#day", day);
        await page.check('input[name="sessions"][value="am"]');
        await page.fill("#litres", "16");
        await page.fill("#fatPct", "4.2");
        await page.fill("#snfPct", "8.6");
        await page.fill("#tempC", "4");
        await submit(page, "form:has(input[name=action][value=receive])", /\/tanks\?ok=/);
        await shot(page, "lineage-01-tank-received");
        const notice = await page.textContent('[role="status"]') ?? "";
        match(notice, /in quarantine until quality releases it/);
        const rawLot = notice.match(/Received as lot (\S+) \(/)![1];

        // 2. Quality tests the raw milk and releases it.
        page = quality.page;
        await testAndRelease(page, base, rawLot, RAW_OK);
        await shot(page, "lineage-02-raw-released");

        // 3. Production plans 20 cups of sweet doi, starts it (FEFO takes the raw-milk lot) and
        // finishes it: the doi lot waits in quarantine.
        page = production.page;
        await page.goto(`${base}/admin/production/orders/new`);
        await page.selectOption("#outputItemCode", "FG-SDOI-500");
        await page.fill("#plannedQty", "20");
        await page.selectOption("#outputLocation", "PLANT-COLD1");
        await submit(
          page,
          'form[action="/admin/production/orders/new"]',
          /\/orders\/\d+\?created$/,
        );
        const order = page.url().replace(/\?.*$/, "");
        await Promise.all([page.waitForURL(/\/start$/), page.click(`a[href$="/start"]`)]);
        ok(await page.isVisible(`tr[data-pick="${rawLot}"]`), "FEFO picks the released milk");
        await shot(page, "lineage-03-start");
        await Promise.all([
          page.waitForURL(/\?started$/),
          page.click('button[name="mode"][value="fefo"]'),
        ]);
        ok(await page.isVisible(`tr[data-consumed="${rawLot}"]`));
        await Promise.all([page.waitForURL(/\/finish$/), page.click(`a[href$="/finish"]`)]);
        await page.fill("#actualQty", "20");
        await submit(page, `form[action$="/finish"]`, /\?finished$/);
        equal(page.url(), `${order}?finished`);
        match(await page.textContent("body") ?? "", /quarantine until quality releases it/);
        const doiLot = await page.getAttribute("tr[data-output]", "data-output");
        ok(doiLot);
        await shot(page, "lineage-04-finished");

        // Quality releases the doi.
        await testAndRelease(quality.page, base, doiLot, FINISHED_OK);
        await shot(quality.page, "lineage-05-doi-released");

        // 4. A customer buys three cups and pays cash on delivery.
        page = customer.page;
        await page.goto(`${base}/shop/products/sweet-doi`);
        await page.check(`input[name="variantId"][value="${await variantId(s.sql, "SDOI-500")}"]`);
        await page.fill('input[name="qty"]', "3");
        await Promise.all([page.waitForURL(/added=1/), page.click('[data-testid="add-to-cart"]')]);
        await page.goto(`${base}/shop/cart`);
        await Promise.all([
          page.waitForURL(`${base}/shop/checkout`),
          page.click('[data-testid="go-checkout"]'),
        ]);
        await page.fill("#recipient", "Nusrat Jahan");
        await page.fill("#phone", "01755-700007");
        // The address starts from the area; district and division follow from it.
        await page.selectOption("#place", { label: "Banani (Banani)" });
        await page.fill("#line", "House 7, Road 11, Banani");
        await page.check('[data-testid="method-cod"]');
        await shot(page, "lineage-06-checkout");
        await Promise.all([
          page.waitForURL(/\/shop\/orders\/SD-\d{4}-\d{6}/),
          page.click('[data-testid="place-order"]'),
        ]);
        await shot(page, "lineage-07-order");
        const number = (await page.textContent('[data-testid="order-number"]'))!
          .match(/SD-\d{4}-\d{6}/)![0];

        // 5. Quality traces the cow forward: the customer's order is on the recall screen.
        page = quality.page;
        await page.goto(`${base}/admin/recall`);
        await page.selectOption("#kind", "cow");
        await page.fill("#value", TAG);
        await submit(page, 'form[action="/admin/recall"][method="get"]', /kind=cow/);
        await shot(page, "lineage-08-recall");
        const row = page.locator(`tr[data-order="${number}"]`);
        ok(await row.isVisible(), `order ${number} on the recall screen`);
        match(await row.textContent() ?? "", /Nusrat Jahan/);
        match(await row.textContent() ?? "", new RegExp(doiLot));

        const errors = [warehouse, quality, production, customer].flatMap((u) => u.errors);
        equal(errors.length, 0, errors.join("\n"));
      });
    }, { stock: 0 });
  },
});
