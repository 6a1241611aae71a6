/**
 * Year-end close (issue 13 §1): closing a fiscal year posts one closing entry on its last day
 * (GENERAL journal, source "year_end") that brings every income and expense account to zero
 * against 3200 Retained earnings, closes the year's twelve periods and creates the next year, so
 * the next year's profit and loss starts from zero while the balance sheet carries over (balances
 * are cumulative). Closing a closed year changes nothing (it answers with the entry already
 * posted). Reopening (with a reason) reverses the closing entry; the periods stay closed until the
 * accountant reopens the months to correct. Both take the year's twelve months' period locks
 * exclusive (postings in flight finish first, none slips in) and are audited; the pages ask for
 * a fresh second factor like a period close.
 */
import { appendAudit } from "@/services/audit/mod.ts";
import type { Db, Tx } from "@/services/platform/tx.ts";
import { inTx } from "@/services/platform/tx.ts";
import { AccountingError } from "./errors.ts";
import { getEntry } from "./entries.ts";
import { ensureFiscalYear, monthKey, PERIOD_LOCK } from "./periods.ts";
import { postMany } from "./poster.ts";
import type { Actor, PostingLine } from "./types.ts";

/** The account the year's result goes to. */
export const RETAINED_EARNINGS = "3200";

export interface FiscalYear {
  code: string;
  startsOn: string;
  endsOn: string;
  status: "open" | "closed";
  /** The closing entry while the year is closed. */
  closingEntryId: number | null;
  changedAt: Date | null;
  changedByName: string | null;
}

interface YearRow {
  id: number;
  code: string;
  starts_on: string;
  ends_on: string;
  status: "open" | "closed";
  close_count: number;
  closing_entry_id: string | null;
  changed_at: Date | null;
  changed_by_name: string | null;
}

const toYear = (r: YearRow): FiscalYear => ({
  code: r.code,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  status: r.status,
  closingEntryId: r.closing_entry_id === null ? null : Number(r.closing_entry_id),
  changedAt: r.changed_at,
  changedByName: r.changed_by_name,
});

async function yearRows(db: Db, code: string | null, lock = false): Promise<YearRow[]> {
  const rows = await db<YearRow[]>`
    select id, code, to_char(starts_on, 'YYYY-MM-DD') as starts_on,
           to_char(ends_on, 'YYYY-MM-DD') as ends_on, status, close_count, closing_entry_id,
           changed_at, changed_by_name
      from acc_fiscal_years
     where (${code}::text is null or code = ${code})
     order by starts_on desc
     ${lock ? db`for update` : db``}`;
  return rows;
}

/** The fiscal years, newest first, with their close status. */
export async function listFiscalYears(db: Db): Promise<FiscalYear[]> {
  return (await yearRows(db, null)).map(toYear);
}

async function theYear(tx: Tx, code: string): Promise<YearRow> {
  if (!/^\d{4}-\d{2}$/.test(code)) {
    throw new AccountingError("year_unknown", "No such fiscal year", { year: code });
  }
  const [y] = await yearRows(tx, code, true);
  if (!y) throw new AccountingError("year_unknown", "No such fiscal year", { year: code });
  return y;
}

/** The year's twelve months' period locks, exclusive (postings in flight finish first). */
async function lockYear(tx: Tx, y: YearRow): Promise<void> {
  const keys: number[] = [];
  const [start] = y.starts_on.split("-").map(Number);
  for (let i = 0; i < 12; i++) {
    const yy = start + Math.floor((6 + i) / 12);
    keys.push(monthKey(`${yy}-${String(((6 + i) % 12) + 1).padStart(2, "0")}-01`));
  }
  await tx`select pg_advisory_xact_lock(${PERIOD_LOCK}::int, k)
             from unnest(${keys}::int[]) as k order by k`;
}

/** Income and expense balances (debit positive) at the end of `endsOn`, by account code. */
async function resultBalances(tx: Tx, endsOn: string): Promise<[string, number][]> {
  const rows = await tx<{ code: string; balance: string }[]>`
    select a.code, sum(m.debit_minor - m.credit_minor) as balance
      from (select account_id, day, debit_minor, credit_minor from acc_daily_totals
             where day <= ${endsOn}::date
            union all
            select account_id, day, debit_minor, credit_minor from acc_daily_deltas
             where day <= ${endsOn}::date) m
      join acc_accounts a on a.id = m.account_id
     where a.type in ('income', 'expense')
     group by a.code
    having sum(m.debit_minor - m.credit_minor) <> 0
     order by a.code`;
  return rows.map((r) => [r.code, Number(r.balance)]);
}

export interface YearCloseResult {
  year: FiscalYear;
  /** The closing entry (null when there was no income or expense to close). */
  entryId: number | null;
  /** False when the year was closed already: nothing was posted. */
  created: boolean;
  /** The year's result moved to retained earnings (positive: a profit). */
  profitMinor: number;
}

export async function closeFiscalYear(
  db: Db,
  code: string,
  actor: Actor,
): Promise<YearCloseResult> {
  return await inTx(db, async (tx) => {
    const y = await theYear(tx, code);
    if (y.status === "closed") {
      return {
        year: toYear(y),
        entryId: y.closing_entry_id === null ? null : Number(y.closing_entry_id),
        created: false,
        profitMinor: 0,
      };
    }
    await lockYear(tx, y);
    const balances = await resultBalances(tx, y.ends_on);
    const lines: PostingLine[] = balances.map(([account, b]) =>
      b > 0 ? { account, creditMinor: b } : { account, debitMinor: -b }
    );
    const net = balances.reduce((s, [, b]) => s + b, 0);
    if (net > 0) lines.push({ account: RETAINED_EARNINGS, debitMinor: net, memo: "Loss" });
    if (net < 0) lines.push({ account: RETAINED_EARNINGS, creditMinor: -net, memo: "Profit" });
    let entryId: number | null = null;
    if (lines.length >= 2) {
      const [posted] = await postMany(tx, [{
        source: "year_end",
        sourceRef: `${y.code}/${y.close_count + 1}`,
        date: y.ends_on,
        journal: "GENERAL",
        memo: `Year-end close ${y.code}: income and expenses to retained earnings`,
        lines,
        actor,
      }], { allowClosed: true });
      entryId = posted.id;
    }
    await tx`update acc_periods set status = 'closed', changed_at = now(),
                    changed_by = ${actor.id}, changed_by_name = ${actor.name}
              where fiscal_year_id = ${y.id} and status = 'open'`;
    await tx`update acc_fiscal_years
                set status = 'closed', close_count = close_count + 1,
                    closing_entry_id = ${entryId}, changed_at = now(),
                    changed_by = ${actor.id}, changed_by_name = ${actor.name}
              where id = ${y.id}`;
    // The next year is open for postings.
    await ensureFiscalYear(tx, `${Number(y.code.slice(0, 4)) + 1}-07-01`);
    await appendAudit(tx, {
      actorId: actor.id,
      action: "accounting.year.close",
      entity: "acc_fiscal_year",
      entityId: y.code,
      data: { entry: entryId, profitMinor: -net },
    });
    const [after] = await yearRows(tx, y.code);
    return { year: toYear(after), entryId, created: true, profitMinor: -net };
  });
}

export async function reopenFiscalYear(
  db: Db,
  code: string,
  reason: string,
  actor: Actor,
): Promise<{ year: FiscalYear; reversalId: number | null }> {
  return await inTx(db, async (tx) => {
    const y = await theYear(tx, code);
    if (y.status !== "closed") {
      throw new AccountingError(
        "year_status",
        `The fiscal year ${y.code} is not closed`,
        { year: y.code },
      );
    }
    if (reason.trim().length < 3) {
      throw new AccountingError("invalid", "Say why the year is reopened", {}, "reason");
    }
    const [later] = await tx<{ code: string }[]>`
      select code from acc_fiscal_years
       where starts_on > ${y.starts_on}::date and status = 'closed' order by starts_on limit 1`;
    if (later) {
      throw new AccountingError(
        "year_later_closed",
        `Reopen the fiscal year ${later.code} first`,
        { year: later.code },
      );
    }
    await lockYear(tx, y);
    let reversalId: number | null = null;
    if (y.closing_entry_id !== null) {
      const e = (await getEntry(tx, Number(y.closing_entry_id)))!;
      const [posted] = await postMany(tx, [{
        source: "reversal",
        sourceRef: String(e.id),
        date: y.ends_on,
        journal: "GENERAL",
        memo: `Year ${y.code} reopened: reversal of the closing entry`,
        lines: e.lines.map((l) => ({
          account: l.accountCode,
          debitMinor: l.creditMinor || undefined,
          creditMinor: l.debitMinor || undefined,
          memo: l.memo,
        })),
        actor,
      }], { reversalOf: [e.id], allowClosed: true });
      reversalId = posted.id;
    }
    await tx`update acc_fiscal_years
                set status = 'open', closing_entry_id = null, changed_at = now(),
                    changed_by = ${actor.id}, changed_by_name = ${actor.name}
              where id = ${y.id}`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "accounting.year.reopen",
      entity: "acc_fiscal_year",
      entityId: y.code,
      data: { reversal: reversalId, reason: reason.trim() },
    });
    const [after] = await yearRows(tx, y.code);
    return { year: toYear(after), reversalId };
  });
}
