/**
 * Journal entries: the list with its filters, one entry with its lines, the manual entry form's
 * use case (amounts typed in taka) and reversal (the mirror entry, linked to the original).
 */
import { appendAudit } from "@/services/audit/mod.ts";
import { inTx } from "@/services/platform/tx.ts";
import type { Db, Tx } from "@/services/platform/tx.ts";
import { isDate } from "@/services/platform/dhaka.ts";
import { AccountingError } from "./errors.ts";
import { takaToPoisha } from "./money.ts";
import { postMany } from "./poster.ts";
import { formatEntryNumber, numberEntries } from "./journal_numbers.ts";
import type {
  Actor,
  Entry,
  EntryLine,
  EntrySummary,
  JournalCode,
  PostedEntry,
  PostingLine,
} from "./types.ts";
import { JOURNALS } from "./types.ts";

export interface EntryFilter {
  journal?: string;
  from?: string;
  to?: string;
  account?: string;
  source?: string;
  /** Words in the memo or the reference. */
  q?: string;
  /** Entries with an id below this (the next page). */
  before?: number;
  limit?: number;
}

interface SummaryRow {
  id: string;
  journal: string;
  entry_date: string;
  source: string;
  source_ref: string;
  memo: string;
  total: string;
  reversal_of: string | null;
  reversed_by: string | null;
  fiscal_year: string | null;
  seq: number | null;
}

const toSummary = (r: SummaryRow): EntrySummary => ({
  id: Number(r.id),
  journal: r.journal,
  date: r.entry_date,
  source: r.source,
  sourceRef: r.source_ref,
  memo: r.memo,
  totalMinor: Number(r.total),
  reversalOf: r.reversal_of === null ? null : Number(r.reversal_of),
  reversedBy: r.reversed_by === null ? null : Number(r.reversed_by),
  number: r.seq === null || r.fiscal_year === null
    ? null
    : formatEntryNumber(r.journal, r.fiscal_year, r.seq),
});

/** Newest first, at most `limit` (100) a page; `next` is the `before` of the next page. */
export async function listEntries(
  db: Db,
  f: EntryFilter = {},
): Promise<{ rows: EntrySummary[]; next: number | null }> {
  const limit = Math.min(Math.max(f.limit ?? 100, 1), 500);
  const journal = f.journal && (JOURNALS as readonly string[]).includes(f.journal)
    ? f.journal
    : null;
  const from = f.from && isDate(f.from) ? f.from : null;
  const to = f.to && isDate(f.to) ? f.to : null;
  const q = f.q?.trim() ? `%${f.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  await numberEntries(db);
  const rows = await db<SummaryRow[]>`
    select e.id, e.journal, to_char(e.entry_date, 'YYYY-MM-DD') as entry_date, e.source,
           e.source_ref, e.memo, e.debit_total_minor as total, e.reversal_of,
           (select r.id from acc_entries r where r.reversal_of = e.id) as reversed_by,
           n.fiscal_year, n.seq
      from acc_entries e
      left join acc_entry_numbers n on n.entry_id = e.id
     where (${journal}::text is null or e.journal = ${journal})
       and (${from}::date is null or e.entry_date >= ${from}::date)
       and (${to}::date is null or e.entry_date <= ${to}::date)
       and (${f.source || null}::text is null or e.source = ${f.source || null})
       and (${q}::text is null or e.memo ilike ${q} or e.source_ref ilike ${q})
       and (${f.account || null}::text is null or exists (
             select 1 from acc_entry_lines l join acc_accounts a on a.id = l.account_id
              where l.entry_id = e.id and a.code = ${f.account || null}))
       and (${f.before ?? null}::bigint is null or e.id < ${f.before ?? null})
     order by e.id desc
     limit ${limit + 1}`;
  const more = rows.length > limit;
  const page = rows.slice(0, limit).map(toSummary);
  return { rows: page, next: more ? page[page.length - 1].id : null };
}

export async function getEntry(db: Db, id: number): Promise<Entry | null> {
  await numberEntries(db);
  const [e] = await db<
    (SummaryRow & { line_count: number; created_by_name: string; posted_at: Date })[]
  >`
    select e.id, e.journal, to_char(e.entry_date, 'YYYY-MM-DD') as entry_date, e.source,
           e.source_ref, e.memo, e.debit_total_minor as total, e.reversal_of, e.line_count,
           e.created_by_name, e.posted_at,
           (select r.id from acc_entries r where r.reversal_of = e.id) as reversed_by,
           n.fiscal_year, n.seq
      from acc_entries e
      left join acc_entry_numbers n on n.entry_id = e.id
     where e.id = ${id}`;
  if (!e) return null;
  const lines = await db<
    {
      line_no: number;
      account_id: number;
      code: string;
      name_en: string;
      name_bn: string;
      debit_minor: string;
      credit_minor: string;
      memo: string;
      partner_ref: string | null;
    }[]
  >`
    select l.line_no, l.account_id, a.code, a.name_en, a.name_bn, l.debit_minor, l.credit_minor,
           l.memo, l.partner_ref
      from acc_entry_lines l join acc_accounts a on a.id = l.account_id
     where l.entry_id = ${id} order by l.line_no`;
  return {
    ...toSummary(e),
    lineCount: e.line_count,
    createdByName: e.created_by_name,
    postedAt: e.posted_at,
    lines: lines.map((l): EntryLine => ({
      lineNo: l.line_no,
      accountId: l.account_id,
      accountCode: l.code,
      accountNameEn: l.name_en,
      accountNameBn: l.name_bn,
      debitMinor: Number(l.debit_minor),
      creditMinor: Number(l.credit_minor),
      memo: l.memo,
      partnerRef: l.partner_ref,
    })),
  };
}

/** The manual entry form as posted: amounts in taka (up to 2 decimals); blank rows ignored. */
export interface ManualEntryInput {
  journal: string;
  date: string;
  memo: string;
  /** The form's idempotency token: sending the same form twice posts once. */
  token: string;
  lines: { account: string; debit: string; credit: string; memo?: string; partner?: string }[];
}

/** Checks the typed lines and turns them into a posting's lines (errors per field). */
export function manualLines(input: ManualEntryInput): PostingLine[] {
  const out: PostingLine[] = [];
  const errors: { field: string; code: "line_amount" | "invalid"; msg: string; line: number }[] =
    [];
  input.lines.forEach((l, i) => {
    const account = (l.account ?? "").trim().toUpperCase();
    const debitText = (l.debit ?? "").trim();
    const creditText = (l.credit ?? "").trim();
    if (!account && !debitText && !creditText) return;
    const d = takaToPoisha(debitText);
    const c = takaToPoisha(creditText);
    if (d === null || c === null || (d === 0) === (c === 0) || !account) {
      errors.push({
        field: `lines.${i}.${d === null ? "debit" : c === null ? "credit" : "account"}`,
        code: "line_amount",
        msg: `Line ${i + 1}: choose an account and enter either a debit or a credit in taka`,
        line: i + 1,
      });
      return;
    }
    out.push({
      account,
      debitMinor: d || undefined,
      creditMinor: c || undefined,
      memo: (l.memo ?? "").trim().slice(0, 200),
      partnerRef: (l.partner ?? "").trim().slice(0, 80) || undefined,
    });
  });
  if (errors.length > 0) {
    const e = errors[0];
    throw new AccountingError(e.code, e.msg, { line: e.line }, e.field);
  }
  return out;
}

export async function postManual(
  db: Db,
  input: ManualEntryInput,
  actor: Actor,
): Promise<PostedEntry> {
  if (!(JOURNALS as readonly string[]).includes(input.journal)) {
    throw new AccountingError("journal_unknown", "Choose a journal", {}, "journal");
  }
  if (input.journal === "OPENING") {
    throw new AccountingError(
      "invalid",
      "Opening balances are imported on their own page",
      {},
      "journal",
    );
  }
  if (!isDate(input.date)) {
    throw new AccountingError("invalid", "Enter a date as YYYY-MM-DD", {}, "date");
  }
  const lines = manualLines(input);
  const token = /^[A-Za-z0-9_-]{8,64}$/.test(input.token) ? input.token : crypto.randomUUID();
  return await inTx(db, async (tx) => {
    const [posted] = await postMany(tx, [{
      source: "manual",
      sourceRef: token,
      date: input.date,
      journal: input.journal as JournalCode,
      memo: input.memo.trim().slice(0, 300),
      lines,
      actor,
    }]);
    if (posted.created) {
      await appendAudit(tx, {
        actorId: actor.id,
        action: "accounting.entry.manual",
        entity: "acc_entry",
        entityId: posted.id,
      });
    }
    return posted;
  });
}

/**
 * Reverses a posted entry: a new entry on `date` (an open period) with every debit turned into a
 * credit and back, linked to the original (reversal_of). An entry is reversed at most once.
 */
export async function reverseEntry(
  db: Db,
  id: number,
  input: { date: string; memo?: string },
  actor: Actor,
): Promise<PostedEntry> {
  if (!isDate(input.date)) {
    throw new AccountingError("invalid", "Enter a date as YYYY-MM-DD", {}, "date");
  }
  return await inTx(db, async (tx: Tx) => {
    const e = await getEntry(tx, id);
    if (!e) throw new AccountingError("entry_unknown", "No such journal entry");
    if (e.reversedBy !== null) {
      throw new AccountingError(
        "already_reversed",
        `Entry ${id} is already reversed by entry ${e.reversedBy}`,
        { id, by: e.reversedBy },
      );
    }
    const [posted] = await postMany(tx, [{
      source: "reversal",
      sourceRef: String(id),
      date: input.date,
      journal: e.journal as JournalCode,
      memo: (input.memo?.trim() || `Reversal of entry ${id}${e.memo ? `: ${e.memo}` : ""}`)
        .slice(0, 300),
      lines: e.lines.map((l) => ({
        account: l.accountCode,
        debitMinor: l.creditMinor || undefined,
        creditMinor: l.debitMinor || undefined,
        memo: l.memo,
        partnerRef: l.partnerRef ?? undefined,
      })),
      actor,
    }], { reversalOf: [id] });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "accounting.entry.reverse",
      entity: "acc_entry",
      entityId: id,
      data: { reversal: posted.id, date: input.date },
    });
    return posted;
  });
}
