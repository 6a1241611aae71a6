/**
 * The bad input an attacker sent (issue 9, finding 7), each now refused with a 4xx and a message
 * by the shared schema layer, never a 500; and the safety net behind it.
 */
import { equal, ok } from "node:assert/strict";
import { classifyError } from "@/framework/errors.ts";
import { formToken, id, isoDate, pathId, text, z } from "@/services/platform/schema.ts";
import { post, variantId, withShop } from "@/tests/shop/_helpers.ts";
import { parseForms } from "./_fuzz.ts";
import { withFuzzWorld } from "./_setup.ts";

const NUL = "milk\u0000";
const BIG = "x".repeat(100_000);

Deno.test("schema: strings refuse NUL, control characters, lone surrogates and over-long text", () => {
  equal(z.string().safeParse(NUL).success, false);
  equal(z.string().safeParse("a\u001bb").success, false);
  equal(z.string().safeParse("a\uD800b").success, false);
  equal(z.string().safeParse(BIG).success, false);
  equal(z.string().safeParse("line one\nline two\tand\r\n").success, true);
  equal(z.string().safeParse("দুধ 👩‍👩‍👧 \u202Eok").success, true);
  equal(text(80).safeParse("two\nlines").success, false);
  equal(text(300, { multiline: true }).safeParse("two\nlines").success, true);
  equal(id().safeParse("99999999999999999999").success, false);
  equal(id().safeParse("2147483648").success, false);
  equal(id().safeParse("42").data, 42);
  equal(isoDate().safeParse("2026-02-30").success, false);
  equal(isoDate().safeParse("2026-02-28").success, true);
  equal(formToken.parse(BIG).length, 36, "a forged token is replaced by a fresh UUID");
  const message = z.string().safeParse(NUL).error?.issues[0].message ?? "";
  ok(/control characters/.test(message), message);
  try {
    pathId("99999999999999999999");
    ok(false, "no id that long exists");
  } catch (e) {
    equal(classifyError(e).status, 404);
  }
});

Deno.test("errors: what the database or KV refuses as malformed is a 400, not a 500", () => {
  equal(
    classifyError(Object.assign(new Error("invalid byte sequence"), { code: "22021" })).status,
    400,
  );
  equal(classifyError(Object.assign(new Error("out of range"), { code: "22003" })).status, 400);
  equal(classifyError(Object.assign(new Error("bad int"), { code: "22P02" })).status, 400);
  equal(classifyError(new TypeError("Key too large for write (max 2048 bytes)")).status, 400);
  equal(classifyError(Object.assign(new Error("deadlock"), { code: "40P01" })).status, 500);
  equal(classifyError(new Error("boom")).status, 500);
});

Deno.test("bad input: NUL in search, admin forms and ids; 100 KB slugs and tokens get 4xx", async () => {
  await withShop(async (s) => {
    // A NUL byte in the shop's search box and the admin's.
    const shop = await s.fetch("/shop?q=milk%00");
    equal(shop.status, 400);
    ok((await shop.text()).length > 0);
    const { cookie: admin } = await s.user(["admin"]);
    for (const url of ["/admin/users?q=%00", "/admin/shop/orders?q=a%00", "/farm/animals?q=%00"]) {
      const res = await s.fetch(url, { headers: { cookie: admin } });
      await res.body?.cancel();
      equal(res.status, 400, url);
    }

    // Ids no column can hold are a 404, as for an id that does not exist.
    const big = await s.fetch("/admin/shop/products/99999999999999999999", {
      headers: { cookie: admin },
    });
    await big.body?.cancel();
    equal(big.status, 404);
    const deviceNul = await s.fetch("/admin/iot/devices/%00", { headers: { cookie: admin } });
    await deviceNul.body?.cancel();
    equal(deviceNul.status, 404);

    // The category form: a NUL in a name, a 100 KB slug: the form comes back with a message.
    const page = await s.fetch("/admin/shop/categories", { headers: { cookie: admin } });
    const html = await page.text();
    const session = {
      cookie: [admin, ...page.headers.getSetCookie().map((c) => c.split(";")[0])].join("; "),
      token: html.match(/name="_csrf" value="([^"]+)"/)![1],
    };
    const category = { slug: "cheese", nameEn: "Cheese", nameBn: "পনির", sortOrder: "1" };
    const nul = await post(s, "/admin/shop/categories", { ...category, nameEn: NUL }, session);
    equal(nul.status, 422);
    ok((await nul.text()).includes("control characters"));
    const long = await post(s, "/admin/shop/categories", { ...category, slug: BIG }, session);
    equal(long.status, 422);
    ok((await long.text()).includes("At most"));
    const hugeId = await post(s, "/admin/shop/categories", {
      ...category,
      id: "99999999999999999999",
    }, session);
    await hugeId.body?.cancel();
    equal(hugeId.status, 404);

    // VAT: a NUL in the code.
    const vat = await post(s, "/admin/shop/vat", { code: NUL, ratePercent: "15" }, session);
    await vat.body?.cancel();
    ok(vat.status >= 400 && vat.status < 500, `VAT: ${vat.status}`);

    // Checkout with a 100 KB token (a KV key holds 2 KB): the order goes on, or the form comes
    // back; never a 500 and never the safety net's 400.
    const { cookie } = await s.user();
    const shopPage = await s.fetch("/shop", { headers: { cookie } });
    const csrf = shopPage.headers.getSetCookie().map((c) => c.split(";")[0]);
    const shopSession = {
      cookie: [cookie, ...csrf].join("; "),
      token: (await shopPage.text()).match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "",
    };
    const cart = await post(s, "/shop/cart", {
      action: "add",
      variantId: String(await variantId(s.sql, "MILK-1000")),
      qty: "1",
      back: "/shop",
    }, shopSession);
    await cart.body?.cancel();
    const jar = [shopSession.cookie, ...cart.headers.getSetCookie().map((c) => c.split(";")[0])]
      .join("; ");
    const form = await s.fetch("/shop/checkout", { headers: { cookie: jar } });
    const formHtml = await form.text();
    const fields = parseForms(formHtml, "/shop/checkout").find((f) =>
      f.action === "/shop/checkout"
    );
    ok(fields, `the checkout form (${form.status})`);
    const values = Object.fromEntries(fields.fields.filter(([n]) => n !== "_csrf"));
    const placed = await post(s, "/shop/checkout", { ...values, token: BIG }, {
      cookie: jar,
      token: formHtml.match(/name="_csrf" value="([^"]+)"/)![1],
    });
    await placed.body?.cancel();
    ok(placed.status === 303 || placed.status === 422, `checkout: ${placed.status}`);
  });
});

Deno.test("bad input: a 100 KB refund reason gets the form back with a message", async () => {
  await withFuzzWorld(async (s) => {
    const [pay] = await s.sql`select id from shop_payments limit 1`;
    ok(pay, "the world has a payment");
    const { cookie } = await s.user(["admin"]);
    const url = `/admin/shop/payments/${pay.id}`;
    const page = await s.fetch("/admin/shop/categories", { headers: { cookie } });
    const session = {
      cookie: [cookie, ...page.headers.getSetCookie().map((c) => c.split(";")[0])].join("; "),
      token: (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1],
    };
    for (const reason of [BIG, "wrong\u0000item"]) {
      const res = await post(s, url, { action: "refund", amount: "10", reason }, session);
      equal(res.status, 422);
      ok((await res.text()).includes("Give a reason"));
    }
  });
});
