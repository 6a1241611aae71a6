-- The shop catalogue: VAT classes, categories, products with variants (pack sizes), stock per
-- variant and its movements, and the search columns (full text + trigram, pg_trgm from 0000).

-- VAT per class in basis points (1500 = 15 %). Shop prices include VAT; the VAT part of a line is
-- computed from its class's rate at the time of the order and kept on the order line.
create table shop_tax_classes (
  code text primary key check (code ~ '^[a-z0-9_]{2,30}$'),
  name_en text not null check (length(btrim(name_en)) between 1 and 80),
  name_bn text not null check (length(btrim(name_bn)) between 1 and 80),
  rate_bp int not null check (rate_bp between 0 and 10000),
  updated_at timestamptz not null default now()
);
insert into shop_tax_classes (code, name_en, name_bn, rate_bp) values
  ('exempt', 'VAT exempt (fresh milk)', 'ভ্যাটমুক্ত (তরল দুধ)', 0),
  ('reduced', 'Reduced VAT 5%', 'হ্রাসকৃত ভ্যাট ৫%', 500),
  ('standard', 'Standard VAT 15%', 'সাধারণ ভ্যাট ১৫%', 1500);

create table shop_categories (
  id bigint generated always as identity primary key,
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 60),
  name_en text not null check (length(btrim(name_en)) between 1 and 80),
  name_bn text not null check (length(btrim(name_bn)) between 1 and 80),
  sort_order int not null default 0,
  active boolean not null default true
);

create table shop_products (
  id bigint generated always as identity primary key,
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  category_id bigint not null references shop_categories (id),
  name_en text not null check (length(btrim(name_en)) between 2 and 120),
  name_bn text not null check (length(btrim(name_bn)) between 2 and 120),
  description_en text not null default '' check (length(description_en) <= 4000),
  description_bn text not null default '' check (length(description_bn) <= 4000),
  -- Days from production to best-before, shown to customers and used for picking.
  shelf_life_days int not null check (shelf_life_days between 1 and 3650),
  -- Storage hint: chilled products must stay in the cold chain.
  storage text not null default 'chilled' check (storage in ('chilled', 'frozen', 'ambient')),
  tax_class text not null references shop_tax_classes (code),
  -- Illustration style for the generated SVG image (bottle, pouch, cup, tub, block, jar).
  image_style text not null default 'bottle'
    check (image_style in ('bottle', 'pouch', 'cup', 'tub', 'block', 'jar')),
  image_color text not null default '#1d5fbf' check (image_color ~ '^#[0-9a-f]{6}$'),
  subscribable boolean not null default false,
  active boolean not null default true,
  -- Search: a weighted full-text document (names A, category B, descriptions C) and a plain
  -- lower-case text for trigram matching (typos), both kept by the trigger below.
  search_doc tsvector not null default ''::tsvector,
  search_text text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index shop_products_category_idx on shop_products (category_id) where active;
create index shop_products_search_doc_idx on shop_products using gin (search_doc);
create index shop_products_search_trgm_idx on shop_products using gin (search_text gin_trgm_ops);
create index shop_products_created_idx on shop_products (created_at desc);

-- A sellable pack: 500 ml, 1 L, 200 g… Quantity and unit describe the pack; price is per pack.
create table shop_variants (
  id bigint generated always as identity primary key,
  product_id bigint not null references shop_products (id) on delete cascade,
  sku text not null unique check (sku ~ '^[A-Z0-9][A-Z0-9-]{1,39}$'),
  pack_qty numeric(10, 3) not null check (pack_qty > 0),
  unit text not null check (unit in ('ml', 'l', 'g', 'kg', 'pcs')),
  price_minor bigint not null check (price_minor > 0 and price_minor <= 100000000),
  -- Units that can still be sold; reserved atomically by checkout
  -- (update … set stock_available = stock_available - n where stock_available >= n).
  stock_available int not null default 0 check (stock_available >= 0),
  sort_order int not null default 0,
  active boolean not null default true,
  updated_at timestamptz not null default now()
);
create index shop_variants_product_idx on shop_variants (product_id, sort_order);
create index shop_variants_price_idx on shop_variants (price_minor) where active;

-- Every change of stock_available with its reason: orders reserve (-), cancellations release
-- (+), staff adjust (±, audited), receipts from production (+).
create table shop_stock_movements (
  id bigint generated always as identity primary key,
  variant_id bigint not null references shop_variants (id) on delete cascade,
  delta int not null check (delta <> 0),
  reason text not null check (reason in ('order', 'cancel', 'adjust', 'receipt', 'count')),
  order_id uuid,
  note text check (length(note) <= 300),
  actor_id uuid,
  at timestamptz not null default now()
);
create index shop_stock_movements_variant_idx on shop_stock_movements (variant_id, at desc);

-- Rebuilds a product's search columns from its names, descriptions and category names.
create function shop_products_search_refresh() returns trigger language plpgsql as $$
declare
  cat record;
begin
  select name_en, name_bn into cat from shop_categories where id = new.category_id;
  new.search_doc :=
    setweight(to_tsvector('english', coalesce(new.name_en, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(new.name_bn, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(cat.name_en, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(cat.name_bn, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(new.description_en, '')), 'C') ||
    setweight(to_tsvector('simple', coalesce(new.description_bn, '')), 'C');
  new.search_text := lower(new.name_en || ' ' || new.name_bn || ' ' || coalesce(cat.name_en, ''));
  return new;
end
$$;
create trigger shop_products_search before insert or update of
  name_en, name_bn, description_en, description_bn, category_id on shop_products
  for each row execute function shop_products_search_refresh();

-- Renaming a category refreshes its products' search columns.
create function shop_categories_search_refresh() returns trigger language plpgsql as $$
begin
  update shop_products set category_id = category_id where category_id = new.id;
  return new;
end
$$;
create trigger shop_categories_search after update of name_en, name_bn on shop_categories
  for each row execute function shop_categories_search_refresh();
