/**
 * Financial statements (issue 13 §7) on a known sequence over two months: the P&L's net profit
 * is the balance sheet's change in earnings, the balance sheet balances at any date, the cash
 * flow ends at the cash accounts' change and sorts flows into operating, investing, financing;
 * comparison periods; an account added to the chart later is included without code changes.
 */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import type { Sql } from "@/services/platform/db.ts";
import { createAccounting, type Posting } from "@/services/accounting/mod.ts";
import { actor, CITY_BANK } from "./_helpers.ts";

const books = (sql: Sql) =>
  createAccounting({ sql, clock: { now: () => new Date("2026-12-07T06:00:00Z") } });

let n = 0;
function entry(date: string, lines: [string, number][]): Posting {
  return {
    source: "test.fin",
    sourceRef: `F-${++n}`,
    date,
    journal: "GENERAL",
    memo: `Test ${n}`,
    lines: lines.map(([account, v]) =>
      v > 0 ? { account, debitMinor: v } : { account, creditMinor: -v }
    ),
  };
}

async function sequence(sql: Sql) {
  const a = books(sql);
  const post = (p: Posting) => sql.begin((tx) => a.poster.post(tx, { ...p, actor }));
  // October
  await post(entry("2026-10-01", [["1151", 5_000_000], ["3100", -5_000_000]])); // capital
  await post(entry("2026-10-05", [["1110", 300_000], ["4110", -260_870], ["2310", -39_130]])); // cash sale
  await post(entry("2026-10-10", [["5500", 40_000], ["1151", -40_000]])); // electricity
  await post(entry("2026-10-15", [["1510", 1_200_000], ["1151", -1_200_000]])); // machine
  // November
  await post(entry("2026-11-02", [["1151", 2_000_000], ["2400", -2_000_000]])); // loan
  await post(entry("2026-11-03", [["1110", 100_000], ["1151", -100_000]])); // bank → cash
  await post(entry("2026-11-06", [["1160", 115_000], ["4110", -100_000], ["2310", -15_000]])); // bKash sale
  await post(entry("2026-11-09", [["1151", 112_500], ["5200", 2_500], ["1160", -115_000]])); // settlement
  await post(entry("2026-11-12", [["5400", 250_000], ["1110", -250_000]])); // wages
  await post(entry("2026-11-20", [["1330", 80_000], ["1410", 12_000], ["2110", -92_000]])); // bill
  await post(entry("2026-11-25", [["2110", 50_000], ["1151", -50_000]])); // part payment
  return a;
}

Deno.test("P&L net profit = the balance sheet's change in earnings; the balance sheet balances", async () => {
  await withTestDb(async (db) => {
    const a = await sequence(db.sql);
    const nov = { from: "2026-11-01", to: "2026-11-30" };
    const oct = { from: "2026-10-01", to: "2026-10-31" };
    const pl = await a.profitAndLoss(nov, oct);
    equal(pl.income.totalMinor, 100_000);
    equal(pl.expenses.totalMinor, 252_500);
    equal(pl.netProfitMinor, 100_000 - 252_500);
    equal(pl.compareNetProfitMinor, 260_870 - 40_000);
    equal(pl.income.lines.map((l) => [l.account.code, l.amountMinor, l.compareMinor]), [
      ["4110", 100_000, 260_870],
    ]);
    const end = await a.balanceSheet("2026-11-30", "2026-10-31");
    ok(end.balanced);
    equal(end.assets.totalMinor, end.totalLiabilitiesAndEquityMinor);
    equal(end.currentEarningsMinor - end.compareCurrentEarningsMinor, pl.netProfitMinor);
    const octSheet = await a.balanceSheet("2026-10-31", "2026-09-30");
    equal(octSheet.currentEarningsMinor - octSheet.compareCurrentEarningsMinor, 220_870);
    // Liabilities: VAT 39,130 + 15,000, loan, supplier 92,000 − 50,000.
    equal(end.liabilities.totalMinor, 54_130 + 2_000_000 + 42_000);
    equal(end.equity.totalMinor, 5_000_000);
  });
});

Deno.test("cash flow: flows by activity add up to the change of every cash, bank and wallet account", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = await sequence(sql);
    const cf = await a.cashFlow({ from: "2026-11-01", to: "2026-11-30" }, {
      from: "2026-10-01",
      to: "2026-10-31",
    });
    const [cash] = await sql`
      select coalesce(sum(l.debit_minor - l.credit_minor)
                      filter (where l.entry_date <= '2026-10-31'), 0)::bigint as before,
             coalesce(sum(l.debit_minor - l.credit_minor), 0)::bigint as after
        from acc_entry_lines l join acc_accounts c on c.id = l.account_id
       where c.code in ('1110', '1151', '1160') and l.entry_date <= '2026-11-30'`;
    equal(cf.openingMinor, Number(cash.before));
    equal(cf.closingMinor, Number(cash.after));
    equal(cf.netChangeMinor, cf.closingMinor - cf.openingMinor);
    equal(
      cf.totals.operating.amountMinor + cf.totals.investing.amountMinor +
        cf.totals.financing.amountMinor,
      cf.netChangeMinor,
    );
    // November: loan in (financing); sale 115,000 in, fee 2,500, wages, supplier paid out.
    equal(cf.totals.financing.amountMinor, 2_000_000);
    equal(cf.totals.investing.amountMinor, 0);
    equal(cf.totals.operating.amountMinor, 115_000 - 2_500 - 250_000 - 50_000);
    // October: the machine is investing, the capital financing.
    equal(cf.totals.investing.compareMinor, -1_200_000);
    equal(cf.totals.financing.compareMinor, 5_000_000);
    equal(cf.compareNetChangeMinor, cf.compareClosingMinor - cf.compareOpeningMinor);
    // The bank-to-cash transfer is no flow at all.
    ok(!cf.lines.some((l) => ["1110", "1151", "1160"].includes(l.account.code)));

    // A bank account added to the chart later is cash too.
    await a.createAccount(CITY_BANK, actor);
    await sql.begin((tx) =>
      a.poster.post(tx, entry("2026-11-28", [["1153", 10_000], ["4900", -10_000]]))
    );
    const again = await a.cashFlow({ from: "2026-11-01", to: "2026-11-30" });
    equal(again.netChangeMinor, cf.netChangeMinor + 10_000);
    equal(again.closingMinor - again.openingMinor, again.netChangeMinor);
  });
});

Deno.test("finance dashboard: cash, receivables, payables and VAT due, this month against last", async () => {
  await withTestDb(async (db) => {
    const a = await sequence(db.sql);
    const d = await a.financeDashboard();
    equal(d.today, "2026-12-07");
    equal(d.lastMonthEnd, "2026-11-30");
    // Nothing moved in December: now = the end of November.
    equal(d.cash.nowMinor, d.cash.lastMonthMinor);
    equal(d.payables.nowMinor, 42_000);
    equal(d.vat.lastMonth, "2026-11");
    equal(d.vat.thisMonthMinor, 0);
    // November's VAT: the manual lines are "other" adjustments: 15,000 − 12,000.
    equal(d.vat.lastMonthMinor, 15_000 - 12_000);
    equal(d.vat.dueOn, "2026-12-15");
    equal(d.income.lastMonthMinor, 100_000);
  });
});
