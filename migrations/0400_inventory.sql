-- The inventory context (services/inventory/): items, units of measure, locations, lots, the move
-- ledger, reservations and lot links (lineage). Quantities are INTEGER base units (ml, g, pc).
-- Stock is the ledger inv_moves; inv_balances is a cache per (lot, location) written in the same
-- transaction as every move and reservation (tests/inventory prove it equals the ledger).

-- Units people count in, each a whole multiple of a base unit (1 L = 1000 ml, crate = 12 pc).
create table inv_units (
  code text primary key check (code ~ '^[a-z][a-z0-9_]{0,15}$'),
  base text not null check (base in ('ml', 'g', 'pc')),
  factor int not null check (factor > 0),
  name_en text not null check (length(btrim(name_en)) between 1 and 40),
  name_bn text not null check (length(btrim(name_bn)) between 1 and 40)
);
insert into inv_units (code, base, factor, name_en, name_bn) values
  ('ml', 'ml', 1, 'millilitre', 'মিলিলিটার'),
  ('l', 'ml', 1000, 'litre', 'লিটার'),
  ('g', 'g', 1, 'gram', 'গ্রাম'),
  ('kg', 'g', 1000, 'kilogram', 'কিলোগ্রাম'),
  ('pc', 'pc', 1, 'piece', 'পিস'),
  ('crate', 'pc', 12, 'crate of 12', '১২টির ক্রেট');

create table inv_items (
  id bigint generated always as identity primary key,
  code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9-]{1,59}$'),
  name_en text not null check (length(btrim(name_en)) between 1 and 120),
  name_bn text not null check (length(btrim(name_bn)) between 1 and 120),
  kind text not null check (kind in (
    'raw_milk', 'ingredient', 'packaging', 'finished', 'byproduct', 'feed', 'medicine'
  )),
  base text not null check (base in ('ml', 'g', 'pc')),
  -- Days from production to expiry (a lot's default expiry); null: does not expire.
  shelf_life_days int check (shelf_life_days between 0 and 3650),
  -- Days of shelf life a lot must still have to be reserved (FEFO), unless the caller says.
  min_shelf_days int not null default 0 check (min_shelf_days between 0 and 3650),
  -- The shop variant this item is (finished goods), one item per SKU.
  shop_sku text unique check (shop_sku ~ '^[A-Z0-9][A-Z0-9-]{1,39}$'),
  reorder_point int check (reorder_point >= 0),
  reorder_qty int check (reorder_qty > 0),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table inv_locations (
  id bigint generated always as identity primary key,
  code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9-]{1,39}$'),
  name_en text not null check (length(btrim(name_en)) between 1 and 120),
  name_bn text not null check (length(btrim(name_bn)) between 1 and 120),
  kind text not null check (kind in ('farm_chiller', 'silo', 'cold_room', 'dry_store', 'depot', 'van')),
  temp_class text not null check (temp_class in ('frozen', 'chilled', 'ambient')),
  -- The IoT device that watches it (iot's devices.id; no foreign key across contexts).
  device_id text check (device_id ~ '^[a-z0-9][a-z0-9-]{2,63}$'),
  -- Registered premises for VAT (a transfer between two needs a Mushak 6.5 document).
  vat_registered boolean not null default false,
  bin text check (bin ~ '^[0-9]{9,13}$'),
  -- Finished goods here may be reserved for customers (shop, subscriptions, B2B).
  sellable boolean not null default false,
  active boolean not null default true,
  sort_order int not null default 0
);
insert into inv_locations (code, name_en, name_bn, kind, temp_class, vat_registered, bin, sellable, sort_order) values
  ('FARM-CHILL', 'Farm milk chiller', 'খামারের দুধ চিলার', 'farm_chiller', 'chilled', false, null, false, 10),
  ('PLANT-SILO', 'Plant raw-milk silo', 'প্ল্যান্টের কাঁচা দুধের সাইলো', 'silo', 'chilled', true, '000123456789', false, 20),
  ('PLANT-COLD1', 'Plant cold room 1', 'প্ল্যান্ট কোল্ড রুম ১', 'cold_room', 'chilled', true, '000123456789', true, 30),
  ('PLANT-COLD2', 'Plant cold room 2 (frozen)', 'প্ল্যান্ট কোল্ড রুম ২ (হিমায়িত)', 'cold_room', 'frozen', true, '000123456789', true, 40),
  ('PLANT-DRY', 'Plant dry store', 'প্ল্যান্টের শুকনো গুদাম', 'dry_store', 'ambient', true, '000123456789', true, 50),
  ('DEPOT-DHK', 'Dhaka depot', 'ঢাকা ডিপো', 'depot', 'chilled', true, '000987654321', true, 60),
  ('VAN-1', 'Delivery van 1', 'ডেলিভারি ভ্যান ১', 'van', 'chilled', false, null, false, 70);

create sequence inv_lot_seq;

create table inv_lots (
  id bigint generated always as identity primary key,
  code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9-]{1,79}$'),
  item_id bigint not null references inv_items (id),
  -- Where the lot was received (its stock may since have moved: see inv_balances).
  location_id bigint not null references inv_locations (id),
  produced_on date not null,
  expires_on date check (expires_on >= produced_on),
  status text not null check (status in ('quarantine', 'released', 'hold', 'rejected')),
  -- Facts about the lot (fat, snf, tankId, supplier…), free-form for the contexts that receive.
  attrs jsonb not null default '{}'::jsonb,
  received_qty int not null check (received_qty > 0),
  ref_kind text not null,
  ref_id text not null,
  created_at timestamptz not null default now()
);
create index inv_lots_item_idx on inv_lots (item_id, expires_on);
create index inv_lots_ref_idx on inv_lots (ref_kind, ref_id);
create index inv_lots_status_idx on inv_lots (status) where status <> 'released';

-- The ledger: every change of stock of a lot at a location, signed. Never updated or deleted.
create table inv_moves (
  id bigint generated always as identity primary key,
  at timestamptz not null,
  lot_id bigint not null references inv_lots (id),
  location_id bigint not null references inv_locations (id),
  qty int not null check (qty <> 0),
  kind text not null check (kind in (
    'receipt', 'transfer', 'consume', 'sale', 'return', 'scrap', 'count'
  )),
  ref_kind text not null check (ref_kind in (
    'intake', 'purchase', 'production', 'shop_order', 'subscription', 'b2b', 'transfer', 'count',
    'scrap', 'return', 'opening'
  )),
  ref_id text not null check (length(ref_id) between 1 and 80),
  actor_id text,
  actor_name text not null default '',
  note text check (length(note) <= 500)
);
create index inv_moves_lot_idx on inv_moves (lot_id, location_id);
create index inv_moves_ref_idx on inv_moves (ref_kind, ref_id);
create index inv_moves_at_idx on inv_moves (at desc);

-- Stock promised to an order: open until released (cancelled) or fulfilled (became a sale move).
create table inv_reservations (
  id bigint generated always as identity primary key,
  lot_id bigint not null references inv_lots (id),
  location_id bigint not null references inv_locations (id),
  item_id bigint not null references inv_items (id),
  line_index int not null,
  qty int not null check (qty > 0),
  ref_kind text not null,
  ref_id text not null check (length(ref_id) between 1 and 80),
  status text not null default 'open' check (status in ('open', 'released', 'fulfilled')),
  created_at timestamptz not null,
  closed_at timestamptz
);
create index inv_reservations_ref_idx on inv_reservations (ref_kind, ref_id) where status = 'open';
create index inv_reservations_lot_idx on inv_reservations (lot_id, location_id) where status = 'open';

-- Cache of the ledger per (lot, location): on_hand = sum(inv_moves.qty), reserved = sum of open
-- reservations. Written only by services/inventory in the transaction of the move/reservation;
-- its rows are what FEFO locks (select … for update).
create table inv_balances (
  lot_id bigint not null references inv_lots (id),
  location_id bigint not null references inv_locations (id),
  item_id bigint not null references inv_items (id),
  on_hand int not null default 0 check (on_hand >= 0),
  reserved int not null default 0 check (reserved >= 0 and reserved <= on_hand),
  primary key (lot_id, location_id)
);
create index inv_balances_item_idx on inv_balances (item_id) where on_hand > 0;
create index inv_balances_location_idx on inv_balances (location_id) where on_hand > 0;

-- Lineage: child lot made from qty of parent lot (production), kept for recall.
create table inv_lot_links (
  id bigint generated always as identity primary key,
  parent_lot_id bigint not null references inv_lots (id),
  child_lot_id bigint not null references inv_lots (id),
  qty int not null check (qty > 0),
  ref_kind text not null,
  ref_id text not null,
  created_at timestamptz not null default now(),
  check (parent_lot_id <> child_lot_id)
);
create index inv_lot_links_parent_idx on inv_lot_links (parent_lot_id);
create index inv_lot_links_child_idx on inv_lot_links (child_lot_id);

-- Every status change of a lot, with who and why (quality decisions, cold-chain holds).
create table inv_lot_status_events (
  id bigint generated always as identity primary key,
  lot_id bigint not null references inv_lots (id),
  from_status text,
  to_status text not null,
  reason text not null check (length(reason) between 1 and 500),
  actor_id text,
  actor_name text not null default '',
  at timestamptz not null
);
create index inv_lot_status_events_lot_idx on inv_lot_status_events (lot_id, at);
