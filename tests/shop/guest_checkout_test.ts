/**
 * Checkout without friction (issue 19 §4), through the pages as a browser without JavaScript:
 * a guest confirms the order with a one-time code by SMS (read from notify's outbox) and ends up
 * with an account and the order; an existing account with the number gets the order; the area's
 * minimum is shown and the error names the amount short; the address starts from the area;
 * closed (date, slot) pairs are not offered; the device's `lang` cookie beats the profile.
 */
import { equal, match, ok } from "node:assert/strict";
import { listMessages } from "@/services/notify/outbox.ts";
import { totpCode } from "@/services/identity/totp.ts";
import { addDays, dhakaDate, dhakaInstant } from "@/services/platform/dhaka.ts";
import { testClock } from "@/tests/helpers/app.ts";
import { gheeToCheckout, pageForm, post, type ShopTest, variantId, withShop } from "./_helpers.ts";

/** A guest's cart with `qty` litres of milk; returns the checkout page and its cookies. */
async function guestCart(s: ShopTest, qty: number, cookie = "") {
  const shop = await pageForm(s, "/shop", cookie);
  const added = await post(s, "/shop/cart", {
    action: "add",
    variantId: String(await variantId(s.sql, "MILK-1000")),
    qty: String(qty),
    back: "/shop",
  }, shop);
  equal(added.status, 303);
  const jar = [shop.cookie, ...added.headers.getSetCookie().map((c) => c.split(";")[0])]
    .filter(Boolean).join("; ");
  return await pageForm(s, "/shop/checkout", jar);
}

/** The (thana, zone) option of the area picker for a thana of `zone`. */
function placeOf(html: string, zone: string): string {
  const m = new RegExp(`<option value="(\\d+-\\d+)"[^>]*>[^<]*\\(${zone}\\)`).exec(html);
  ok(m, `the area picker offers a thana of ${zone}`);
  return m[1];
}

function checkoutFields(html: string, phone: string, zone = "Gulshan") {
  return {
    token: html.match(/name="token" value="([^"]+)"/)![1],
    recipient: "Nusrat Jahan",
    phone,
    line: "House 3, Road 90, Gulshan 2",
    place: placeOf(html, zone),
    when: html.match(/name="when"[\s\S]*?<option[^>]*value="([^"]+)"/)![1],
    paymentMethod: "cod",
    discountCode: "",
    note: "",
  };
}

/** The hidden fields of the code step's form (the first), as the browser would post them back. */
function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  const form = html.slice(html.indexOf('<form method="post" action="/shop/checkout"'));
  for (
    const m of form.slice(0, form.indexOf("</form>")).matchAll(
      /<input type="hidden" name="([^"]+)" value="([^"]*)"/g,
    )
  ) {
    if (m[1] !== "_csrf") out[m[1]] = m[2].replaceAll("&amp;", "&").replaceAll("&quot;", '"');
  }
  return out;
}

async function codeSentTo(s: ShopTest, e164: string): Promise<string> {
  const { rows } = await listMessages(s.sql, { recipient: e164, limit: 1 });
  ok(rows.length === 1, `an SMS went to ${e164}`);
  equal(rows[0].channel, "sms");
  return /\b(\d{6})\b/.exec(rows[0].body)![1];
}

function cookieJar(before: string, res: Response): string {
  const jar = new Map(before.split("; ").filter(Boolean).map((c) => [c.split("=")[0], c]));
  for (const c of res.headers.getSetCookie().map((x) => x.split(";")[0])) {
    const [k, v] = [c.split("=")[0], c.slice(c.indexOf("=") + 1)];
    if (v === "") jar.delete(k);
    else jar.set(k, c);
  }
  return [...jar.values()].join("; ");
}

Deno.test("guest checkout: a code by SMS creates the account, and the order is theirs", async () => {
  await withShop(async (s) => {
    const page = await guestCart(s, 4);
    equal(page.status, 200, "a guest is not sent away to sign in");
    ok(page.html.includes('data-testid="guest-intro"'), "the page says why a code will come");
    ok(page.html.includes("No account or password needed"));
    ok(!page.html.includes('name="divisionId"'), "no free choice of division");
    ok(!page.html.includes('name="balance"'), "no balance payment for a guest");

    const phone = "01755-123456";
    const fields = checkoutFields(page.html, phone);
    const step = await post(s, "/shop/checkout", fields, page);
    equal(step.status, 200);
    const stepHtml = await step.text();
    ok(stepHtml.includes('data-testid="code-sent"'));
    ok(stepHtml.includes("Why: the order belongs to the account for this mobile number"));
    const [{ n: none }] = await s.sql`select count(*)::int as n from shop_orders`;
    equal(none, 0, "nothing is ordered before the code");
    const code = await codeSentTo(s, "+8801755123456");

    // A guest's forms carry no CSRF token (their posts are checked by origin).
    equal(stepHtml.match(/name="_csrf" value="([^"]+)"/), null);
    const form = { ...page, token: "" };
    const wrong = await post(s, "/shop/checkout", {
      ...hiddenFields(stepHtml),
      code: String((Number(code) + 1) % 1_000_000).padStart(6, "0"),
    }, form);
    equal(wrong.status, 422);
    ok((await wrong.text()).includes("That code is not right"));

    const done = await post(s, "/shop/checkout", { ...hiddenFields(stepHtml), code }, form);
    equal(done.status, 303);
    const where = done.headers.get("location")!;
    match(where, /^\/shop\/orders\/SD-\d{4}-\d{6}\?placed=1$/);
    const cookie = cookieJar(page.cookie, done);
    ok(cookie.includes("sd_session="), "the guest is now signed in");
    ok(!cookie.includes("sd_cart="), "the guest cart was carried over");

    const order = await (await s.fetch(where, { headers: { cookie } })).text();
    ok(order.includes("Thank you! Your order is placed."));
    ok(order.includes("House 3, Road 90, Gulshan 2"));
    const [u] = await s.sql`
      select u.id, u.display_name, u.locale, o.user_id from users u
      join shop_orders o on o.user_id = u.id`;
    equal(u.display_name, "Nusrat Jahan");
    equal(u.locale, "en");
    const mine = await (await s.fetch("/shop/orders", { headers: { cookie } })).text();
    ok(mine.includes(where.split("/").at(-1)!.split("?")[0]), "listed under my orders");
    // The cart is empty after the order.
    const cart = await (await s.fetch("/shop/cart", { headers: { cookie } })).text();
    ok(!cart.includes('data-testid="cart-count">4<'), "the ordered milk left the cart");
  });
});

Deno.test("guest checkout: the number of an existing account signs it in; the order is theirs", async () => {
  await withShop(async (s) => {
    const { user, cookie: own } = await s.user(["customer"], { locale: "bn" });
    // The account saved a jar of ghee in its cart on another device.
    await gheeToCheckout(s, own, 1);
    const local = user.phone!.replace(/^\+880/, "0");
    const page = await guestCart(s, 4, "lang=en");
    const step = await post(s, "/shop/checkout", checkoutFields(page.html, local), page);
    equal(step.status, 200);
    const stepHtml = await step.text();
    const code = await codeSentTo(s, user.phone!);
    const done = await post(s, "/shop/checkout", { ...hiddenFields(stepHtml), code }, page);
    equal(done.status, 303);
    const [o] = await s.sql`select id, user_id from shop_orders`;
    equal(o.user_id, user.id, "the order belongs to the existing account");
    const [{ n }] = await s.sql`select count(*)::int as n from users`;
    equal(n, 1, "no second account");
    // The order is what the guest reviewed: 4 milk, not the account's saved ghee as well…
    const lines = await s.sql`select sku, qty from shop_order_lines where order_id = ${o.id}`;
    equal(lines.map((l) => `${l.sku}×${l.qty}`).join(","), "MILK-1000×4");
    // …and the saved ghee is still in the account's cart for later.
    const cart = await (await s.fetch("/shop/cart", { headers: { cookie: own } })).text();
    ok(cart.includes("pure-ghee"), "the account's own cart keeps its ghee");
  });
});

Deno.test("guest checkout: an account with two-step sign-in is told why the app's code is asked", async () => {
  await withShop(async (s) => {
    const { user } = await s.user(["customer"]);
    const { secret } = await s.deps.identity.startTotpEnrollment(user.id);
    const enrolled = await s.deps.identity.confirmTotpEnrollment({
      userId: user.id,
      code: totpCode(secret, s.deps.identity.now()),
    });
    ok(enrolled.ok);
    const local = user.phone!.replace(/^\+880/, "0");
    const page = await guestCart(s, 4);
    const step = await post(s, "/shop/checkout", checkoutFields(page.html, local), page);
    const stepHtml = await step.text();
    const code = await codeSentTo(s, user.phone!);
    const done = await post(s, "/shop/checkout", { ...hiddenFields(stepHtml), code }, {
      ...page,
      token: "",
    });
    equal(done.status, 303);
    equal(done.headers.get("location"), "/signin/verify?why=checkout");
    const cookie = cookieJar(page.cookie, done);
    const verify = await (await s.fetch("/signin/verify?why=checkout", { headers: { cookie } }))
      .text();
    ok(verify.includes("signs in in two steps"), "the page says why a second code is asked");
    ok(verify.includes("your cart is kept"));
    const [{ n }] = await s.sql`select count(*)::int as n from shop_orders`;
    equal(n, 0, "nothing is ordered before the second step");
  });
});

Deno.test("guest checkout: Change details on the code step keeps what was typed", async () => {
  await withShop(async (s) => {
    const page = await guestCart(s, 4);
    const fields = { ...checkoutFields(page.html, "01755-987654"), note: "Ring twice" };
    const step = await post(s, "/shop/checkout", fields, page);
    const stepHtml = await step.text();
    ok(stepHtml.includes('data-testid="change-details"'));
    const edit = await post(s, "/shop/checkout", { ...hiddenFields(stepHtml), step: "edit" }, {
      ...page,
      token: "",
    });
    equal(edit.status, 200);
    const form = await edit.text();
    ok(!form.includes('data-testid="code-sent"'), "back on the form, not the code step");
    ok(form.includes('value="Nusrat Jahan"'), "the name is kept");
    ok(form.includes('value="01755-987654"'), "the phone is kept");
    ok(form.includes("House 3, Road 90, Gulshan 2"), "the address is kept");
    ok(form.includes("Ring twice"), "the note is kept");
    ok(new RegExp(`<option[^>]*value="${fields.place}"[^>]*selected`).test(form), "the area too");
  });
});

Deno.test("minimum order: shown before submitting; the error names the amount short", async () => {
  await withShop(async (s) => {
    // 2 × ৳95 of milk in Gulshan (minimum ৳300): ৳110 short.
    const page = await guestCart(s, 2);
    ok(
      page.html.includes("Gulshan — delivery ৳40.00, minimum order ৳300.00") ||
        /Gulshan — delivery ৳40(\.00)?, minimum order ৳300(\.00)?/.test(page.html),
    );
    const res = await post(s, "/shop/checkout", checkoutFields(page.html, "01755-222333"), page);
    equal(res.status, 422);
    const html = await res.text();
    match(html, /Add ৳110(\.00)? more for Gulshan/);
    const { rows } = await listMessages(s.sql, { recipient: "+8801755222333", limit: 1 });
    equal(rows.length, 0, "no code is sent for an order that cannot be placed");

    // In Bangla too, for a signed-in customer: the amount short and the area minimum beside the total.
    const { cookie } = await s.user(["customer"], { locale: "bn" });
    const mine = await guestCart(s, 2, cookie);
    const back = await post(
      s,
      "/shop/checkout",
      checkoutFields(mine.html, "01755-222334", "গুলশান"),
      mine,
    );
    equal(back.status, 422);
    const bn = await back.text();
    match(bn, /গুলশান-এর জন্য আরও ৳১১০(\.০০)? যোগ করুন/);
    match(bn, /data-testid="min-order">গুলশান-এর সর্বনিম্ন অর্ডার: ৳৩০০/);
  });
});

Deno.test("closed slots: at 23:30 Dhaka neither tonight's evening nor tomorrow morning is offered", async () => {
  const today = dhakaDate(new Date());
  const clock = testClock(dhakaInstant(today, "23:30"));
  await withShop(async (s) => {
    const page = await guestCart(s, 4);
    const offered = [...page.html.matchAll(/<option[^>]*value="(\d{4}-\d{2}-\d{2}\/[a-z_]+)"/g)]
      .map((m) => m[1]);
    const tomorrow = addDays(today, 1);
    ok(!offered.includes(`${today}/evening`), "today's evening closed at noon");
    ok(!offered.includes(`${tomorrow}/morning`), "tomorrow morning closed at 22:00");
    ok(offered.includes(`${tomorrow}/evening`), "tomorrow evening is open");
    ok(offered.includes(`${addDays(today, 2)}/morning`), "the morning after is open");
    // Posting a closed pair anyway is refused, not placed.
    const fields = { ...checkoutFields(page.html, "01755-444555"), when: `${tomorrow}/morning` };
    const res = await post(s, "/shop/checkout", fields, page);
    equal(res.status, 422);
    const refused = await res.text();
    ok(!refused.includes('data-testid="code-sent"'), "no code for a closed delivery");
    const { rows } = await listMessages(s.sql, { recipient: "+8801755444555", limit: 1 });
    equal(rows.length, 0);
  }, { clock });
});

Deno.test("language: the lang cookie of this device wins over the profile's language", async () => {
  await withShop(async (s) => {
    const { cookie } = await s.user(["customer"], { locale: "bn" });
    const profile = await (await s.fetch("/shop", { headers: { cookie } })).text();
    match(profile, /<html lang="bn"/);
    const chosen = await (await s.fetch("/shop", { headers: { cookie: `${cookie}; lang=en` } }))
      .text();
    match(chosen, /<html lang="en"/);
    // A cookie that names no language leaves the profile's.
    const junk = await (await s.fetch("/shop", { headers: { cookie: `${cookie}; lang=xx` } }))
      .text();
    match(junk, /<html lang="bn"/);
  });
});
