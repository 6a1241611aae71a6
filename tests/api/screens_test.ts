/**
 * The key screens: staff with api.manage make a partner client and a key in the back office (the
 * key shown once, then only its prefix), issue an OAuth secret, revoke; others get 403. A B2B
 * account's admin makes the account's own key in the portal; its buyers may not. Both in Bangla.
 */
import { equal, match, ok } from "node:assert/strict";
import { pageForm, post, withShop } from "@/tests/shop/_helpers.ts";
import { approvedAccount } from "@/tests/b2b/_helpers.ts";
import { api } from "./_helpers.ts";

Deno.test("admin /admin/api: partner client, key shown once, OAuth secret, revoke", async () => {
  await withShop(async (s) => {
    const admin = await s.user(["admin"]);
    const sales = await s.user(["sales"]);
    equal((await s.fetch("/admin/api", { headers: { cookie: sales.cookie } })).status, 403);
    const form = await pageForm(s, "/admin/api", admin.cookie);
    equal(form.status, 200);
    ok(form.html.includes("API access"));
    const bad = await post(s, "/admin/api", { name: "X" }, form);
    equal(bad.status, 422);
    const made = await s.fetch("/admin/api", {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie: form.cookie,
        origin: "http://localhost",
        "content-type": "application/x-www-form-urlencoded",
      },
      body:
        `_csrf=${form.token}&name=Steadfast+Courier&scopes=deliveries%3Aread&scopes=catalog%3Aread&limit=500`,
    });
    equal(made.status, 303);
    const path = made.headers.get("location")!;
    match(path, /^\/admin\/api\/\d+$/);
    const page = await pageForm(s, path, admin.cookie);
    const created = await post(s, path, { action: "key", name: "Dispatch system" }, page);
    equal(created.status, 200);
    equal(created.headers.get("cache-control"), "no-store");
    const html = await created.text();
    const key = /data-testid="new-key">\s*(sd_live_[0-9A-Za-z]{32})/.exec(html)?.[1];
    ok(key, "the new key is shown");
    equal((await api(s, key!, "/api/v1/products?limit=1")).status, 200);
    // Shown once: the page afterwards names only its prefix.
    const later = await (await s.fetch(path, { headers: { cookie: admin.cookie } })).text();
    ok(!later.includes(key!) && later.includes(key!.slice(0, 14)));
    const [row] = await s.sql`select id from api_keys where prefix = ${key!.slice(0, 14)}`;
    const secret = await post(s, path, { action: "secret" }, page);
    match(await secret.text(), /data-testid="new-secret">\s*sd_secret_/);
    equal((await post(s, path, { action: "revoke", keyId: String(row.id) }, page)).status, 303);
    equal((await api(s, key!, "/api/v1/products?limit=1")).status, 401);
    const bn = await s.fetch(path, { headers: { cookie: `${admin.cookie}; lang=bn` } });
    ok((await bn.text()).includes("এপিআই অ্যাক্সেস"));
  });
});

Deno.test("b2b portal /b2b/api: the account's admin makes its key; a non-member gets 404", async () => {
  await withShop(async (s) => {
    const sales = await s.user(["sales"]);
    const acct = await approvedAccount(s, sales, "Hotel Gamma");
    const form = await pageForm(s, "/b2b/api", acct.applicant.cookie);
    equal(form.status, 200);
    const res = await post(s, "/b2b/api", { action: "key", name: "Purchasing" }, form);
    equal(res.status, 200);
    const key = /data-testid="new-key">\s*(sd_live_[0-9A-Za-z]{32})/.exec(await res.text())?.[1];
    ok(key);
    equal((await api(s, key!, "/api/v1/orders")).status, 200);
    equal((await api(s, key!, `/api/v1/accounts/${acct.id}/invoices`)).status, 200);
    equal((await api(s, key!, "/api/v1/farm/animals")).status, 403);
    const stranger = await s.user(["customer"]);
    equal((await s.fetch("/b2b/api", { headers: { cookie: stranger.cookie } })).status, 404);
  });
});
