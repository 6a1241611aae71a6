/**
 * The sales documents, receivables and payables screens through the app: who gets in (the
 * accountant; not a shop customer, not the warehouse, not a reports-only role), the invoice list
 * and view (both copies, print stylesheet, PDF), the ageing pages, a party's statement (PDF,
 * email, contacts) and the allocation form (a refused amount comes back as a 422 with the
 * message, a good one settles the invoice). English and Bangla.
 */
import { deepStrictEqual as equal, match, ok } from "node:assert/strict";
import "@/tests/identity/_fixtures.ts";
import { type TestApp, withTestApp } from "../helpers/app.ts";
import { Browser, staffBrowser } from "@/tests/identity/_web.ts";
import type { Role } from "@/services/identity/roles.ts";
import { poishaToTaka } from "@/services/accounting/mod.ts";
import { post, received } from "./_helpers.ts";

const staff = staffBrowser;

async function seed(t: TestApp) {
  const acc = t.deps.accounting;
  const sql = t.db.sql;
  const inv = await sql.begin((tx) =>
    acc.issueInvoiceOnAccount(tx, {
      customer: {
        ref: "b2b:21",
        name: "Hotel Sonargaon",
        nameBn: "হোটেল সোনারগাঁও",
        address: "Karwan Bazar, Dhaka",
        lang: "en",
      },
      lines: [{
        description: { en: "Mishti doi 500 g", bn: "মিষ্টি দই ৫০০ গ্রাম" },
        unit: { en: "pcs", bn: "টি" },
        quantity: 10,
        unitPriceMinor: 10_000,
        vatRateBp: 1500,
      }],
      terms: "15",
      sourceRef: "B2B-ORDER-1",
    })
  );
  await received(acc, sql, "b2b:21", 200_000, acc.today());
  await post(acc, sql, {
    source: "test.bill",
    sourceRef: "B-1",
    date: acc.today(),
    journal: "PURCHASE",
    lines: [
      { account: "1350", debitMinor: 50_000 },
      { account: "2110", creditMinor: 50_000, partnerRef: "supplier:4" },
    ],
  });
  return inv;
}

const PAGES = (n: string) => [
  "/admin/accounting/invoices",
  `/admin/accounting/invoices/${n}`,
  "/admin/accounting/receivables",
  "/admin/accounting/payables",
  "/admin/accounting/statement?side=receivable&party=b2b:21",
  "/admin/accounting/allocate?side=receivable",
  "/admin/accounting/allocate?side=receivable&party=b2b:21",
];

Deno.test("sales documents and receivables pages: the accountant gets in; a shop customer and other roles do not", async () => {
  await withTestApp(async (t) => {
    const inv = await seed(t);
    const anon = new Browser(t);
    equal((await anon.get("/admin/accounting/invoices")).status, 303);
    const customer = await staff(t, ["customer"]);
    for (const p of PAGES(inv.number)) ok([403, 303].includes((await customer.get(p)).status), p);
    for (const role of ["warehouse", "sales"] as Role[]) {
      const b = await staff(t, [role]);
      for (const p of PAGES(inv.number)) equal((await b.get(p)).status, 403, `${role} ${p}`);
      equal(
        (await b.post("/admin/accounting/receivables", {})).status,
        403,
        `${role} cannot send reminders`,
      );
    }
    const acc = await staff(t, ["accountant"]);
    for (const p of PAGES(inv.number)) equal((await acc.get(p)).status, 200, p);
  });
});

Deno.test("invoice list and view: search, both copies with the print stylesheet, the PDF, 404s", async () => {
  await withTestApp(async (t) => {
    const inv = await seed(t);
    const b = await staff(t, ["accountant"]);
    equal((await b.get(`/admin/accounting/invoices?q=${inv.number}`)).status, 200);
    match(b.html, new RegExp(`data-number="${inv.number}"`));
    match(b.html, /Hotel Sonargaon/);
    await b.get("/admin/accounting/invoices?q=nothing-like-this");
    ok(!b.html.includes(`data-number="${inv.number}"`));
    equal((await b.get(`/admin/accounting/invoices/${inv.number}`)).status, 200);
    match(b.html, /data-copy="original"/);
    match(b.html, /data-copy="duplicate"/);
    match(b.html, /@media print/);
    match(b.html, /001234567-0101/); // the seller's BIN
    match(b.html, /Mushak-6.3/);
    // In Bangla on request.
    await b.get(`/admin/accounting/invoices/${inv.number}?lang=bn`);
    match(b.html, /মূসক-৬.৩/);
    const pdf = await t.fetch(`/admin/accounting/invoices/${inv.number}?format=pdf`, {
      headers: { cookie: b.cookieHeader() },
    });
    equal(pdf.headers.get("content-type"), "application/pdf");
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    equal(new TextDecoder().decode(bytes.slice(0, 8)), "%PDF-1.7");
    equal((await b.get("/admin/accounting/invoices/DHK-2627-999999")).status, 404);
    equal((await b.get("/admin/accounting/invoices/not-a-number")).status, 404);
    // The credit note form: no reason, or more than invoiced, comes back with the message (422);
    // two of the ten credited gives a 6.7 naming its original.
    const page = `/admin/accounting/invoices/${inv.number}`;
    await b.get(page);
    equal((await b.post(page, { "qty.0": "2", reason: "" })).status, 422);
    match(b.html, /reason/i);
    equal((await b.post(page, { "qty.0": "11", reason: "Broken" })).status, 422);
    match(b.html, /role="alert"/);
    equal((await b.post(page, { "qty.0": "abc", reason: "Broken" })).status, 422);
    const issued = await b.post(page, { "qty.0": "2", reason: "Two cups broken" });
    equal(issued.status, 303);
    const cnNumber = new URL(issued.headers.get("location")!, "http://x").searchParams.get(
      "credited",
    )!;
    const cn = (await t.deps.accounting.getDocument(cnNumber))!;
    equal(cn.totalMinor, 23_000);
    equal(cn.originalNumber, inv.number);
    equal((await b.get(`/admin/accounting/invoices/${cn.number}`)).status, 200);
    match(b.html, /Mushak-6.7/);
    match(b.html, new RegExp(`href="/admin/accounting/invoices/${inv.number}"`));
  });
});

Deno.test("ageing, statement and allocation pages: refusals come back with the message, allocation settles", async () => {
  await withTestApp(async (t) => {
    const inv = await seed(t);
    const b = await staff(t, ["accountant"]);
    await b.get("/admin/accounting/receivables");
    match(b.html, /data-party="b2b:21"/);
    match(b.html, /Hotel Sonargaon/);
    await b.get("/admin/accounting/payables");
    match(b.html, /data-party="supplier:4"/);
    equal((await b.get("/admin/accounting/statement?side=receivable&party=b2b:21")).status, 200);
    ok(b.html.includes(inv.number));
    equal(
      (await b.get("/admin/accounting/statement?side=receivable&party=%3Cscript%3E")).status,
      404,
    );
    const pdf = await t.fetch(
      "/admin/accounting/statement?side=receivable&party=b2b:21&format=pdf",
      { headers: { cookie: b.cookieHeader() } },
    );
    equal(pdf.headers.get("content-type"), "application/pdf");
    await pdf.body?.cancel();
    // Contacts: a bad email is refused on the page; a good one saved; then the statement emailed.
    const st = "/admin/accounting/statement?side=receivable&party=b2b:21";
    const bad = await b.submit(st, {
      action: "contacts",
      name: "Hotel Sonargaon",
      email: "not-an-email",
      lang: "en",
      interval: "7",
    });
    equal(bad.status, 422);
    match(b.html, /valid email|email address/i);
    equal(
      (await b.post(st, {
        action: "contacts",
        name: "Hotel Sonargaon",
        email: "ap@sonargaon.example",
        lang: "en",
        interval: "10",
      })).status,
      303,
    );
    await b.get(st);
    equal((await b.post(st, { action: "email" })).status, 303);
    const [m] = await t.db.sql`select recipient, body from outbox_messages
                               where recipient = 'ap@sonargaon.example'`;
    ok(m.body.includes(inv.number));
    // Allocation: too much is refused (422, the message shown), the right amount settles.
    const page = "/admin/accounting/allocate?side=receivable&party=b2b:21";
    const items = await t.deps.accounting.openItems({ side: "receivable", party: "b2b:21" });
    const charge = items.find((i) => i.amountMinor > 0)!;
    const settle = items.find((i) => i.amountMinor < 0)!;
    const refused = await b.submit(page, {
      charge: String(charge.id),
      settle: String(settle.id),
      amount: "5000",
    });
    equal(refused.status, 422);
    match(b.html, /role="alert"/);
    const nonsense = await b.post(page, { charge: "x", settle: "", amount: "abc" });
    equal(nonsense.status, 422);
    const ok303 = await b.post(page, {
      charge: String(charge.id),
      settle: String(settle.id),
      amount: poishaToTaka(115_000),
    });
    equal(ok303.status, 303);
    const after = await t.deps.accounting.openItems({ side: "receivable", party: "b2b:21" });
    equal(after.map((i) => i.openMinor), [-85_000]);
    // Bangla pages.
    await b.get(`/lang?to=bn&next=/admin/accounting/receivables`);
    await b.get("/admin/accounting/receivables");
    match(b.html, /প্রাপ্যের বয়সভিত্তিক বিশ্লেষণ/);
  });
});
