/**
 * The shop through its pages, as a browser without JavaScript uses it: forms post, the server
 * answers with pages and redirects.
 */
import { equal, match, ok } from "node:assert/strict";
import { gzipSync } from "node:zlib";
import {
  bananiAddress,
  gheeToCheckout,
  pageForm,
  post,
  type ShopTest,
  stockOf,
  variantId,
  withShop,
} from "./_helpers.ts";

async function placeCodOrder(s: ShopTest, cookie: string) {
  const page = await gheeToCheckout(s, cookie, 1);
  equal(page.status, 200);
  const [g] = await s.sql`
    select z.id as zone, u.id as thana, d.id as district, d.division_id as division
    from delivery_zones z join shop_zone_upazilas zu on zu.zone_id = z.id
    join geo_upazilas u on u.id = zu.upazila_id join geo_districts d on d.id = u.district_id
    where z.code = 'banani'`;
  const token = page.html.match(/name="token" value="([^"]+)"/)![1];
  // The page offers (date, slot) pairs still open; the customer takes the first.
  const when = page.html.match(/name="when"[\s\S]*?<option[^>]*value="([^"]+)"/)![1];
  const fields = {
    token,
    ...bananiAddress(g),
    when,
    paymentMethod: "cod",
    discountCode: "",
    note: "Ring twice",
  };
  return { page, fields };
}

Deno.test("pages: search, cart, sign-in merge, checkout and the order, all without JavaScript", async () => {
  await withShop(async (s) => {
    const search = await (await s.fetch("/shop?q=yogart")).text();
    ok(search.includes("Greek-style yogurt"), "a typo still finds yogurt");
    ok(search.includes("Showing results for “yogurt”"), "and says what it searched for");
    ok(!search.includes('<script type="module"'), "the catalogue ships no script");

    // A guest fills a cart, may check out as a guest (or sign in), and keeps the cart after signing in.
    const guest = await pageForm(s, "/shop", "");
    const milk = await variantId(s.sql, "MILK-1000");
    const added = await post(s, "/shop/cart", {
      action: "add",
      variantId: String(milk),
      qty: "2",
      back: "/shop",
    }, guest);
    equal(added.status, 303);
    // Back where the shopper was, saying what the cart now holds.
    equal(added.headers.get("location"), `/shop?added=1&v=${milk}&n=2`);
    const guestCookie = added.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) =>
      c.startsWith("sd_cart=")
    )!;
    const toSignIn = await s.fetch("/shop/checkout", {
      headers: { cookie: `${guest.cookie}; ${guestCookie}` },
      redirect: "manual",
    });
    equal(toSignIn.status, 200);
    match(await toSignIn.text(), /href="\/signin\?next=%2Fshop%2Fcheckout"/);

    const { cookie } = await s.user();
    const cart = await s.fetch("/shop/cart", { headers: { cookie: `${cookie}; ${guestCookie}` } });
    const cartHtml = await cart.text();
    ok(cartHtml.includes('data-testid="cart-count">2<'), "the guest cart was merged at sign-in");

    const { page, fields } = await placeCodOrder(s, cookie);
    // A mistake comes back with the values kept and a message next to the field.
    const bad = await post(s, "/shop/checkout", { ...fields, line: "" }, page);
    equal(bad.status, 422);
    const badHtml = await bad.text();
    ok(badHtml.includes("Enter the house, road and flat"));
    ok(badHtml.includes('value="Tanvir Hasan"'));

    const res = await post(s, "/shop/checkout", fields, page);
    equal(res.status, 303);
    const where = res.headers.get("location")!;
    match(where, /^\/shop\/orders\/SD-\d{4}-\d{6}\?placed=1$/);
    // The same form again (double click, reload) does not place a second order.
    const again = await post(s, "/shop/checkout", fields, page);
    equal(again.headers.get("location"), where.replace("?placed=1", ""));
    const [{ n }] = await s.sql`select count(*)::int as n from shop_orders`;
    equal(n, 1);

    const orderHtml = await (await s.fetch(where, { headers: { cookie: page.cookie } })).text();
    ok(orderHtml.includes("Thank you! Your order is placed."));
    ok(orderHtml.includes('data-status="confirmed"'));
    ok(orderHtml.includes("House 7, Road 11, Banani"));
    // The next checkout remembers the address and the payment method; "order again" refills the cart.
    const reorder = await post(
      s,
      where.split("?")[0],
      { action: "reorder" },
      await pageForm(s, where, page.cookie),
    );
    equal(reorder.headers.get("location"), "/shop/cart");
    const next = await (await s.fetch("/shop/checkout", { headers: { cookie: page.cookie } }))
      .text();
    ok(next.includes('value="House 7, Road 11, Banani"'));
    ok(/value="cod" checked/.test(next));
    const other = await s.user();
    const foreign = await s.fetch(where, { headers: { cookie: other.cookie } });
    equal(foreign.status, 404, "another customer cannot see the order");
  });
});

Deno.test("pages: titles, descriptions, product structured data and the sitemap", async () => {
  await withShop(async (s) => {
    const res = await s.fetch("/shop/products/fresh-milk");
    const html = await res.text();
    match(html, /<title>Fresh pasteurised milk — Smart Dairy<\/title>/);
    ok(html.includes('<meta name="description" content="Whole milk from our own herd'));
    // Structured data is not script a browser runs: no CSP source is needed for it.
    const ld = html.match(/<script type="application\/ld\+json"[^>]*>(.*?)<\/script>/s)!;
    const data = JSON.parse(ld[1]);
    equal(data["@type"], "Product");
    equal(data.offers.length, 2);
    equal(data.offers[1].price, "95.00");
    equal(data.offers[1].priceCurrency, "BDT");
    ok(html.includes('srcset="/shop/img/bottle/1d5fbf/160.svg 160w'));
    const img = await s.fetch("/shop/img/bottle/1d5fbf/320.svg");
    equal(img.headers.get("content-type"), "image/svg+xml");
    ok((await img.text()).startsWith("<svg"));
    equal((await s.fetch("/shop/img/bottle/zzzzzz/320.svg")).status, 404);
    const map = await (await s.fetch("/sitemap.xml")).text();
    ok(map.includes("/shop/products/fresh-milk</loc>"));
    ok(map.includes("/shop/faq</loc>"));
    equal((await s.fetch("/shop/products/no-such-thing")).status, 404);
    const bn =
      await (await s.fetch("/shop/products/fresh-milk", { headers: { cookie: "lang=bn" } })).text();
    ok(bn.includes("পাস্তুরিত তাজা দুধ"));
  });
});

Deno.test("pages: every shop page stays within 60 KB compressed and 15 KB of script", async () => {
  await withShop(async (s) => {
    const { cookie } = await s.user();
    const { page } = await placeCodOrder(s, cookie);
    for (
      const path of [
        "/shop",
        "/shop/products/pure-ghee",
        "/shop/cart",
        "/shop/checkout",
        "/shop/faq",
        "/shop/subscriptions/new",
        "/shop/orders",
      ]
    ) {
      const res = await s.fetch(path, { headers: { cookie: page.cookie } });
      equal(res.status, 200, path);
      const html = await res.text();
      let total = gzipSync(new TextEncoder().encode(html)).length;
      let js = 0;
      const scripts = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) =>
        m[1]
      );
      for (const src of scripts) {
        const body = new Uint8Array(await (await s.fetch(src)).arrayBuffer());
        const size = gzipSync(body).length;
        js += size;
        total += size;
      }
      ok(total <= 60 * 1024, `${path}: ${total} bytes compressed`);
      ok(js <= 15 * 1024, `${path}: ${js} bytes of script`);
    }
  });
});

Deno.test("pages: staff move the order through its states; customers see it; no one else may", async () => {
  await withShop(async (s) => {
    const customer = await s.user();
    const { page, fields } = await placeCodOrder(s, customer.cookie);
    const res = await post(s, "/shop/checkout", fields, page);
    const number = res.headers.get("location")!.match(/SD-\d{4}-\d{6}/)![0];
    equal(
      (await s.fetch(`/admin/shop/orders/${number}`, { headers: { cookie: customer.cookie } }))
        .status,
      403,
    );

    const staff = await s.user(["sales"]);
    let admin = await pageForm(s, `/admin/shop/orders/${number}`, staff.cookie);
    equal(admin.status, 200);
    const picking = await (await s.fetch(`/admin/shop/picking?date=${fields.when.split("/")[0]}`, {
      headers: { cookie: staff.cookie },
    })).text();
    ok(picking.includes(number) && picking.includes("GHEE-500"));
    for (const to of ["packed", "out_for_delivery"]) {
      const r = await post(s, `/admin/shop/orders/${number}`, { to }, admin);
      equal(r.status, 303, to);
      admin = await pageForm(s, `/admin/shop/orders/${number}`, admin.cookie);
    }
    const noCash = await post(s, `/admin/shop/orders/${number}`, { to: "delivered" }, admin);
    equal(noCash.status, 422, "a COD delivery needs the rider's cash");
    const [o] = await s.sql`select total_minor::int as t from shop_orders where number = ${number}`;
    // The rider is one of our rider users (no free-text name).
    const free = await post(s, `/admin/shop/orders/${number}`, {
      to: "delivered",
      riderId: staff.user.id,
      collected: (o.t / 100).toFixed(2),
    }, admin);
    equal(free.status, 422, "only a rider user can have collected the cash");
    admin = await pageForm(s, `/admin/shop/orders/${number}`, staff.cookie);
    const jamal = await s.user(["rider"]);
    const done = await post(s, `/admin/shop/orders/${number}`, {
      to: "delivered",
      riderId: jamal.user.id,
      collected: (o.t / 100).toFixed(2),
    }, admin);
    equal(done.status, 303);
    const mine =
      await (await s.fetch(`/shop/orders/${number}`, { headers: { cookie: page.cookie } })).text();
    ok(mine.includes('data-status="delivered"'));
    const templates = (await s.sql`select template from outbox_messages order by id`).map((r) =>
      r.template
    );
    ok(templates.includes("shop.out_for_delivery") && templates.includes("shop.delivered"));
    const [p] = await s.sql`select status from shop_payments where method = 'cod'`;
    equal(p.status, "succeeded", "the rider's cash settled the payment");
  });
});

Deno.test("pages: catalogue staff create products with validation, and price changes are audited", async () => {
  await withShop(async (s) => {
    const staff = await s.user(["sales"]);
    let form = await pageForm(s, "/admin/shop/products/new", staff.cookie);
    const [cat] = await s.sql`select id from shop_categories where slug = 'milk'`;
    const base = {
      nameEn: "Buffalo milk",
      nameBn: "মহিষের দুধ",
      slug: "buffalo-milk",
      categoryId: String(cat.id),
      taxClass: "exempt",
      shelfLifeDays: "2",
      storage: "chilled",
      imageStyle: "bottle",
      imageColor: "#334455",
      descriptionEn: "",
      descriptionBn: "",
      active: "on",
      "v0.id": "",
      "v0.sku": "BUFF-1000",
      "v0.packQty": "1",
      "v0.unit": "l",
      "v0.price": "abc",
      "v0.initialStock": "30",
      "v0.sortOrder": "0",
      "v0.active": "on",
    };
    const bad = await post(s, "/admin/shop/products/new", base, form);
    equal(bad.status, 422);
    ok((await bad.text()).includes("Enter an amount in taka"));
    const good = await post(s, "/admin/shop/products/new", { ...base, "v0.price": "140" }, form);
    equal(good.status, 303);
    const id = good.headers.get("location")!.match(/products\/(\d+)/)![1];
    form = await pageForm(s, `/admin/shop/products/${id}`, staff.cookie);
    const [v] = await s.sql`select id from shop_variants where sku = 'BUFF-1000'`;
    equal(await stockOf(s.sql, "BUFF-1000"), 30, "the opening stock is a lot in inventory");
    const change = await post(s, `/admin/shop/products/${id}`, {
      ...base,
      "v0.id": String(v.id),
      "v0.price": "150.50",
    }, form);
    equal(change.status, 303);
    const audit = await s
      .sql`select data from audit_log where action = 'shop.price.changed' and entity_id = ${
      String(v.id)
    }`;
    equal(audit.length, 1);
    equal(audit[0].data.fromMinor, 14000);
    equal(audit[0].data.toMinor, 15050);
    const listing = await (await s.fetch("/shop?q=buffalo")).text();
    ok(listing.includes("Buffalo milk") && listing.includes("৳150.50"));
  });
});
