/**
 * The VAT and statement pages through the app (issue 13 §6, §7): only accounting.manage gets in
 * (the accountant; a salesperson with reports.view and a warehouse hand are refused), every 9.1
 * figure links to a page whose documents add up to it, a 6.6 certificate recorded from its form
 * (refusals by field, in Bangla too), a tax rate added from its page, the statements shown and
 * exported as CSV and XLSX.
 */
import { deepStrictEqual as equal, match, ok } from "node:assert/strict";
import "@/tests/identity/_fixtures.ts";
import readXlsxFile from "read-excel-file/universal";
import { type TestApp, withTestApp } from "../helpers/app.ts";
import { TWO_RATES_SALE } from "./_helpers.ts";
import { Browser, staffBrowser } from "@/tests/identity/_web.ts";

const staff = staffBrowser;

const VAT = [
  "/admin/accounting/vat/return",
  "/admin/accounting/vat/sales",
  "/admin/accounting/vat/purchases",
  "/admin/accounting/vat/withholding",
  "/admin/accounting/vat/tax-classes",
  "/admin/accounting/vat/note?note=34",
];
const STATEMENTS = [
  "/admin/accounting/reports/profit-loss",
  "/admin/accounting/reports/balance-sheet",
  "/admin/accounting/reports/cash-flow",
  "/admin/accounting/reports/dashboard",
  "/admin/accounting/reports/sales",
  "/admin/accounting/reports/sales?by=area",
];

/** A delivered order at two rates and an approved bill, this month. */
async function operations(t: TestApp) {
  const ledger = t.deps.accounting.ledger;
  await t.db.sql.begin((tx) =>
    ledger.shopSale(tx, {
      ...TWO_RATES_SALE,
      orderId: "55555555-5555-5555-5555-555555555555",
      orderNumber: "SD-3001",
    })
  );
  await t.db.sql.begin((tx) =>
    ledger.supplierBill(tx, {
      billId: 9,
      billNumber: "B-9",
      supplierId: 4,
      lines: [{ receivedValueMinor: 4000, netMinor: 4000, vatMinor: 600 }],
    })
  );
}

async function bytes(t: TestApp, b: Browser, path: string) {
  const res = await t.fetch(path, { headers: { cookie: b.cookieHeader() } });
  return { res, body: new Uint8Array(await res.arrayBuffer()) };
}

Deno.test("VAT and statement pages: the accountant gets in; reports.view and others are refused", async () => {
  await withTestApp(async (t) => {
    const anon = new Browser(t);
    equal((await anon.get("/admin/accounting/vat/return")).status, 303);
    const sales = await staff(t, ["sales"]); // reports.view: not enough for these
    for (const p of [...VAT, ...STATEMENTS]) equal((await sales.get(p)).status, 403, p);
    equal((await sales.get(`${STATEMENTS[0]}?format=xlsx`)).status, 403);
    equal(
      (await sales.post("/admin/accounting/vat/withholding", { certificateNo: "X" })).status,
      403,
    );
    const warehouse = await staff(t, ["warehouse"]);
    for (const p of [...VAT, ...STATEMENTS]) equal((await warehouse.get(p)).status, 403, p);
    const acc = await staff(t, ["accountant"]);
    for (const p of [...VAT, ...STATEMENTS]) equal((await acc.get(p)).status, 200, p);
    equal(
      (await acc.get("/admin/accounting/vat")).headers.get("location"),
      "/admin/accounting/vat/return",
    );
    equal((await acc.get("/admin/accounting/vat/note?note=99")).status, 404);
    // The section's tabs lead here.
    await acc.get("/admin/accounting/entries");
    match(acc.html, /href="\/admin\/accounting\/vat\/return"/);
    match(acc.html, /href="\/admin\/accounting\/reports\/profit-loss"/);
  });
});

Deno.test("9.1 page: every figure drills down to documents that add up to it; XLSX and CSV", async () => {
  await withTestApp(async (t) => {
    await operations(t);
    const month = t.deps.accounting.today().slice(0, 7);
    const acc = await staff(t, ["accountant"]);
    equal((await acc.get(`/admin/accounting/vat/return?month=${month}`)).status, 200);
    const net = acc.html.match(/data-net-payable="(-?\d+)"/)![1];
    equal(Number(net), 1500 - 600);
    const drills = [...acc.html.matchAll(/href="([^"]+)" data-drill="(\d+)"/g)].map((m) => ({
      href: m[1].replaceAll("&amp;", "&"),
      note: Number(m[2]),
    }));
    equal(drills.length, 21);
    const r = await t.deps.accounting.vatReturn(month);
    for (const d of drills) {
      equal((await acc.get(d.href)).status, 200, d.href);
      const total = Number(acc.html.match(/data-note-total="(-?\d+)"/)![1]);
      equal(total, r.figures[d.note].vatMinor, `note ${d.note}`);
      const entries = [...acc.html.matchAll(/data-entry="(\d+)"/g)].length;
      if (r.figures[d.note].vatMinor !== 0) ok(entries > 0, `note ${d.note} lists documents`);
    }
    // In Bangla: the return's notes and parts in the page's language.
    await acc.get(`/lang?to=bn&next=/admin/accounting/vat/return`);
    await acc.get(`/admin/accounting/vat/return?month=${month}`);
    match(acc.html, /ভ্যাট দাখিলপত্রের অঙ্ক \(মূসক ৯\.১\)/);
    match(acc.html, /আদর্শ হারবিশিষ্ট পণ্য\/সেবা/);
    match(acc.html, /নিট প্রদেয় ভ্যাট/);
    await acc.get(`/lang?to=en&next=/admin/accounting/vat/return`);
    await acc.get(`/admin/accounting/vat/note?month=${month}&note=4`);
    match(acc.html, /SD-3001/);
    match(acc.html, /href="\/admin\/shop\/orders\/SD-3001"/);
    match(acc.html, /৳15\.00/);
    await acc.get(`/admin/accounting/vat/note?month=${month}&note=34`);
    match(acc.html, /data-totals[\s\S]*৳9\.00/);
    // The entry a figure names opens.
    const entry = acc.html.match(/href="(\/admin\/accounting\/entries\/\d+)"/)![1];
    equal((await acc.get(entry)).status, 200);

    const x = await bytes(t, acc, `/admin/accounting/vat/return?month=${month}&format=xlsx`);
    equal(x.res.status, 200);
    match(x.res.headers.get("content-disposition")!, /mushak-9\.1-.*\.xlsx/);
    const [sheet] = await readXlsxFile(new Blob([x.body]));
    const rows = sheet.data as unknown[][];
    equal(rows[1].slice(0, 5), ["Note", "Nature", "Value", "SD", "VAT"]);
    const row = (n: number) => rows.find((r) => r[0] === n)!;
    equal(row(4).slice(1, 5), ["Standard rated goods/service", 100, 0, 15]);
    equal(row(14)[4], 6);
    equal(row(34)[4], 9);

    await acc.get(
      `/admin/accounting/vat/sales?from=${month}-01&to=${t.deps.accounting.today()}&format=csv`,
    );
    match(acc.html, /^\uFEFFDate,Document no\./);
    match(acc.html, /SD-3001,.*,15%,100\.00,0\.00,15\.00,115\.00/);
    await acc.get(
      `/admin/accounting/vat/purchases?from=${month}-01&to=${t.deps.accounting.today()}`,
    );
    match(acc.html, /B-9/);
    match(acc.html, /data-totals[\s\S]*৳6\.00/);
  });
});

Deno.test("6.6 form: refusals by field (English and Bangla), then recorded and posted", async () => {
  await withTestApp(async (t) => {
    const acc = await staff(t, ["accountant"]);
    const today = t.deps.accounting.today();
    await acc.get("/admin/accounting/vat/withholding");
    const form = {
      certificateNo: "WH-77",
      certificateDate: today,
      customerName: "Bangladesh Bank canteen",
      customerBin: "000999888-0101",
      invoiceNo: "SD-3001",
      invoiceDate: "",
      amount: "150.00",
      receivableAccount: "1210",
      partnerRef: "",
    };
    let res = await acc.post("/admin/accounting/vat/withholding", { ...form, amount: "abc" });
    equal(res.status, 422);
    match(acc.html, /Enter an amount in taka above 0/);
    match(acc.html, /Bangladesh Bank canteen/); // the values stay
    res = await acc.post("/admin/accounting/vat/withholding", { ...form, customerBin: "12" });
    equal(res.status, 422);
    match(acc.html, /A BIN has 13 digits/);
    res = await acc.post("/admin/accounting/vat/withholding", {
      ...form,
      receivableAccount: "2110",
    });
    equal(res.status, 422);
    res = await acc.post("/admin/accounting/vat/withholding", {
      ...form,
      certificateDate: "2026-13-01",
    });
    equal(res.status, 422);
    await acc.get(`/lang?to=bn&next=/admin/accounting/vat/withholding`);
    res = await acc.submit("/admin/accounting/vat/withholding", { ...form, amount: "0" });
    equal(res.status, 422);
    match(acc.html, /০-এর বেশি টাকার অঙ্ক লিখুন/);
    match(acc.html, /উৎসে কর্তিত ভ্যাট \(মূসক ৬\.৬\)/);
    res = await acc.post("/admin/accounting/vat/withholding", form);
    equal(res.status, 303);
    const to = res.headers.get("location")!;
    await acc.get(to);
    match(acc.html, /সনদপত্র WH-77 সংরক্ষিত/);
    match(acc.html, /data-certificate="WH-77"/);
    equal((await acc.post("/admin/accounting/vat/withholding", form)).status, 422);
    match(acc.html, /এই সনদপত্র আগেই সংরক্ষিত/);
    const r = await t.deps.accounting.vatReturn(today.slice(0, 7));
    equal(r.figures[29].vatMinor, 15000);
  });
});

Deno.test("tax classes page: a new dated rate is added; an earlier date is refused", async () => {
  await withTestApp(async (t) => {
    const acc = await staff(t, ["accountant"]);
    await acc.get("/admin/accounting/vat/tax-classes");
    match(acc.html, /data-class="standard"[\s\S]*?15% \(2019-07-01\)/);
    let res = await acc.post("/admin/accounting/vat/tax-classes", {
      action: "rate",
      classCode: "reduced_10",
      effectiveFrom: "2019-01-01",
      vatRate: "10",
    });
    equal(res.status, 422);
    match(acc.html, /Choose a date after 2019-07-01/);
    res = await acc.post("/admin/accounting/vat/tax-classes", {
      action: "rate",
      classCode: "reduced_10",
      effectiveFrom: "2030-07-01",
      vatRate: "12.5",
      note: "SRO 123",
    });
    equal(res.status, 303);
    await acc.get(res.headers.get("location")!);
    match(acc.html, /12\.5% \(2030-07-01\)/);
    equal((await t.deps.accounting.taxRateOn("reduced_10", "2030-07-01"))?.vatRateBp, 1250);
    equal((await t.deps.accounting.taxRateOn("reduced_10", "2030-06-30"))?.vatRateBp, 1000);
    res = await acc.post("/admin/accounting/vat/tax-classes", {
      action: "class",
      code: "Bad Code",
      nameEn: "x",
      nameBn: "x",
      kind: "standard",
      effectiveFrom: "2026-07-01",
      vatRate: "15",
    });
    equal(res.status, 422);
    match(acc.html, /Small letters, digits and _/);
  });
});

Deno.test("statement pages: P&L, balance sheet, cash flow and dashboard show the ledger's figures and export", async () => {
  await withTestApp(async (t) => {
    await operations(t);
    const today = t.deps.accounting.today();
    const acc = await staff(t, ["accountant"]);
    await acc.get(`/admin/accounting/reports/profit-loss?from=${today}&to=${today}`);
    // Sales 100 + 90 + delivery 50, less the bill's price difference 40 (no receipt).
    const pl = await t.deps.accounting.profitAndLoss({ from: today, to: today });
    match(acc.html, new RegExp(`data-net-profit="${pl.netProfitMinor}"`));
    match(acc.html, /data-account="4110"/);
    await acc.get(`/admin/accounting/reports/balance-sheet?at=${today}`);
    match(acc.html, /data-balanced="yes"/);
    await acc.get(`/admin/accounting/reports/cash-flow?from=${today}&to=${today}`);
    match(acc.html, /data-net-change="0"/);
    await acc.get("/admin/accounting/reports/dashboard");
    match(acc.html, /data-card="vat" data-now="900"/);
    // The trial balance and an account's ledger export too.
    const tb = await bytes(
      t,
      acc,
      `/admin/accounting/reports/trial-balance?from=${today}&to=${today}&format=xlsx`,
    );
    const [tbSheet] = await readXlsxFile(new Blob([tb.body]));
    const vatRow = (tbSheet.data as unknown[][]).find((r) => String(r[0]).startsWith("2310 "))!;
    equal(vatRow.slice(2, 5), [0, 15, -15]);
    const gl = await bytes(
      t,
      acc,
      `/admin/accounting/reports/ledger?account=2310&from=${today}&to=${today}&format=csv`,
    );
    match(new TextDecoder().decode(gl.body), /VAT output,0\.00,15\.00,-15\.00/);
    for (const p of STATEMENTS) {
      const sep = p.includes("?") ? "&" : "?";
      const x = await bytes(t, acc, `${p}${sep}format=xlsx`);
      equal(x.res.status, 200, p);
      const [sheet] = await readXlsxFile(new Blob([x.body]));
      ok((sheet.data as unknown[][]).length > 2, p);
      const c = await bytes(t, acc, `${p}${sep}format=csv`);
      equal(c.res.headers.get("content-type"), "text/csv; charset=utf-8");
    }
  });
});
