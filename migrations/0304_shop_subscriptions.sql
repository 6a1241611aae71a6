-- Daily-milk subscriptions: what to deliver on which weekday, from when, with holiday pauses and
-- skipped days; the worker turns each (subscription, date) into at most one order.

create table shop_subscriptions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  status text not null default 'active' check (status in ('active', 'cancelled')),
  start_date date not null,
  end_date date,
  -- 'per_delivery': cash on each delivery; 'prepaid': charged from the prepaid balance.
  billing text not null check (billing in ('per_delivery', 'prepaid')),
  locale text not null default 'en' check (locale in ('en', 'bn')),
  slot_code text not null references shop_delivery_slots (code),
  zone_id bigint not null references delivery_zones (id),
  recipient_enc text not null,
  phone_enc text not null,
  line_enc text not null,
  division_id int not null references geo_divisions (id),
  district_id int not null references geo_districts (id),
  upazila_id int not null references geo_upazilas (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint shop_subscriptions_dates check (end_date is null or end_date >= start_date)
);
create index shop_subscriptions_user_idx on shop_subscriptions (user_id, created_at desc);
create index shop_subscriptions_active_idx on shop_subscriptions (start_date) where status = 'active';

-- Quantity of a variant per weekday (ISO: 1 = Monday … 7 = Sunday).
create table shop_subscription_items (
  subscription_id uuid not null references shop_subscriptions (id) on delete cascade,
  variant_id bigint not null references shop_variants (id),
  weekday int not null check (weekday between 1 and 7),
  qty int not null check (qty between 1 and 50),
  primary key (subscription_id, variant_id, weekday)
);

-- Holidays: no deliveries from from_date to to_date inclusive.
create table shop_subscription_pauses (
  id bigint generated always as identity primary key,
  subscription_id uuid not null references shop_subscriptions (id) on delete cascade,
  from_date date not null,
  to_date date not null check (to_date >= from_date),
  created_at timestamptz not null default now()
);
create index shop_subscription_pauses_sub_idx on shop_subscription_pauses (subscription_id);

create table shop_subscription_skips (
  subscription_id uuid not null references shop_subscriptions (id) on delete cascade,
  skip_date date not null,
  created_at timestamptz not null default now(),
  primary key (subscription_id, skip_date)
);

-- One row per (subscription, delivery date) the worker has handled: the order it created, or
-- why none was created. The primary key makes the worker idempotent.
create table shop_subscription_runs (
  subscription_id uuid not null references shop_subscriptions (id) on delete cascade,
  delivery_date date not null,
  outcome text not null check (outcome in (
    'ordered', 'nothing_due', 'out_of_stock', 'insufficient_balance'
  )),
  order_id uuid references shop_orders (id),
  detail text,
  at timestamptz not null default now(),
  primary key (subscription_id, delivery_date)
);

alter table shop_orders add constraint shop_orders_subscription_fk
  foreign key (subscription_id) references shop_subscriptions (id) on delete set null;
