/**
 * Reconciliation findings: things a person must look at (money the provider has that we do not
 * show, amounts that differ, cash not handed in…). One open finding per (kind, subject): flagging
 * the same problem again refreshes its detail instead of adding a row.
 */
import type { Queryable, Tx } from "@/services/platform/db.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import type { Payment } from "./records.ts";

export const ISSUE_KINDS = [
  "provider_paid_we_did_not",
  "we_paid_provider_did_not",
  "amount_mismatch",
  "duplicate_payment",
  "provider_unreachable",
  "cod_not_collected",
  "cod_rider_difference",
  "bank_unmatched",
  "refund_mismatch",
] as const;
export type IssueKind = typeof ISSUE_KINDS[number];

export interface Issue {
  id: number;
  kind: IssueKind;
  subject: string;
  paymentId: string | null;
  orderId: string | null;
  orderNumber: string | null;
  detail: Record<string, unknown>;
  status: "open" | "resolved";
  resolution: string | null;
  foundAt: Date;
  resolvedAt: Date | null;
}

/** What a finding about a payment names: the payment and its order (id and number). */
export function concerning(p: Payment) {
  return { paymentId: p.id, orderId: p.orderId, orderNumber: p.orderNumber };
}

export async function flagIssue(
  db: Queryable,
  kind: IssueKind,
  subject: string,
  opts: {
    paymentId?: string | null;
    orderId?: string | null;
    /** The order's number, shown with the finding (kept here: payments does not read orders). */
    orderNumber?: string | null;
    detail?: Record<string, unknown>;
  } = {},
): Promise<void> {
  const detail = JSON.parse(JSON.stringify(opts.detail ?? {}));
  await db`
    insert into shop_reconciliation_issues (kind, subject, payment_id, order_id, order_number,
      detail)
    values (${kind}, ${subject}, ${opts.paymentId ?? null}, ${opts.orderId ?? null},
      ${opts.orderNumber ?? null}, ${db.json(detail)})
    on conflict (kind, subject) where status = 'open'
    do update set detail = excluded.detail, found_at = now()`;
}

export async function listIssues(
  sql: Queryable,
  status: "open" | "resolved" = "open",
  limit = 200,
): Promise<Issue[]> {
  const rows = await sql`
    select i.* from shop_reconciliation_issues i
    where i.status = ${status} order by i.found_at desc limit ${limit}`;
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    subject: r.subject,
    paymentId: r.payment_id,
    orderId: r.order_id,
    orderNumber: r.order_number,
    detail: r.detail,
    status: r.status,
    resolution: r.resolution,
    foundAt: r.found_at,
    resolvedAt: r.resolved_at,
  }));
}

export async function resolveIssue(
  tx: Tx,
  id: number,
  resolution: string,
  actorId: string | null,
): Promise<boolean> {
  const rows = await tx`
    update shop_reconciliation_issues set status = 'resolved', resolution = ${resolution},
      resolved_by = ${actorId}, resolved_at = now()
    where id = ${id} and status = 'open' returning kind, subject`;
  if (!rows.length) return false;
  await appendAudit(tx, {
    actorId,
    action: "shop.reconciliation.resolved",
    entity: "shop_reconciliation_issue",
    entityId: id,
    data: { kind: rows[0].kind, subject: rows[0].subject, resolution },
  });
  return true;
}
