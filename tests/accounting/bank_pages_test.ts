/**
 * The bank pages through the app: only accounting.manage gets in; a bad statement is refused
 * with 422 and every problem by line; a good one is imported, a line of the review queue is
 * matched and another posted to bank charges; the reconciliation shows no difference and its
 * CSV lists the figures. English and Bangla.
 */
import { deepStrictEqual as equal, match, ok } from "node:assert/strict";
import "@/tests/identity/_fixtures.ts";
import { withTestApp } from "../helpers/app.ts";
import { Browser, staffBrowser } from "@/tests/identity/_web.ts";

const staff = staffBrowser;

const PAGES = [
  "/admin/accounting/bank",
  "/admin/accounting/bank/review",
  "/admin/accounting/bank/reconciliation",
  "/admin/accounting/bank/new",
];

Deno.test("bank pages: the accountant gets in; other roles are refused", async () => {
  await withTestApp(async (t) => {
    const anon = new Browser(t);
    equal((await anon.get("/admin/accounting/bank")).status, 303);
    for (const role of ["sales", "warehouse"] as const) {
      const b = await staff(t, [role]);
      for (const p of PAGES) equal((await b.get(p)).status, 403, `${role} ${p}`);
      equal((await b.post("/admin/accounting/bank", { account: "1", text: "x" })).status, 403);
    }
    const acc = await staff(t, ["accountant"]);
    for (const p of PAGES) equal((await acc.get(p)).status, 200, p);
    match(acc.html, /Layout preset/);
    equal((await acc.get("/admin/accounting/bank/99999")).status, 404);
    equal((await acc.get("/admin/accounting/bank/reconciliation?account=99999")).status, 404);
    // A wallet's page: what the provider holds, and its settlements.
    const bkash = (await t.deps.accounting.bank.listAccounts()).find((a) => a.code === "1160")!;
    equal((await acc.get(`/admin/accounting/bank/reconciliation?account=${bkash.id}`)).status, 200);
    match(acc.html, /Held by the provider, not yet settled/);
    equal((await acc.get(`/admin/accounting/bank/${bkash.id}`)).status, 200);
    match(acc.html, /Settles to/);
    // The shop's old statement page leads here.
    const old = await acc.get("/admin/shop/bank");
    equal(old.status, 303);
    equal(old.headers.get("location"), "/admin/accounting/bank");
  });
});

Deno.test("bank pages: import (422 by line), review, post, reconcile, CSV", async () => {
  await withTestApp(async (t) => {
    const b = await staff(t, ["accountant"]);
    const bank = t.deps.accounting.bank;
    const dbbl = (await bank.listAccounts()).find((a) => a.code === "1151")!;
    // Two equal ledger lines for one statement credit: the accountant chooses.
    for (const d of ["2026-12-04", "2026-12-05"]) {
      await t.db.sql.begin((tx) =>
        t.deps.accounting.poster.post(tx, {
          source: "test.interest",
          sourceRef: d,
          journal: "GENERAL",
          date: d,
          memo: `Interest ${d}`,
          lines: [{ account: "1151", debitMinor: 30000 }, { account: "4900", creditMinor: 30000 }],
        })
      );
    }
    let res = await b.submit("/admin/accounting/bank", {
      account: String(dbbl.id),
      text: `Txn Date,Description,Cheque/Ref No,Withdrawal,Deposit,Balance
04/12/2026,Interest,INT-1,,300.00,300.00
31/11/2026,Bad day,X,,1.00,301.00
05/12/2026,Charge,CHG,5O.00,,250.00
`,
    });
    equal(res.status, 422);
    match(b.html, /Line 3: “31\/11\/2026” is not a date as DD\/MM\/YYYY/);
    match(b.html, /Line 4: “5O.00” is not an amount in taka/);
    equal((await bank.lines({})).length, 0, "nothing stored");

    res = await b.post("/admin/accounting/bank", {
      account: String(dbbl.id),
      text: `Txn Date,Description,Cheque/Ref No,Withdrawal,Deposit,Balance
05/12/2026,Interest,INT-1,,300.00,300.00
05/12/2026,Interest,INT-2,,300.00,600.00
06/12/2026,SMS charge,CHG-1,50.00,,550.00
`,
    });
    equal(res.status, 303);
    await b.get(res.headers.get("location")!);
    match(b.html, /3 lines read: 3 new, 0 already imported, 0 matched, 3 to review/);

    await b.get(`/admin/accounting/bank/review?account=${dbbl.id}`);
    const [first] = await bank.queue(dbbl.id);
    const cands = await bank.candidates(first.id);
    equal(cands.length, 2);
    res = await b.post(`/admin/accounting/bank/review?account=${dbbl.id}`, {
      action: "match",
      line: String(first.id),
      candidate: cands[1].key,
    });
    equal(res.status, 303);
    await b.get(res.headers.get("location")!);
    match(b.html, new RegExp(`Line ${first.id} matched`));
    // The other interest line now has one candidate: the rules take it.
    res = await b.post(`/admin/accounting/bank/review?account=${dbbl.id}`, {
      action: "rematch",
      account: String(dbbl.id),
    });
    equal(res.status, 303);
    const [charge] = await bank.queue(dbbl.id);
    equal(charge.reference, "CHG-1");
    // Posting to nothing, then to a heading: refused on the line; then to bank charges.
    res = await b.post("/admin/accounting/bank/review", {
      action: "post",
      line: String(charge.id),
      postAccount: "",
    });
    equal(res.status, 422);
    res = await b.post("/admin/accounting/bank/review", {
      action: "post",
      line: String(charge.id),
      postAccount: "5000",
    });
    equal(res.status, 422);
    match(b.html, /5000 is a heading/);
    res = await b.post("/admin/accounting/bank/review", {
      action: "post",
      line: String(charge.id),
      postAccount: "5210",
      memo: "SMS banking charge",
    });
    equal(res.status, 303);
    equal((await bank.queue(dbbl.id)).length, 0);

    res = await b.get(
      `/admin/accounting/bank/reconciliation?account=${dbbl.id}&from=2026-12-01&to=2026-12-31`,
    );
    equal(res.status, 200);
    match(b.html, /Statement and ledger agree/);
    match(b.html, /data-figure="difference"[^]*?৳0\.00/);
    match(b.html, /The bank’s file states|The bank's file states/);
    res = await b.get(
      `/admin/accounting/bank/reconciliation?account=${dbbl.id}&from=2026-12-01&to=2026-12-31&format=csv`,
    );
    equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
    const csv = b.html;
    ok(csv.includes("statement_closing,2026-12-31,550.00"));
    ok(csv.includes("ledger_closing,2026-12-31,550.00"));
    ok(csv.includes("difference,2026-12-31,0.00"));

    // Bangla.
    await b.get(`/lang?to=bn&next=/admin/accounting/bank/review`);
    await b.get(`/admin/accounting/bank/review`);
    match(b.html, /পর্যালোচনার সারি/);
  });
});
