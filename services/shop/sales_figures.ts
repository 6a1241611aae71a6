/**
 * The shop's sales for the books' reports (issue 13 §7, sales by product, channel and area): the
 * orders delivered in a range of Dhaka days (the day the sale is posted to the ledger), still
 * delivered (a refunded order is a sale undone), summed by product (variant), by channel (the
 * shop itself, subscription deliveries) or by area (delivery zone). Amounts from the order lines
 * as stored: net = what the customer paid for the line less its VAT (after the discount); the
 * delivery fee is not a product's sale. One query.
 */
import type { Db } from "@/services/platform/tx.ts";
import { addDays, dhakaDayStart, isDate } from "@/services/platform/dhaka.ts";
import { itemCodeOf } from "./stock.ts";

export type SalesDimension = "product" | "channel" | "area";

export interface SalesFigure {
  /** The product's SKU, the channel ("shop", "subscription") or the zone's code. */
  key: string;
  nameEn: string;
  nameBn: string;
  /** The inventory item the product is stocked as (products only). */
  itemCode: string | null;
  orders: number;
  /** Packs sold (products only; 0 otherwise). */
  qty: number;
  netMinor: number;
  vatMinor: number;
}

export async function salesFigures(
  db: Db,
  from: string,
  to: string,
  by: SalesDimension,
): Promise<SalesFigure[]> {
  if (!isDate(from) || !isDate(to)) throw new RangeError("Not a date range");
  const start = dhakaDayStart(from);
  const end = dhakaDayStart(addDays(to, 1));
  const rows = await db<
    {
      key: string;
      name_en: string;
      name_bn: string;
      orders: number;
      qty: string;
      net: string;
      vat: string;
    }[]
  >`
    with o as (
      select o.id, o.subscription_id, o.zone_id
        from shop_orders o
       where o.status = 'delivered'
         and exists (select 1 from shop_order_events e
                      where e.order_id = o.id and e.to_status = 'delivered'
                        and e.at >= ${start} and e.at < ${end})
    ), l as (
      select o.id as order_id,
             case ${by}::text
               when 'product' then l.sku
               when 'channel' then case when o.subscription_id is null then 'shop'
                                        else 'subscription' end
               else z.code end as key,
             case ${by}::text
               when 'product' then l.name_en
               when 'channel' then case when o.subscription_id is null then 'Shop'
                                        else 'Subscriptions' end
               else z.name_en end as name_en,
             case ${by}::text
               when 'product' then l.name_bn
               when 'channel' then case when o.subscription_id is null then 'দোকান'
                                        else 'সাবস্ক্রিপশন' end
               else z.name_bn end as name_bn,
             l.qty, l.line_total_minor - l.vat_minor as net, l.vat_minor as vat
        from o join shop_order_lines l on l.order_id = o.id
        join delivery_zones z on z.id = o.zone_id
    )
    select key, min(name_en) as name_en, min(name_bn) as name_bn,
           count(distinct order_id)::int as orders, sum(qty)::text as qty,
           sum(net)::text as net, sum(vat)::text as vat
      from l group by key order by sum(net) desc, key`;
  return rows.map((r) => ({
    key: r.key,
    nameEn: r.name_en,
    nameBn: r.name_bn,
    itemCode: by === "product" ? itemCodeOf(r.key) : null,
    orders: r.orders,
    qty: by === "product" ? Number(r.qty) : 0,
    netMinor: Number(r.net),
    vatMinor: Number(r.vat),
  }));
}
