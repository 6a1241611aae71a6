/**
 * A new customer's whole purchase in Chromium at phone width, against the fake bKash: browse and
 * search as a guest, fill the cart, sign up (code from the outbox), check out, pay on bKash's
 * hosted page, land on the confirmed order; the "payment received" SMS waits in the outbox.
 * Set E2E_SCREENSHOTS=/some/dir to keep a screenshot of every step.
 */
import { equal, match, ok } from "node:assert/strict";
import "../identity/_fixtures.ts"; // cheap argon2 for the accounts made here
import { lastCodeSentTo } from "../identity/_fixtures.ts";
import { shot } from "../helpers/browser.ts";
import { shopPageTest } from "./_helpers.ts";

shopPageTest(
  "browser: a new customer searches, checks out and pays with bKash (phone width)",
  { width: 390, height: 844 },
  async (s, page, base, errors) => {
    // Browse and search as a guest.
    await page.goto(`${base}/shop`);
    await shot(page, "shop-01-catalogue");
    await page.fill("#shop-q", "ghe");
    await page.press("#shop-q", "Enter");
    await page.waitForURL(/\/shop\?q=ghe/);
    await shot(page, "shop-02-search");
    await page.click('a:has-text("Pure cow ghee")');
    await page.waitForURL(`${base}/shop/products/pure-ghee`);
    await page.check('input[name="variantId"] >> nth=1');
    await page.fill('input[name="qty"]', "1");
    await page.click('[data-testid="add-to-cart"]');
    await page.waitForURL(/added=1/);
    await shot(page, "shop-03-added");

    // Sign up; the guest cart follows the new account.
    await page.goto(`${base}/signup`);
    await page.fill("#name", "Mitu Chowdhury");
    await page.fill("#identifier", "01755-123456");
    await page.fill("#password", "fresh milk daily 9");
    await page.click("button[type=submit]");
    await page.waitForURL(`${base}/signup/verify`);
    await page.fill("#code", await lastCodeSentTo(s.sql, "+8801755123456"));
    await page.click("button[type=submit]");
    await page.waitForURL(/\/account/);
    await page.goto(`${base}/shop/cart`);
    equal(await page.textContent('[data-testid="cart-count"]'), "1");
    await shot(page, "shop-04-cart");

    // Checkout with a Banani address, morning delivery, bKash.
    await page.click('[data-testid="go-checkout"]');
    await page.waitForURL(`${base}/shop/checkout`);
    await page.fill("#phone", "01755-123456");
    // The address starts from the area; district and division follow from it.
    await page.selectOption("#place", { label: "Banani (Banani)" });
    await page.fill("#line", "House 7, Road 11, Banani");
    await page.check('[data-testid="method-bkash"]');
    await shot(page, "shop-05-checkout");
    await page.click('[data-testid="place-order"]');

    // bKash's page: the customer confirms.
    await page.waitForURL(/\/redirect\/tokenized\//);
    await shot(page, "shop-06-bkash");
    await page.click('button[value="confirm"]');
    await page.waitForURL(/\/shop\/orders\/SD-\d{4}-\d{6}\?pay=ok/);
    await shot(page, "shop-07-order");
    match(await page.textContent('[data-testid="order-banner"]') ?? "", /Payment received/);
    equal(
      await page.getAttribute('[data-testid="order-status"] [data-status]', "data-status"),
      "confirmed",
    );
    const number =
      (await page.textContent('[data-testid="order-number"]'))!.match(/SD-\d{4}-\d{6}/)![0];

    const [o] = await s
      .sql`select status, paid_minor::int as paid, total_minor::int as total from shop_orders where number = ${number}`;
    equal(o.status, "confirmed");
    equal(o.paid, o.total);
    const sms = await s.sql`
        select template, body from outbox_messages where recipient = '+8801755123456'
          and template like 'shop.%' order by id`;
    equal(sms.map((m) => m.template).join(","), "shop.order_placed,shop.payment_received");
    ok(sms[1].body.includes(number));
    equal(errors.length, 0, errors.join("\n"));
  },
  { fakes: true },
);
