/**
 * A shopper who cancels at bKash's page comes back to their cart, items and all, at phone size:
 * the unpaid order is cancelled (its stock released) and no longer listed under "My orders".
 */
import { equal, match, ok } from "node:assert/strict";
import { browserTest, shot, watchPage, withBrowser } from "../helpers/browser.ts";
import { stockOf, withShop } from "../shop/_helpers.ts";

Deno.test({
  name: "browser: a cancelled bKash payment brings the cart back",
  ...browserTest,
  async fn() {
    await withShop(async (s) => {
      const { cookie } = await s.user(["customer"]);
      const ghee = await stockOf(s.sql, "GHEE-500");
      await withBrowser(s.app.fetch, async (browser, base) => {
        s.deps.config.PUBLIC_URL = base;
        const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
        const [name, value] = cookie.split("=");
        await context.addCookies([{ name, value, url: base }]);
        const page = await context.newPage();
        const errors = watchPage(page);

        await page.goto(`${base}/shop/products/pure-ghee`);
        await page.check('input[name="variantId"] >> nth=1');
        await page.fill('input[name="qty"]', "2");
        await page.click('[data-testid="add-to-cart"]');
        await page.waitForURL(/added=1/);
        await page.goto(`${base}/shop/checkout`);
        await page.fill("#phone", "01755-123456");
        await page.selectOption("#place", { label: "Banani (Banani)" });
        await page.fill("#line", "House 7, Road 11, Banani");
        await page.check('[data-testid="method-bkash"]');
        await page.click('[data-testid="place-order"]');
        await page.waitForURL(/\/redirect\/tokenized\//);
        equal(await stockOf(s.sql, "GHEE-500"), ghee - 2, "reserved while paying");

        // At bKash the shopper changes their mind.
        await page.click('button[value="cancel"]');
        await page.waitForURL(`${base}/shop/cart?pay=cancelled`);
        await shot(page, "pay-cancel-cart");
        match(await page.textContent('[data-testid="pay-cancelled"]') ?? "", /items are back/);
        equal(await page.textContent('[data-testid="cart-count"]'), "2");
        ok(await page.isVisible("text=Pure cow ghee"));
        equal(await stockOf(s.sql, "GHEE-500"), ghee, "the ghee is for sale again");

        // "My orders" does not list the order given up before payment.
        await page.goto(`${base}/shop/orders`);
        equal(await page.locator('[data-testid="order-list"] li').count(), 0);
        equal(errors.length, 0, errors.join("\n"));
      });
    }, { fakes: true });
  },
});
