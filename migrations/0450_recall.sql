-- Recalls (issue 12 §7): a trace from a cow, tank, farmer, lot or order, frozen when a person opens
-- a recall: the lots it covers (their remaining stock goes on hold) and the customer orders that
-- got them, each notified once through the outbox.
create sequence recall_seq;

create table recall_campaigns (
  id bigint generated always as identity primary key,
  code text not null unique check (code ~ '^RC-[0-9]{4}-[0-9]{3,}$'),
  -- What the trace started from: {"kind":"cow","tag":"…","from":"…","to":"…"} and the like.
  start jsonb not null,
  reason text not null check (length(btrim(reason)) between 3 and 500),
  lot_ids bigint[] not null,
  opened_at timestamptz not null,
  opened_by uuid references users (id) on delete set null,
  opened_by_name text not null default '',
  notified_at timestamptz,
  notified_by_name text
);

create table recall_orders (
  recall_id bigint not null references recall_campaigns (id),
  ref_kind text not null,
  ref_id text not null,
  order_number text not null,
  -- What of the recalled lots this order got (lot code → qty in the item's base unit).
  lots jsonb not null,
  notified_at timestamptz,
  primary key (recall_id, ref_kind, ref_id)
);
