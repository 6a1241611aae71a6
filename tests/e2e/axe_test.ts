/**
 * Accessibility as axe-core sees it (WCAG 2 A and AA rules) in Chromium at phone size, on the pages
 * issue 19 names: home, shop, a product, the cart, checkout, sign-in, the farm recorder and the
 * admin dashboard. Every violation is listed with the elements it was found on.
 */
import { deepEqual } from "node:assert/strict";
import axe from "axe-core";
import type { Browser } from "playwright-core";
import { browserTest, shot, withBrowser } from "../helpers/browser.ts";
import { variantId, withShop } from "../shop/_helpers.ts";

const PHONE = { width: 360, height: 740 };

async function violations(
  browser: Browser,
  url: string,
  cookie?: string,
): Promise<string[]> {
  // axe is added to the page by the test (bypassing the page's own CSP, which rightly refuses it).
  const context = await browser.newContext({ viewport: PHONE, bypassCSP: true });
  try {
    if (cookie) {
      const [name, value] = cookie.split("=");
      await context.addCookies([{ name, value, url }]);
    }
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForLoadState("load");
    await shot(page, `axe-${new URL(url).pathname.replaceAll("/", "_") || "home"}`);
    await page.evaluate(
      (source: string) => (0, eval)(source),
      (axe as unknown as { source: string }).source,
    );
    const found = await page.evaluate(async () => {
      // deno-lint-ignore no-explicit-any
      const r = await (globalThis as any).axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      });
      // A run that checked nothing would pass anything: count the rules that passed too.
      if (!r.passes.length) return ["axe checked nothing"];
      // deno-lint-ignore no-explicit-any
      return r.violations.map((v: any) =>
        `${v.id} (${v.impact}): ${
          v.nodes.slice(0, 3).map((n: any) => n.target.join(" ")).join(", ")
        }`
      );
    });
    return found.map((v: string) => `${new URL(url).pathname}: ${v}`);
  } finally {
    await context.close();
  }
}

Deno.test({
  name: "axe: no WCAG A/AA violation on the pages shoppers and staff use most",
  ...browserTest,
  async fn() {
    await withShop(async (s) => {
      const customer = await s.user(["customer"]);
      const worker = await s.user(["farm_worker"]);
      const admin = await s.user(["admin"]);
      const owner = s.deps.shop.ownerOfUser(customer.user.id);
      await s.deps.shop.addToCart(owner, await variantId(s.sql, "GHEE-500"), 1);
      const [{ slug }] = await s
        .sql`select slug from shop_products where active order by id limit 1`;
      await withBrowser(s.app.fetch, async (browser, base) => {
        const found: string[] = [];
        for (
          const [path, cookie] of [
            ["/", undefined],
            ["/shop", undefined],
            [`/shop/products/${slug}`, undefined],
            ["/signin", undefined],
            ["/shop/cart", customer.cookie],
            ["/shop/checkout", customer.cookie],
            ["/farm", worker.cookie],
            ["/admin", admin.cookie],
          ] as const
        ) {
          found.push(...await violations(browser, `${base}${path}`, cookie));
        }
        deepEqual(found, []);
      });
    });
  },
});
