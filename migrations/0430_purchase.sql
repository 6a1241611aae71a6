-- Purchasing (issue 12 §8): suppliers and their price lists, purchase requests, purchase orders,
-- receipts against them (each received line becomes an inventory lot through the inventory
-- port) and supplier bills matched three ways (ordered, received, billed) with their input VAT.
-- Items are named by their inventory item code; quantities are integer base units (g, ml, pc);
-- money is integer poisha; VAT rates in basis points (1500 = 15 %).

create table pur_suppliers (
  id serial primary key,
  name text not null check (length(btrim(name)) between 1 and 160),
  -- Business Identification Number (13 digits); null for an unregistered supplier.
  bin text check (bin ~ '^[0-9]{13}$'),
  category text not null
    check (category in ('feed', 'medicine', 'packaging', 'ingredient', 'services')),
  payment_terms_days integer not null default 30 check (payment_terms_days between 0 and 365),
  contact_name text check (length(contact_name) <= 120),
  contact_phone text check (length(contact_phone) <= 20),
  contact_email text check (length(contact_email) <= 254),
  address text check (length(address) <= 300),
  active boolean not null default true,
  created_at timestamptz not null default now()
);
create unique index pur_suppliers_name_key on pur_suppliers (lower(name));
create unique index pur_suppliers_bin_key on pur_suppliers (bin) where bin is not null;

-- What a supplier sells us, in which unit and at what price; one preferred supplier per item.
create table pur_price_list (
  supplier_id integer not null references pur_suppliers (id),
  item_code text not null check (length(item_code) between 1 and 60),
  unit text not null,
  unit_price_minor bigint not null check (unit_price_minor >= 0),
  vat_rate_bp integer not null default 0 check (vat_rate_bp between 0 and 10000),
  preferred boolean not null default false,
  lead_days integer not null default 0 check (lead_days between 0 and 365),
  updated_at timestamptz not null default now(),
  primary key (supplier_id, item_code)
);
create unique index pur_price_list_preferred_key on pur_price_list (item_code) where preferred;

create table pur_orders (
  id serial primary key,
  number text not null unique,
  supplier_id integer not null references pur_suppliers (id),
  status text not null default 'draft'
    check (status in ('draft', 'sent', 'partially_received', 'received', 'closed', 'cancelled')),
  ordered_on date not null,
  expected_on date,
  deliver_to text not null,
  -- How much more than ordered a receipt may bring (percent of each line).
  over_receipt_pct integer not null default 5 check (over_receipt_pct between 0 and 50),
  note text check (length(note) <= 500),
  created_by text,
  created_by_name text not null default '',
  sent_at timestamptz,
  closed_at timestamptz,
  cancelled_at timestamptz,
  created_at timestamptz not null default now()
);
create index pur_orders_supplier_idx on pur_orders (supplier_id, status);
create index pur_orders_status_idx on pur_orders (status, id desc);

create table pur_requests (
  id serial primary key,
  item_code text not null,
  unit text not null,
  qty_base bigint not null check (qty_base > 0),
  needed_by date not null,
  reason text not null check (length(btrim(reason)) between 1 and 300),
  status text not null default 'open' check (status in ('open', 'approved', 'rejected')),
  requested_by text,
  requested_by_name text not null default '',
  decided_by_name text,
  decided_at timestamptz,
  decision_note text check (length(decision_note) <= 300),
  order_id integer references pur_orders (id),
  created_at timestamptz not null default now()
);
create index pur_requests_status_idx on pur_requests (status, id desc);

create table pur_order_lines (
  id serial primary key,
  order_id integer not null references pur_orders (id),
  line_no integer not null,
  item_code text not null,
  item_name text not null,
  base text not null check (base in ('ml', 'g', 'pc')),
  -- The unit the supplier sells in (kg, bag_50kg, l, crate…) and how many base units it holds.
  unit text not null,
  unit_factor integer not null check (unit_factor > 0),
  qty_base bigint not null check (qty_base > 0),
  -- Price per `unit`, excluding VAT.
  unit_price_minor bigint not null check (unit_price_minor >= 0),
  vat_rate_bp integer not null default 0 check (vat_rate_bp between 0 and 10000),
  request_id integer references pur_requests (id),
  unique (order_id, line_no)
);

create table pur_receipts (
  id serial primary key,
  number text not null unique,
  order_id integer not null references pur_orders (id),
  received_on date not null,
  location_code text not null,
  note text check (length(note) <= 500),
  received_by text,
  received_by_name text not null default '',
  created_at timestamptz not null default now()
);
create index pur_receipts_order_idx on pur_receipts (order_id);

create table pur_receipt_lines (
  id serial primary key,
  receipt_id integer not null references pur_receipts (id),
  order_line_id integer not null references pur_order_lines (id),
  qty_base bigint not null check (qty_base > 0),
  lot_id bigint not null,
  lot_code text not null,
  supplier_lot text,
  expires_on date,
  lot_status text not null
);
create index pur_receipt_lines_line_idx on pur_receipt_lines (order_line_id);

create sequence pur_bill_approval_seq;

create table pur_bills (
  id serial primary key,
  supplier_id integer not null references pur_suppliers (id),
  order_id integer not null references pur_orders (id),
  bill_number text not null check (length(btrim(bill_number)) between 1 and 60),
  bill_date date not null,
  -- matched: every line agrees with the order and the receipts; mismatch: approval with a reason.
  match_status text not null check (match_status in ('matched', 'mismatch')),
  status text not null default 'entered' check (status in ('entered', 'approved', 'cancelled')),
  net_minor bigint not null,
  vat_minor bigint not null,
  total_minor bigint not null,
  due_on date not null,
  entered_by_name text not null default '',
  approved_by text,
  approved_by_name text,
  approved_at timestamptz,
  approval_reason text check (length(approval_reason) <= 500),
  -- Given on approval, in order: accounting reads approved bills after its cursor.
  approval_seq bigint unique,
  created_at timestamptz not null default now(),
  unique (supplier_id, bill_number),
  check (total_minor = net_minor + vat_minor),
  check (status <> 'approved' or approval_seq is not null),
  check (status <> 'approved' or match_status = 'matched' or approval_reason is not null)
);
create index pur_bills_order_idx on pur_bills (order_id);

create table pur_bill_lines (
  id serial primary key,
  bill_id integer not null references pur_bills (id),
  order_line_id integer not null references pur_order_lines (id),
  qty_base bigint not null check (qty_base >= 0),
  unit_price_minor bigint not null check (unit_price_minor >= 0),
  net_minor bigint not null,
  vat_minor bigint not null check (vat_minor >= 0),
  -- What the three-way match found when the bill was entered.
  ordered_base bigint not null,
  received_base bigint not null,
  po_price_minor bigint not null,
  match text not null check (match in ('matched', 'qty_mismatch', 'price_mismatch', 'qty_price_mismatch')),
  unique (bill_id, order_line_id)
);
create index pur_bill_lines_line_idx on pur_bill_lines (order_line_id);
