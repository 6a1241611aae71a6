-- Listing speed: each product keeps the lowest price of its packs on sale, so the catalogue can
-- filter and sort by price with an index instead of aggregating every product's variants per
-- request. Kept by a trigger on price and availability changes only (stock changes, the hot
-- path of checkout, do not touch the product row).

alter table shop_products add column min_price_minor bigint;

create function shop_products_min_price(pid bigint) returns void language sql as $$
  update shop_products p set min_price_minor = (
    select min(v.price_minor) from shop_variants v where v.product_id = pid and v.active
  ) where p.id = pid;
$$;

create function shop_variants_price_changed() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then perform shop_products_min_price(old.product_id); end if;
  if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.product_id <> old.product_id) then
    perform shop_products_min_price(new.product_id);
  end if;
  return null;
end
$$;

create trigger shop_variants_price after insert or delete or update of price_minor, active,
  product_id on shop_variants
  for each row execute function shop_variants_price_changed();

update shop_products p set min_price_minor = (
  select min(v.price_minor) from shop_variants v where v.product_id = p.id and v.active
);

create index shop_products_listing_idx on shop_products (category_id, name_en) where active;
create index shop_products_price_idx on shop_products (min_price_minor) where active;
create index shop_products_name_idx on shop_products (name_en) where active;

-- Trigram matching looks at the product names only (the category is in the full-text document
-- already): shorter texts are faster to compare and a typo no longer matches a whole category.
create or replace function shop_products_search_refresh() returns trigger language plpgsql as $$
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
  new.search_text := lower(new.name_en || ' ' || new.name_bn);
  return new;
end
$$;
update shop_products set category_id = category_id;

-- Typo search walks this index nearest-first (search_text <<-> query) and stops after a page,
-- instead of comparing the query with every product name.
create index shop_products_search_gist_idx on shop_products using gist (search_text gist_trgm_ops);
