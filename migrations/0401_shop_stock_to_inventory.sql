-- The shop's stock moves to inventory (issue 12 §3): every shop variant becomes an inventory item
-- FG-<sku> (pieces: one pack), its counted stock an opening lot released today at the location its
-- storage calls for, and the old counter and its movement log go ("remove what you replace").
-- Orders placed before this hold no reservations: their goods were already off the counter, so
-- they are not in the opening lots either.

insert into inv_items (code, name_en, name_bn, kind, base, shelf_life_days, min_shelf_days, shop_sku)
select 'FG-' || v.sku,
  left(p.name_en || ' ' || trim_scale(v.pack_qty)::text || ' ' || v.unit, 120),
  left(p.name_bn || ' ' || trim_scale(v.pack_qty)::text || ' ' || v.unit, 120),
  'finished', 'pc', p.shelf_life_days, least(p.shelf_life_days / 3, 30), v.sku
from shop_variants v join shop_products p on p.id = v.product_id
on conflict (code) do nothing;

create temporary table opening_stock on commit drop as
select i.id as item_id, v.sku, v.stock_available as qty,
  (select id from inv_locations where code = case p.storage
     when 'frozen' then 'PLANT-COLD2' when 'ambient' then 'PLANT-DRY' else 'PLANT-COLD1' end)
    as location_id,
  (now() at time zone 'Asia/Dhaka')::date as produced_on,
  p.shelf_life_days
from shop_variants v
join shop_products p on p.id = v.product_id
join inv_items i on i.shop_sku = v.sku
where v.stock_available > 0;

insert into inv_lots (code, item_id, location_id, produced_on, expires_on, status, received_qty,
  ref_kind, ref_id, attrs)
select 'OPEN-' || o.sku || '-' || nextval('inv_lot_seq'), o.item_id, o.location_id, o.produced_on,
  o.produced_on + o.shelf_life_days, 'released', o.qty, 'opening', 'migration-0401',
  '{"from": "shop_variants.stock_available"}'::jsonb
from opening_stock o;

insert into inv_moves (at, lot_id, location_id, qty, kind, ref_kind, ref_id, actor_name, note)
select now(), l.id, l.location_id, l.received_qty, 'receipt', 'opening', 'migration-0401',
  'migration', 'opening stock from the shop''s counter'
from inv_lots l where l.ref_id = 'migration-0401';

insert into inv_balances (lot_id, location_id, item_id, on_hand)
select l.id, l.location_id, l.item_id, l.received_qty
from inv_lots l where l.ref_id = 'migration-0401';

insert into inv_lot_status_events (lot_id, from_status, to_status, reason, actor_name, at)
select l.id, null, 'released', 'opening stock (migration 0401)', 'migration', now()
from inv_lots l where l.ref_id = 'migration-0401';

drop table shop_stock_movements;
alter table shop_variants drop column stock_available;
