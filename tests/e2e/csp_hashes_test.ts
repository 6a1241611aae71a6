/**
 * Inline code under the hash-based CSP, in Chromium: shared (cached, compressed) pages and a page
 * with an island load without a single CSP refusal, the island boots and reacts, and an anonymous
 * form post from a shared page goes through on its origin alone.
 */
import { deepStrictEqual, equal, match } from "node:assert/strict";
import { shopPageTest } from "./_helpers.ts";

shopPageTest(
  "browser: shared pages and islands run under the CSP hashes, with no refusal",
  { width: 360, height: 740 },
  async (_s, page, base, errors) => {
    const refusals: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) {
        refusals.push(`${page.url()}: ${m.text()}`);
      }
    });

    for (const path of ["/", "/shop", "/shop/products/pure-ghee", "/shop/faq"]) {
      // Twice: the second answer is the stored, compressed page (same bytes as the first's),
      // so the same policy too (its hashes, and its render's nonce).
      const policies: string[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await page.goto(`${base}${path}`);
        equal(res!.status(), 200, path);
        const h = await res!.allHeaders();
        equal(h["content-encoding"], "br", `${path}: Chromium gets brotli`);
        equal(/unsafe-inline/.test(h["content-security-policy"]), false);
        policies.push(h["content-security-policy"]);
      }
      equal(policies[0], policies[1], `${path}: one cached policy`);
    }

    // An island: its boot script is inline (allowed by hash), and it reacts to typing.
    await page.goto(`${base}/contact`);
    const before = await page.textContent('[data-testid="chars-left"]');
    await page.fill("textarea", "Hello dairy");
    await page.waitForFunction(
      (b) => document.querySelector('[data-testid="chars-left"]')?.textContent !== b,
      before,
    );
    match((await page.textContent('[data-testid="chars-left"]'))!, /\d+/);

    // A guest adds to the cart from the shared product page: no token, Origin suffices.
    await page.goto(`${base}/shop/products/pure-ghee`);
    await page.check('input[name="variantId"] >> nth=1');
    await page.fill('input[name="qty"]', "1");
    await page.click('[data-testid="add-to-cart"]');
    await page.waitForURL(/added=1/);

    deepStrictEqual(refusals, [], "no CSP refusal");
    deepStrictEqual(errors, [], "no script error");
  },
  { console: true },
);
