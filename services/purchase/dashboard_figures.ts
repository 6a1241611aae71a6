/**
 * Purchasing's figures for the back office's home page (/admin): supplier bills entered and
 * awaiting approval (how many, their total) and purchase requests still open. One query.
 */
import type { Db } from "@/services/platform/tx.ts";
import { toMinor } from "@/services/platform/db.ts";

export interface PurchaseDashboardFigures {
  billsToApprove: number;
  billsToApproveMinor: number;
  requestsToApprove: number;
}

export async function purchaseDashboardFigures(db: Db): Promise<PurchaseDashboardFigures> {
  const [r] = await db`
    select b.n as bills, b.total, q.n as requests
    from (select count(*)::int as n, coalesce(sum(total_minor), 0)::text as total
          from pur_bills where status = 'entered') b,
      (select count(*)::int as n from pur_requests where status = 'open') q`;
  return {
    billsToApprove: r.bills,
    billsToApproveMinor: toMinor(r.total),
    requestsToApprove: r.requests,
  };
}
