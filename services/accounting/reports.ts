/**
 * Reports read the movements per account and day (acc_daily_totals plus the deltas not yet folded
 * in, both kept by the database with every line), never the lines themselves, except the general
 * ledger of one account for its range. The trial balance folds the deltas in first.
 *
 * Trial balance: per account, the balance before `from`, the debits and credits from `from` to
 * `to`, and the balance at `to` (debit positive). Balances are cumulative since the first entry;
 * a closed fiscal year's income and expenses went to retained earnings by its closing entry
 * (year_end.ts), so the next year's P&L accounts open at zero. The columns each sum to zero
 * (opening, closing) or to each other (debits = credits).
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
  /** The balance before `from`. */
  openingMinor: number;
  /** The balance before this page's first line (brought forward from the pages before). */
  pageOpeningMinor: number;
  lines: LedgerLine[];
  /** The balance at `to` (from the daily totals: all lines of the range, not just this page). */
  closingMinor: number;
  /** More lines than this page shows (follow `next`). */
  truncated: boolean;
  /** The `after` of the next page, null on the last page. */
  next: string | null;
}

/** The general ledger of the range with every line, all pages followed (for exports). */
export async function wholeGeneralLedger(
  db: Db,
  accountId: number,
  from: string,
  to: string,
): Promise<GeneralLedger | null> {
  const first = await generalLedger(db, accountId, from, to);
  if (!first) return null;
  const lines = [...first.lines];
  for (let page = first; page.next;) {
    page = (await generalLedger(db, accountId, from, to, { after: page.next }))!;
    lines.push(...page.lines);
  }
  return { ...first, lines, truncated: false, next: null };
}

/** Lines per page of the general ledger. */
export const LEDGER_PAGE = 2000;

/** A page cursor: the last line shown, "2026-11-03.1234.2" (date, entry id, line number). */
const CURSOR = /^(\d{4}-\d{2}-\d{2})\.(\d{1,15})\.(\d{1,3})$/;

/** Movement (debit − credit) of one account over [from, to] from the daily totals and deltas. */
async function movement(db: Db, accountId: number, from: string | null, to: string) {
  const [r] = await db<{ m: string }[]>`
    select coalesce(sum(debit_minor - credit_minor), 0) as m
      from (select day, debit_minor, credit_minor from acc_daily_totals
             where account_id = ${accountId}
            union all
            select day, debit_minor, credit_minor from acc_daily_deltas
             where account_id = ${accountId}) m
     where (${from}::date is null or day >= ${from}::date) and day <= ${to}::date`;
  return Number(r.m);
}

/**
 * One account's lines from `from` to `to` with the running balance (debit positive), a page of
 * at most LEDGER_PAGE lines (`after`: the previous page's `next`). The opening and closing
 * balances come from the daily totals; a later page starts from the balance brought forward.
 */
export async function generalLedger(
  db: Db,
  accountId: number,
  from: string,
  to: string,
  page: { after?: string | null } = {},
): Promise<GeneralLedger | null> {
  const account = (await listAccounts(db)).find((a) => a.id === accountId);
  if (!account) return null;
  const dayBefore = (d: string) =>
    new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const [opening, closing] = await Promise.all([
    movement(db, accountId, null, dayBefore(from)),
    movement(db, accountId, null, to),
  ]);
  const c = CURSOR.exec(page.after ?? "");
  const after = c && c[1] >= from && c[1] <= to
    ? { date: c[1], entry: c[2], line: Number(c[3]) }
    : null;
  let pageOpening = opening;
  if (after) {
    // Brought forward: the whole days before the cursor's day from the totals, that day's lines
    // up to the cursor from the lines.
    const [before, sameDay] = await Promise.all([
      after.date > from ? movement(db, accountId, from, dayBefore(after.date)) : 0,
      db<{ m: string }[]>`
        select coalesce(sum(debit_minor - credit_minor), 0) as m
          from acc_entry_lines
         where account_id = ${accountId} and entry_date = ${after.date}::date
           and (entry_id, line_no) <= (${after.entry}::bigint, ${after.line}::smallint)`,
    ]);
    pageOpening = opening + before + Number(sameDay[0].m);
  }
  const found = await db<
    {
      entry_id: string;
      line_no: number;
      entry_date: string;
      line_memo: string;
      partner_ref: string | null;
      debit_minor: string;
      credit_minor: string;
    }[]
  >`
    select l.entry_id, l.line_no, to_char(l.entry_date, 'YYYY-MM-DD') as entry_date,
           l.memo as line_memo, l.partner_ref, l.debit_minor, l.credit_minor
      from acc_entry_lines l
     where l.account_id = ${accountId}
       and l.entry_date between ${from}::date and ${to}::date
       and (${after?.date ?? null}::date is null
            or (l.entry_date, l.entry_id, l.line_no) >
               (${after?.date ?? null}::date, ${after?.entry ?? null}::bigint,
                ${after?.line ?? null}::smallint))
     order by l.entry_date, l.entry_id, l.line_no
     limit ${LEDGER_PAGE + 1}`;
  const shown = found.slice(0, LEDGER_PAGE);
  // Their entries by primary key (a join would tempt the planner into scanning every entry).
  const heads = await db<{ id: string; journal: string; memo: string }[]>`
    select id, journal, memo from acc_entries
     where id = any(${[...new Set(shown.map((l) => l.entry_id))]}::bigint[])`;
  const byId = new Map(heads.map((h) => [h.id, h]));
  let balance = pageOpening;
  const lines = shown.map((r): LedgerLine => {
    const d = Number(r.debit_minor);
    const c = Number(r.credit_minor);
    balance += d - c;
    return {
      entryId: Number(r.entry_id),
      date: r.entry_date,
      journal: byId.get(r.entry_id)?.journal ?? "",
      memo: byId.get(r.entry_id)?.memo ?? "",
      lineMemo: r.line_memo,
      partnerRef: r.partner_ref,
      debitMinor: d,
      creditMinor: c,
      balanceMinor: balance,
    };
  });
  const more = found.length > LEDGER_PAGE;
  const last = shown[shown.length - 1];
  return {
    account,
    from,
    to,
    openingMinor: opening,
    pageOpeningMinor: pageOpening,
    lines,
    closingMinor: closing,
    truncated: more,
    next: more ? `${last.entry_date}.${last.entry_id}.${last.line_no}` : null,
  };
}
