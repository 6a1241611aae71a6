/**
 * The B2B portal through its pages (issue 14): apply → approval by sales → contract prices →
 * quick order → credit hold → release → delivery → the invoice on account in receivables; bad
 * CSV lines reported line by line; another account's order is not found; customers are kept out
 * of the back office.
 */
import { equal, match, ok } from "node:assert/strict";
import { pageForm, post, withShop } from "@/tests/shop/_helpers.ts";
import { approvedAccount, quickOrder } from "./_helpers.ts";

Deno.test("b2b: apply, approve, contract price, credit hold and release, delivery invoices on account", async () => {
  await withShop(async (s) => {
    const sales = await s.user(["sales"]);
    // A customer is refused the back office.
    const customer = await s.user(["customer"]);
    equal((await s.fetch("/admin/b2b", { headers: { cookie: customer.cookie } })).status, 403);

    // A bad application comes back with messages on the fields and nothing stored.
    const applicant0 = await s.user(["customer"]);
    const f0 = await pageForm(s, "/b2b", applicant0.cookie);
    const bad = await post(s, "/b2b", {
      company: "Hotel Purbani",
      tradeLicenceNo: "TL-1",
      tradeLicenceExpires: "2020-01-01",
      bin: "12345",
      tin: "123456789012",
      ownerNid: "1990123456789",
      "outlets.0.name": "Main",
      "outlets.0.address": "Motijheel, Dhaka",
      "contacts.0.name": "Rahim",
      "contacts.0.phone": "12345",
    }, f0);
    equal(bad.status, 422);
    const badHtml = await bad.text();
    ok(badHtml.includes("A BIN has 13 digits."));
    ok(badHtml.includes("The trade licence has expired."));
    ok(badHtml.includes("Enter a mobile number like 01711000000."));
    ok(badHtml.includes('value="Hotel Purbani"'), "values kept");
    equal((await s.sql`select count(*)::int as n from b2b_accounts`)[0].n, 0);

    // Listed for sales with its status; approval makes the applicant the account admin.
    const { id, applicant, page } = await approvedAccount(s, sales, "Hotel Purbani", {
      limit: "1000",
      terms: "30",
    });
    const list = await (await s.fetch("/admin/b2b", { headers: { cookie: sales.cookie } })).text();
    ok(list.includes("Hotel Purbani"));
    const audit = await s.sql`select action from audit_log where entity = 'b2b_account'
      and entity_id = ${String(id)} order by id`;
    ok(audit.some((a) => a.action === "b2b.account.status"), "approval audited");

    // A contract price (without VAT) for sweet doi, with a quantity break from 20.
    for (const [minQty, price] of [["1", "100"], ["20", "95"]]) {
      const r = await post(s, `/admin/b2b/accounts/${id}`, {
        action: "price",
        sku: "SDOI-500",
        minQty,
        price,
        validFrom: "2020-01-01",
        validTo: "",
        scope: "account",
      }, page);
      equal(r.status, 303);
    }
    const home = await (await s.fetch("/b2b", { headers: { cookie: applicant.cookie } })).text();
    const row = home.match(/data-sku="SDOI-500"[\s\S]*?<\/tr>/)![0];
    ok(row.includes("৳100.00"), "the contract price without VAT");
    ok(row.includes("৳105.00"), "and with 5 % VAT");
    ok(row.includes("৳120.00"), "beside the public shop price");
    ok(row.includes("20+ ৳95.00"), "with its quantity break");

    // An order within the limit: 5 doi at the contract price, confirmed.
    const first = await quickOrder(s, applicant.cookie, [["SDOI-500", 5]]);
    equal(first.status, 303);
    const firstUrl = first.headers.get("location")!;
    const firstHtml = await (await s.fetch(firstUrl, { headers: { cookie: applicant.cookie } }))
      .text();
    ok(firstHtml.includes("Confirmed"));
    match(firstHtml, /data-line="SDOI-500"[\s\S]*?৳100\.00/);
    ok(firstHtml.includes("৳525.00"), "5 × ৳100 + 5 % VAT");

    // 20 more reach the break (৳95) but pass the ৳1,000 limit with the open order: credit hold.
    const second = await quickOrder(s, applicant.cookie, [["SDOI-500", 20]]);
    equal(second.status, 303);
    const secondUrl = second.headers.get("location")!;
    const secondHtml = await (await s.fetch(secondUrl, { headers: { cookie: applicant.cookie } }))
      .text();
    ok(secondHtml.includes("Credit hold"));
    match(secondHtml, /data-line="SDOI-500"[\s\S]*?৳95\.00/);
    const holds = await (await s.fetch("/admin/b2b", { headers: { cookie: sales.cookie } })).text();
    match(holds, /data-hold="B2B-/);

    // Release needs a reason; with one it goes through and is audited.
    const secondId = secondUrl.split("/").pop()!;
    const p2 = await pageForm(s, `/admin/b2b/accounts/${id}`, sales.cookie);
    const noReason = await post(s, `/admin/b2b/accounts/${id}`, {
      action: "release",
      orderId: secondId,
      reason: "",
    }, p2);
    equal(noReason.status, 422);
    const released = await post(s, `/admin/b2b/accounts/${id}`, {
      action: "release",
      orderId: secondId,
      reason: "Owner paid cash at the depot",
    }, p2);
    equal(released.status, 303);
    const [st] = await s.sql`select status, release_reason from b2b_orders where id = ${secondId}`;
    equal(st.status, "confirmed");
    const rel = await s.sql`select data from audit_log where action = 'b2b.order.hold_released'`;
    equal(rel.length, 1);

    // Delivered: the lots leave and the invoice on account appears in receivables.
    const firstId = firstUrl.split("/").pop()!;
    const delivered = await post(s, `/admin/b2b/accounts/${id}`, {
      action: "deliver",
      orderId: firstId,
      receivedBy: "Karim Uddin",
    }, p2);
    equal(delivered.status, 303);
    const after = await (await s.fetch(firstUrl, { headers: { cookie: applicant.cookie } })).text();
    ok(after.includes("Delivered"));
    const invoice = after.match(/data-testid="invoice">Invoice on account: ([^<]+)</)?.[1];
    ok(invoice, "the order names its invoice");
    const items = await s.deps.accounting.openItems({ side: "receivable", party: `b2b:${id}` });
    const item = items.find((i) => i.documentNumber === invoice);
    ok(item, "the invoice is open in receivables");
    equal(item!.openMinor, 52_500);
    const [{ n }] = await s.sql`select count(*)::int as n from inv_reservations
      where ref_kind = 'b2b' and ref_id = ${firstId} and status = 'fulfilled'`;
    ok(n > 0, "the reserved lots were fulfilled");
  });
});

Deno.test("b2b: CSV lines with errors are reported line by line; other accounts' orders are not found", async () => {
  await withShop(async (s) => {
    const sales = await s.user(["sales"]);
    const a = await approvedAccount(s, sales, "Sweet Corner");
    const b = await approvedAccount(s, sales, "Nawab Caterers");

    const res = await quickOrder(
      s,
      a.applicant.cookie,
      [],
      "sku,qty\nSDOI-500,2\nthis is not csv\nGHEE-500;x\n",
    );
    equal(res.status, 422);
    const html = await res.text();
    ok(
      html.includes("Line 3: not sku,qty (this is not csv)."),
      html.match(/csv-errors[\s\S]{0,400}/)?.[0] ?? "",
    );
    ok(html.includes("Line 4: not sku,qty (GHEE-500;x)."));
    // An unknown code in a good-looking line is named by its line too.
    const unknown = await quickOrder(s, a.applicant.cookie, [], "SDOI-500,2\nNOPE-1,3");
    equal(unknown.status, 422);
    ok((await unknown.text()).includes("Line 2: not sku,qty (NOPE-1). No product with this code."));
    equal((await s.sql`select count(*)::int as n from b2b_orders`)[0].n, 0, "nothing half-written");

    const ok1 = await quickOrder(s, a.applicant.cookie, [], "SDOI-500,2\nMILK-1000,3");
    equal(ok1.status, 303);
    const url = ok1.headers.get("location")!;
    equal((await s.fetch(url, { headers: { cookie: a.applicant.cookie } })).status, 200);
    // Reorder: the quick order comes filled with the past order's lines (own account only).
    const again = await (await s.fetch(`/b2b/order?from=${url.split("/").pop()}`, {
      headers: { cookie: a.applicant.cookie },
    })).text();
    ok(again.includes('name="lines.0.sku" value="SDOI-500"'));
    ok(again.includes('name="lines.1.qty" value="3"'));
    const theirs = await s.fetch(`/b2b/order?from=${url.split("/").pop()}`, {
      headers: { cookie: b.applicant.cookie },
    });
    equal(theirs.status, 404);
    await theirs.body?.cancel();
    const other = await s.fetch(url, { headers: { cookie: b.applicant.cookie } });
    equal(other.status, 404, "another account's order");
    await other.body?.cancel();
    // Approving it from the other account: not found either.
    const form = await pageForm(s, "/b2b/order", b.applicant.cookie);
    equal((await post(s, url, {}, form)).status, 404);
    // Staff of one account's page cannot act on another account's order.
    const orderId = url.split("/").pop()!;
    const page = await pageForm(s, `/admin/b2b/accounts/${b.id}`, sales.cookie);
    equal(
      (await post(s, `/admin/b2b/accounts/${b.id}`, { action: "deliver", orderId }, page)).status,
      404,
    );
    // The account admin adds a buyer by phone; the buyer then sees the account's orders but may
    // not add anyone; an unknown number is refused on the field.
    const newcomer = await s.user(["customer"]);
    const uf = await pageForm(s, "/b2b/users", a.applicant.cookie);
    const unknownPerson = await post(s, "/b2b/users", {
      identifier: "+8801999999999",
      role: "buyer",
    }, uf);
    equal(unknownPerson.status, 422);
    ok((await unknownPerson.text()).includes("No Smart Dairy account has this phone number"));
    const added = await post(s, "/b2b/users", {
      identifier: newcomer.user.phone!,
      role: "buyer",
    }, uf);
    equal(added.status, 303);
    const users = await (await s.fetch("/b2b/users", { headers: { cookie: a.applicant.cookie } }))
      .text();
    ok(users.includes(newcomer.user.displayName));
    equal((await s.fetch(url, { headers: { cookie: newcomer.cookie } })).status, 200);
    const nf = await pageForm(s, "/b2b/order", newcomer.cookie);
    const notAdmin = await post(s, "/b2b/users", {
      identifier: b.applicant.user.phone!,
      role: "admin",
    }, nf);
    equal(notAdmin.status, 403);
    await notAdmin.body?.cancel();

    // In Bangla: the portal speaks the buyer's language; a bad outlet id is a message, not a 500.
    const bangla = await s.user(["customer"], { locale: "bn" });
    const bnForm = await (await s.fetch("/b2b", { headers: { cookie: bangla.cookie } })).text();
    ok(bnForm.includes("ব্যবসায়িক অ্যাকাউন্টের আবেদন"));
    ok(bnForm.includes("মালিকের জাতীয় পরিচয়পত্র নম্বর"));
    const of = await pageForm(s, "/b2b/order", a.applicant.cookie);
    const badOutlet = await post(s, "/b2b/order", {
      outletId: "abc",
      deliveryDate: "2020-01-01",
      "lines.0.sku": "SDOI-500",
      "lines.0.qty": "2",
    }, of);
    equal(badOutlet.status, 422);
    const badOutletHtml = await badOutlet.text();
    ok(badOutletHtml.includes("Choose one of your outlets."));
    ok(badOutletHtml.includes("Choose a delivery date from today on."));

    // A shop customer without an account gets the application form, not an account.
    const shopper = await s.user(["customer"]);
    const mine = await (await s.fetch("/b2b", { headers: { cookie: shopper.cookie } })).text();
    ok(mine.includes("Apply for a business account"));
    equal((await s.fetch(url, { headers: { cookie: shopper.cookie } })).status, 404);
    equal((await s.fetch("/b2b/order", { headers: { cookie: shopper.cookie } })).status, 404);
  });
});
