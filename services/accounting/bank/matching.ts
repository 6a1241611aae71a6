/**
 * Matching statement lines to what the books already hold.
 *
 * Candidates for a line on a bank account (exact amount always):
 * - ledger lines on the account's ledger account, on the right side, dated within ± the
 *   account's window, not yet matched (a provider's settlement, a supplier payment, a payment
 *   already applied…);
 * - on the bank account that receives customers' transfers (1151), for a credit: the payments
 *   context's open bank-transfer payments of that amount or for an order the line names.
 * A candidate whose entry (source reference, memo, partner) or order number is named by the
 * line's reference or description is a "reference hit".
 *
 * Automatic match: the one reference hit; or, without any hit, the one ledger candidate. Anything
 * else waits in the review queue, where the accountant picks a candidate or posts the line to an
 * account (bank charges, interest). Every match stands for a ledger line: a payment is applied by
 * the payments context, which posts it through the ledger port, and the line is tied to that
 * posting; a line posted to an account gets its own entry through the poster.
 *
 * Seam for invoices (receivables): a matched customer receipt is a ledger line with the
 * customer's partner reference; allocating it to an invoice belongs to receivables and reads
 * `acc_statement_lines.entry_id` through the door, not here.
 */
import { inTx } from "@/services/platform/tx.ts";
import type { Db, Sql } from "@/services/platform/tx.ts";
import { NotFoundError } from "@/services/platform/errors.ts";
import { ACC } from "../rules/accounts.ts";
import { bankLineEntry } from "../rules/bank.ts";
import { postMany } from "../poster.ts";
import type { Actor } from "../types.ts";
import { getBankAccount } from "./accounts.ts";
import {
  type BankAccount,
  BankError,
  type BankTransfers,
  type Candidate,
  type StoredLine,
} from "./types.ts";

interface LineRow {
  id: string;
  bank_account_id: number;
  value_date: string;
  amount_minor: string;
  reference: string;
  description: string;
  status: StoredLine["status"];
  entry_id: string | null;
  payment_id: string | null;
  matched_by_name: string | null;
}

const toLine = (r: LineRow): StoredLine => ({
  id: Number(r.id),
  bankAccountId: r.bank_account_id,
  valueDate: r.value_date,
  amountMinor: Number(r.amount_minor),
  reference: r.reference,
  description: r.description,
  status: r.status,
  entryId: r.entry_id === null ? null : Number(r.entry_id),
  paymentId: r.payment_id,
  matchedByName: r.matched_by_name,
});

export async function getLine(db: Db, id: number, lock = false): Promise<StoredLine> {
  const rows = lock
    ? await db<LineRow[]>`
        select id, bank_account_id, to_char(value_date, 'YYYY-MM-DD') as value_date, amount_minor,
               reference, description, status, entry_id, payment_id, matched_by_name
          from acc_statement_lines where id = ${id} for update`
    : await db<LineRow[]>`
        select id, bank_account_id, to_char(value_date, 'YYYY-MM-DD') as value_date, amount_minor,
               reference, description, status, entry_id, payment_id, matched_by_name
          from acc_statement_lines where id = ${id}`;
  if (!rows[0]) throw new NotFoundError(`No statement line ${id}`);
  return toLine(rows[0]);
}

/** The lines reconciled most recently (matched or posted), newest first. */
export async function recentlyReconciled(
  db: Db,
  bankAccountId: number | undefined,
  limit = 20,
): Promise<StoredLine[]> {
  const rows = await db<LineRow[]>`
    select id, bank_account_id, to_char(value_date, 'YYYY-MM-DD') as value_date, amount_minor,
           reference, description, status, entry_id, payment_id, matched_by_name
      from acc_statement_lines
     where status <> 'unmatched'
       and (${bankAccountId ?? null}::int is null or bank_account_id = ${bankAccountId ?? null})
     order by matched_at desc nulls last, id desc
     limit ${limit}`;
  return rows.map(toLine);
}

export async function listLines(
  db: Db,
  q: { bankAccountId?: number; status?: StoredLine["status"]; limit?: number },
): Promise<StoredLine[]> {
  const rows = await db<LineRow[]>`
    select id, bank_account_id, to_char(value_date, 'YYYY-MM-DD') as value_date, amount_minor,
           reference, description, status, entry_id, payment_id, matched_by_name
      from acc_statement_lines
     where (${q.bankAccountId ?? null}::int is null or bank_account_id = ${q.bankAccountId ?? null})
       and (${q.status ?? null}::text is null or status = ${q.status ?? null})
     order by value_date, id
     limit ${q.limit ?? 500}`;
  return rows.map(toLine);
}

/** Words of a statement text that may name a document: 6+ letters/digits with a digit. */
export function referenceTokens(text: string): string[] {
  const words = text.toUpperCase().match(/[A-Z0-9][A-Z0-9\-/]{4,}[A-Z0-9]/g) ?? [];
  return [...new Set(words.filter((w) => /\d/.test(w)))].slice(0, 20);
}

export interface MatchDeps {
  sql: Sql;
  bankTransfers?: () => BankTransfers | undefined;
}

const takesTransfers = (a: BankAccount) => a.kind === "bank" && a.code === ACC.bank;

export async function candidates(
  deps: MatchDeps,
  line: StoredLine,
  account?: BankAccount,
): Promise<Candidate[]> {
  const acct = account ?? await getBankAccount(deps.sql, line.bankAccountId);
  const text = `${line.reference} ${line.description}`;
  const bt = deps.bankTransfers?.();
  const orderNumbers = bt ? bt.orderNumbersIn(text) : [];
  const tokens = [...new Set([...orderNumbers, ...referenceTokens(text)])];
  const amount = line.amountMinor;
  const rows = await deps.sql<
    { entry_id: string; line_no: number; date: string; memo: string; hit: boolean }[]
  >`
    select l.entry_id, l.line_no, to_char(l.entry_date, 'YYYY-MM-DD') as date, e.memo,
           exists (select 1 from unnest(${tokens}::text[]) t
                    where upper(e.source_ref || ' ' || e.memo || ' ' || l.memo || ' ' ||
                                coalesce(l.partner_ref, '')) like '%' || t || '%') as hit
      from acc_entry_lines l join acc_entries e on e.id = l.entry_id
     where l.account_id = ${acct.accountId}
       and (case when ${amount}::bigint > 0 then l.debit_minor = ${amount}::bigint
                 else l.credit_minor = -${amount}::bigint end)
       and l.entry_date between ${line.valueDate}::date - ${acct.windowDays}::int
                            and ${line.valueDate}::date + ${acct.windowDays}::int
       and e.source <> 'opening'
       and not exists (select 1 from acc_statement_lines s
                        where s.entry_id = l.entry_id and s.entry_line_no = l.line_no)
     order by hit desc, abs(l.entry_date - ${line.valueDate}::date), l.entry_id
     limit 20`;
  const out: Candidate[] = rows.map((r) => ({
    key: `entry:${r.entry_id}:${r.line_no}`,
    kind: "ledger",
    date: r.date,
    amountMinor: amount,
    label: r.memo || `#${r.entry_id}`,
    refHit: r.hit,
  }));
  if (bt && takesTransfers(acct) && amount > 0) {
    for (const p of await bt.open({ orderNumbers, amountMinor: amount })) {
      if (p.amountMinor !== amount) continue;
      out.push({
        key: `payment:${p.paymentId}`,
        kind: "payment",
        date: p.createdOn,
        amountMinor: p.amountMinor,
        label: p.orderNumber ?? p.paymentId,
        refHit: p.orderNumber !== null && orderNumbers.includes(p.orderNumber),
      });
    }
  }
  return out.sort((a, b) => Number(b.refHit) - Number(a.refHit));
}

/** The candidate the rules choose on their own, if any. */
export function automatic(cands: Candidate[]): Candidate | null {
  const hits = cands.filter((c) => c.refHit);
  if (hits.length === 1) return hits[0];
  if (hits.length === 0 && cands.length === 1 && cands[0].kind === "ledger") return cands[0];
  return null;
}

/** Ties a line to a candidate (through the payments context for a customer's transfer). */
export async function matchLine(
  deps: MatchDeps,
  lineId: number,
  key: string,
  actor: Actor,
): Promise<StoredLine> {
  const line = await getLine(deps.sql, lineId);
  if (line.status !== "unmatched") {
    throw new BankError("line_done", `Statement line ${lineId} is reconciled already`, {
      id: lineId,
    });
  }
  const account = await getBankAccount(deps.sql, line.bankAccountId);
  const entry = /^entry:(\d+):(\d+)$/.exec(key);
  const payment = /^payment:([0-9a-f-]{36})$/.exec(key);
  let target: { entryId: number; lineNo: number; paymentId: string | null };
  if (entry) {
    target = { entryId: Number(entry[1]), lineNo: Number(entry[2]), paymentId: null };
  } else if (payment) {
    const bt = deps.bankTransfers?.();
    if (!bt || !takesTransfers(account) || line.amountMinor <= 0) {
      throw new BankError(
        "payments_bank_only",
        "Customers' transfers are matched on the bank account 1151 only",
        {
          code: ACC.bank,
        },
      );
    }
    const outcome = await bt.applyCredit(payment[1], {
      lineId,
      amountMinor: line.amountMinor,
    }, actor.id);
    if (outcome !== "succeeded" && outcome !== "duplicate") {
      throw new BankError("payment_refused", `The payment could not be applied (${outcome})`, {
        outcome,
      });
    }
    const [posted] = await deps.sql<{ entry_id: string; line_no: number }[]>`
      select l.entry_id, l.line_no from acc_entries e
        join acc_entry_lines l on l.entry_id = e.id
       where e.source = 'payments.payment' and e.source_ref = ${payment[1]}
         and l.account_id = ${account.accountId} and l.debit_minor = ${line.amountMinor}`;
    if (!posted) {
      throw new BankError("candidate_gone", "The payment's posting was not found", {});
    }
    target = { entryId: Number(posted.entry_id), lineNo: posted.line_no, paymentId: payment[1] };
  } else {
    throw new BankError("candidate_gone", "Choose one of the candidates", {}, "candidate");
  }
  return await inTx(deps.sql, async (tx) => {
    const locked = await getLine(tx, lineId, true);
    if (locked.status !== "unmatched") {
      throw new BankError("line_done", `Statement line ${lineId} is reconciled already`, {
        id: lineId,
      });
    }
    const [ok] = await tx<{ ok: boolean }[]>`
      select true as ok from acc_entry_lines l
       where l.entry_id = ${target.entryId} and l.line_no = ${target.lineNo}
         and l.account_id = ${account.accountId}
         and (case when ${line.amountMinor}::bigint > 0 then l.debit_minor = ${line.amountMinor}::bigint
                   else l.credit_minor = -${line.amountMinor}::bigint end)
         and not exists (select 1 from acc_statement_lines s
                          where s.entry_id = l.entry_id and s.entry_line_no = l.line_no)`;
    if (!ok) {
      throw new BankError(
        "candidate_gone",
        "That ledger line is not a candidate any more",
        {},
        "candidate",
      );
    }
    await tx`
      update acc_statement_lines
         set status = 'matched', entry_id = ${target.entryId}, entry_line_no = ${target.lineNo},
             payment_id = ${target.paymentId}, matched_by = ${actor.id},
             matched_by_name = ${actor.name}, matched_at = now(), note = null
       where id = ${lineId}`;
    return await getLine(tx, lineId);
  });
}

/** Posts a line to an account (bank charges, interest…): its own entry, dated the value date. */
export async function postLine(
  sql: Sql,
  lineId: number,
  input: { account: string; memo?: string },
  actor: Actor,
): Promise<StoredLine> {
  return await inTx(sql, async (tx) => {
    const line = await getLine(tx, lineId, true);
    if (line.status !== "unmatched") {
      throw new BankError("line_done", `Statement line ${lineId} is reconciled already`, {
        id: lineId,
      });
    }
    const account = await getBankAccount(tx, line.bankAccountId);
    const code = input.account.trim().toUpperCase();
    if (code === account.code) {
      throw new BankError("same_account", "Post the line to another account", {}, "account");
    }
    const memo = (input.memo?.trim() || line.description || line.reference || "Bank statement line")
      .slice(0, 300);
    const [posted] = await postMany(tx, [{
      ...bankLineEntry({
        lineId,
        bankCode: account.code,
        account: code,
        valueDate: line.valueDate,
        amountMinor: line.amountMinor,
        memo,
      }),
      actor,
    }]);
    await tx`
      update acc_statement_lines
         set status = 'posted', entry_id = ${posted.id}, entry_line_no = 1,
             matched_by = ${actor.id}, matched_by_name = ${actor.name}, matched_at = now()
       where id = ${lineId}`;
    return await getLine(tx, lineId);
  });
}

/** Undoes a match to a ledger line (a line posted to an account is corrected by reversal). */
export async function unmatchLine(sql: Sql, lineId: number): Promise<StoredLine> {
  return await inTx(sql, async (tx) => {
    const line = await getLine(tx, lineId, true);
    if (line.status !== "matched") {
      throw new BankError("line_not_matched", `Statement line ${lineId} is not matched`, {
        id: lineId,
      });
    }
    await tx`
      update acc_statement_lines
         set status = 'unmatched', entry_id = null, entry_line_no = null, matched_by = null,
             matched_by_name = null, matched_at = null
       where id = ${lineId}`;
    return await getLine(tx, lineId);
  });
}

/** Runs the automatic rules over unmatched lines; returns how many matched. */
export async function autoMatch(
  deps: MatchDeps,
  q: { lineIds?: number[]; bankAccountIds?: number[] },
  actor: Actor,
): Promise<{ matched: number; review: number }> {
  const rows = await deps.sql<{ id: string }[]>`
    select id from acc_statement_lines
     where status = 'unmatched'
       and (${q.lineIds ?? null}::bigint[] is null or id = any(${q.lineIds ?? null}::bigint[]))
       and (${q.bankAccountIds ?? null}::int[] is null
            or bank_account_id = any(${q.bankAccountIds ?? null}::int[]))
     order by value_date, id limit 2000`;
  let matched = 0;
  const accounts = new Map<number, BankAccount>();
  for (const { id } of rows) {
    const line = await getLine(deps.sql, Number(id));
    let acct = accounts.get(line.bankAccountId);
    if (!acct) {
      acct = await getBankAccount(deps.sql, line.bankAccountId);
      accounts.set(acct.id, acct);
    }
    const pick = automatic(await candidates(deps, line, acct));
    if (!pick) continue;
    try {
      await matchLine(deps, line.id, pick.key, actor);
      matched++;
    } catch (e) {
      // Taken meanwhile, or the payment refused it: the line waits for a person.
      if (!(e instanceof BankError)) throw e;
    }
  }
  return { matched, review: rows.length - matched };
}
