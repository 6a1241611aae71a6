/**
 * Issue 19's "a guest checks out with a one-time code and sees the order", in Chromium at 360 px:
 * a shopper who never signed in fills the cart, checks out giving only a mobile number, types
 * the code from the SMS (read from notify's outbox) and lands on the placed order, signed in to
 * the account made for the number. Set E2E_SCREENSHOTS=/some/dir to keep the steps.
 */
import { equal, match, ok } from "node:assert/strict";
import "../identity/_fixtures.ts"; // cheap argon2 for the account made here
import { lastCodeSentTo } from "../identity/_fixtures.ts";
import { shot } from "../helpers/browser.ts";
import { shopPageTest } from "./_helpers.ts";

shopPageTest(
  "browser: a guest checks out with a one-time code and sees the order (360 px)",
  { width: 360, height: 740 },
  async (s, page, base, errors) => {
    await page.goto(`${base}/shop/products/pure-ghee`);
    await page.check('input[name="variantId"] >> nth=1');
    await page.fill('input[name="qty"]', "1");
    await page.click('[data-testid="add-to-cart"]');
    await page.waitForURL(/added=1/);
    await page.goto(`${base}/shop/cart`);
    await Promise.all([
      page.waitForURL(`${base}/shop/checkout`),
      page.click('[data-testid="go-checkout"]'),
    ]);
    // Not sent away to sign in: the page says why a code will come.
    match(
      await page.textContent('[data-testid="guest-intro"]') ?? "",
      /No account or password/,
    );
    await page.fill("#recipient", "Mitu Chowdhury");
    await page.fill("#phone", "01755-987654");
    await page.selectOption("#place", { label: "Gulshan (Gulshan)" });
    await page.fill("#line", "House 3, Road 90, Gulshan 2");
    await page.check('[data-testid="method-cod"]');
    await shot(page, "guest-01-checkout");
    await page.click('[data-testid="place-order"]');

    // The code step, at the end of checkout.
    await page.waitForSelector('[data-testid="code-sent"]');
    match(await page.textContent('[data-testid="code-sent"]') ?? "", /SMS/);
    await shot(page, "guest-02-code");
    await page.fill("#code", await lastCodeSentTo(s.sql, "+8801755987654"));
    await Promise.all([
      page.waitForURL(/\/shop\/orders\/SD-\d{4}-\d{6}\?placed=1/),
      page.click('[data-testid="confirm-code"]'),
    ]);
    await shot(page, "guest-03-order");
    ok((await page.content()).includes("Thank you! Your order is placed."));
    ok((await page.content()).includes("House 3, Road 90, Gulshan 2"));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    ok(width <= 360, `the order page fits 360 px (${width})`);

    // The order is the new account's, and the account is the one signed in.
    const number = page.url().match(/SD-\d{4}-\d{6}/)![0];
    const [o] = await s.sql`
    select u.display_name from shop_orders o join users u on u.id = o.user_id
    where o.number = ${number}`;
    equal(o.display_name, "Mitu Chowdhury");
    await page.goto(`${base}/shop/orders`);
    ok((await page.content()).includes(number), "listed under My orders");
    equal(errors.length, 0, errors.join("\n"));
  },
);
