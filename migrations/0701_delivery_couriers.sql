-- Couriers (issue 15 §3): which courier serves a delivery zone (with the courier's own city and
-- zone ids), the parcels booked with a courier per order (consignment id, fee, status) and the
-- status webhooks received. Orders and zones are the shop's: ids only, no foreign keys.

create table delivery_zone_couriers (
  zone_id integer primary key,
  courier text not null check (courier in ('own', 'pathao')),
  pathao_city integer check (pathao_city > 0),
  pathao_zone integer check (pathao_zone > 0),
  updated_at timestamptz not null default now(),
  check (courier <> 'pathao' or (pathao_city is not null and pathao_zone is not null))
);

create table delivery_parcels (
  order_id uuid primary key,
  order_number text not null,
  courier text not null check (courier in ('pathao')),
  consignment_id text not null unique,
  status text not null,
  fee_minor bigint not null check (fee_minor >= 0),
  cod_minor bigint not null check (cod_minor >= 0),
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table delivery_courier_events (
  id bigint generated always as identity primary key,
  courier text not null,
  consignment_id text not null,
  status text not null,
  body jsonb not null,
  at timestamptz not null default now()
);
create index delivery_courier_events_idx on delivery_courier_events (consignment_id, id);
