-- Stock valuation and the postings of operations (issue 13 §2): the cost of what is in stock,
-- kept by the accounting context beside inventory's move ledger (inventory counts quantities in
-- lots; accounting values them). Quantities are the inventory's integer base units (ml, g, pc),
-- values integer poisha.
--
-- * acc_valuation_methods: FIFO or moving average, per item (inventory item code), per item kind,
--   or the default ('*'); the most specific one applies.
-- * acc_stock_items: per item, the valued quantity and value now (the sum of its open layers).
-- * acc_cost_layers: what is in stock at which cost. FIFO takes from the oldest layer first; a
--   moving-average item keeps one layer (a receipt folds into it).
-- * acc_stock_moves: every valued change (signed), by the event that made it, for the valuation
--   report and the checks; acc_stock_events makes an event value stock once.

create table acc_valuation_methods (
  -- '*' (the default), 'kind:<item kind>' or 'item:<item code>'.
  scope text primary key check (
    scope = '*'
    or scope ~ '^kind:(raw_milk|ingredient|packaging|finished|byproduct|feed|medicine)$'
    or scope ~ '^item:[A-Z0-9][A-Z0-9-]{1,59}$'),
  method text not null check (method in ('fifo', 'average')),
  changed_at timestamptz not null default now(),
  changed_by text,
  changed_by_name text not null default ''
);
insert into acc_valuation_methods (scope, method, changed_by_name) values ('*', 'fifo', 'setup');

create table acc_stock_items (
  item_code text primary key check (item_code ~ '^[A-Z0-9][A-Z0-9-]{1,59}$'),
  kind text not null check (kind in (
    'raw_milk', 'ingredient', 'packaging', 'finished', 'byproduct', 'feed', 'medicine')),
  qty bigint not null default 0 check (qty >= 0),
  value_minor bigint not null default 0 check (value_minor >= 0),
  -- The last unit cost received (poisha per 1,000,000 base units), for a count's found stock
  -- when nothing is left to value it by.
  last_cost_micro bigint,
  check (qty > 0 or value_minor = 0)
);

create table acc_cost_layers (
  id bigint generated always as identity primary key,
  item_code text not null references acc_stock_items (item_code),
  qty_left bigint not null check (qty_left > 0),
  value_left bigint not null check (value_left >= 0),
  source text not null,
  source_ref text not null,
  created_at timestamptz not null default now()
);
create index acc_cost_layers_item_idx on acc_cost_layers (item_code, id);

create table acc_stock_events (
  source text not null,
  source_ref text not null,
  at timestamptz not null default now(),
  primary key (source, source_ref)
);

create table acc_stock_moves (
  id bigint generated always as identity primary key,
  source text not null,
  source_ref text not null,
  item_code text not null references acc_stock_items (item_code),
  qty bigint not null,
  value_minor bigint not null,
  on_date date not null,
  at timestamptz not null default now()
);
create index acc_stock_moves_item_idx on acc_stock_moves (item_code, id);
create index acc_stock_moves_ref_idx on acc_stock_moves (source, source_ref);

-- Own farm milk taken into the plant's stock at the farmers' price: the credit that offsets the
-- farm's costs (an expense account with a credit balance).
insert into acc_accounts (code, name_en, name_bn, type, is_group, parent_id) values
  ('5620', 'Own farm milk transferred to the plant', 'প্ল্যান্টে হস্তান্তরিত নিজস্ব খামারের দুধ',
   'expense', false, (select id from acc_accounts where code = '5000'))
on conflict (code) do nothing;
