/**
 * Payments' figures for the back office's home page (/admin), until accounting has a ledger: money
 * received on one Dhaka day per provider (succeeded order payments and balance top-ups; paying from
 * the prepaid balance is not money coming in), and the cash riders collected and have not handed
 * in yet, rider by rider and day by day over the days the reconciliation screen shows
 * (that day and the `COD_DAYS` before it). One query, on indexes by day (migrations/0460).
 */
import type { Db } from "@/services/platform/tx.ts";
import { toMinor } from "@/services/platform/db.ts";
import { addDays, dhakaDayStart, isDate } from "@/services/platform/dhaka.ts";
import type { PaymentMethod } from "./types.ts";

/** Days of riders' cash looked at: the reconciliation screen's rider days (cod.ts `riderDays`). */
export const COD_DAYS = 14;

export interface PaymentsDashboardFigures {
  day: string;
  /** Per provider with money received that day, largest first. */
  received: { method: PaymentMethod; payments: number; amountMinor: number }[];
  receivedMinor: number;
  /** Cash on delivery collected, not handed in (per rider and day; that day and COD_DAYS before). */
  codOwedMinor: number;
  ridersOwing: number;
  codDays: number;
}

export async function paymentsDashboardFigures(
  db: Db,
  day: string,
): Promise<PaymentsDashboardFigures> {
  if (!isDate(day)) throw new RangeError(`Not a date: ${day}`);
  const from = dhakaDayStart(day);
  const to = dhakaDayStart(addDays(day, 1));
  const since = addDays(day, -COD_DAYS);
  const [r] = await db`
    with paid as (
      select method, count(*)::int as n, sum(amount_minor) as amount from shop_payments
      where status = 'succeeded' and method <> 'balance'
        and completed_at >= ${from} and completed_at < ${to}
      group by method
    ), owed as (
      select rider, on_day, sum(amount) as owed from (
        select rider_id as rider, collected_on as on_day, amount_minor as amount
        from shop_cod_collections
        where rider_id is not null and collected_on between ${since}::date and ${day}::date
        union all
        select rider_id, handed_on, -amount_minor from shop_cod_handins
        where rider_id is not null and handed_on between ${since}::date and ${day}::date
      ) x group by rider, on_day
    )
    select
      (select coalesce(json_agg(json_build_object(
          'method', method, 'n', n, 'amount', amount::text) order by amount desc), '[]')
       from paid) as received,
      (select coalesce(sum(owed) filter (where owed > 0), 0)::text from owed) as cod_owed,
      (select count(distinct rider) filter (where owed > 0)::int from owed) as riders`;
  const rows = (typeof r.received === "string" ? JSON.parse(r.received) : r.received) as {
    method: PaymentMethod;
    n: number;
    amount: string;
  }[];
  const received = rows.map((x) => ({
    method: x.method,
    payments: x.n,
    amountMinor: toMinor(x.amount),
  }));
  return {
    day,
    received,
    receivedMinor: received.reduce((s, x) => s + x.amountMinor, 0),
    codOwedMinor: toMinor(r.cod_owed),
    ridersOwing: r.riders,
    codDays: COD_DAYS,
  };
}
