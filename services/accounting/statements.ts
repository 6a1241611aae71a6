/**
 * Financial statements from the ledger (issue 13 §7): profit and loss for a date range, balance
 * sheet at a date, cash flow (direct, from the cash, bank and wallet accounts' movements), each
 * with a comparison period, and the finance dashboard's figures. Accounts are read from the chart
 * by type and heading, so an account added later (a new bank, a new expense) is included.
 *
 * - P&L: income accounts (credit − debit) and expense accounts (debit − credit) moved in the
 *   range; net profit = income − expenses.
 * - Balance sheet at a date: assets (debit balance), liabilities and equity (credit balance),
 *   and the earnings not yet closed into retained earnings (income − expenses since the first
 *   entry). Assets = liabilities + equity + current earnings, always (the ledger balances).
 * - Cash flow: for every entry that moved a cash account in the range, its other lines say where
 *   the money came from or went: operating (income, expenses, receivables, payables, stock,
 *   taxes), investing (fixed assets), financing (equity, loans). Transfers between cash accounts
 *   cancel out. The flows add up to the cash accounts' change over the range.
 */
import type { Db } from "@/services/platform/tx.ts";
import { addDays } from "@/services/platform/dhaka.ts";
import { trialBalance } from "./reports.ts";
import type { Account } from "./types.ts";
import { CASH_HEADING, type Chart, chartOf } from "./vat/sources.ts";

/** Headings read by the statements (migrations/0500's chart). */
export const HEADINGS = {
  cash: CASH_HEADING,
  receivables: "1200",
  payables: "2100",
  fixedAssets: "1500",
} as const;
/** Liabilities that finance the company (loans): their cash flows are financing. */
export const FINANCING_ACCOUNTS = ["2400"];

export interface Range {
  from: string;
  to: string;
}

export interface StatementLine {
  account: Account;
  amountMinor: number;
  compareMinor: number;
}

export interface Section {
  lines: StatementLine[];
  totalMinor: number;
  compareTotalMinor: number;
}

function section(lines: StatementLine[]): Section {
  return {
    lines: lines.filter((l) => l.amountMinor !== 0 || l.compareMinor !== 0),
    totalMinor: lines.reduce((s, l) => s + l.amountMinor, 0),
    compareTotalMinor: lines.reduce((s, l) => s + l.compareMinor, 0),
  };
}

export interface ProfitAndLoss {
  range: Range;
  compare: Range | null;
  income: Section;
  expenses: Section;
  netProfitMinor: number;
  compareNetProfitMinor: number;
}

/** Income and expenses moved in the range (and the comparison range). */
export async function profitAndLoss(
  db: Db,
  range: Range,
  compare: Range | null = null,
): Promise<ProfitAndLoss> {
  const tb = await trialBalance(db, {
    from: range.from,
    to: range.to,
    compareFrom: compare?.from,
    compareTo: compare?.to,
  });
  const lines = (type: "income" | "expense") =>
    tb.rows.filter((r) => r.account.type === type).map((r): StatementLine => {
      const sign = type === "income" ? -1 : 1;
      return {
        account: r.account,
        amountMinor: sign * (r.debitMinor - r.creditMinor),
        compareMinor: r.compare ? sign * (r.compare.debitMinor - r.compare.creditMinor) : 0,
      };
    });
  const income = section(lines("income"));
  const expenses = section(lines("expense"));
  return {
    range,
    compare: tb.compareFrom ? compare : null,
    income,
    expenses,
    netProfitMinor: income.totalMinor - expenses.totalMinor,
    compareNetProfitMinor: income.compareTotalMinor - expenses.compareTotalMinor,
  };
}

export interface BalanceSheet {
  at: string;
  compareAt: string | null;
  assets: Section;
  liabilities: Section;
  equity: Section;
  /** Income − expenses up to the date not yet closed into retained earnings. */
  currentEarningsMinor: number;
  compareCurrentEarningsMinor: number;
  /** Liabilities + equity + current earnings (equals total assets). */
  totalLiabilitiesAndEquityMinor: number;
  compareTotalLiabilitiesAndEquityMinor: number;
  balanced: boolean;
}

/** Balances at the end of `at` (and of `compareAt`). */
export async function balanceSheet(
  db: Db,
  at: string,
  compareAt: string | null = null,
): Promise<BalanceSheet> {
  // The closing balances: the movements up to the date (a one-day range ending on it).
  const tb = await trialBalance(db, {
    from: at,
    to: at,
    compareFrom: compareAt,
    compareTo: compareAt,
  });
  const of = (types: Account["type"][], sign: 1 | -1) =>
    tb.rows.filter((r) => types.includes(r.account.type)).map((r): StatementLine => ({
      account: r.account,
      amountMinor: sign * r.closingMinor,
      compareMinor: sign * (r.compare?.closingMinor ?? 0),
    }));
  const assets = section(of(["asset"], 1));
  const liabilities = section(of(["liability"], -1));
  const equity = section(of(["equity"], -1));
  const earnings = section(of(["income", "expense"], -1));
  const total = liabilities.totalMinor + equity.totalMinor + earnings.totalMinor;
  const compareTotal = liabilities.compareTotalMinor + equity.compareTotalMinor +
    earnings.compareTotalMinor;
  return {
    at,
    compareAt: tb.compareFrom ? compareAt : null,
    assets,
    liabilities,
    equity,
    currentEarningsMinor: earnings.totalMinor,
    compareCurrentEarningsMinor: earnings.compareTotalMinor,
    totalLiabilitiesAndEquityMinor: total,
    compareTotalLiabilitiesAndEquityMinor: compareTotal,
    balanced: total === assets.totalMinor && compareTotal === assets.compareTotalMinor,
  };
}

export type FlowActivity = "operating" | "investing" | "financing";

export interface FlowLine {
  activity: FlowActivity;
  account: Account;
  /** Money in (positive) or out (negative) through this counter account. */
  amountMinor: number;
  compareMinor: number;
}

export interface CashFlow {
  range: Range;
  compare: Range | null;
  cashAccounts: Account[];
  lines: FlowLine[];
  totals: Record<FlowActivity, { amountMinor: number; compareMinor: number }>;
  openingMinor: number;
  closingMinor: number;
  netChangeMinor: number;
  compareOpeningMinor: number;
  compareClosingMinor: number;
  compareNetChangeMinor: number;
}

function activityOf(chart: Chart, a: Account): FlowActivity {
  if (chart.under(HEADINGS.fixedAssets).some((x) => x.id === a.id)) return "investing";
  if (a.type === "equity" || FINANCING_ACCOUNTS.includes(a.code)) return "financing";
  return "operating";
}

async function flows(db: Db, cashIds: number[], range: Range) {
  const rows = await db<{ account_id: number; amount: string }[]>`
    select l.account_id, sum(l.credit_minor - l.debit_minor) as amount
      from acc_entry_lines l
     where l.entry_id = any(array(
             select distinct entry_id from acc_entry_lines
              where account_id = any(${cashIds}::int[])
                and entry_date between ${range.from}::date and ${range.to}::date))
       and not (l.account_id = any(${cashIds}::int[]))
     group by l.account_id`;
  return new Map(rows.map((r) => [r.account_id, Number(r.amount)]));
}

async function cashAt(db: Db, cashIds: number[], day: string): Promise<number> {
  const [r] = await db<{ v: string }[]>`
    select coalesce(sum(debit_minor - credit_minor), 0) as v
      from (select account_id, day, debit_minor, credit_minor from acc_daily_totals
            union all
            select account_id, day, debit_minor, credit_minor from acc_daily_deltas) m
     where account_id = any(${cashIds}::int[]) and day <= ${day}::date`;
  return Number(r.v);
}

/** Where the cash of the range came from and went (direct method). */
export async function cashFlow(
  db: Db,
  range: Range,
  compare: Range | null = null,
): Promise<CashFlow> {
  const chart = await chartOf(db);
  const cash = chart.under(HEADINGS.cash);
  const ids = cash.map((a) => a.id);
  const [main, cmp, opening, closing, cOpening, cClosing] = await Promise.all([
    flows(db, ids, range),
    compare ? flows(db, ids, compare) : Promise.resolve(new Map<number, number>()),
    cashAt(db, ids, addDays(range.from, -1)),
    cashAt(db, ids, range.to),
    compare ? cashAt(db, ids, addDays(compare.from, -1)) : Promise.resolve(0),
    compare ? cashAt(db, ids, compare.to) : Promise.resolve(0),
  ]);
  const lines: FlowLine[] = [];
  for (const id of new Set([...main.keys(), ...cmp.keys()])) {
    const account = chart.byId.get(id);
    if (!account) continue;
    const amountMinor = main.get(id) ?? 0;
    const compareMinor = cmp.get(id) ?? 0;
    if (amountMinor === 0 && compareMinor === 0) continue;
    lines.push({ activity: activityOf(chart, account), account, amountMinor, compareMinor });
  }
  lines.sort((a, b) => a.account.code.localeCompare(b.account.code));
  const totals = {} as CashFlow["totals"];
  for (const act of ["operating", "investing", "financing"] as const) {
    const of = lines.filter((l) => l.activity === act);
    totals[act] = {
      amountMinor: of.reduce((s, l) => s + l.amountMinor, 0),
      compareMinor: of.reduce((s, l) => s + l.compareMinor, 0),
    };
  }
  return {
    range,
    compare,
    cashAccounts: cash,
    lines,
    totals,
    openingMinor: opening,
    closingMinor: closing,
    netChangeMinor: lines.reduce((s, l) => s + l.amountMinor, 0),
    compareOpeningMinor: cOpening,
    compareClosingMinor: cClosing,
    compareNetChangeMinor: lines.reduce((s, l) => s + l.compareMinor, 0),
  };
}

/** Balances (debit positive) of the accounts under a heading at the end of a day. */
async function headingBalance(db: Db, ids: number[], day: string): Promise<number> {
  return ids.length ? await cashAt(db, ids, day) : 0;
}

export interface FinanceDashboard {
  today: string;
  /** The end of last month (the comparison point). */
  lastMonthEnd: string;
  cash: {
    nowMinor: number;
    lastMonthMinor: number;
    accounts: { account: Account; minor: number }[];
  };
  receivables: { nowMinor: number; lastMonthMinor: number };
  /** Credit balances shown positive. */
  payables: { nowMinor: number; lastMonthMinor: number };
  income: { thisMonthMinor: number; lastMonthMinor: number };
  netProfit: { thisMonthMinor: number; lastMonthMinor: number };
}

/** The figures of the finance dashboard except VAT (the door adds the month's returns). */
export async function financeFigures(db: Db, today: string): Promise<FinanceDashboard> {
  const chart = await chartOf(db);
  const ids = (h: string) => chart.under(h).map((a) => a.id);
  const monthStart = `${today.slice(0, 7)}-01`;
  const lastMonthEnd = addDays(monthStart, -1);
  const lastMonthStart = `${lastMonthEnd.slice(0, 7)}-01`;
  const cash = chart.under(HEADINGS.cash);
  const [cashNow, cashThen, recNow, recThen, payNow, payThen, pl] = await Promise.all([
    headingBalance(db, ids(HEADINGS.cash), today),
    headingBalance(db, ids(HEADINGS.cash), lastMonthEnd),
    headingBalance(db, ids(HEADINGS.receivables), today),
    headingBalance(db, ids(HEADINGS.receivables), lastMonthEnd),
    headingBalance(db, ids(HEADINGS.payables), today),
    headingBalance(db, ids(HEADINGS.payables), lastMonthEnd),
    profitAndLoss(db, { from: monthStart, to: today }, { from: lastMonthStart, to: lastMonthEnd }),
  ]);
  const perAccount = await Promise.all(
    cash.map(async (a) => ({ account: a, minor: await cashAt(db, [a.id], today) })),
  );
  return {
    today,
    lastMonthEnd,
    cash: {
      nowMinor: cashNow,
      lastMonthMinor: cashThen,
      accounts: perAccount.filter((x) => x.minor !== 0),
    },
    receivables: { nowMinor: recNow, lastMonthMinor: recThen },
    payables: { nowMinor: -payNow, lastMonthMinor: -payThen },
    income: { thisMonthMinor: pl.income.totalMinor, lastMonthMinor: pl.income.compareTotalMinor },
    netProfit: { thisMonthMinor: pl.netProfitMinor, lastMonthMinor: pl.compareNetProfitMinor },
  };
}
