-- Messages sent through the public contact form, and the delivery zones the public site lists
-- (the shop adds fees per slot and order rules on top of these).
create table contact_messages (
  id bigint generated always as identity primary key,
  name text not null check (length(name) between 2 and 100),
  -- personal data: encrypted per field (services/crypto/field_crypto.ts)
  phone_enc text not null,
  email_enc text,
  topic text not null check (topic in ('order', 'subscription', 'wholesale', 'other')),
  message text not null check (length(message) between 10 and 2000),
  locale text not null default 'en' check (locale in ('en', 'bn')),
  status text not null default 'new' check (status in ('new', 'answered', 'closed')),
  created_at timestamptz not null default now()
);
create index contact_messages_created_at on contact_messages (created_at desc);

create table delivery_zones (
  id bigint generated always as identity primary key,
  code text not null unique check (code ~ '^[a-z0-9-]+$'),
  name_en text not null,
  name_bn text not null,
  district text not null default 'Dhaka',
  fee_minor bigint not null check (fee_minor >= 0),
  min_order_minor bigint not null check (min_order_minor >= 0),
  active boolean not null default true,
  sort_order int not null default 0
);

insert into delivery_zones (code, name_en, name_bn, fee_minor, min_order_minor, sort_order) values
  ('gulshan', 'Gulshan', 'গুলশান', 4000, 30000, 1),
  ('banani', 'Banani', 'বনানী', 4000, 30000, 2),
  ('baridhara', 'Baridhara', 'বারিধারা', 4000, 30000, 3),
  ('dhanmondi', 'Dhanmondi', 'ধানমন্ডি', 5000, 30000, 4),
  ('mohammadpur', 'Mohammadpur', 'মোহাম্মদপুর', 5000, 30000, 5),
  ('uttara', 'Uttara', 'উত্তরা', 6000, 40000, 6),
  ('mirpur', 'Mirpur', 'মিরপুর', 6000, 40000, 7),
  ('bashundhara', 'Bashundhara R/A', 'বসুন্ধরা আ/এ', 5000, 30000, 8),
  ('motijheel', 'Motijheel', 'মতিঝিল', 6000, 40000, 9);
