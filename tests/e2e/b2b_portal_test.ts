/**
 * The B2B portal in Chromium, against the fake bKash: a shop owner applies, sales staff approve
 * the account (credit, approval step) and add a buyer; the buyer places a quick order of 20
 * lines, the account's admin approves it, staff deliver it (who received it), the buyer opens
 * the delivery note (lots) and the Mushak 6.3 invoice and pays the invoice on account by bKash.
 * Set E2E_SCREENSHOTS=/some/dir to keep a screenshot of every step.
 */
import { equal, match, ok } from "node:assert/strict";
import "../identity/_fixtures.ts"; // cheap argon2 for the accounts made here
import { makeUser, PASSWORD } from "../identity/_fixtures.ts";
import { browserTest, shot, signInOnPage, watchPage, withBrowser } from "../helpers/browser.ts";
import { withShop } from "../shop/_helpers.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import type { Browser } from "playwright-core";

Deno.test({
  name:
    "browser: apply, approval, a 20-line quick order approved, delivered, papers, bKash on account",
  ...browserTest,
  async fn() {
    await withShop(async (s) => {
      const sql = s.sql;
      const keyring = s.deps.keyring;
      await makeUser(sql, keyring, {
        email: "owner@cafe.example",
        roles: ["customer"],
      });
      const buyer = await makeUser(sql, keyring, {
        email: "buyer@cafe.example",
        roles: ["customer"],
      });
      await makeUser(sql, keyring, { email: "sales@dairy.example", roles: ["sales"] });
      // Twenty lines: the catalogue's packs (the first ones again if it has fewer).
      const skus = (await sql`select sku from shop_variants order by sku`).map((r) => r.sku);
      const lines = Array.from({ length: 20 }, (_, i) => skus[i % skus.length] as string);

      await withBrowser(s.app.fetch, async (browser: Browser, base) => {
        s.deps.config.PUBLIC_URL = base;
        const signIn = async (email: string, next: string) => {
          const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
          const page = await context.newPage();
          const errors = watchPage(page);
          await signInOnPage(page, base, next, email, PASSWORD);
          return { context, page, errors };
        };

        // The owner applies.
        const o = await signIn("owner@cafe.example", "/b2b");
        await o.page.fill('[name="company"]', "Gulshan Garden Cafe");
        await o.page.fill('[name="tradeLicenceNo"]', "TRAD/DNCC/045678");
        await o.page.fill(
          '[name="tradeLicenceExpires"]',
          addDays(dhakaDate(s.clock.now()), 300),
        );
        await o.page.fill('[name="bin"]', "0012345678901");
        await o.page.fill('[name="tin"]', "123456789012");
        await o.page.fill('[name="ownerNid"]', "1990123456789");
        await o.page.fill('[name="outlets.0.name"]', "Gulshan 2 kitchen");
        await o.page.fill('[name="outlets.0.address"]', "House 9, Road 55, Gulshan 2, Dhaka");
        await o.page.fill('[name="contacts.0.name"]', "Sadia Rahman");
        await o.page.fill('[name="contacts.0.phone"]', "01711-223344");
        await shot(o.page, "b2b-01-apply");
        await o.page.click("form button[type=submit]");
        await o.page.waitForSelector('[data-testid="application-status"]');
        const [acc] = await sql`select id from b2b_accounts where company = 'Gulshan Garden Cafe'`;
        const id = Number(acc.id);

        // Sales staff approve it: active, ৳5 lakh on 30 days, orders need approval; add the buyer.
        const st = await signIn("sales@dairy.example", `/admin/b2b/accounts/${id}`);
        const form = (action: string) =>
          st.page.locator(`form:has(input[name=action][value=${action}])`);
        await form("status").locator("select[name=to]").selectOption("active");
        await form("status").locator("button[type=submit]").click();
        await st.page.waitForURL(/saved=1/);
        await form("credit").locator("[name=creditLimit]").fill("500000");
        await form("credit").locator("select[name=terms]").selectOption("30");
        await form("credit").locator("[name=requiresApproval]").check();
        await form("credit").locator("button[type=submit]").click();
        await st.page.waitForURL(/saved=1/);
        await form("member").locator("[name=userId]").fill(buyer.id);
        await form("member").locator("select[name=role]").selectOption("buyer");
        await form("member").locator("button[type=submit]").click();
        await st.page.waitForURL(/saved=1/);
        await shot(st.page, "b2b-02-approved");

        // The buyer's quick order of 20 lines waits for the approver.
        const b = await signIn("buyer@cafe.example", "/b2b/order");
        for (const [i, sku] of lines.entries()) {
          await b.page.fill(`[name="lines.${i}.sku"]`, sku);
          await b.page.fill(`[name="lines.${i}.qty"]`, String(2 + (i % 3)));
        }
        await shot(b.page, "b2b-03-quick-order");
        await b.page.click('form button[type=submit]:has-text("Place")');
        await b.page.waitForURL(/\/b2b\/orders\/[0-9a-f-]{36}$/);
        const orderUrl = b.page.url();
        ok(await b.page.isVisible("text=Waiting for approval"));
        const [order] =
          await sql`select number, total_minor from b2b_orders where account_id = ${id}`;

        // The owner (account admin) approves it.
        await o.page.goto(orderUrl);
        await o.page.click('button:has-text("Approve order")');
        await o.page.waitForURL(orderUrl);
        ok(await o.page.isVisible("text=Confirmed"));

        // Staff deliver it, noting who received it.
        await st.page.goto(`${base}/admin/b2b/accounts/${id}`);
        const row = st.page.locator(`[data-order="${order.number}"]`);
        await row.locator("[name=receivedBy]").fill("Sadia Rahman");
        await row.locator("button:has-text('Delivered')").click();
        await st.page.waitForURL(/saved=1/);

        // The buyer sees the papers: delivery note with lots, the 6.3 invoice, proof of delivery.
        await b.page.goto(orderUrl);
        await b.page.waitForSelector('[data-testid="papers"]');
        match((await b.page.textContent('[data-testid="proof"]'))!, /Sadia Rahman/);
        await shot(b.page, "b2b-04-papers");
        for (const link of ["delivery-note", "tax-invoice"]) {
          const href = await b.page.getAttribute(`[data-testid="${link}"]`, "href");
          const res = await b.context.request.get(`${base}${href}`);
          equal(res.status(), 200, link);
          equal(res.headers()["content-type"], "application/pdf");
          ok((await res.body()).subarray(0, 5).toString() === "%PDF-", link);
        }

        // Pays the invoice on account by bKash.
        await b.page.goto(`${base}/b2b/money`);
        const [inv] = await sql`select invoice_number from b2b_orders where account_id = ${id}`;
        await b.page.check(`[data-invoice="${inv.invoice_number}"] input[name=invoice]`);
        await b.page.selectOption("select[name=method]", "bkash");
        await shot(b.page, "b2b-05-money");
        await b.page.click('button:has-text("Continue to payment")');
        await b.page.waitForURL(/\/redirect\/tokenized\//);
        await b.page.click('button[value="confirm"]');
        await b.page.waitForURL(/\/b2b\/money\?pay=ok/);
        await b.page.waitForSelector('[data-testid="paid"]');
        match((await b.page.textContent('[data-testid="owed"]'))!, /৳\s?0(\.00)?$/);
        await shot(b.page, "b2b-06-paid");
        const items = await s.deps.accounting.openItems({ side: "receivable", party: `b2b:${id}` });
        equal(items.length, 0, "the invoice is settled");
        const [paid] = await sql`select amount_minor::int as a from shop_payments
          where purpose = 'account' and status = 'succeeded'`;
        equal(paid.a, Number(order.total_minor));
        for (const who of [o, st, b]) equal(who.errors.length, 0, who.errors.join("\n"));
      });
    }, { fakes: true });
  },
});
