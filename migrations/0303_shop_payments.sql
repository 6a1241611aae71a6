-- Payments for shop orders and prepaid balance top-ups, through bKash, Nagad, SSLCommerz (cards,
-- internet banking, Rocket), bank transfer, cash on delivery or the prepaid balance; refunds;
-- bank statement lines; cash collected by riders; the prepaid balance ledger; reconciliation
-- findings.

-- A customer's prepaid balance (daily-milk subscriptions draw from it). The ledger is the truth;
-- balance_minor is its running sum, updated in the same transaction as each entry.
create table shop_balances (
  user_id uuid primary key references users (id) on delete cascade,
  balance_minor bigint not null default 0 check (balance_minor >= 0),
  updated_at timestamptz not null default now()
);

create table shop_balance_entries (
  id bigint generated always as identity primary key,
  user_id uuid not null references users (id) on delete cascade,
  amount_minor bigint not null check (amount_minor <> 0),
  kind text not null check (kind in ('topup', 'charge', 'refund', 'adjust')),
  -- What caused it (payment id, order id…): unique per kind, so a retried posting is a no-op.
  ref text not null,
  note text,
  at timestamptz not null default now(),
  unique (kind, ref)
);
create index shop_balance_entries_user_idx on shop_balance_entries (user_id, id desc);

-- One attempt to pay. provider_ref is the provider's id for the attempt (bKash paymentID,
-- Nagad paymentReferenceId, SSLCommerz tran_id, bank reference); provider_trx_id is the
-- provider's id of the money movement (bKash trxID, SSLCommerz bank_tran_id, Nagad
-- issuerPaymentRefNo). Both are unique per provider: a provider transaction is applied once.
create table shop_payments (
  id uuid primary key default gen_random_uuid(),
  purpose text not null default 'order' check (purpose in ('order', 'topup')),
  order_id uuid references shop_orders (id) on delete restrict,
  user_id uuid references users (id) on delete set null,
  method text not null check (method in (
    'bkash', 'nagad', 'sslcommerz', 'bank_transfer', 'cod', 'balance'
  )),
  status text not null default 'initiated' check (status in (
    'initiated', 'pending', 'succeeded', 'failed', 'cancelled', 'expired', 'held'
  )),
  amount_minor bigint not null check (amount_minor > 0),
  currency text not null default 'BDT' check (currency = 'BDT'),
  -- Our reference for this attempt, sent to the provider (bKash merchantInvoiceNumber, Nagad
  -- orderId, SSLCommerz tran_id): the order number and the attempt, e.g. SD-2026-000123-2.
  merchant_ref text not null unique check (merchant_ref ~ '^[A-Z0-9][A-Z0-9-]{3,29}$'),
  provider_ref text,
  provider_trx_id text,
  redirect_url text,
  refunded_minor bigint not null default 0 check (refunded_minor >= 0),
  failure_reason text check (length(failure_reason) <= 500),
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  completed_at timestamptz,
  constraint shop_payments_purpose check (
    (purpose = 'order') = (order_id is not null)
  ),
  constraint shop_payments_refund_cap check (refunded_minor <= amount_minor)
);
create unique index shop_payments_provider_ref_uq on shop_payments (method, provider_ref)
  where provider_ref is not null;
create unique index shop_payments_provider_trx_uq on shop_payments (method, provider_trx_id)
  where provider_trx_id is not null;
-- At most one successful payment per order: a second success is a duplicate to refund.
create unique index shop_payments_one_success_uq on shop_payments (order_id)
  where status = 'succeeded' and purpose = 'order';
create index shop_payments_order_idx on shop_payments (order_id, created_at desc);
create index shop_payments_status_idx on shop_payments (status, created_at);
create index shop_payments_created_idx on shop_payments (created_at desc);

-- What happened to a payment, for support and reconciliation: callbacks received (with the
-- fields the provider sent), verifications, failures, refunds.
create table shop_payment_events (
  id bigint generated always as identity primary key,
  payment_id uuid not null references shop_payments (id) on delete cascade,
  kind text not null check (length(kind) between 1 and 60),
  data jsonb not null default '{}'::jsonb,
  at timestamptz not null default now()
);
create index shop_payment_events_payment_idx on shop_payment_events (payment_id, id);

create table shop_refunds (
  id uuid primary key default gen_random_uuid(),
  payment_id uuid not null references shop_payments (id),
  amount_minor bigint not null check (amount_minor > 0),
  status text not null default 'requested' check (status in (
    'requested', 'processing', 'succeeded', 'failed'
  )),
  reason text not null check (length(btrim(reason)) between 3 and 300),
  provider_refund_ref text,
  failure_reason text,
  actor_id uuid,
  created_at timestamptz not null default now(),
  completed_at timestamptz
);
create index shop_refunds_payment_idx on shop_refunds (payment_id, created_at);

-- Lines of an imported bank statement. A credit whose reference names an open bank-transfer
-- payment with exactly its amount is matched; anything else waits for review.
create table shop_bank_statement_lines (
  id bigint generated always as identity primary key,
  import_id uuid not null,
  value_date date not null,
  amount_minor bigint not null,
  reference text not null,
  description text not null default '',
  -- Same line imported twice (same date, amount, reference, description) counts once.
  fingerprint text not null unique,
  status text not null default 'review' check (status in ('matched', 'review', 'ignored')),
  payment_id uuid references shop_payments (id),
  note text,
  imported_by uuid,
  imported_at timestamptz not null default now()
);
create index shop_bank_statement_lines_status_idx on shop_bank_statement_lines (status, id);

-- Cash a rider collected for a cash-on-delivery order (recorded at delivery).
create table shop_cod_collections (
  order_id uuid primary key references shop_orders (id),
  rider text not null check (length(btrim(rider)) between 2 and 80),
  amount_minor bigint not null check (amount_minor >= 0),
  collected_on date not null,
  recorded_by uuid,
  recorded_at timestamptz not null default now()
);
create index shop_cod_collections_rider_idx on shop_cod_collections (rider, collected_on);

-- Cash a rider handed in at the end of a day.
create table shop_cod_handins (
  id bigint generated always as identity primary key,
  rider text not null check (length(btrim(rider)) between 2 and 80),
  handed_on date not null,
  amount_minor bigint not null check (amount_minor >= 0),
  received_by uuid,
  note text,
  created_at timestamptz not null default now(),
  unique (rider, handed_on)
);

-- Mismatches found by the reconciliation worker; one open finding per (kind, subject).
create table shop_reconciliation_issues (
  id bigint generated always as identity primary key,
  kind text not null check (kind in (
    'provider_paid_we_did_not', 'we_paid_provider_did_not', 'amount_mismatch',
    'duplicate_payment', 'provider_unreachable', 'cod_not_collected', 'cod_rider_difference',
    'bank_unmatched', 'refund_mismatch'
  )),
  subject text not null,
  payment_id uuid references shop_payments (id),
  order_id uuid references shop_orders (id),
  detail jsonb not null default '{}'::jsonb,
  status text not null default 'open' check (status in ('open', 'resolved')),
  resolution text,
  resolved_by uuid,
  found_at timestamptz not null default now(),
  resolved_at timestamptz
);
create unique index shop_reconciliation_issues_open_uq on shop_reconciliation_issues (kind, subject)
  where status = 'open';
create index shop_reconciliation_issues_status_idx on shop_reconciliation_issues (status, found_at desc);
