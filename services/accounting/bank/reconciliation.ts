/**
 * The reconciliation report of one bank or wallet account for a period (from–to):
 *
 * - the statement's balance at the period end: the account's opening balance plus every
 *   imported line up to then (and what the bank's own file stated, when it says);
 * - the ledger's balance of the account at the period end;
 * - the items on each side with no partner on the other: statement lines not yet reconciled,
 *   and ledger lines no statement line stands for (the opening entry aside: the account's
 *   opening balance is its statement side);
 * - difference = statement − ledger, explained = unreconciled statement − unreconciled ledger,
 *   unexplained = difference − explained (zero when the two sides tell the same story).
 *
 * For a wallet the provider's settlements of the period are listed too.
 */
import type { Db } from "@/services/platform/tx.ts";
import { addDays } from "@/services/platform/dhaka.ts";
import { poishaToTaka } from "../money.ts";
import { getBankAccount } from "./accounts.ts";
import type { BankAccount } from "./types.ts";

export interface ReconItem {
  date: string;
  amountMinor: number;
  reference: string;
  description: string;
  /** The statement line's id, or the entry's id for a ledger item. */
  id: number;
}

export interface Settlement {
  reference: string;
  settledOn: string;
  grossMinor: number;
  feeMinor: number;
  netMinor: number;
  entryId: number;
}

export interface Reconciliation {
  account: BankAccount;
  from: string;
  to: string;
  statementOpeningMinor: number;
  statementInMinor: number;
  statementOutMinor: number;
  statementClosingMinor: number;
  statedClosing: { minor: number; on: string } | null;
  ledgerClosingMinor: number;
  differenceMinor: number;
  explainedMinor: number;
  unexplainedMinor: number;
  matchedInPeriod: number;
  unmatchedStatement: ReconItem[];
  unmatchedLedger: ReconItem[];
  settlements: Settlement[];
}

export async function reconciliation(
  db: Db,
  bankAccountId: number,
  from: string,
  to: string,
): Promise<Reconciliation> {
  const account = await getBankAccount(db, bankAccountId);
  const [s] = await db<
    {
      before: string;
      cin: string;
      cout: string;
      matched: number;
      ledger: string;
      stated_minor: string | null;
      stated_on: string | null;
    }[]
  >`
    select
      (select coalesce(sum(amount_minor), 0) from acc_statement_lines
        where bank_account_id = ${account.id} and value_date < ${from}::date) as before,
      (select coalesce(sum(amount_minor), 0) from acc_statement_lines
        where bank_account_id = ${account.id} and value_date between ${from}::date and ${to}::date
          and amount_minor > 0) as cin,
      (select coalesce(sum(-amount_minor), 0) from acc_statement_lines
        where bank_account_id = ${account.id} and value_date between ${from}::date and ${to}::date
          and amount_minor < 0) as cout,
      (select count(*)::int from acc_statement_lines
        where bank_account_id = ${account.id} and value_date between ${from}::date and ${to}::date
          and status <> 'unmatched') as matched,
      (select coalesce(sum(debit_minor - credit_minor), 0) from acc_entry_lines
        where account_id = ${account.accountId} and entry_date <= ${to}::date) as ledger,
      (select coalesce(
          (select balance_minor from acc_statement_lines
            where bank_account_id = ${account.id} and value_date <= ${to}::date
              and balance_minor is not null order by value_date desc, id desc limit 1),
          (select stated_closing_minor from acc_statement_imports
            where bank_account_id = ${account.id} and stated_closing_on <= ${to}::date
            order by stated_closing_on desc, id desc limit 1))) as stated_minor,
      (select to_char(coalesce(
          (select value_date from acc_statement_lines
            where bank_account_id = ${account.id} and value_date <= ${to}::date
              and balance_minor is not null order by value_date desc, id desc limit 1),
          (select stated_closing_on from acc_statement_imports
            where bank_account_id = ${account.id} and stated_closing_on <= ${to}::date
            order by stated_closing_on desc, id desc limit 1)), 'YYYY-MM-DD')) as stated_on`;
  const unmatchedStatement = (await db<
    { id: string; d: string; a: string; r: string; t: string }[]
  >`
    select id, to_char(value_date, 'YYYY-MM-DD') as d, amount_minor as a, reference as r,
           description as t
      from acc_statement_lines
     where bank_account_id = ${account.id} and status = 'unmatched' and value_date <= ${to}::date
     order by value_date, id limit 1000`).map((r) => ({
    id: Number(r.id),
    date: r.d,
    amountMinor: Number(r.a),
    reference: r.r,
    description: r.t,
  }));
  const unmatchedLedger = (await db<
    { id: string; d: string; a: string; r: string; t: string }[]
  >`
    select l.entry_id as id, to_char(l.entry_date, 'YYYY-MM-DD') as d,
           l.debit_minor - l.credit_minor as a, e.source || ' ' || e.source_ref as r,
           coalesce(nullif(l.memo, ''), e.memo) as t
      from acc_entry_lines l join acc_entries e on e.id = l.entry_id
     where l.account_id = ${account.accountId} and l.entry_date <= ${to}::date
       and e.source <> 'opening'
       and not exists (select 1 from acc_statement_lines s
                        where s.entry_id = l.entry_id and s.entry_line_no = l.line_no)
     order by l.entry_date, l.entry_id, l.line_no limit 1000`).map((r) => ({
    id: Number(r.id),
    date: r.d,
    amountMinor: Number(r.a),
    reference: r.r,
    description: r.t,
  }));
  const settlements = account.kind === "wallet"
    ? (await db<
      { reference: string; d: string; g: string; f: string; n: string; entry_id: string }[]
    >`
      select reference, to_char(settled_on, 'YYYY-MM-DD') as d, gross_minor as g, fee_minor as f,
             net_minor as n, entry_id
        from acc_settlements
       where wallet_id = ${account.id} and settled_on between ${from}::date and ${to}::date
       order by settled_on, id`).map((r) => ({
      reference: r.reference,
      settledOn: r.d,
      grossMinor: Number(r.g),
      feeMinor: Number(r.f),
      netMinor: Number(r.n),
      entryId: Number(r.entry_id),
    }))
    : [];
  const opening = account.openingBalanceMinor + Number(s.before);
  const closing = opening + Number(s.cin) - Number(s.cout);
  const ledger = Number(s.ledger);
  const sum = (xs: ReconItem[]) => xs.reduce((t, x) => t + x.amountMinor, 0);
  const explained = sum(unmatchedStatement) - sum(unmatchedLedger);
  return {
    account,
    from,
    to,
    statementOpeningMinor: opening,
    statementInMinor: Number(s.cin),
    statementOutMinor: Number(s.cout),
    statementClosingMinor: closing,
    statedClosing: s.stated_minor === null || !s.stated_on
      ? null
      : { minor: Number(s.stated_minor), on: s.stated_on },
    ledgerClosingMinor: ledger,
    differenceMinor: closing - ledger,
    explainedMinor: explained,
    unexplainedMinor: closing - ledger - explained,
    matchedInPeriod: s.matched,
    unmatchedStatement,
    unmatchedLedger,
    settlements,
  };
}

/** A CSV cell; text a spreadsheet would run as a formula is kept as text. */
const q = (cell: string) => {
  const s = /^[=+@\t\r]|^-(?!\d)/.test(cell) ? `'${cell}` : cell;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** The report as CSV (taka with two decimals), for the accountant's working papers. */
export function reconciliationCsv(r: Reconciliation): string {
  const head = [
    ["section", "date", "amount", "reference", "description"],
    ["account", "", "", r.account.code, `${r.account.bankName} ${r.account.accountNumber}`.trim()],
    ["period", r.from, "", "", r.to],
  ];
  const settlements = r.settlements.map((st) => [
    "settlement",
    st.settledOn,
    poishaToTaka(st.grossMinor),
    st.reference,
    `fee ${poishaToTaka(st.feeMinor)} net ${poishaToTaka(st.netMinor)}`,
  ]);
  if (r.account.kind === "wallet") {
    // A wallet: what the provider still holds by the books, and what it settled.
    const rows = [
      ...head,
      ["ledger_closing", r.to, poishaToTaka(r.ledgerClosingMinor), "", ""],
      ...settlements,
    ];
    return rows.map((row) => row.map((c) => q(c)).join(",")).join("\r\n") + "\r\n";
  }
  const rows: string[][] = [
    ["section", "date", "amount", "reference", "description"],
    ["account", "", "", r.account.code, `${r.account.bankName} ${r.account.accountNumber}`.trim()],
    ["period", r.from, "", "", r.to],
    ["statement_opening", addDays(r.from, -1), poishaToTaka(r.statementOpeningMinor), "", ""],
    ["statement_in", r.to, poishaToTaka(r.statementInMinor), "", ""],
    ["statement_out", r.to, poishaToTaka(-r.statementOutMinor), "", ""],
    ["statement_closing", r.to, poishaToTaka(r.statementClosingMinor), "", ""],
    ["ledger_closing", r.to, poishaToTaka(r.ledgerClosingMinor), "", ""],
    ["difference", r.to, poishaToTaka(r.differenceMinor), "", ""],
    ...r.unmatchedStatement.map((i) => [
      "unmatched_statement",
      i.date,
      poishaToTaka(i.amountMinor),
      i.reference,
      i.description,
    ]),
    ...r.unmatchedLedger.map((i) => [
      "unmatched_ledger",
      i.date,
      poishaToTaka(i.amountMinor),
      i.reference,
      i.description,
    ]),
    ...r.settlements.map((st) => [
      "settlement",
      st.settledOn,
      poishaToTaka(st.grossMinor),
      st.reference,
      `fee ${poishaToTaka(st.feeMinor)} net ${poishaToTaka(st.netMinor)}`,
    ]),
    ["unexplained", r.to, poishaToTaka(r.unexplainedMinor), "", ""],
  ];
  return rows.map((row) => row.map((c) => q(c)).join(",")).join("\r\n") + "\r\n";
}
