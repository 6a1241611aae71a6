-- Checkout and orders: which thanas each delivery zone covers, delivery slots with their cut-off,
-- saved addresses (encrypted), discount codes, orders with their lines and status history.

-- The thanas/upazilas a delivery zone serves. An address is deliverable when its thana is
-- covered by the zone (neighbourhood) the customer picks.
create table shop_zone_upazilas (
  zone_id bigint not null references delivery_zones (id) on delete cascade,
  upazila_id int not null references geo_upazilas (id),
  primary key (zone_id, upazila_id)
);
create index shop_zone_upazilas_upazila_idx on shop_zone_upazilas (upazila_id);

insert into shop_zone_upazilas (zone_id, upazila_id)
select z.id, u.id
from (values
  ('gulshan', 'Gulshan'), ('banani', 'Banani'), ('baridhara', 'Gulshan'), ('baridhara', 'Vatara'),
  ('dhanmondi', 'Dhanmondi'), ('dhanmondi', 'Kalabagan'), ('mohammadpur', 'Mohammadpur'),
  ('mohammadpur', 'Adabor'), ('uttara', 'Uttara East'), ('uttara', 'Uttara West'),
  ('uttara', 'Turag'), ('uttara', 'Airport'), ('mirpur', 'Mirpur'), ('mirpur', 'Pallabi'),
  ('mirpur', 'Kafrul'), ('mirpur', 'Shah Ali'), ('mirpur', 'Darus Salam'), ('mirpur', 'Rupnagar'),
  ('mirpur', 'Bhashantek'), ('bashundhara', 'Vatara'), ('bashundhara', 'Khilkhet'),
  ('motijheel', 'Motijheel'), ('motijheel', 'Paltan'), ('motijheel', 'Shahjahanpur'),
  ('motijheel', 'Ramna')
) as m (zone, thana)
join delivery_zones z on z.code = m.zone
join geo_upazilas u on u.name_en = m.thana and u.kind = 'metro_thana';

-- Delivery windows. An order for date D in a slot must be placed before D's cut-off:
-- (D − cutoff_days_before) at cutoff_time, Asia/Dhaka. Morning: ordered by 22:00 → next morning.
create table shop_delivery_slots (
  code text primary key check (code ~ '^[a-z0-9_]{2,20}$'),
  name_en text not null,
  name_bn text not null,
  starts_at time not null,
  ends_at time not null check (ends_at > starts_at),
  cutoff_days_before int not null check (cutoff_days_before between 0 and 7),
  cutoff_time time not null,
  extra_fee_minor bigint not null default 0 check (extra_fee_minor >= 0),
  active boolean not null default true,
  sort_order int not null default 0
);
insert into shop_delivery_slots
  (code, name_en, name_bn, starts_at, ends_at, cutoff_days_before, cutoff_time, extra_fee_minor,
   sort_order)
values
  ('morning', 'Morning 6–9 am', 'সকাল ৬টা–৯টা', '06:00', '09:00', 1, '22:00', 0, 1),
  ('evening', 'Evening 5–8 pm', 'সন্ধ্যা ৫টা–৮টা', '17:00', '20:00', 0, '12:00', 2000, 2);

-- A customer's saved delivery addresses. Name, phone and the street address are personal data:
-- encrypted per field (services/crypto/field_crypto.ts); the geography stays in clear for routing.
create table shop_addresses (
  id bigint generated always as identity primary key,
  user_id uuid not null references users (id) on delete cascade,
  recipient_enc text not null,
  phone_enc text not null,
  line_enc text not null,
  division_id int not null references geo_divisions (id),
  district_id int not null references geo_districts (id),
  upazila_id int not null references geo_upazilas (id),
  zone_id bigint not null references delivery_zones (id),
  last_used_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
create index shop_addresses_user_idx on shop_addresses (user_id, last_used_at desc);

-- Remembered choices: the customer's preferred payment method.
create table shop_customer_prefs (
  user_id uuid primary key references users (id) on delete cascade,
  payment_method text,
  updated_at timestamptz not null default now()
);

create table shop_discount_codes (
  id bigint generated always as identity primary key,
  code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9_-]{2,29}$'),
  description text not null default '' check (length(description) <= 200),
  kind text not null check (kind in ('percent', 'fixed')),
  -- percent: basis points of the subtotal (1000 = 10 %); fixed: poisha off.
  value int not null check (value > 0),
  max_discount_minor bigint check (max_discount_minor > 0),
  min_order_minor bigint not null default 0 check (min_order_minor >= 0),
  starts_at timestamptz,
  ends_at timestamptz,
  max_uses int check (max_uses > 0),
  uses int not null default 0 check (uses >= 0),
  once_per_customer boolean not null default true,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  constraint shop_discount_percent_range check (kind <> 'percent' or value <= 10000),
  constraint shop_discount_uses_cap check (max_uses is null or uses <= max_uses)
);

-- Human order numbers SD-<year>-<6 digits>, from one sequence that never restarts.
create sequence shop_order_number_seq start 1;

create table shop_orders (
  id uuid primary key default gen_random_uuid(),
  number text not null unique check (number ~ '^SD-[0-9]{4}-[0-9]{6,}$'),
  user_id uuid references users (id) on delete set null,
  status text not null default 'pending_payment' check (status in (
    'pending_payment', 'confirmed', 'packed', 'out_for_delivery', 'delivered', 'cancelled',
    'refunded'
  )),
  locale text not null default 'en' check (locale in ('en', 'bn')),
  payment_method text not null check (payment_method in (
    'bkash', 'nagad', 'sslcommerz', 'bank_transfer', 'cod', 'balance'
  )),
  subtotal_minor bigint not null check (subtotal_minor >= 0),
  discount_minor bigint not null default 0 check (discount_minor >= 0),
  delivery_fee_minor bigint not null check (delivery_fee_minor >= 0),
  vat_minor bigint not null check (vat_minor >= 0),
  total_minor bigint not null check (total_minor >= 0),
  paid_minor bigint not null default 0 check (paid_minor >= 0),
  refunded_minor bigint not null default 0 check (refunded_minor >= 0),
  currency text not null default 'BDT' check (currency = 'BDT'),
  discount_code_id bigint references shop_discount_codes (id),
  -- Delivery: zone, date and slot; cutoff_at = the last moment the customer may change or cancel.
  zone_id bigint not null references delivery_zones (id),
  delivery_date date not null,
  slot_code text not null references shop_delivery_slots (code),
  cutoff_at timestamptz not null,
  recipient_enc text not null,
  phone_enc text not null,
  line_enc text not null,
  division_id int not null references geo_divisions (id),
  district_id int not null references geo_districts (id),
  upazila_id int not null references geo_upazilas (id),
  note text check (length(note) <= 300),
  subscription_id uuid,
  placed_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint shop_orders_total check (
    total_minor = subtotal_minor - discount_minor + delivery_fee_minor
  )
);
create index shop_orders_user_idx on shop_orders (user_id, placed_at desc);
create index shop_orders_status_idx on shop_orders (status, delivery_date);
create index shop_orders_placed_idx on shop_orders (placed_at desc);
create index shop_orders_delivery_idx on shop_orders (delivery_date, slot_code, zone_id);

create table shop_order_lines (
  order_id uuid not null references shop_orders (id) on delete cascade,
  line_no int not null check (line_no > 0),
  variant_id bigint not null references shop_variants (id),
  sku text not null,
  name_en text not null,
  name_bn text not null,
  pack_qty numeric(10, 3) not null,
  unit text not null,
  qty int not null check (qty between 1 and 999),
  unit_price_minor bigint not null check (unit_price_minor >= 0),
  -- Share of the order discount given to this line (so VAT is on what was really paid).
  discount_minor bigint not null default 0 check (discount_minor >= 0),
  vat_rate_bp int not null check (vat_rate_bp between 0 and 10000),
  vat_minor bigint not null check (vat_minor >= 0),
  line_total_minor bigint not null check (line_total_minor >= 0),
  primary key (order_id, line_no)
);
create index shop_order_lines_variant_idx on shop_order_lines (variant_id);

-- Every status change, who made it and why: the order's history for staff and customers.
create table shop_order_events (
  id bigint generated always as identity primary key,
  order_id uuid not null references shop_orders (id) on delete cascade,
  from_status text,
  to_status text not null,
  actor_id uuid,
  note text check (length(note) <= 500),
  at timestamptz not null default now()
);
create index shop_order_events_order_idx on shop_order_events (order_id, id);

-- Redemptions: at most one per order; once_per_customer codes at most once per user.
create table shop_discount_redemptions (
  code_id bigint not null references shop_discount_codes (id),
  order_id uuid not null unique references shop_orders (id) on delete cascade,
  user_id uuid,
  amount_minor bigint not null check (amount_minor >= 0),
  at timestamptz not null default now(),
  primary key (code_id, order_id)
);
create index shop_discount_redemptions_user_idx on shop_discount_redemptions (code_id, user_id);
