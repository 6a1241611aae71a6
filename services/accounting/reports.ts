/**
 * Reports read the movements per account and day (acc_daily_totals plus the deltas not yet folded
 * in, both kept by the database with every line), never the lines themselves, except the general
 * ledger of one account for its range. The trial balance folds the deltas in first.
 *
 * Trial balance: per account, the balance before `from`, the debits and credits from `from` to
 * `to`, and the balance at `to` (debit positive). Balances are cumulative since the first entry
 * (income and expense accounts are not closed into retained earnings here). The columns each sum
 * to zero (opening, closing) or to each other (debits = credits).
 */
import type { Db } from "@/services/platform/tx.ts";
import { listAccounts } from "./accounts.ts";
import { poishaToTaka } from "./money.ts";
import type { Account } from "./types.ts";

export interface TrialBalanceRow {
  account: Account;
  openingMinor: number;
  debitMinor: number;
  creditMinor: number;
  closingMinor: number;
  /** The comparison range's figures, when asked for. */
  compare?: { debitMinor: number; creditMinor: number; closingMinor: number };
}

export interface TrialBalance {
  from: string;
  to: string;
  compareFrom: string | null;
  compareTo: string | null;
  rows: TrialBalanceRow[];
  totals: {
    openingMinor: number;
    debitMinor: number;
    creditMinor: number;
    closingMinor: number;
    closingDebitMinor: number;
    closingCreditMinor: number;
  };
}

interface Sums {
  account_id: number;
  opening: string;
  debit: string;
  credit: string;
}

/** Folds the posters' deltas into the daily totals (cheap when there are few). */
export async function compactTotals(db: Db): Promise<number> {
  const [r] = await db<{ n: number }[]>`select acc_compact_daily_totals() as n`;
  return r.n;
}

async function sums(db: Db, from: string, to: string): Promise<Map<number, Sums>> {
  const rows = await db<Sums[]>`
    select account_id,
           coalesce(sum(debit_minor - credit_minor) filter (where day < ${from}::date), 0)
             as opening,
           coalesce(sum(debit_minor) filter (where day >= ${from}::date), 0) as debit,
           coalesce(sum(credit_minor) filter (where day >= ${from}::date), 0) as credit
      from (select account_id, day, debit_minor, credit_minor from acc_daily_totals
            union all
            select account_id, day, debit_minor, credit_minor from acc_daily_deltas) m
     where day <= ${to}::date
     group by account_id`;
  return new Map(rows.map((r) => [r.account_id, r]));
}

export async function trialBalance(
  db: Db,
  range: { from: string; to: string; compareFrom?: string | null; compareTo?: string | null },
): Promise<TrialBalance> {
  await compactTotals(db);
  const [accounts, main] = await Promise.all([listAccounts(db), sums(db, range.from, range.to)]);
  const cmp = range.compareFrom && range.compareTo
    ? await sums(db, range.compareFrom, range.compareTo)
    : null;
  const rows: TrialBalanceRow[] = [];
  for (const a of accounts) {
    const s = main.get(a.id);
    const c = cmp?.get(a.id);
    if (!s && !c) continue;
    const opening = Number(s?.opening ?? 0);
    const debit = Number(s?.debit ?? 0);
    const credit = Number(s?.credit ?? 0);
    if (opening === 0 && debit === 0 && credit === 0 && !c) continue;
    const row: TrialBalanceRow = {
      account: a,
      openingMinor: opening,
      debitMinor: debit,
      creditMinor: credit,
      closingMinor: opening + debit - credit,
    };
    if (cmp) {
      const cd = Number(c?.debit ?? 0);
      const cc = Number(c?.credit ?? 0);
      row.compare = {
        debitMinor: cd,
        creditMinor: cc,
        closingMinor: Number(c?.opening ?? 0) + cd - cc,
      };
    }
    rows.push(row);
  }
  const sum = (f: (r: TrialBalanceRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    from: range.from,
    to: range.to,
    compareFrom: cmp ? range.compareFrom! : null,
    compareTo: cmp ? range.compareTo! : null,
    rows,
    totals: {
      openingMinor: sum((r) => r.openingMinor),
      debitMinor: sum((r) => r.debitMinor),
      creditMinor: sum((r) => r.creditMinor),
      closingMinor: sum((r) => r.closingMinor),
      closingDebitMinor: sum((r) => Math.max(r.closingMinor, 0)),
      closingCreditMinor: sum((r) => Math.max(-r.closingMinor, 0)),
    },
  };
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** The trial balance as CSV (amounts in taka, 2 decimals; names in the language asked). */
export function trialBalanceCsv(tb: TrialBalance, lang: "en" | "bn"): string {
  const head = [
    "account_code",
    "account_name",
    "type",
    "opening",
    "debit",
    "credit",
    "closing_debit",
    "closing_credit",
    ...(tb.compareFrom ? ["compare_debit", "compare_credit", "compare_closing"] : []),
  ];
  const lines = [head.join(",")];
  for (const r of tb.rows) {
    lines.push([
      r.account.code,
      csvCell(lang === "bn" ? r.account.nameBn : r.account.nameEn),
      r.account.type,
      poishaToTaka(r.openingMinor),
      poishaToTaka(r.debitMinor),
      poishaToTaka(r.creditMinor),
      poishaToTaka(Math.max(r.closingMinor, 0)),
      poishaToTaka(Math.max(-r.closingMinor, 0)),
      ...(r.compare
        ? [
          poishaToTaka(r.compare.debitMinor),
          poishaToTaka(r.compare.creditMinor),
          poishaToTaka(r.compare.closingMinor),
        ]
        : []),
    ].join(","));
  }
  const t = tb.totals;
  lines.push([
    "TOTAL",
    "",
    "",
    poishaToTaka(t.openingMinor),
    poishaToTaka(t.debitMinor),
    poishaToTaka(t.creditMinor),
    poishaToTaka(t.closingDebitMinor),
    poishaToTaka(t.closingCreditMinor),
  ].join(","));
  return lines.join("\r\n") + "\r\n";
}

export interface LedgerLine {
  entryId: number;
  date: string;
  journal: string;
  memo: string;
  lineMemo: string;
  partnerRef: string | null;
  debitMinor: number;
  creditMinor: number;
  balanceMinor: number;
}

export interface GeneralLedger {
  account: Account;
  from: string;
  to: string;
  openingMinor: number;
  lines: LedgerLine[];
  closingMinor: number;
  /** More lines than shown (narrow the range). */
  truncated: boolean;
}

const LEDGER_MAX = 2000;

/** One account's lines from `from` to `to` with the running balance (debit positive). */
export async function generalLedger(
  db: Db,
  accountId: number,
  from: string,
  to: string,
): Promise<GeneralLedger | null> {
  const account = (await listAccounts(db)).find((a) => a.id === accountId);
  if (!account) return null;
  const [o] = await db<{ opening: string }[]>`
    select coalesce(sum(debit_minor - credit_minor), 0) as opening
      from (select account_id, day, debit_minor, credit_minor from acc_daily_totals
            union all
            select account_id, day, debit_minor, credit_minor from acc_daily_deltas) m
     where account_id = ${accountId} and day < ${from}::date`;
  const found = await db<
    {
      entry_id: string;
      entry_date: string;
      line_memo: string;
      partner_ref: string | null;
      debit_minor: string;
      credit_minor: string;
    }[]
  >`
    select l.entry_id, to_char(l.entry_date, 'YYYY-MM-DD') as entry_date, l.memo as line_memo,
           l.partner_ref, l.debit_minor, l.credit_minor
      from acc_entry_lines l
     where l.account_id = ${accountId}
       and l.entry_date between ${from}::date and ${to}::date
     order by l.entry_date, l.entry_id, l.line_no
     limit ${LEDGER_MAX + 1}`;
  // Their entries by primary key (a join would tempt the planner into scanning every entry).
  const heads = await db<{ id: string; journal: string; memo: string }[]>`
    select id, journal, memo from acc_entries
     where id = any(${[...new Set(found.map((l) => l.entry_id))]}::bigint[])`;
  const byId = new Map(heads.map((h) => [h.id, h]));
  const rows = found.map((l) => ({
    ...l,
    journal: byId.get(l.entry_id)?.journal ?? "",
    memo: byId.get(l.entry_id)?.memo ?? "",
  }));
  let balance = Number(o.opening);
  const opening = balance;
  const lines = rows.slice(0, LEDGER_MAX).map((r): LedgerLine => {
    const d = Number(r.debit_minor);
    const c = Number(r.credit_minor);
    balance += d - c;
    return {
      entryId: Number(r.entry_id),
      date: r.entry_date,
      journal: r.journal,
      memo: r.memo,
      lineMemo: r.line_memo,
      partnerRef: r.partner_ref,
      debitMinor: d,
      creditMinor: c,
      balanceMinor: balance,
    };
  });
  return {
    account,
    from,
    to,
    openingMinor: opening,
    lines,
    closingMinor: balance,
    truncated: rows.length > LEDGER_MAX,
  };
}
