-- Delivery (issue 15 §4–§5): our own fleet's routes per zone, slot and day with ordered stops, the
-- riders' offline sync ledger, and what the customer's tracking page shows. Orders are the shop's
-- (shop_orders): delivery keeps their ids and numbers, no foreign key across contexts.

-- Riders are staff users with the 'rider' role. The list repeats 0410's and adds 'rider'.
alter table user_roles drop constraint if exists user_roles_role_check;
alter table user_roles add constraint user_roles_role_check check (role in (
  'customer', 'b2b_buyer', 'b2b_admin', 'farm_worker', 'vet', 'farm_manager', 'sales',
  'warehouse', 'production', 'accountant', 'hr', 'admin', 'quality', 'purchase', 'rider'
));

create table delivery_routes (
  id uuid primary key default gen_random_uuid(),
  delivery_date date not null,
  zone_id integer not null,
  slot_code text not null check (slot_code ~ '^[a-z0-9_]{2,20}$'),
  rider_id uuid not null references users (id),
  status text not null default 'planned' check (status in ('planned', 'dispatched')),
  created_by uuid,
  created_at timestamptz not null default now(),
  unique (delivery_date, zone_id, slot_code, rider_id)
);
create index delivery_routes_rider_idx on delivery_routes (rider_id, delivery_date);

create table delivery_stops (
  id bigint generated always as identity primary key,
  route_id uuid not null references delivery_routes (id) on delete cascade,
  order_id uuid not null unique,
  order_number text not null,
  seq integer not null check (seq > 0),
  -- The recipient's one-time code, shown on their tracking page and asked for by the rider.
  handover_code text not null check (handover_code ~ '^[0-9]{4}$'),
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  proof text check (proof in ('code', 'note')),
  note text check (length(note) <= 500),
  fail_reason text check (length(fail_reason) <= 500),
  cod_minor bigint check (cod_minor >= 0),
  done_at timestamptz,
  done_by uuid
);
create index delivery_stops_route_idx on delivery_stops (route_id, seq);

-- The riders' phones send each step once with a client UUID: a repeated sync gets the first answer.
create table delivery_sync_entries (
  id uuid primary key,
  user_id uuid not null,
  stop_id bigint,
  status text not null,
  result jsonb not null,
  at timestamptz not null default now()
);
