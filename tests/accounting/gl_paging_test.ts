/**
 * The general ledger of a busy account (more lines than one page holds): the closing balance is
 * the account's balance at the end of the range whatever the page, and every page carries the
 * balance brought forward from the lines before it, so the running balance never restarts.
 */
import { deepStrictEqual as equal, match, ok } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import type { Posting } from "@/services/accounting/mod.ts";
import { withTestApp } from "../helpers/app.ts";
import { NASRIN, staffWithTotp } from "@/tests/identity/_web.ts";
import { ledgerOn } from "./_helpers.ts";

const DAYS = ["2026-11-02", "2026-11-03", "2026-11-04"];

Deno.test("general ledger over 2000 lines: closing balance from the books, pages carry the balance forward", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    // 2,300 cash sales and 150 cash payments of electricity, spread over three days, plus one
    // sale before the range (the opening balance).
    const postings: Posting[] = [{
      source: "test.gl",
      sourceRef: "before",
      date: "2026-10-30",
      journal: "CASH",
      lines: [{ account: "1110", debitMinor: 50_000 }, { account: "4110", creditMinor: 50_000 }],
    }];
    let expected = 50_000;
    for (let i = 0; i < 2_450; i++) {
      const amount = 100 + (i % 37) * 25;
      const out = i % 16 === 5;
      expected += out ? -amount : amount;
      postings.push({
        source: "test.gl",
        sourceRef: `n${i}`,
        date: DAYS[i % 3],
        journal: "CASH",
        lines: out
          ? [{ account: "5500", debitMinor: amount }, { account: "1110", creditMinor: amount }]
          : [{ account: "1110", debitMinor: amount }, { account: "4110", creditMinor: amount }],
      });
    }
    await sql.begin((tx) => a.poster.postMany(tx, postings));
    const cash = (await a.accountByCode("1110"))!;
    const from = "2026-11-01";
    const to = "2026-11-30";
    const tb = await a.trialBalance({ from, to });
    const row = tb.rows.find((r) => r.account.code === "1110")!;
    equal(row.closingMinor, expected);

    const first = (await a.generalLedger(cash.id, from, to))!;
    equal(first.openingMinor, 50_000);
    // The closing balance is the account's balance at the end of the range, not where the
    // page stopped.
    equal(first.closingMinor, expected);
    equal(first.lines.length, 2_000);
    ok(first.truncated);
    ok(first.next, "a link to the next page");
    equal(first.pageOpeningMinor, 50_000);

    // Walk the pages: each starts from the balance the previous one ended with, and the last
    // line's running balance is the closing balance.
    let page = first;
    let lines = [...first.lines];
    while (page.next) {
      const prev = page.lines[page.lines.length - 1].balanceMinor;
      page = (await a.generalLedger(cash.id, from, to, { after: page.next }))!;
      equal(page.pageOpeningMinor, prev);
      equal(page.openingMinor, 50_000);
      equal(page.closingMinor, expected);
      const l0 = page.lines[0];
      equal(l0.balanceMinor, prev + l0.debitMinor - l0.creditMinor);
      lines = lines.concat(page.lines);
    }
    equal(lines.length, 2_450);
    equal(lines[lines.length - 1].balanceMinor, expected);
    // In date order, no line twice.
    equal(new Set(lines.map((l) => `${l.entryId}`)).size, 2_450);
    ok(lines.every((l, i) => i === 0 || lines[i - 1].date <= l.date));

    // A bad page cursor shows the first page (not an error).
    const bad = (await a.generalLedger(cash.id, from, to, { after: "nonsense" }))!;
    equal(bad.pageOpeningMinor, 50_000);
    equal(bad.lines.length, 2_000);
  });
});

Deno.test("general ledger page: a link to the next lines, which start from the balance brought forward", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const a = t.deps.accounting;
    const today = a.today();
    const day = `${today.slice(0, 7)}-01`;
    await sql.begin((tx) =>
      a.poster.postMany(
        tx,
        Array.from({ length: 2_003 }, (_, i): Posting => ({
          source: "test.gl",
          sourceRef: `p${i}`,
          date: day,
          journal: "CASH",
          lines: [{ account: "1110", debitMinor: 100 }, { account: "4110", creditMinor: 100 }],
        })),
      )
    );
    const { b } = await staffWithTotp(t, NASRIN);
    const first = `/admin/accounting/reports/ledger?account=1110&from=${day}&to=${today}`;
    equal((await b.get(first)).status, 200);
    // ৳2,003.00 at the end of the range, on the first page already.
    match(b.html, /data-closing[^>]*>[^<]*2,003\.00/);
    const next = /href="([^"]*after=[^"]*)" rel="next"/.exec(b.html)?.[1];
    ok(next, "a link to the next lines");
    equal((await b.get(next!.replaceAll("&amp;", "&"))).status, 200);
    match(b.html, /data-brought-forward[^>]*>[^<]*2,000\.00/);
    equal((b.html.match(/data-running/g) ?? []).length, 3);
    match(b.html, /data-closing[^>]*>[^<]*2,003\.00/);
    ok(!/rel="next"/.test(b.html));
  });
});
