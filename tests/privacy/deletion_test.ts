/**
 * A customer's data download and deletion (/account/privacy, services/privacy): after deletion no
 * personal field of theirs is readable anywhere — database tables (plain or through the
 * keyring), KV sessions and cart, the outbox — while their orders' amounts and VAT stay exact,
 * and the request and its completion are audited.
 */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import { placeOrder } from "@/services/shop/orders.ts";
import { checkoutFor, variantId, withShop } from "@/tests/shop/_helpers.ts";
import type { ShopTest } from "@/tests/shop/_helpers.ts";

const ORDER = {
  recipient: "Nasrin Sultana",
  phone: "+8801711000777",
  line: "Flat 3B, Road 9, Gulshan 1",
  note: "Ring twice for Nasrin",
};

const OTHER = {
  recipient: "Kamal Hossain",
  phone: "+8801811000888",
  line: "House 4, Road 2, Gulshan 2",
  note: "Leave at the gate",
};

async function customerWithOrder(s: ShopTest, to: typeof ORDER = ORDER) {
  const { user, cookie } = await s.user(["customer"]);
  const ghee = await variantId(s.sql, "GHEE-250");
  const placed = await placeOrder(s.sql, s.od, {
    userId: user.id,
    locale: "en",
    items: [{ variantId: ghee, qty: 2 }],
    checkout: await checkoutFor(s.sql, to, s.clock.now()),
    allowedMethods: ["cod"],
  });
  // Something in the cart, a marketing choice on the account's phone.
  ok(await s.deps.shop.addToCart(`u:${user.id}`, ghee, 1));
  await s.deps.notify.setPreferences(user.phone!, { orderUpdates: true, promotional: false });
  // A message through the contact form, from the order's phone.
  await s.deps.site.contact({
    name: `${to.recipient} (contact)`,
    phone: to.phone,
    email: "",
    topic: "order",
    message: `Please call ${to.recipient} before delivery`,
  }, "en");
  const personal = [
    user.displayName,
    user.phone!,
    user.phone!.slice(4), // 017… without +880
    to.recipient,
    to.phone,
    to.phone.slice(4),
    to.line,
    to.note,
  ];
  return { user, cookie, placed, personal };
}

/** Every row of every table as text, and every KV entry (keys and values). */
async function everything(s: ShopTest): Promise<string> {
  const tables = await s.sql`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`;
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await s.sql.unsafe(`select row_to_json(t)::text as j from "${table_name}" t`);
    for (const r of rows) parts.push(`${table_name}: ${r.j}`);
  }
  for await (const e of s.kv.list({ prefix: [] })) {
    parts.push(
      `kv ${JSON.stringify(e.key)}: ${
        JSON.stringify(e.value, (_k, v) => typeof v === "bigint" ? String(v) : v)
      }`,
    );
  }
  return parts.join("\n");
}

async function vatRecords(s: ShopTest, orderId: string) {
  const [o] = await s.sql`
    select number, status, subtotal_minor::text, discount_minor::text, delivery_fee_minor::text,
      vat_minor::text, total_minor::text, placed_at, delivery_date::text, zone_id::text,
      upazila_id
    from shop_orders where id = ${orderId}`;
  const lines = await s.sql`
    select line_no, sku, qty, unit_price_minor::text, vat_rate_bp, vat_minor::text,
      line_total_minor::text
    from shop_order_lines where order_id = ${orderId} order by line_no`;
  return { o, lines };
}

Deno.test("privacy: the customer downloads their data as JSON and CSV", async () => {
  await withShop(async (s) => {
    const { cookie, placed, user } = await customerWithOrder(s);
    const page = await s.fetch("/account/privacy", { headers: { cookie } });
    equal(page.status, 200);
    ok((await page.text()).includes('href="/account/privacy?format=json"'));

    const json = await s.fetch("/account/privacy?format=json", { headers: { cookie } });
    equal(json.status, 200);
    ok(json.headers.get("content-disposition")!.startsWith("attachment;"));
    const data = await json.json();
    equal(data.identity.account.phone, user.phone);
    equal(data.shop.orders[0].number, placed.number);
    equal(data.shop.orders[0].recipient, ORDER.recipient);
    equal(data.shop.addresses[0].line, ORDER.line);
    equal(data.shop.cart.items.length, 1);
    equal(data.contactMessages.length, 1);
    equal(data.notify.consents.map((c: { granted: boolean }) => c.granted), [false]);
    ok(data.notify.messages.some((m: { template: string }) => m.template === "shop.order_placed"));

    const csv = await s.fetch("/account/privacy?format=csv", { headers: { cookie } });
    equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
    const text = await csv.text();
    ok(text.includes("# orders") && text.includes(placed.number) && text.includes(ORDER.recipient));
    ok(text.includes("# order lines") && text.includes("GHEE-250"));

    // Someone else's session cannot download it; anonymous visitors are sent to sign in.
    const anon = await s.fetch("/account/privacy?format=json", { redirect: "manual" });
    equal(anon.status, 303);
    const [audit] = await s.sql`
      select count(*)::int as n from audit_log where action = 'privacy.export'
        and entity_id = ${user.id}`;
    equal(audit.n, 2, "each download audited");
  });
});

Deno.test("privacy: deletion leaves no personal field readable anywhere; VAT records stay", async () => {
  await withShop(async (s) => {
    const { user, cookie, placed, personal } = await customerWithOrder(s);
    // Another customer's data stays as it was.
    const other = await customerWithOrder(s, OTHER);
    const before = await vatRecords(s, placed.id);
    const all0 = await everything(s);
    ok(all0.includes(user.displayName), "the scan sees plain personal data (sanity)");

    // A wrong confirmation changes nothing.
    const page = await s.fetch("/account/privacy", { headers: { cookie } });
    const html = await page.text();
    const token = html.match(/name="_csrf" value="([^"]+)"/)![1];
    const csrfCookie = page.headers.getSetCookie().map((c) => c.split(";")[0]);
    const jar = [cookie, ...csrfCookie].join("; ");
    const post = (confirm: string) =>
      s.fetch("/account/privacy", {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({ _csrf: token, confirm }),
        headers: {
          cookie: jar,
          origin: "http://localhost",
          "content-type": "application/x-www-form-urlencoded",
        },
      });
    const wrong = await post("delete");
    equal(wrong.status, 422);
    ok((await wrong.text()).includes("Type DELETE"));
    equal((await s.deps.identity.getUser(user.id))!.phone, user.phone);

    const done = await post("DELETE");
    equal(done.status, 303);
    equal(done.headers.get("location"), "/?account=deleted");

    // Nothing personal in any table or KV entry in plain text…
    const all = await everything(s);
    for (const p of personal) {
      const at = all.split("\n").find((l) => l.includes(p));
      ok(!at, `"${p}" is still readable: ${at}`);
    }
    // …nor through the keyring (the encrypted fields decrypt to the erased marker).
    const left = JSON.stringify(await s.deps.privacy.exportCustomer(user.id));
    for (const p of personal) ok(!left.includes(p), `"${p}" still decrypts`);
    const order = (await s.deps.privacy.exportCustomer(user.id)).shop.orders[0];
    equal([order.recipient, order.phone, order.line, order.note], [
      "[erased]",
      "[erased]",
      "[erased]",
      null,
    ]);

    // Signed out everywhere, and no sign-in with the old password.
    const account = await s.fetch("/account", { headers: { cookie }, redirect: "manual" });
    equal(account.status, 303);
    const login = await s.deps.identity.findUserByIdentifier(user.phone!);
    equal(login, null, "the phone no longer finds the account");

    // The VAT records are exactly as before.
    equal(await vatRecords(s, placed.id), before);

    // The request and its completion are audited, without the personal data.
    const audit = await s.sql`
      select action, data::text from audit_log where entity_id = ${user.id}
        and action like 'privacy.deletion%' order by id`;
    equal(audit.map((a) => a.action), ["privacy.deletion_requested", "privacy.deletion_completed"]);
    equal(JSON.parse(audit[1].data)["shop.orders"], 1, "the completion names what was erased");
    const [req] = await s.sql`
      select kind, status, completed_at from privacy_requests where user_id = ${user.id}`;
    equal([req.kind, req.status, req.completed_at !== null], ["deletion", "completed", true]);
    equal((await s.deps.audit.verify()).ok, true, "the audit chain still verifies");

    // The other customer is untouched.
    const still = await s.deps.privacy.exportCustomer(other.user.id);
    equal(still.shop.orders[0].recipient, OTHER.recipient);
    ok((await everything(s)).includes(OTHER.note), "the other customer's order note stays");
    equal(still.identity.account?.phone, other.user.phone);
  });
});

Deno.test("privacy: consent to offers is recorded per change, by source", async () => {
  await withShop(async (s) => {
    const { user } = await customerWithOrder(s);
    await s.deps.notify.setPreferences(user.phone!, { orderUpdates: true, promotional: true });
    const rows = await s.sql`
      select granted, source from notify_consents where address = ${user.phone!} order by id`;
    equal(rows.map((r) => [r.granted, r.source]), [[false, "account"], [true, "account"]]);
  });
});
