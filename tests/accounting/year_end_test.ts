/**
 * Year-end close (issue 13 §1): closing a fiscal year moves its income and expense balances to
 * retained earnings with one closing entry, closes its months and opens the next year; a second
 * close posts nothing; reopening (with a reason, audited) reverses the closing entry. On the page
 * both need accounting.manage and a fresh second factor, like a period close.
 */
import { deepStrictEqual as equal, match, ok, rejects } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import { AccountingError, type Posting } from "@/services/accounting/mod.ts";
import { totpCode } from "@/services/identity/totp.ts";
import {
  accountantWithTotp,
  Browser,
  makeUser,
  minutes,
  PASSWORD,
  sessionStart,
  signIn,
  withTestApp,
} from "@/tests/identity/_web.ts";
import { testClock } from "@/tests/helpers/app.ts";
import { actor, count, ledgerOn, post, sale } from "./_helpers.ts";

const code = (c: string) => (e: unknown) => e instanceof AccountingError && e.code === c;

/** The year 2025-26: sales 9,000, returns 500, costs 6,000 (taka): a profit of 2,500. */
function yearOf2025(): Posting[] {
  return [
    sale(600_000, { date: "2025-08-10", debit: "1151", credit: "4110" }),
    sale(300_000, { date: "2026-02-14", debit: "1210", credit: "4120" }),
    sale(50_000, { date: "2026-03-01", debit: "4400", credit: "1110" }),
    sale(400_000, { date: "2025-09-30", debit: "5400", credit: "1151" }),
    sale(200_000, { date: "2026-06-30", debit: "5500", credit: "2130" }),
  ];
}

Deno.test("year-end close: income and expenses to retained earnings, next year starts from zero", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    for (const p of yearOf2025()) await post(a, sql, p);
    // Something in the next year already (the year runs on while the old one is closed).
    await post(a, sql, sale(70_000, { date: "2026-08-01", debit: "1110", credit: "4110" }));

    const closed = await a.closeFiscalYear("2025-26", actor);
    ok(closed.created);
    equal(closed.profitMinor, 250_000);
    equal(closed.year.status, "closed");
    const entry = (await a.getEntry(closed.entryId!))!;
    equal(entry.date, "2026-06-30");
    equal(entry.source, "year_end");
    equal(entry.journal, "GENERAL");
    equal(entry.lines.map((l) => [l.accountCode, l.debitMinor, l.creditMinor]), [
      ["4110", 600_000, 0],
      ["4120", 300_000, 0],
      ["4400", 0, 50_000],
      ["5400", 0, 400_000],
      ["5500", 0, 200_000],
      ["3200", 0, 250_000],
    ]);
    ok(entry.number?.startsWith("GENERAL/2025-26/"));

    // The closed year: no income or expense left at its end; its months are closed.
    const old = await a.trialBalance({ from: "2025-07-01", to: "2026-06-30" });
    const closing = (c: string, tb = old) =>
      tb.rows.find((r) => r.account.code === c)?.closingMinor ?? 0;
    for (const c of ["4110", "4120", "4400", "5400", "5500"]) equal(closing(c), 0, c);
    equal(closing("3200"), -250_000);
    equal(old.totals.closingMinor, 0);
    const years = await a.listPeriods();
    const y2025 = years.find((y) => y.fiscalYear === "2025-26")!;
    ok(y2025.periods.every((p) => p.status === "closed"));
    await rejects(post(a, sql, sale(100, { date: "2026-03-05" })), code("period_closed"));
    // A month of a closed year cannot be reopened on its own.
    await rejects(
      a.reopenPeriod(y2025.periods[3].id, "late bill", actor),
      code("period_year_closed"),
    );

    // The next year: opened, its P&L starts from zero, the balance sheet carries over.
    ok(years.some((y) => y.fiscalYear === "2026-27"));
    const next = await a.trialBalance({ from: "2026-07-01", to: "2027-06-30" });
    const opening = (c: string) => next.rows.find((r) => r.account.code === c)?.openingMinor ?? 0;
    for (const c of ["4110", "4120", "4400", "5400", "5500"]) equal(opening(c), 0, c);
    equal(opening("3200"), -250_000);
    equal(opening("1151"), 200_000);
    equal(closing("4110", next), -70_000);

    // Closing again posts nothing.
    const entries = await count(sql, "acc_entries");
    const again = await a.closeFiscalYear("2025-26", actor);
    equal(again.created, false);
    equal(again.entryId, closed.entryId);
    equal(await count(sql, "acc_entries"), entries);
    await rejects(a.closeFiscalYear("1999-00", actor), code("year_unknown"));

    // Reopening needs a reason, reverses the closing entry and is audited.
    await rejects(a.reopenFiscalYear("2025-26", " ", actor), code("invalid"));
    const reopened = await a.reopenFiscalYear("2025-26", "auditor's adjustment", actor);
    equal(reopened.year.status, "open");
    const rev = (await a.getEntry(reopened.reversalId!))!;
    equal(rev.reversalOf, closed.entryId);
    equal(rev.date, "2026-06-30");
    const back = await a.trialBalance({ from: "2025-07-01", to: "2026-06-30" });
    equal(closing("4110", back), -600_000);
    equal(closing("3200", back), 0);
    await rejects(a.reopenFiscalYear("2025-26", "again", actor), code("year_status"));
    // Now a month can be reopened for the correction, and the year closed once more.
    await a.reopenPeriod(y2025.periods[8].id, "auditor's adjustment", actor);
    await post(a, sql, sale(10_000, { date: "2026-03-31", debit: "5900", credit: "2130" }));
    const second = await a.closeFiscalYear("2025-26", actor);
    ok(second.created);
    equal(second.profitMinor, 240_000);
    ok(second.entryId !== closed.entryId);
    const audit = await sql<{ action: string; data: Record<string, unknown> }[]>`
      select action, data from audit_log where action like 'accounting.year.%' order by id`;
    equal(audit.map((r) => r.action), [
      "accounting.year.close",
      "accounting.year.reopen",
      "accounting.year.close",
    ]);
    equal(audit[1].data.reason, "auditor's adjustment");
  });
});

Deno.test("year-end close: an earlier year cannot be reopened while a later one is closed", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    await post(a, sql, sale(1_000, { date: "2024-10-01" }));
    await post(a, sql, sale(2_000, { date: "2025-10-01" }));
    await a.closeFiscalYear("2024-25", actor);
    await a.closeFiscalYear("2025-26", actor);
    await rejects(a.reopenFiscalYear("2024-25", "wrong", actor), code("year_later_closed"));
    // The second year's close moved only its own result.
    const tb = await a.trialBalance({ from: "2025-07-01", to: "2026-06-30" });
    const re = tb.rows.find((r) => r.account.code === "3200")!;
    equal(re.openingMinor, -1_000);
    equal(re.closingMinor, -3_000);
  });
});

/** The next whole hour: after the account's creation, like the identity step-up tests. */
const START = sessionStart();

Deno.test("year-end page: closing and reopening a year need a fresh second factor", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const { b, clock, secret } = await accountantWithTotp(t, START);
    const page = "/admin/accounting/year-end";
    equal((await b.get(page)).status, 200);
    const [year] = await t.deps.accounting.listFiscalYears();
    match(b.html, new RegExp(`data-year="${year.code}" data-status="open"`));
    const status = async () =>
      (await t.deps.accounting.listFiscalYears()).find((y) => y.code === year.code)!.status;
    const send = async (fields: Record<string, string>) => {
      await b.get(page);
      return await b.post(page, { year: year.code, ...fields });
    };

    clock.advance(minutes(6));
    const stale = await send({ action: "close" });
    equal(stale.status, 303);
    const location = stale.headers.get("location")!;
    equal(location, `/account/step-up?next=${encodeURIComponent(page)}`);
    equal(await status(), "open");

    await b.get(location);
    const up = await b.post("/account/step-up", {
      next: page,
      code: totpCode(secret, new Date(clock.now())),
    });
    equal(up.status, 303);
    const done = await send({ action: "close" });
    equal(done.status, 303);
    equal(await status(), "closed");
    await b.get(done.headers.get("location")!);
    match(b.html, new RegExp(`Fiscal year ${year.code} closed`));

    // Reopening without a reason: the form again with the message, nothing changed.
    equal((await send({ action: "reopen", reason: "" })).status, 422);
    match(b.html, /Say why the year is reopened/);
    equal(await status(), "closed");
    equal((await send({ action: "reopen", reason: "late bill" })).status, 303);
    equal(await status(), "open");

    // Someone without accounting.manage cannot.
    await makeUser(sql, t.deps.keyring, { email: "sales@example.com", roles: ["sales"] });
    const s = new Browser(t);
    await signIn(s, "sales@example.com", PASSWORD);
    await s.get("/admin/accounting/reports/trial-balance");
    equal((await s.post(page, { action: "close", year: year.code })).status, 403);
    equal(await status(), "open");
  }, { clock: testClock(new Date(START)) });
});
