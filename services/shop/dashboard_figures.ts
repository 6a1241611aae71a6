/**
 * The shop's figures for the back office's home page (/admin): the orders placed on one Dhaka day
 * and their value by channel (the shop itself, subscription deliveries), and the deliveries due
 * that day and overdue. One query.
 */
import type { Db } from "@/services/platform/tx.ts";
import { addDays, dhakaDayStart, isDate } from "@/services/platform/dhaka.ts";
import { toMinor } from "@/services/platform/db.ts";

export interface ChannelFigures {
  /** Orders placed that day that count as sales (not awaiting payment, cancelled or refunded). */
  orders: number;
  /** Their value (order totals), in poisha. */
  revenueMinor: number;
}

export interface ShopDashboardFigures {
  day: string;
  shop: ChannelFigures;
  subscription: ChannelFigures;
  /** Orders to deliver that day and not yet delivered (confirmed, packed, out for delivery). */
  dueToday: number;
  /** Orders whose delivery day has passed and that are still not delivered. */
  late: number;
}

/** Statuses of an order that is sold but not yet delivered. */
const OPEN = ["confirmed", "packed", "out_for_delivery"];
/** Statuses that count as a sale of the day it was placed. */
const SOLD = ["confirmed", "packed", "out_for_delivery", "delivered"];

export async function shopDashboardFigures(db: Db, day: string): Promise<ShopDashboardFigures> {
  if (!isDate(day)) throw new RangeError(`Not a date: ${day}`);
  const from = dhakaDayStart(day);
  const to = dhakaDayStart(addDays(day, 1));
  const [r] = await db`
    with o as (
      select subscription_id is not null as sub, status, total_minor, delivery_date,
        placed_at >= ${from} and placed_at < ${to} as today
      from shop_orders
      where (placed_at >= ${from} and placed_at < ${to})
        or (status = any(${OPEN}::text[]) and delivery_date <= ${day}::date)
    )
    select
      count(*) filter (where today and not sub and status = any(${SOLD}::text[]))::int as shop_n,
      coalesce(sum(total_minor) filter (
        where today and not sub and status = any(${SOLD}::text[])), 0)::text as shop_minor,
      count(*) filter (where today and sub and status = any(${SOLD}::text[]))::int as sub_n,
      coalesce(sum(total_minor) filter (
        where today and sub and status = any(${SOLD}::text[])), 0)::text as sub_minor,
      count(*) filter (
        where status = any(${OPEN}::text[]) and delivery_date = ${day}::date)::int as due,
      count(*) filter (
        where status = any(${OPEN}::text[]) and delivery_date < ${day}::date)::int as late
    from o`;
  return {
    day,
    shop: { orders: r.shop_n, revenueMinor: toMinor(r.shop_minor) },
    subscription: { orders: r.sub_n, revenueMinor: toMinor(r.sub_minor) },
    dueToday: r.due,
    late: r.late,
  };
}
