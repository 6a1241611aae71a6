/**
 * What a shopper reads on the catalogue and product pages, through the app without JavaScript:
 * a single-pack product shows its price (not "from"), stock shows as "only N left" at five or
 * fewer and never as a raw count above it, pack sizes do not break across lines, and adding from
 * a card comes back to that card with the confirmation and − / + next to it.
 */
import { equal, match, ok } from "node:assert/strict";
import { pageForm, post, stockLots, variantId, withShop } from "./_helpers.ts";

/** The HTML of one product card of the catalogue. */
function card(html: string, slug: string): string {
  const at = html.indexOf(`id="p-${slug}"`);
  ok(at > 0, `card ${slug} on the page`);
  return html.slice(at, html.indexOf("</li>", at));
}

Deno.test("pages: single-pack price, 'only N left' under the threshold, no raw stock counts", async () => {
  await withShop(async (s) => {
    // Full cream milk comes in one pack; three are left of it.
    await stockLots(s, "FCMILK-1000", [{ qty: 3 }]);
    const shop = await (await s.fetch("/shop")).text();
    const full = card(shop, "full-cream-milk");
    ok(!/>from</.test(full), "a single pack has a price, not 'from'");
    match(full, /data-testid="price">৳110\.00</);
    ok(full.includes("Only 3 left"), "three packs left are said as such");
    // Fresh milk has two packs: "from" the cheaper one; 200 in stock is not shown as a count.
    const fresh = card(shop, "fresh-milk");
    match(fresh, /from<\/span> <span class="font-semibold" data-testid="price">৳50\.00</);
    const words = fresh.slice(fresh.indexOf(">") + 1).replace(/<[^>]+>/g, " ");
    ok(!/\b200\b|in stock/i.test(words), `no raw count on the card: ${words}`);

    const product = await (await s.fetch("/shop/products/full-cream-milk")).text();
    match(product, /data-testid="stock">Only 3 left</);
    const ghee = await (await s.fetch("/shop/products/pure-ghee")).text();
    ok(!/\d+ in stock/.test(ghee), "the product page shows no raw count");
    match(ghee, /data-testid="stock">In stock</);

    // In Bangla: the few-left note in Bangla digits; "৫০০ গ্রাম" keeps together (no-break space).
    const bn = await (await s.fetch("/shop/products/full-cream-milk", {
      headers: { cookie: "lang=bn" },
    })).text();
    ok(bn.includes("মাত্র ৩টি বাকি"));
    const doi =
      await (await s.fetch("/shop/products/sweet-doi", { headers: { cookie: "lang=bn" } }))
        .text();
    ok(doi.includes("৫০০\u00a0গ্রাম"), "number and unit joined by a no-break space");
    ok(!doi.includes("৫০০ গ্রাম"));
  });
});

Deno.test("pages: adding from a card comes back to the card, with the count and − / +", async () => {
  await withShop(async (s) => {
    const lowFat = String(await variantId(s.sql, "LFMILK-1000"));
    let page = await pageForm(s, "/shop?category=milk", "");
    // The card's form sends the shopper back to its own anchor.
    ok(page.html.includes('name="back" value="/shop?category=milk#p-low-fat-milk"'));
    const add = await post(s, "/shop/cart", {
      action: "add",
      variantId: lowFat,
      qty: "1",
      back: "/shop?category=milk#p-low-fat-milk",
    }, page);
    equal(add.status, 303);
    const to = add.headers.get("location")!;
    equal(to, `/shop?category=milk&added=1&v=${lowFat}&n=1#p-low-fat-milk`);
    const cookie = add.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    page = await pageForm(s, to.split("#")[0], `${page.cookie}; ${cookie}`);
    const here = card(page.html, "low-fat-milk");
    match(here, /role="status"[^>]*>✓ 1 in your cart/);
    ok(here.includes('aria-label="One more: Low-fat milk"'));
    ok(here.includes('aria-label="One less: Low-fat milk"'));
    ok(!/role="status"/.test(card(page.html, "fresh-milk")), "only that card confirms");
    // No confirmation far away at the top of the page.
    equal(page.html.match(/role="status"/g)?.length, 1);

    // + and − on the card step the cart and come back to the card.
    const back = "/shop?category=milk#p-low-fat-milk";
    const more = await post(
      s,
      "/shop/cart",
      { action: "add", variantId: lowFat, qty: "1", back },
      page,
    );
    equal(
      more.headers.get("location"),
      `/shop?category=milk&added=1&v=${lowFat}&n=2#p-low-fat-milk`,
    );
    const less = await post(s, "/shop/cart", { action: "less", variantId: lowFat, back }, page);
    equal(
      less.headers.get("location"),
      `/shop?category=milk&added=1&v=${lowFat}&n=1#p-low-fat-milk`,
    );
    const gone = await post(s, "/shop/cart", { action: "less", variantId: lowFat, back }, page);
    equal(
      gone.headers.get("location"),
      `/shop?category=milk&added=1&v=${lowFat}&n=0#p-low-fat-milk`,
    );
    const after = await pageForm(
      s,
      "/shop?category=milk&added=1&v=" + lowFat + "&n=0",
      page.cookie,
    );
    ok(card(after.html, "low-fat-milk").includes('data-testid="add-low-fat-milk"'), "Add again");
    const cart = await (await s.fetch("/shop/cart", { headers: { cookie: page.cookie } })).text();
    ok(cart.includes("Your cart is empty."));

    // In the cart, − / + set the line and come back to it.
    await post(s, "/shop/cart", { action: "add", variantId: lowFat, qty: "2", back }, page);
    const set = await post(s, "/shop/cart", { action: "set", variantId: lowFat, qty: "3" }, page);
    equal(set.headers.get("location"), `/shop/cart#l-${lowFat}`);
    const lines = await (await s.fetch("/shop/cart", { headers: { cookie: page.cookie } })).text();
    match(lines, new RegExp(`id="q-${lowFat}-n"[^>]*value="3"`));
  });
});
