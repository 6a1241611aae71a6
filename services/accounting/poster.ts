/**
 * The posting port (`accounting.poster`): how every context records its money movements in the
 * ledger. `post(tx, posting)` runs inside the CALLER's transaction, so the business change and
 * its entry commit together or not at all. It is idempotent on (source, sourceRef): a repeated
 * event returns the entry already posted. It checks that the lines balance, that the accounts
 * exist, are active and not headings, and that the date's period is open (holding that period's
 * shared lock until commit). The database re-checks the balance at commit whatever happens here.
 *
 * `postMany(tx, postings)` does the same for many postings with one statement per table (imports,
 * back-fills, the bench).
 */
import type { Tx } from "@/services/platform/tx.ts";
import { isDate } from "@/services/platform/dhaka.ts";
import { MONEY_MAX } from "@/services/platform/schema.ts";
import { AccountingError } from "./errors.ts";
import { imbalance } from "./money.ts";
import { ensureFiscalYear, monthKey, monthStart, PERIOD_LOCK, periodClosed } from "./periods.ts";
import { JOURNALS, type PostedEntry, type Posting } from "./types.ts";

export interface Poster {
  post(tx: Tx, posting: Posting): Promise<PostedEntry>;
  postMany(tx: Tx, postings: Posting[]): Promise<PostedEntry[]>;
}

const SOURCE = /^[a-z][a-z0-9_.-]{0,39}$/;
const journals: ReadonlySet<string> = new Set(JOURNALS);

const amountOk = (n: number | undefined) =>
  n === undefined || (Number.isSafeInteger(n) && n >= 0 && n <= MONEY_MAX);

/** Refuses a posting that cannot be right whatever the database holds. */
export function checkPosting(p: Posting): { debit: number; credit: number } {
  if (!SOURCE.test(p.source ?? "")) {
    throw new AccountingError("invalid", `Bad posting source "${p.source}"`, {}, "source");
  }
  if (typeof p.sourceRef !== "string" || p.sourceRef.length < 1 || p.sourceRef.length > 120) {
    throw new AccountingError("invalid", "A posting needs a reference of 1–120 characters");
  }
  if (!isDate(p.date ?? "")) {
    throw new AccountingError("invalid", "Enter a date as YYYY-MM-DD", {}, "date");
  }
  if (!journals.has(p.journal)) {
    throw new AccountingError("journal_unknown", `No journal "${p.journal}"`, {
      journal: String(p.journal),
    }, "journal");
  }
  if ((p.memo ?? "").length > 300) {
    throw new AccountingError("invalid", "The memo is longer than 300 characters", {}, "memo");
  }
  if (!Array.isArray(p.lines) || p.lines.length < 2) {
    throw new AccountingError("too_few_lines", "An entry needs at least two lines");
  }
  if (p.lines.length > 500) throw new AccountingError("invalid", "At most 500 lines");
  let debit = 0;
  let credit = 0;
  p.lines.forEach((l, i) => {
    const d = l.debitMinor ?? 0;
    const c = l.creditMinor ?? 0;
    if (!amountOk(l.debitMinor) || !amountOk(l.creditMinor) || (d === 0) === (c === 0)) {
      throw new AccountingError(
        "line_amount",
        `Line ${i + 1}: enter either a debit or a credit, a positive amount`,
        { line: i + 1 },
        `lines.${i}.debit`,
      );
    }
    if ((l.memo ?? "").length > 200 || (l.partnerRef ?? "").length > 80) {
      throw new AccountingError("invalid", `Line ${i + 1}: memo or partner too long`, {
        line: i + 1,
      });
    }
    debit += d;
    credit += c;
  });
  if (debit !== credit) {
    throw new AccountingError(
      "unbalanced",
      `Debits (${debit} poisha) and credits (${credit} poisha) differ by ${
        Math.abs(debit - credit)
      } poisha`,
      imbalance(debit, credit),
    );
  }
  return { debit, credit };
}

/** Account ids by code; refuses unknown codes, headings and inactive accounts. */
function accountIds(
  codes: string[],
  rows: [string, number, boolean, boolean][],
): Map<string, number> {
  const byCode = new Map(
    rows.map(([code, id, active, isGroup]) => [code, { id, active, isGroup }]),
  );
  for (const code of codes) {
    const a = byCode.get(code);
    if (!a) {
      throw new AccountingError("account_unknown", `No account with code ${code}`, { code });
    }
    if (a.isGroup) {
      throw new AccountingError(
        "account_group",
        `${code} is a heading: post to one of its accounts`,
        { code },
      );
    }
    if (!a.active) {
      throw new AccountingError("account_inactive", `The account ${code} is inactive`, { code });
    }
  }
  return new Map([...byCode].map(([code, a]) => [code, a.id]));
}

interface EntryKeyRow {
  id: string;
  source: string;
  source_ref: string;
  entry_date: string;
  journal: string;
}

const toPosted = (r: EntryKeyRow, created: boolean): PostedEntry => ({
  id: Number(r.id),
  created,
  source: r.source,
  sourceRef: r.source_ref,
  date: r.entry_date,
  journal: r.journal,
});

/**
 * Posts many entries in the caller's transaction; returns them in the order given. Two round
 * trips whatever the number: (1) take the months' shared period locks, find the postings already
 * made, read the accounts and the periods' status, (2) insert the new entries and their lines in
 * one statement, which checks again that the periods are open (its snapshot follows the locks;
 * the first statement's preceded them). The database checks the batch's balance once at commit
 * (acc_entry_batches, migrations/0550).
 */
export async function postMany(
  tx: Tx,
  postings: Posting[],
  extra: { reversalOf?: (number | null)[]; allowClosed?: boolean } = {},
): Promise<PostedEntry[]> {
  if (postings.length === 0) return [];
  const totals = postings.map(checkPosting);
  const key = (source: string, ref: string) => `${source}\u0000${ref}`;
  const seen = new Set<string>();
  for (const p of postings) {
    const k = key(p.source, p.sourceRef);
    if (seen.has(k)) {
      throw new AccountingError("invalid", `Posted twice in one call: ${p.source} ${p.sourceRef}`);
    }
    seen.add(k);
  }
  const sources = postings.map((p) => p.source);
  const refs = postings.map((p) => p.sourceRef);
  const months = [...new Set(postings.map((p) => monthStart(p.date)))].sort();
  const keyed = new Map<string, PostedEntry>();
  const remember = (rows: EntryKeyRow[], created: boolean) => {
    for (const r of rows) {
      const k = key(r.source, r.source_ref);
      if (!keyed.has(k)) keyed.set(k, toPosted(r, created));
    }
  };
  // One round trip: the months' shared period locks, then (after them) the postings already
  // made, the accounts named and the months' periods.
  const codes = [...new Set(postings.flatMap((p) => p.lines.map((l) => l.account)))];
  type Look = {
    done: EntryKeyRow[];
    accounts: [string, number, boolean, boolean][];
    periods: [string, string][];
  };
  const look = async (lock: boolean) => {
    const [r] = await tx<Look[]>`
      with locks as materialized (
        select pg_advisory_xact_lock_shared(${PERIOD_LOCK}::int, k)
          from unnest(${lock ? months.map(monthKey) : []}::int[]) as k)
      select (select coalesce(json_agg(json_build_object('id', e.id::text, 'source', e.source,
                       'source_ref', e.source_ref,
                       'entry_date', to_char(e.entry_date, 'YYYY-MM-DD'), 'journal', e.journal)),
                     '[]')
                from acc_entries e
                join unnest(${sources}::text[], ${refs}::text[]) as k(source, ref)
                  on e.source = k.source and e.source_ref = k.ref) as done,
             (select coalesce(json_agg(json_build_array(code, id, active, is_group)), '[]')
                from acc_accounts where code = any(${codes}::text[])) as accounts,
             (select coalesce(json_agg(json_build_array(to_char(starts_on, 'YYYY-MM-DD'), status)), '[]')
                from acc_periods where starts_on = any(${months}::date[])) as periods
       where (select count(*) from locks) >= 0`;
    return r;
  };
  let found = await look(true);
  remember(found.done, false);
  const todo = postings.map((p, i) => ({ p, i })).filter(({ p }) =>
    !keyed.has(key(p.source, p.sourceRef))
  );
  if (todo.length === 0) return postings.map((p) => keyed.get(key(p.source, p.sourceRef))!);

  const todoMonths = new Set(todo.map(({ p }) => monthStart(p.date)));
  if (found.periods.length < months.length) {
    const have = new Set(found.periods.map(([m]) => m));
    for (const m of todoMonths) if (!have.has(m)) await ensureFiscalYear(tx, m);
    found = await look(false);
  }
  for (const [m, status] of found.periods.sort()) {
    if (status !== "open" && todoMonths.has(m) && !extra.allowClosed) throw periodClosed(m);
  }
  const ids = accountIds(
    [...new Set(todo.flatMap(({ p }) => p.lines.map((l) => l.account)))],
    found.accounts,
  );

  const actor = (i: number) => postings[i].actor;
  const ord: number[] = [];
  const cols = {
    no: [] as number[],
    count: [] as number[],
    date: [] as string[],
    account: [] as number[],
    debit: [] as number[],
    credit: [] as number[],
    memo: [] as string[],
    partner: [] as (string | null)[],
  };
  todo.forEach(({ p }, t) => {
    p.lines.forEach((l, n) => {
      ord.push(t + 1);
      cols.no.push(n + 1);
      cols.count.push(p.lines.length);
      cols.date.push(p.date);
      cols.account.push(ids.get(l.account)!);
      cols.debit.push(l.debitMinor ?? 0);
      cols.credit.push(l.creditMinor ?? 0);
      cols.memo.push(l.memo ?? "");
      cols.partner.push(l.partnerRef || null);
    });
  });
  const guarded = extra.allowClosed ? [] : [...todoMonths];
  const tSources = todo.map(({ p }) => p.source);
  const tRefs = todo.map(({ p }) => p.sourceRef);
  const inserted = await tx<EntryKeyRow[]>`
    with e as (
      insert into acc_entries (journal, entry_date, source, source_ref, memo, line_count,
                               debit_total_minor, credit_total_minor, reversal_of,
                               created_by, created_by_name)
      select * from unnest(
        ${todo.map(({ p }) => p.journal)}::text[],
        ${todo.map(({ p }) => p.date)}::date[],
        ${tSources}::text[],
        ${tRefs}::text[],
        ${todo.map(({ p }) => p.memo ?? "")}::text[],
        ${todo.map(({ p }) => p.lines.length)}::smallint[],
        ${todo.map(({ i }) => totals[i].debit)}::bigint[],
        ${todo.map(({ i }) => totals[i].credit)}::bigint[],
        ${todo.map(({ i }) => extra.reversalOf?.[i] ?? null)}::bigint[],
        ${todo.map(({ i }) => actor(i)?.id ?? null)}::text[],
        ${todo.map(({ i }) => actor(i)?.name ?? "")}::text[])
      -- This statement's snapshot is taken after the period locks (the first statement's was
      -- taken before them): a period closed meanwhile is seen here, and nothing is inserted.
      where not exists (select 1 from acc_periods p
                         where p.starts_on = any(${guarded}::date[]) and p.status <> 'open')
      on conflict (source, source_ref) do nothing
      returning id, source, source_ref, entry_date, journal
    ), l as (
      insert into acc_entry_lines (entry_id, line_no, line_count, entry_date, account_id,
                                   debit_minor, credit_minor, memo, partner_ref)
      select e.id, x.no, x.count, x.date, x.account, x.debit, x.credit, x.memo, x.partner
        from unnest(${ord}::int[], ${cols.no}::smallint[], ${cols.count}::smallint[],
                    ${cols.date}::date[], ${cols.account}::int[], ${cols.debit}::bigint[],
                    ${cols.credit}::bigint[], ${cols.memo}::text[], ${cols.partner}::text[])
               as x(ord, no, count, date, account, debit, credit, memo, partner)
        join unnest(${tSources}::text[], ${tRefs}::text[]) with ordinality as k(source, ref, ord)
          on k.ord = x.ord
        join e on e.source = k.source and e.source_ref = k.ref
    )
    select id, source, source_ref, to_char(entry_date, 'YYYY-MM-DD') as entry_date, journal
      from e`;
  remember(inserted, true);
  if (inserted.length < todo.length) {
    // A period closed while we waited for its lock: refused, naming the month.
    const [closed] = await tx<{ m: string }[]>`
      select to_char(starts_on, 'YYYY-MM-DD') as m from acc_periods
       where starts_on = any(${guarded}::date[]) and status <> 'open'
       order by starts_on limit 1`;
    if (closed) throw periodClosed(closed.m);
    // Posted meanwhile by another transaction (same source and reference): that entry.
    remember(
      await tx<EntryKeyRow[]>`
        select e.id, e.source, e.source_ref, to_char(e.entry_date, 'YYYY-MM-DD') as entry_date,
               e.journal
          from acc_entries e
          join unnest(${sources}::text[], ${refs}::text[]) as k(source, ref)
            on e.source = k.source and e.source_ref = k.ref`,
      false,
    );
  }
  return postings.map((p) => keyed.get(key(p.source, p.sourceRef))!);
}

/** The port other contexts receive (contexts.ts hands it over). */
export const poster: Poster = {
  post: async (tx, posting) => (await postMany(tx, [posting]))[0],
  postMany: (tx, postings) => postMany(tx, postings),
};
