/**
 * The shop on a 360 × 740 phone in Chromium, without islands: adding from the grid keeps the
 * shopper where they were with the confirmation in view, adding from a product page shows the
 * confirmation in view, the cart (long names, several lines) fits the screen in English and
 * Bangla, and the header is one row. Set E2E_SCREENSHOTS=/some/dir to keep screenshots.
 */
import { equal, ok } from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, shot, withBrowser, withPage } from "../helpers/browser.ts";
import { withShop } from "../shop/_helpers.ts";

const PHONE = { width: 360, height: 740 };

/** The first role=status with text: whether it lies inside the viewport. */
function confirmationInView(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = [...document.querySelectorAll("[role=status]")]
      .find((e) => (e.textContent ?? "").trim().length > 0);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  });
}

Deno.test({
  name: "browser: at 360 px, adding to the cart keeps the shopper in place and the cart fits",
  ...browserTest,
  async fn() {
    await withShop(async (s) => {
      // A long name (both languages), as a shopper may meet one.
      await s.sql`
        update shop_products set
          name_en = 'Extra creamy full-cream pasteurised cow milk from our own farm',
          name_bn = 'আমাদের নিজস্ব খামারের অতিরিক্ত ক্রিমযুক্ত পাস্তুরিত গরুর দুধ'
        where slug = 'full-cream-milk'`;
      await withPage(s.app.fetch, PHONE, async (page, base, errors) => {
        await page.goto(`${base}/shop`);
        // The header is one row: the page's heading starts within the first 200 px.
        const header = await page.evaluate(() =>
          document.querySelector("header")!.getBoundingClientRect().height
        );
        ok(header <= 64, `header ${header} px high`);
        await shot(page, "phone-01-shop");

        // The fourth card's add button, scrolled to and pressed.
        const buttons = page.locator("form[action='/shop/cart'] button[type=submit]");
        const fourth = buttons.nth(3);
        await fourth.scrollIntoViewIfNeeded();
        const before = await page.evaluate(() => scrollY);
        ok(before > 200, `the fourth card is below the first screen (${before})`);
        await Promise.all([page.waitForURL(/added=1/), fourth.click()]);
        await page.waitForLoadState("load");
        const after = await page.evaluate(() => scrollY);
        ok(after > 200, `no jump to the top: scrollY ${before} → ${after}`);
        ok(
          await confirmationInView(page),
          "the confirmation is in view after adding from the grid",
        );
        ok(/#p-[a-z0-9-]+$/.test(page.url()), page.url());
        await shot(page, "phone-02-grid-added");

        // + on the card: still in place, now 2 in the cart.
        await Promise.all([
          page.waitForURL(/n=2/),
          page.click('[data-testid^="qty-"] button[aria-label^="One more"]'),
        ]);
        ok((await page.evaluate(() => scrollY)) > 200, "+ on the card keeps the place");
        ok(await confirmationInView(page));
        equal(await page.textContent('[data-testid="cart-count"]'), "2");

        // From a product page: the confirmation is in view, at the buy box.
        await page.goto(`${base}/shop/products/full-cream-milk`);
        await Promise.all([page.waitForURL(/added=1/), page.click('[data-testid="add-to-cart"]')]);
        await page.waitForLoadState("load");
        ok(
          await confirmationInView(page),
          "the confirmation is in view after adding on the product page",
        );
        await shot(page, "phone-03-product-added");

        // Two more lines: four in all, one with the long name.
        for (const slug of ["pure-ghee", "sweet-doi"]) {
          await page.goto(`${base}/shop/products/${slug}`);
          await Promise.all([
            page.waitForURL(/added=1/),
            page.click('[data-testid="add-to-cart"]'),
          ]);
        }
        for (const lang of ["en", "bn"]) {
          await page.goto(`${base}/lang?to=${lang}&next=/shop/cart`);
          await page.waitForURL(/\/shop\/cart$/);
          equal(await page.locator('[data-testid="cart-lines"] > li').count(), 4);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          ok(width <= 360, `cart ${width} px wide at 360 (${lang})`);
          const right = await page.evaluate(() =>
            Math.max(
              ...[
                ...document.querySelectorAll(
                  '[data-testid="line-total"], [data-testid="cart-subtotal"]',
                ),
              ]
                .map((e) => e.getBoundingClientRect().right),
            )
          );
          ok(right <= 360, `prices end at ${right} px (${lang})`);
          await shot(page, `phone-04-cart-${lang}`);
        }

        // + in the cart sets the line and comes back to it.
        await page.goto(`${base}/lang?to=en&next=/shop/cart`);
        const line = page.locator('[data-testid="cart-lines"] > li').last();
        const id = await line.getAttribute("id");
        await Promise.all([
          page.waitForURL(new RegExp(`#${id}$`)),
          line.locator('button[aria-label^="One more"]').click(),
        ]);
        equal(await line.locator('input[type="number"]').inputValue(), "2");
        equal(errors.length, 0, errors.join("\n"));
      });
    });
  },
});

Deno.test({
  name: "browser: at 360 px, the admin menu folds into a button and the farm tab stays in view",
  ...browserTest,
  async fn() {
    await withShop(async (s) => {
      await withBrowser(s.app.fetch, async (browser, base) => {
        const { cookie } = await s.user(["sales"]);
        const ctx = await browser.newContext({ viewport: PHONE });
        const [name, value] = cookie.split("=");
        await ctx.addCookies([{ name, value, url: base }]);
        const page = await ctx.newPage();
        await page.goto(`${base}/admin/shop/orders`);
        const top = await page.evaluate(() =>
          document.querySelector("main")!.getBoundingClientRect().top
        );
        ok(top < 100, `the page starts at ${top} px`);
        const link = page.locator('nav[aria-label="Admin"] a[href="/admin/shop/products"]').first();
        ok(!(await link.isVisible()), "the screens are folded away");
        await page.click('nav[aria-label="Admin"] summary');
        ok(await link.isVisible(), "the menu opens without script");
        await shot(page, "phone-05-admin-menu");

        const farm = await s.user(["farm_manager"]);
        const [fn, fv] = farm.cookie.split("=");
        await ctx.addCookies([{ name: fn, value: fv, url: base }]);
        await page.goto(`${base}/farm/settings`);
        const r = await page.evaluate(() => {
          const a = document.querySelector('header nav [aria-current="page"]')!
            .getBoundingClientRect();
          return [a.left, a.right];
        });
        ok(r[0] >= 0 && r[1] <= 360, `the current tab is in view (${r})`);
        await ctx.close();
      });
    });
  },
});
