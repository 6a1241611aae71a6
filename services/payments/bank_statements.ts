/**
 * Bank statement import: credits are matched to bank-transfer payments by the order number in
 * the reference and the exact amount; a matched credit is applied like any provider success
 * (idempotently: a line imported twice counts once). Partial, excess and unknown credits wait in
 * a review queue for a person.
 */
import { z } from "zod";
import type { Sql } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import { takaSchema } from "@/services/shop/mod.ts";
import { type ApplyOutcome, applyVerification, type PaymentContext } from "./payments.ts";
import { flagIssue } from "./issues.ts";

export interface StatementLine {
  valueDate: string;
  amountMinor: number;
  reference: string;
  description: string;
}

export class StatementError extends Error {
  readonly status = 422;
  constructor(readonly line: number, message: string) {
    super(`Line ${line}: ${message}`);
    this.name = "StatementError";
  }
}

/** Splits one CSV line (quoted fields with "" escapes). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * Parses "date,amount,reference,description" lines (a header line is skipped; amounts in taka,
 * e.g. 560.00; debits are negative and ignored by the matcher).
 */
export function parseStatement(text: string): StatementLine[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n").map((l) => l.trim()).filter(Boolean);
  if (lines.length > 5000) throw new StatementError(5001, "at most 5000 lines per import");
  const out: StatementLine[] = [];
  lines.forEach((raw, i) => {
    const cols = splitCsv(raw);
    if (i === 0 && !/^\d{4}-/.test(cols[0])) return; // header
    if (cols.length < 3) {
      throw new StatementError(i + 1, "expected date,amount,reference[,description]");
    }
    if (!dateSchema.safeParse(cols[0]).success) {
      throw new StatementError(i + 1, `date must be YYYY-MM-DD, got "${cols[0].slice(0, 20)}"`);
    }
    const neg = cols[1].startsWith("-");
    const amount = takaSchema.safeParse(cols[1].replace(/^-/, ""));
    if (!amount.success) {
      throw new StatementError(i + 1, `amount "${cols[1].slice(0, 20)}" is not taka`);
    }
    out.push({
      valueDate: cols[0],
      amountMinor: neg ? -amount.data : amount.data,
      reference: cols[2].slice(0, 200),
      description: (cols[3] ?? "").slice(0, 300),
    });
  });
  return out;
}

/** The order number a reference names, in any spacing: "sd 2026 000123" → SD-2026-000123. */
export function referenceToOrderNumber(ref: string): string | null {
  const m = ref.toUpperCase().match(/SD[\s-]*(\d{4})[\s-]*(\d{6,})/);
  return m ? `SD-${m[1]}-${m[2]}` : null;
}

async function fingerprint(l: StatementLine): Promise<string> {
  const d = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`${l.valueDate}|${l.amountMinor}|${l.reference}|${l.description}`),
  );
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface ImportResult {
  lines: number;
  duplicates: number;
  matched: number;
  review: number;
}

export async function importStatement(
  ctx: PaymentContext,
  text: string,
  actorId: string | null,
): Promise<ImportResult> {
  const lines = parseStatement(text);
  const importId = crypto.randomUUID();
  const result: ImportResult = { lines: lines.length, duplicates: 0, matched: 0, review: 0 };
  for (const l of lines) {
    const [row] = await ctx.sql`
      insert into shop_bank_statement_lines (import_id, value_date, amount_minor, reference,
        description, fingerprint, imported_by, status)
      values (${importId}, ${l.valueDate}, ${l.amountMinor}, ${l.reference}, ${l.description},
        ${await fingerprint(l)}, ${actorId}, ${l.amountMinor > 0 ? "review" : "ignored"})
      on conflict (fingerprint) do nothing returning id`;
    if (!row) {
      result.duplicates++;
      continue;
    }
    if (l.amountMinor <= 0) continue;
    const outcome = await matchLine(ctx, Number(row.id), actorId);
    if (outcome === "succeeded") result.matched++;
    else result.review++;
  }
  return result;
}

/**
 * Matches one credit to the open bank-transfer payment its reference names; applies it when the
 * amount is exact, else leaves it for review with a note.
 */
export async function matchLine(
  ctx: PaymentContext,
  lineId: number,
  actorId: string | null,
  paymentId?: string,
): Promise<ApplyOutcome | "no_match"> {
  const [l] = await ctx.sql`select * from shop_bank_statement_lines where id = ${lineId}`;
  if (!l || l.status !== "review") return "no_match";
  const amount = toMinor(l.amount_minor);
  const number = referenceToOrderNumber(`${l.reference} ${l.description}`);
  const [p] = paymentId
    ? await ctx
      .sql`select * from shop_payments where id = ${paymentId} and method = 'bank_transfer'`
    : number
    ? await ctx.sql`
      select * from shop_payments
      where order_number = ${number} and method = 'bank_transfer'
        and status in ('pending', 'initiated')
      order by created_at desc limit 1`
    : [];
  const note = async (text: string) => {
    await ctx.sql`update shop_bank_statement_lines set note = ${text} where id = ${lineId}`;
    await flagIssue(ctx.sql, "bank_unmatched", `bank_line:${lineId}`, {
      orderId: p?.order_id ?? null,
      orderNumber: p?.order_number ?? null,
      detail: { reference: l.reference, amountMinor: amount, note: text },
    });
  };
  if (!p) {
    await note(number ? `no open bank transfer for ${number}` : "no order number in the reference");
    return "no_match";
  }
  if (toMinor(p.amount_minor) !== amount) {
    await note(`amount ${amount} differs from the ${toMinor(p.amount_minor)} due`);
    return "mismatch";
  }
  const outcome = await applyVerification(ctx, p.id, {
    outcome: "succeeded",
    amountMinor: amount,
    currency: "BDT",
    merchantRef: p.merchant_ref,
    trxId: `bank:${lineId}`,
    raw: { line: lineId },
  }, actorId);
  if (outcome === "succeeded") {
    await ctx.sql`
      update shop_bank_statement_lines set status = 'matched', payment_id = ${p.id}, note = null
      where id = ${lineId}`;
    await ctx.sql`
      update shop_reconciliation_issues set status = 'resolved', resolution = 'matched',
        resolved_by = ${actorId}, resolved_at = now()
      where kind = 'bank_unmatched' and subject = ${"bank_line:" + lineId} and status = 'open'`;
  } else await note(`payment could not be applied (${outcome})`);
  return outcome;
}

export async function reviewQueue(sql: Sql) {
  const rows = await sql`
    select l.*, p.order_number from shop_bank_statement_lines l
    left join shop_payments p on p.id = l.payment_id
    order by (l.status = 'review') desc, l.id desc limit 200`;
  return rows.map((r) => ({
    id: Number(r.id),
    valueDate: String(
      r.value_date instanceof Date ? r.value_date.toISOString().slice(0, 10) : r.value_date,
    ),
    amountMinor: toMinor(r.amount_minor),
    reference: r.reference as string,
    description: r.description as string,
    status: r.status as "matched" | "review" | "ignored",
    note: r.note as string | null,
    orderNumber: r.order_number as string | null,
  }));
}

export async function ignoreLine(sql: Sql, lineId: number, actorId: string | null) {
  await sql`update shop_bank_statement_lines set status = 'ignored', note = coalesce(note, '') ||
    ' (ignored by staff)' where id = ${lineId} and status = 'review'`;
  await sql`
    update shop_reconciliation_issues set status = 'resolved', resolution = 'ignored',
      resolved_by = ${actorId}, resolved_at = now()
    where kind = 'bank_unmatched' and subject = ${"bank_line:" + lineId} and status = 'open'`;
}
