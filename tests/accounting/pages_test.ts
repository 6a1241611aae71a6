/**
 * The accounting screens through the app: who gets in, the manual entry form (an unbalanced entry
 * is refused with the difference named), an entry's page and its reversal, the chart of accounts,
 * the opening balances import (422 with line numbers), the trial balance (sums to zero, CSV) and
 * the general ledger down to the entry. English and Bangla.
 */
import { deepStrictEqual as equal, match, ok } from "node:assert/strict";
import "@/tests/identity/_fixtures.ts";
import { withTestApp } from "../helpers/app.ts";
import { Browser, staffBrowser } from "@/tests/identity/_web.ts";

export const staff = staffBrowser;

const MANAGE = [
  "/admin/accounting/entries",
  "/admin/accounting/entries/new",
  "/admin/accounting/accounts",
  "/admin/accounting/periods",
  "/admin/accounting/opening",
];
const REPORTS = ["/admin/accounting/reports/trial-balance", "/admin/accounting/reports/ledger"];

Deno.test("accounting pages: accounting.manage gets in; reports.view reads only the reports", async () => {
  await withTestApp(async (t) => {
    const anon = new Browser(t);
    equal((await anon.get("/admin/accounting/entries")).status, 303);
    const sales = await staff(t, ["sales"]); // reports.view
    for (const p of MANAGE) equal((await sales.get(p)).status, 403, p);
    for (const p of REPORTS) equal((await sales.get(p)).status, 200, p);
    equal(
      (await sales.post("/admin/accounting/entries/new", { journal: "GENERAL" })).status,
      403,
    );
    const warehouse = await staff(t, ["warehouse"]);
    for (const p of [...MANAGE, ...REPORTS]) equal((await warehouse.get(p)).status, 403, p);
    const acc = await staff(t, ["accountant"]);
    for (const p of [...MANAGE, ...REPORTS]) equal((await acc.get(p)).status, 200, p);
    match(acc.html, /General ledger/);
    equal(
      (await acc.get("/admin/accounting")).headers.get("location"),
      "/admin/accounting/entries",
    );
    equal((await acc.get("/admin/accounting/entries/99999")).status, 404);
    equal((await acc.get("/admin/accounting/entries/abc")).status, 404);
    // The back office's menu names the section.
    await acc.get("/admin");
    match(acc.html, /href="\/admin\/accounting\/entries"/);
  });
});

Deno.test("manual entry: unbalanced refused with the difference, balanced posted, then reversed", async () => {
  await withTestApp(async (t) => {
    const b = await staff(t, ["accountant"]);
    const today = t.deps.accounting.today();
    await b.get("/admin/accounting/entries/new");
    const token = b.html.match(/name="token" value="([^"]+)"/)![1];
    const form = (credit: string) => ({
      token,
      journal: "GENERAL",
      date: today,
      memo: "Electricity bill, November",
      "lines.0.account": "5500",
      "lines.0.debit": "12,500.50",
      "lines.1.account": "1151",
      "lines.1.credit": credit,
      "lines.1.partner": "DESCO",
    });
    let res = await b.post("/admin/accounting/entries/new", form("12500"));
    equal(res.status, 422);
    match(b.html, /Debits \(৳12500\.50\) and credits \(৳12500\.00\) differ by ৳0\.50/);
    match(b.html, /Electricity bill, November/); // the values stay
    res = await b.post("/admin/accounting/entries/new", {
      ...form("12500.50"),
      "lines.2.debit": "x",
    });
    equal(res.status, 422);
    match(b.html, /Line 3: choose an account and enter either a debit or a credit/);
    res = await b.post("/admin/accounting/entries/new", {
      ...form("12500.50"),
      date: "2026-02-30",
    });
    equal(res.status, 422);
    res = await b.post("/admin/accounting/entries/new", form("12500.50"));
    equal(res.status, 303);
    const page = res.headers.get("location")!;
    match(page, /^\/admin\/accounting\/entries\/\d+\?posted$/);
    // The same form sent twice posts once.
    equal(
      (await b.post("/admin/accounting/entries/new", form("12500.50"))).headers.get("location"),
      page,
    );
    equal((await t.deps.accounting.listEntries()).rows.length, 1);
    await b.get(page);
    match(b.html, /Electricity bill, November/);
    match(b.html, /৳12,500\.50/);
    match(b.html, /DESCO/);
    // Reverse it from its page.
    res = await b.post(page.replace("?posted", ""), { action: "reverse", date: "bad" });
    equal(res.status, 422);
    res = await b.post(page.replace("?posted", ""), { action: "reverse", date: today });
    equal(res.status, 303);
    const reversal = res.headers.get("location")!;
    await b.get(reversal);
    match(b.html, /This entry reverses entry/);
    const id = Number(page.match(/(\d+)/)![1]);
    await b.get(`/admin/accounting/entries/${id}`);
    match(b.html, /This entry was reversed by entry/);
    ok(!/Reverse this entry/.test(b.html), "no second reversal offered");
    // The list filters by account and by journal.
    await b.get("/admin/accounting/entries?account=5500");
    equal([...b.html.matchAll(/data-entry="/g)].length, 2);
    await b.get("/admin/accounting/entries?journal=SALES");
    match(b.html, /Nothing here yet/);
    // In Bangla.
    await b.get(`/lang?to=bn&next=/admin/accounting/entries/new`);
    await b.get("/admin/accounting/entries/new");
    match(b.html, /নতুন জার্নাল এন্ট্রি/);
    const tok = b.html.match(/name="token" value="([^"]+)"/)![1];
    res = await b.post("/admin/accounting/entries/new", { ...form("1"), token: tok });
    equal(res.status, 422);
    match(b.html, /পার্থক্য/);
    res = await b.post("/admin/accounting/entries/new", { ...form("1"), token: tok, date: "x" });
    match(b.html, /তারিখ লিখুন YYYY-MM-DD আকারে/);
  });
});

Deno.test("chart of accounts: add and edit an account; a taken code or bad parent is refused", async () => {
  await withTestApp(async (t) => {
    const b = await staff(t, ["accountant"]);
    await b.get("/admin/accounting/accounts");
    match(b.html, /bKash merchant wallet/);
    match(b.html, /VAT deducted at source payable/);
    const add = (fields: Record<string, string>) =>
      b.post("/admin/accounting/accounts", {
        nameEn: "City Bank current account",
        nameBn: "সিটি ব্যাংক চলতি হিসাব",
        type: "asset",
        parentCode: "1150",
        active: "on",
        ...fields,
      });
    equal((await add({ code: "1151" })).status, 409);
    match(b.html, /The code 1151 is taken/);
    equal((await add({ code: "1153", parentCode: "2100" })).status, 422);
    match(b.html, /The parent must be a heading of the same type/);
    equal((await add({ code: "bad code!" })).status, 422);
    const res = await add({ code: "1153" });
    equal(res.status, 303);
    const a = (await t.deps.accounting.accountByCode("1153"))!;
    equal(a.parentCode, "1150");
    await b.get(`/admin/accounting/accounts?edit=${a.id}`);
    equal(
      (await b.post("/admin/accounting/accounts", {
        id: String(a.id),
        code: "1153",
        nameEn: "City Bank CD account",
        nameBn: "সিটি ব্যাংক",
        type: "asset",
        parentCode: "1150",
      })).status,
      303,
    );
    const after = (await t.deps.accounting.accountByCode("1153"))!;
    equal([after.nameEn, after.active], ["City Bank CD account", false]);
  });
});

Deno.test("opening balances page: 422 with line numbers, then one import for the year", async () => {
  await withTestApp(async (t) => {
    const b = await staff(t, ["accountant"]);
    await b.get("/admin/accounting/opening");
    match(b.html, /Amounts are in TAKA/);
    const date = b.html.match(/name="date"[^>]*value="([^"]+)"/)?.[1] ??
      b.html.match(/value="(\d{4}-07-01)"/)![1];
    let res = await b.post("/admin/accounting/opening", {
      date,
      csv: "account_code,debit,credit\n1110,5000,\n7777,10,\n1151,1.234,\n3300,,5000\n",
    });
    equal(res.status, 422);
    match(b.html, /Line 3: no account with code 7777/);
    match(b.html, /Line 4: “1\.234” is not an amount in taka/);
    match(b.html, /Debits total ৳5010\.00 and credits ৳5000\.00: they differ by ৳10\.00/);
    match(b.html, /1110,5000,/); // the lines stay for correction
    res = await b.post("/admin/accounting/opening", {
      date,
      csv: "1110,5000,\n1151,250000.75,\n3300,,255000.75\n",
    });
    equal(res.status, 303);
    await b.get(res.headers.get("location")!);
    match(b.html, /Opening balances posted as entry/);
    res = await b.post("/admin/accounting/opening", { date, csv: "1110,1,\n3300,,1\n" });
    equal(res.status, 409);
    match(b.html, /were imported already/);
  });
});

Deno.test("trial balance sums to zero, exports CSV; the ledger drills down to the entry", async () => {
  await withTestApp(async (t) => {
    const a = t.deps.accounting;
    const today = a.today();
    const sql = t.db.sql;
    const post = (ref: string, lines: [string, number][]) =>
      sql.begin((tx) =>
        a.poster.post(tx, {
          source: "test",
          sourceRef: ref,
          date: today,
          journal: "SALES",
          memo: `Order ${ref}`,
          lines: lines.map(([account, n]) =>
            n > 0 ? { account, debitMinor: n } : { account, creditMinor: -n }
          ),
        })
      );
    const first = await post("SO-1", [["1160", 11_500], ["4110", -10_000], ["2310", -1_500]]);
    await post("SO-2", [["1120", 23_000], ["4110", -20_000], ["2310", -3_000]]);
    await post("FEE-1", [["5200", 230], ["1160", -230]]);
    const sales = await staff(t, ["sales"]);
    await sales.get(`/admin/accounting/reports/trial-balance?from=${today}&to=${today}`);
    match(sales.html, /data-balanced="yes"/);
    match(sales.html, /Debits equal credits/);
    match(sales.html, /data-account="4110"/);
    match(sales.html, /৳347\.30/); // total debits
    const csv = await sales.get(
      `/admin/accounting/reports/trial-balance?from=${today}&to=${today}&format=csv`,
    );
    equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
    const rows = sales.html.trim().split("\r\n").map((l) => l.split(","));
    equal(rows[0].slice(0, 4), ["account_code", "account_name", "type", "opening"]);
    const total = rows.at(-1)!;
    equal(total[0], "TOTAL");
    equal(total[4], total[5]); // debits = credits
    equal(total[6], total[7]); // closing debit = closing credit
    equal(rows.find((r) => r[0] === "1160")!.slice(4, 8), ["115.00", "2.30", "112.70", "0.00"]);
    // The ledger of the bKash wallet: running balance, each line links to its entry.
    await sales.get(`/admin/accounting/reports/ledger?account=1160&from=${today}&to=${today}`);
    match(sales.html, /bKash merchant wallet/);
    match(sales.html, new RegExp(`href="/admin/accounting/entries/${first.id}"`));
    equal(
      [...sales.html.matchAll(/data-running[^>]*>([^<]+)</g)].map((m) => m[1]),
      ["৳115.00", "৳112.70"],
    );
    // Bad dates fall back to the defaults, never a 500.
    equal((await sales.get("/admin/accounting/reports/trial-balance?from=2026-13-45")).status, 200);
    equal((await sales.get("/admin/accounting/reports/ledger?account=%00")).status, 400);
    // In Bangla.
    await sales.get(`/lang?to=bn&next=/admin`);
    await sales.get(`/admin/accounting/reports/trial-balance?from=${today}&to=${today}`);
    match(sales.html, /রেওয়ামিল/);
    match(sales.html, /৳৩৪৭\.৩০/);
  });
});
