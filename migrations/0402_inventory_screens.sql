-- The warehouse staff's documents (services/inventory/{locations,transfers,counts,scrap,expiry}.ts):
-- location addresses for Mushak 6.5, transfers between locations, cycle counts with their sheets,
-- scrap records and the expiry alerts already sent. Stock itself stays in the move ledger
-- (inv_moves, 0400): these tables say why a move was made.

-- Printed on the Mushak 6.5 of a transfer from or to the location.
alter table inv_locations add column address text check (length(address) <= 300);

-- Document numbers, one series per kind and fiscal year (1 July – 30 June).
create table inv_doc_series (
  series text not null,
  fiscal_year text not null,
  last int not null,
  primary key (series, fiscal_year)
);

create table inv_transfers (
  id bigint generated always as identity primary key,
  number text not null unique,
  from_location_id bigint not null references inv_locations (id),
  to_location_id bigint not null references inv_locations (id),
  status text not null default 'draft' check (status in ('draft', 'dispatched', 'received', 'cancelled')),
  vehicle text check (length(vehicle) <= 60),
  note text check (length(note) <= 500),
  created_at timestamptz not null,
  created_by_id text,
  created_by_name text not null,
  dispatched_at timestamptz,
  dispatched_by_name text,
  received_at timestamptz,
  received_by_name text,
  check (from_location_id <> to_location_id)
);
create index inv_transfers_status_idx on inv_transfers (status, id desc);

create table inv_transfer_lines (
  transfer_id bigint not null references inv_transfers (id),
  line_no int not null,
  lot_id bigint not null references inv_lots (id),
  qty int not null check (qty > 0),
  primary key (transfer_id, line_no)
);

create table inv_counts (
  id bigint generated always as identity primary key,
  location_id bigint not null references inv_locations (id),
  status text not null default 'open' check (status in ('open', 'submitted', 'approved', 'rejected')),
  created_at timestamptz not null,
  created_by_id text,
  created_by_name text not null,
  counted_at timestamptz,
  counted_by_id text,
  counted_by_name text,
  decided_at timestamptz,
  decided_by_id text,
  decided_by_name text,
  reason text check (length(reason) <= 500)
);
-- One count at a time per location (until approved or rejected).
create unique index inv_counts_one_open_idx on inv_counts (location_id)
  where status in ('open', 'submitted');

create table inv_count_lines (
  count_id bigint not null references inv_counts (id),
  lot_id bigint not null references inv_lots (id),
  -- What the ledger said when the sheet was made, and what was found.
  expected int not null check (expected >= 0),
  counted int check (counted >= 0),
  primary key (count_id, lot_id)
);

create table inv_scraps (
  id bigint generated always as identity primary key,
  lot_id bigint not null references inv_lots (id),
  location_id bigint not null references inv_locations (id),
  qty int not null check (qty > 0),
  reason text not null check (reason in ('expired', 'damaged', 'cold_chain', 'sample', 'quality', 'other')),
  note text check (length(note) <= 500),
  at timestamptz not null,
  actor_id text,
  actor_name text not null
);
create index inv_scraps_at_idx on inv_scraps (at desc);

-- A lot's expiry alert goes out once.
create table inv_expiry_alerts (
  lot_id bigint primary key references inv_lots (id),
  expires_on date not null,
  sent_at timestamptz not null,
  recipients int not null
);
