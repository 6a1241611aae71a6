-- Issue 14 (second slice): outlets' delivery zone, slot and receiving hours; the application's
-- documents; minimum order per zone; standing orders per outlet and weekday with the days the
-- B2B round does not run (holidays) and one run per standing order and delivery day; wholesale
-- enquiries of the contact form turned into applications.

alter table b2b_outlets
  add column zone_code text check (zone_code ~ '^[a-z0-9-]{1,40}$'),
  add column slot_code text check (slot_code ~ '^[a-z0-9_]{2,20}$'),
  add column receiving_from time,
  add column receiving_to time,
  add constraint b2b_outlets_receiving check (receiving_to is null or receiving_from is null
    or receiving_to > receiving_from);

-- Papers sent with an application (kept in the database, served only to sales staff and the
-- account's users, as attachments).
create table b2b_documents (
  id bigserial primary key,
  account_id bigint not null references b2b_accounts (id),
  kind text not null check (kind in ('trade_licence', 'tin', 'bin', 'nid')),
  filename text not null check (length(filename) between 1 and 120),
  content_type text not null check (content_type in ('application/pdf', 'image/jpeg',
    'image/png')),
  size_bytes int not null check (size_bytes > 0),
  sha256 text not null,
  data bytea not null,
  uploaded_by uuid,
  created_at timestamptz not null default now()
);
create index b2b_documents_account on b2b_documents (account_id, id);

create table b2b_zone_minimums (
  zone_code text primary key check (zone_code ~ '^[a-z0-9-]{1,40}$'),
  min_order_minor bigint not null check (min_order_minor >= 0),
  updated_at timestamptz not null default now()
);

create table b2b_holidays (
  day date primary key,
  name text not null check (length(name) between 1 and 120)
);

create table b2b_standing_orders (
  id bigserial primary key,
  account_id bigint not null references b2b_accounts (id),
  outlet_id bigint not null references b2b_outlets (id),
  -- ISO weekday of the delivery in Dhaka: 1 Monday … 7 Sunday.
  weekday int not null check (weekday between 1 and 7),
  active boolean not null default true,
  created_by uuid not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (outlet_id, weekday)
);
create index b2b_standing_account on b2b_standing_orders (account_id);

create table b2b_standing_lines (
  standing_id bigint not null references b2b_standing_orders (id) on delete cascade,
  sku text not null check (length(sku) between 1 and 40),
  qty int not null check (qty between 1 and 100000),
  primary key (standing_id, sku)
);

-- One run per standing order and delivery day, whatever happens: the order placed, a holiday
-- skipped, or why no order could be placed. The primary key makes the daily job idempotent.
create table b2b_standing_runs (
  standing_id bigint not null references b2b_standing_orders (id),
  delivery_date date not null,
  outcome text not null check (outcome in ('ordered', 'holiday', 'failed')),
  order_id uuid references b2b_orders (id),
  reason text,
  created_at timestamptz not null,
  primary key (standing_id, delivery_date)
);
create index b2b_standing_runs_date on b2b_standing_runs (delivery_date);

alter table b2b_accounts add column enquiry_id bigint unique;
alter table b2b_accounts add column sales_rep text check (length(sales_rep) between 1 and 120);
