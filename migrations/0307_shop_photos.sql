-- Product photos: staff upload a phone photo; the shop keeps the original (until its sizes are
-- made) and, once the photo worker has run, square AVIF/WebP/JPEG sizes of it. The bytes live in
-- the database, so every instance serves the same pictures and a backup holds them too. The
-- sizes of a photo share one key, the start of a SHA-256 over their bytes' own hashes, which is
-- what their URLs name (`/shop/media/<key>-<width>.<ext>`, cached forever): new bytes, new URL.

create table shop_product_photos (
  id bigserial primary key,
  product_id bigint not null references shop_products (id) on delete cascade,
  -- The uploaded file until its sizes exist (then cleared to save space).
  source bytea,
  source_type text not null,
  source_width int not null check (source_width > 0),
  source_height int not null check (source_height > 0),
  source_bytes int not null,
  status text not null default 'pending' check (status in ('pending', 'ready', 'failed')),
  error text,
  -- What the sizes are: [{ "f": "avif"|"webp"|"jpeg", "w": 640, "h": 640 }], and their key.
  variants jsonb not null default '[]',
  media_key text unique,
  position int not null default 0,
  attempts int not null default 0,
  -- A worker making the sizes holds the photo until then (another may take it over after).
  claimed_until timestamptz,
  uploaded_by text,
  created_at timestamptz not null default now(),
  processed_at timestamptz
);
create index shop_product_photos_product_idx on shop_product_photos (product_id, position, id);
create index shop_product_photos_pending_idx on shop_product_photos (id) where status = 'pending';

create table shop_photo_media (
  photo_id bigint not null references shop_product_photos (id) on delete cascade,
  format text not null check (format in ('avif', 'webp', 'jpeg')),
  width int not null,
  height int not null,
  -- The size's own SHA-256 (its ETag).
  sha256 text not null,
  bytes bytea not null,
  primary key (photo_id, format, width)
);
