-- Couriers' COD remittances (issue 15 §3): what a courier paid us for the cash it collected, per
-- consignment, matched against our delivered COD parcels (delivery_parcels). A remittance is
-- recorded once per courier and reference; each line keeps what we expected and how it matched.
create table delivery_remittances (
  id bigint generated always as identity primary key,
  courier text not null check (courier in ('pathao', 'steadfast', 'paperfly')),
  reference text not null check (length(reference) between 2 and 80),
  paid_on date not null,
  -- Sum of the lines: cash collected minus the courier's charges.
  net_minor bigint not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  unique (courier, reference)
);

create table delivery_remittance_lines (
  id bigint generated always as identity primary key,
  remittance_id bigint not null references delivery_remittances (id) on delete cascade,
  consignment_id text not null,
  cod_minor bigint not null check (cod_minor >= 0),
  charge_minor bigint not null check (charge_minor >= 0),
  order_number text,
  -- The COD we expected for the consignment (null: not ours, or not delivered).
  expected_minor bigint,
  outcome text not null check (outcome in ('matched', 'differs', 'not_delivered', 'unknown', 'again')),
  unique (remittance_id, consignment_id)
);
create index delivery_remittance_lines_consignment_idx on delivery_remittance_lines (consignment_id);
