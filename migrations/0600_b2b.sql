-- Issue 14: the B2B context. Business accounts (applied → active / on hold / closed), their outlets,
-- contact persons and users with roles; price lists per customer group and per account with
-- validity dates and quantity breaks; orders with their lines, approval and credit holds.

create table b2b_accounts (
  id bigserial primary key,
  status text not null default 'applied' check (status in ('applied', 'active', 'on_hold', 'closed')),
  company text not null check (length(company) between 2 and 200),
  trade_licence_no text not null check (length(trade_licence_no) between 3 and 60),
  trade_licence_expires date not null,
  bin text not null check (bin ~ '^[0-9]{13}$'),
  tin text not null check (tin ~ '^[0-9]{12}$'),
  owner_nid text not null check (owner_nid ~ '^([0-9]{10}|[0-9]{13}|[0-9]{17})$'),
  lang text not null default 'en' check (lang in ('en', 'bn')),
  applicant_user_id uuid,
  customer_group text not null default 'retail' check (customer_group ~ '^[a-z_]{2,30}$'),
  credit_limit_minor bigint not null default 0 check (credit_limit_minor >= 0),
  terms text not null default 'cash' check (terms in ('cash', '7', '15', '30')),
  requires_approval boolean not null default false,
  min_order_minor bigint not null default 0 check (min_order_minor >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index b2b_accounts_status on b2b_accounts (status, id);
create index b2b_accounts_applicant on b2b_accounts (applicant_user_id);

create table b2b_outlets (
  id bigserial primary key,
  account_id bigint not null references b2b_accounts (id),
  name text not null check (length(name) between 1 and 120),
  address text not null check (length(address) between 5 and 300),
  active boolean not null default true
);
create index b2b_outlets_account on b2b_outlets (account_id);

create table b2b_contacts (
  id bigserial primary key,
  account_id bigint not null references b2b_accounts (id),
  name text not null check (length(name) between 1 and 120),
  phone text not null check (phone ~ '^\+[1-9][0-9]{7,14}$')
);
create index b2b_contacts_account on b2b_contacts (account_id);

create table b2b_members (
  account_id bigint not null references b2b_accounts (id),
  user_id uuid not null,
  role text not null check (role in ('buyer', 'approver', 'admin')),
  added_at timestamptz not null default now(),
  primary key (account_id, user_id)
);
create index b2b_members_user on b2b_members (user_id);

-- A price row: for one account (a contract price) or a customer group; per unit, excluding VAT.
create table b2b_prices (
  id bigserial primary key,
  account_id bigint references b2b_accounts (id),
  customer_group text check (customer_group ~ '^[a-z_]{2,30}$'),
  sku text not null check (length(sku) between 1 and 40),
  min_qty int not null default 1 check (min_qty >= 1),
  price_minor bigint not null check (price_minor > 0),
  valid_from date not null,
  valid_to date,
  created_at timestamptz not null default now(),
  check ((account_id is null) <> (customer_group is null)),
  check (valid_to is null or valid_to >= valid_from)
);
create index b2b_prices_sku on b2b_prices (sku, account_id, customer_group);

create sequence b2b_order_number_seq;
create table b2b_orders (
  id uuid primary key,
  number text not null unique,
  account_id bigint not null references b2b_accounts (id),
  outlet_id bigint not null references b2b_outlets (id),
  status text not null check (status in
    ('pending_approval', 'credit_hold', 'confirmed', 'delivered', 'cancelled')),
  delivery_date date not null,
  subtotal_minor bigint not null,
  vat_minor bigint not null,
  total_minor bigint not null,
  placed_by uuid not null,
  hold_reason text,
  released_by uuid,
  release_reason text,
  approved_by uuid,
  invoice_number text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index b2b_orders_account on b2b_orders (account_id, created_at desc);
create index b2b_orders_status on b2b_orders (status, created_at);

create table b2b_order_lines (
  order_id uuid not null references b2b_orders (id),
  line_no int not null,
  sku text not null,
  name_en text not null,
  name_bn text not null,
  unit text not null,
  qty int not null check (qty > 0),
  unit_price_minor bigint not null,
  vat_rate_bp int not null,
  contract boolean not null,
  primary key (order_id, line_no)
);
