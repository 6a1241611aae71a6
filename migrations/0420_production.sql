-- Production (issue 12 §5): bills of materials kept by version with effective dates (the
-- declared input-output coefficient, Mushak 4.3, is printed from the version in force on a date),
-- and production orders that consume lots and output product and by-product lots through the
-- inventory context (items and lots are referred to by the inventory's codes and ids; inventory
-- owns them). Quantities are integer base units (ml, g, pc); percentages are basis points
-- (150 = 1.50 %).

create table prod_boms (
  id serial primary key,
  -- The output item (inventory item code, e.g. FG-MILK-1000); versions of one product share it.
  output_item_code text not null check (length(btrim(output_item_code)) between 1 and 64),
  version integer not null check (version >= 1),
  name_en text not null check (length(btrim(name_en)) between 1 and 120),
  name_bn text not null check (length(btrim(name_bn)) between 1 and 120),
  hs_code text check (hs_code is null or length(btrim(hs_code)) between 1 and 20),
  -- The batch the quantities are stated for, in the output item's base unit.
  output_qty integer not null check (output_qty > 0),
  -- Expected process loss of the main input and the tolerance above it before an order is flagged.
  loss_bp integer not null check (loss_bp between 0 and 9999),
  tolerance_bp integer not null check (tolerance_bp between 0 and 9999),
  -- Standardisation target for milk products (percent × 100), optional.
  target_fat_bp integer check (target_fat_bp between 0 and 9999),
  target_snf_bp integer check (target_snf_bp between 0 and 9999),
  valid_from date not null,
  -- Last day in force (inclusive); null while no later version supersedes it.
  valid_to date check (valid_to is null or valid_to >= valid_from),
  note text check (note is null or length(note) <= 1000),
  created_by text,
  created_at timestamptz not null default now(),
  unique (output_item_code, version),
  unique (output_item_code, valid_from)
);
create index prod_boms_in_force on prod_boms (output_item_code, valid_from desc);

create table prod_bom_inputs (
  bom_id integer not null references prod_boms (id),
  line_no integer not null check (line_no between 1 and 100),
  item_code text not null check (length(btrim(item_code)) between 1 and 64),
  -- main: the input the loss is measured on (milk, cream, butter); others scale with the output.
  role text not null check (role in ('main', 'ingredient', 'packaging')),
  -- Quantity per batch, wastage included.
  qty integer not null check (qty > 0),
  wastage_bp integer not null default 0 check (wastage_bp between 0 and 9999),
  primary key (bom_id, line_no)
);
create unique index prod_bom_inputs_one_main on prod_bom_inputs (bom_id) where role = 'main';

create table prod_bom_byproducts (
  bom_id integer not null references prod_boms (id),
  line_no integer not null check (line_no between 1 and 20),
  item_code text not null check (length(btrim(item_code)) between 1 and 64),
  qty integer not null check (qty > 0),
  primary key (bom_id, line_no)
);

create table prod_orders (
  id serial primary key,
  number text not null unique,
  bom_id integer not null references prod_boms (id),
  output_item_code text not null,
  planned_qty integer not null check (planned_qty > 0),
  planned_on date not null,
  status text not null default 'planned'
    check (status in ('planned', 'started', 'finished', 'cancelled')),
  output_location text not null,
  note text check (note is null or length(note) <= 1000),
  created_by text,
  created_at timestamptz not null default now(),
  started_by text,
  started_at timestamptz,
  finished_by text,
  finished_at timestamptz,
  produced_on date,
  actual_qty integer check (actual_qty >= 0),
  -- Set at finish: output expected from the main input consumed, the loss seen, the flag.
  expected_qty integer,
  loss_bp integer,
  flagged boolean not null default false
);
create index prod_orders_status on prod_orders (status, planned_on desc);

create table prod_order_inputs (
  order_id integer not null references prod_orders (id),
  line_no integer not null,
  item_code text not null,
  role text not null check (role in ('main', 'ingredient', 'packaging')),
  required_qty integer not null check (required_qty > 0),
  primary key (order_id, line_no)
);

create table prod_consumptions (
  id serial primary key,
  order_id integer not null references prod_orders (id),
  line_no integer not null,
  item_code text not null,
  lot_id bigint not null,
  lot_code text not null,
  qty integer not null check (qty > 0),
  picked text not null check (picked in ('fefo', 'hand')),
  attrs jsonb
);
create index prod_consumptions_order on prod_consumptions (order_id);

create table prod_outputs (
  id serial primary key,
  order_id integer not null references prod_orders (id),
  kind text not null check (kind in ('product', 'byproduct')),
  item_code text not null,
  lot_id bigint not null,
  lot_code text not null,
  qty integer not null check (qty > 0),
  expires_on date
);
create index prod_outputs_order on prod_outputs (order_id);
