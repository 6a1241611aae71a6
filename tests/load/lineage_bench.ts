/**
 * Lineage at the scale of two years (issue 12): one farm of 40 cows milked twice a day into one
 * bulk tank, each day's tank received as an intake lot, made into pasteurised milk and sweet doi
 * lots, sold to 20 customer orders a day (14,600 orders). Figure: the time of a full recall trace
 * forward from one cow across the two years (the recall screen's query: every lot, every order,
 * the newest 200 customers named), median of five.
 *
 * The history is written straight into the tables with generate_series, as years of operation
 * would have left it (writing it through the use cases would take longer than the measure).
 */
import { type Figure, figure } from "./harness.ts";
import { withShop } from "../shop/_helpers.ts";
import { checkoutFor } from "../shop/_helpers.ts";
import { encryptContact } from "@/services/shop/pii.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";

const DAYS = 730;
const COWS = 40;
const ORDERS_PER_DAY = 20;

/** Writes two years of farm → intake → production → sales history; returns the first day. */
export async function seedTwoYears(sql: Sql, keyring: Keyring, today: string): Promise<string> {
  const first = addDays(today, -DAYS);
  const co = await checkoutFor(sql);
  const enc = await encryptContact(keyring, {
    recipient: "Bench Customer",
    phone: "+8801711000999",
    line: "House 1, Road 1",
  });
  await sql`insert into tanks (id, name, capacity_l) values ('bench-tank', 'Bench tank', 5000)
    on conflict do nothing`;
  await sql`
    insert into animals (tag, name, breed, sex, origin, status)
    select 'BC-' || g, 'Bench ' || g, 'Holstein Friesian cross', 'female', 'born', 'lactating'
    from generate_series(1, ${COWS}) g`;
  await sql`
    insert into milk_records (animal_id, milked_on, session, milked_at, yield_kg, source, recorded_at)
    select a.id, d::date, s, d + (case s when 'am' then interval '5 hours' else interval '17 hours' end),
      6 + (a.id % 5), 'hand', d
    from animals a, generate_series(${first}::date, ${
    addDays(today, -1)
  }::date, interval '1 day') d,
      unnest(array['am', 'pm']) s
    where a.tag like 'BC-%'`;
  await sql`
    insert into inv_items (code, name_en, name_bn, kind, base, shelf_life_days, shop_sku)
    values ('RAW-MILK', 'Raw milk', 'কাঁচা দুধ', 'raw_milk', 'ml', 2, null),
      ('FG-MILK-1000', 'Pasteurised milk 1 L', 'পাস্তুরিত দুধ ১ লিটার', 'finished', 'pc', 5, 'MILK-1000'),
      ('FG-SDOI-500', 'Sweet doi 500 g', 'মিষ্টি দই ৫০০ গ্রাম', 'finished', 'pc', 10, 'SDOI-500')
    on conflict (code) do nothing`;
  // Each day: the tank's intake lot, then a milk lot and a doi lot made from it.
  await sql`
    insert into inv_lots (code, item_id, location_id, produced_on, expires_on, status, attrs,
      received_qty, ref_kind, ref_id)
    select 'BR-' || to_char(d, 'YYYYMMDD'), (select id from inv_items where code = 'RAW-MILK'),
      (select id from inv_locations where code = 'PLANT-SILO'), d, d + 2, 'released',
      jsonb_build_object('tankId', 'bench-tank'), 480000, 'intake', 'bench-' || to_char(d, 'YYYYMMDD')
    from (select g::date as d from generate_series(${first}::date, ${addDays(today, -1)}::date,
      interval '1 day') g) days`;
  await sql`
    insert into intake_tank_receipts (tank_id, milk_day, sessions, litres, fat_pct, snf_pct, temp_c,
      status, lot_id, lot_code, received_at)
    select 'bench-tank', l.produced_on, array['am', 'pm'], 480, 4.0, 8.5, 4, 'accepted', l.id, l.code,
      l.produced_on + interval '20 hours'
    from inv_lots l where l.code like 'BR-%'`;
  for (const [prefix, item] of [["BM", "FG-MILK-1000"], ["BD", "FG-SDOI-500"]]) {
    await sql`
      insert into inv_lots (code, item_id, location_id, produced_on, expires_on, status, attrs,
        received_qty, ref_kind, ref_id)
      select ${prefix} || '-' || to_char(l.produced_on, 'YYYYMMDD'),
        (select id from inv_items where code = ${item}),
        (select id from inv_locations where code = 'PLANT-COLD1'), l.produced_on + 1,
        l.produced_on + 8, 'released', '{}'::jsonb, 200, 'production',
        'bench-' || to_char(l.produced_on, 'YYYYMMDD')
      from inv_lots l where l.code like 'BR-%'`;
    await sql`
      insert into inv_lot_links (parent_lot_id, child_lot_id, qty, ref_kind, ref_id)
      select r.id, p.id, 200000, 'production', p.ref_id
      from inv_lots r join inv_lots p on p.code = ${prefix} || substr(r.code, 3)
      where r.code like 'BR-%'`;
  }
  // 20 orders a day, each one pack of the day's milk or doi.
  await sql`
    insert into shop_orders (number, status, locale, payment_method, subtotal_minor,
      delivery_fee_minor, vat_minor, total_minor, paid_minor, zone_id, delivery_date, slot_code,
      cutoff_at, recipient_enc, phone_enc, line_enc, division_id, district_id, upazila_id, placed_at)
    select 'SD-' || to_char(d, 'YYYY') || '-' || lpad((row_number() over ())::text, 6, '0'),
      'delivered', 'en', 'cod', 9500, 0, 0, 9500, 9500, ${co.zoneId}, d::date + 2, ${co.slotCode},
      d + interval '1 day', ${enc.recipient_enc}, ${enc.phone_enc}, ${enc.line_enc},
      ${co.divisionId}, ${co.districtId}, ${co.upazilaId}, d + interval '1 day' + n * interval '1 minute'
    from generate_series(${first}::date, ${addDays(today, -1)}::date, interval '1 day') d,
      generate_series(1, ${ORDERS_PER_DAY}) n`;
  await sql`
    insert into inv_moves (at, lot_id, location_id, qty, kind, ref_kind, ref_id, actor_name)
    select o.placed_at, l.id, l.location_id, -1, 'sale', 'shop_order', o.id::text, 'bench'
    from shop_orders o
    join inv_lots l on l.code = (case when extract(minute from o.placed_at)::int % 2 = 0
      then 'BM-' else 'BD-' end) || to_char(o.placed_at - interval '1 day', 'YYYYMMDD')`;
  await sql`
    insert into inv_balances (lot_id, location_id, item_id, on_hand)
    select l.id, l.location_id, l.item_id,
      l.received_qty + coalesce((select sum(m.qty) from inv_moves m where m.lot_id = l.id), 0)
    from inv_lots l where l.code ~ '^B[RMD]-'`;
  for (const t of ["milk_records", "inv_lots", "inv_lot_links", "inv_moves", "shop_orders"]) {
    await sql.unsafe(`analyze ${t}`);
  }
  return first;
}

export async function benchLineage(): Promise<Figure[]> {
  return await withShop(async (s) => {
    const today = dhakaDate(s.clock.now());
    const first = await seedTwoYears(s.sql, s.deps.keyring, today);
    const recall = s.deps.recall;
    const start = { kind: "cow" as const, tag: "BC-7", from: first, to: today };
    const times: number[] = [];
    let orders = 0;
    let lots = 0;
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      const r = await recall.trace(start);
      const ms = performance.now() - t0;
      if (i > 0) times.push(ms); // the first run warms the plans
      orders = r.orderCount;
      lots = r.lots.length;
    }
    times.sort((a, b) => a - b);
    return [
      figure(
        `recall trace from one cow over two years (${lots} lots, ${orders} orders)`,
        times[Math.floor(times.length / 2)],
        "ms",
      ),
    ];
  }, { stock: 0 });
}
