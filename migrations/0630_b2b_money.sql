-- Issue 14 §5–6: money and documents of the B2B portal, and field sales.
-- Payments on account: a payment (bKash, Nagad, SSLCommerz, a bank transfer staff record, a
-- representative's cash) for a business account's receivable, not for a shop order; its party
-- ("b2b:<id>") and the invoices the payer chose are in the payment's details.
alter table shop_payments drop constraint shop_payments_purpose_check;
alter table shop_payments add constraint shop_payments_purpose_check
  check (purpose in ('order', 'topup', 'account'));

-- Proof of delivery of a B2B order: who received it, when, recorded by whom (staff or rider).
create table b2b_proofs (
  order_id uuid primary key references b2b_orders (id),
  received_by text not null check (length(received_by) between 2 and 120),
  note text check (length(note) <= 500),
  recorded_by uuid,
  recorded_by_name text not null,
  recorded_at timestamptz not null
);

-- Goods coming back after delivery (returns) or never delivered (short deliveries): each raises a
-- credit note (Mushak 6.7) on the order's invoice; good goods go back to their lot, the rest are
-- written off. lines: [{lineNo, sku, qty, lotId, lotCode}].
create table b2b_returns (
  id bigserial primary key,
  order_id uuid not null references b2b_orders (id),
  kind text not null check (kind in ('return', 'short')),
  condition text not null check (condition in ('good', 'damaged')),
  reason text not null check (length(reason) between 3 and 300),
  lines jsonb not null,
  credit_note_number text not null,
  actor_id uuid,
  actor_name text not null,
  created_at timestamptz not null
);
create index b2b_returns_order on b2b_returns (order_id);

-- Field sales: a representative's outlets (their route), in visiting order.
create table b2b_rep_outlets (
  rep_user_id uuid not null,
  outlet_id bigint not null references b2b_outlets (id),
  position int not null default 0,
  primary key (rep_user_id, outlet_id)
);
create index b2b_rep_outlets_outlet on b2b_rep_outlets (outlet_id);

-- What a representative recorded on the phone (orders, visits, cash collections), keyed by the
-- id the phone gave it: a repeated sync finds the row and changes nothing.
create table b2b_field_entries (
  id uuid primary key,
  rep_user_id uuid not null,
  outlet_id bigint not null references b2b_outlets (id),
  kind text not null check (kind in ('order', 'visit', 'collection')),
  recorded_at timestamptz not null,
  synced_at timestamptz not null,
  note text check (length(note) <= 500),
  amount_minor bigint check (amount_minor > 0),
  order_id uuid references b2b_orders (id),
  outcome text not null
);
create index b2b_field_entries_rep on b2b_field_entries (rep_user_id, recorded_at desc);
create index b2b_field_entries_outlet on b2b_field_entries (outlet_id, recorded_at desc);
