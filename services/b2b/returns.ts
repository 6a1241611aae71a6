/**
 * Returns and short deliveries (issue 14 §5): goods the business gave back after delivery, or
 * that never reached it, raise a credit note (Mushak 6.7) on the order's invoice through
 * accounting's door; goods in good condition go back into the very lots they left from
 * (inventory's port), damaged goods are written off (they stay out of stock). The credit is
 * allocated to the account's open invoices at once.
 */
import type { Sql } from "@/services/platform/db.ts";
import { inTx } from "@/services/platform/tx.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import type { MoneyDeps } from "./money.ts";
import type { Actor } from "./service.ts";
import { settle } from "./payments.ts";

export const RETURN_KINDS = ["return", "short"] as const;
export type ReturnKind = typeof RETURN_KINDS[number];
export const CONDITIONS = ["good", "damaged"] as const;
export type Condition = typeof CONDITIONS[number];

export interface ReturnInput {
  kind: ReturnKind;
  condition: Condition;
  reason: string;
  /** Order line numbers (1-based) and how many came back. */
  lines: { lineNo: number; qty: number }[];
}

export interface ReturnRecord {
  id: number;
  kind: ReturnKind;
  condition: Condition;
  reason: string;
  creditNoteNumber: string;
  lines: { lineNo: number; sku: string; qty: number; lotCode: string }[];
  at: Date;
}

const REASONS_BN: Record<ReturnKind, string> = {
  return: "ফেরত পণ্য",
  short: "কম সরবরাহ",
};

export async function recordReturn(
  m: MoneyDeps,
  sql: Sql,
  orderId: string,
  input: ReturnInput,
  actor: Actor,
  now: Date,
): Promise<ReturnRecord> {
  const bad: Record<string, string> = {};
  if (!RETURN_KINDS.includes(input.kind)) bad.kind = "kind";
  if (!CONDITIONS.includes(input.condition)) bad.condition = "condition";
  const reason = (input.reason ?? "").trim();
  if (reason.length < 3 || reason.length > 300) bad.reason = "reason";
  const lines = input.lines.filter((l) => l.qty !== 0);
  if (lines.length === 0) bad.lines = "noLines";
  lines.forEach((l) => {
    if (!Number.isInteger(l.qty) || l.qty < 0 || l.qty > 100_000) bad[`qty.${l.lineNo}`] = "qty";
  });
  if (Object.keys(bad).length) throw new ValidationError(bad);
  if (!/^[0-9a-f-]{36}$/i.test(orderId)) throw new NotFoundError("b2b order");

  return await inTx(sql, async (tx) => {
    const [o] = await tx`select * from b2b_orders where id = ${orderId} for update`;
    if (!o) throw new NotFoundError("b2b order");
    if (o.status !== "delivered" || !o.invoice_number) throw new ConflictError("order_status");
    const orderLines = await tx`select line_no, sku, qty from b2b_order_lines
      where order_id = ${orderId} order by line_no`;
    const before = await tx`select lines from b2b_returns where order_id = ${orderId}`;
    const back = new Map<string, number>(); // "lineNo" and "lineNo:lotId" → qty already back
    for (const r of before) {
      for (const l of r.lines as { lineNo: number; lotId: number; qty: number }[]) {
        back.set(`${l.lineNo}`, (back.get(`${l.lineNo}`) ?? 0) + l.qty);
        back.set(`${l.lineNo}:${l.lotId}`, (back.get(`${l.lineNo}:${l.lotId}`) ?? 0) + l.qty);
      }
    }
    const picks = (await m.stock.picksOf(tx, [{ kind: "b2b", id: orderId }]))
      .filter((p) => p.status === "fulfilled");
    const taken: { lineNo: number; sku: string; qty: number; lotId: number; lotCode: string }[] =
      [];
    const quantities: Record<number, string> = {};
    for (const l of lines) {
      const ol = orderLines.find((x) => Number(x.line_no) === l.lineNo);
      if (!ol) throw new ValidationError({ [`qty.${l.lineNo}`]: "line" });
      const left = Number(ol.qty) - (back.get(`${l.lineNo}`) ?? 0);
      if (l.qty > left) throw new ValidationError({ [`qty.${l.lineNo}`]: `max:${left}` });
      quantities[l.lineNo - 1] = String(l.qty);
      // Which lots: the line's lots, the ones with the most still out first (latest expiry).
      let need = l.qty;
      const lots = picks.filter((p) => p.lineIndex === l.lineNo - 1)
        .sort((a, b) => (b.expiresOn ?? "").localeCompare(a.expiresOn ?? ""));
      for (const p of lots) {
        if (need <= 0) break;
        const out = p.qty - (back.get(`${l.lineNo}:${p.lotId}`) ?? 0);
        const q = Math.min(out, need);
        if (q <= 0) continue;
        taken.push({ lineNo: l.lineNo, sku: ol.sku, qty: q, lotId: p.lotId, lotCode: p.lotCode });
        need -= q;
      }
    }
    const [{ id }] = await tx`select nextval('b2b_returns_id_seq')::bigint as id`;
    const cn = await m.books.issueCreditNote(
      {
        invoiceNumber: o.invoice_number,
        reason: {
          en: `${input.kind === "short" ? "Short delivery" : "Returned goods"}: ${reason}`,
          bn: `${REASONS_BN[input.kind]}: ${reason}`,
        },
        quantities,
        sourceRef: `b2b-return:${id}`,
      },
      actor,
      tx,
    );
    if (input.condition === "good") {
      for (const t of taken) {
        await m.stock.returnToLot(tx, {
          lotId: t.lotId,
          qty: t.qty,
          ref: { kind: "b2b", id: orderId },
          actor,
          note: `${input.kind} ${o.number}`,
        });
      }
    }
    await tx`
      insert into b2b_returns (id, order_id, kind, condition, reason, lines, credit_note_number,
        actor_id, actor_name, created_at)
      values (${id}, ${orderId}, ${input.kind}, ${input.condition}, ${reason},
        ${tx.json(taken)}, ${cn.number}, ${actor.id}, ${actor.name}, ${now})`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "b2b.order.returned",
      entity: "b2b_order",
      entityId: orderId,
      data: { kind: input.kind, condition: input.condition, creditNote: cn.number, lines: taken },
      at: now,
    });
    await settle(m, tx, Number(o.account_id), [o.invoice_number], now);
    return {
      id: Number(id),
      kind: input.kind,
      condition: input.condition,
      reason,
      creditNoteNumber: cn.number,
      lines: taken.map(({ lineNo, sku, qty, lotCode }) => ({ lineNo, sku, qty, lotCode })),
      at: now,
    };
  });
}

export async function returnsOf(sql: Sql, orderId: string): Promise<ReturnRecord[]> {
  if (!/^[0-9a-f-]{36}$/i.test(orderId)) return [];
  const rows = await sql`select * from b2b_returns where order_id = ${orderId} order by id`;
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    condition: r.condition,
    reason: r.reason,
    creditNoteNumber: r.credit_note_number,
    lines: (r.lines as ReturnRecord["lines"]).map(({ lineNo, sku, qty, lotCode }) => ({
      lineNo,
      sku,
      qty,
      lotCode,
    })),
    at: new Date(r.created_at),
  }));
}
