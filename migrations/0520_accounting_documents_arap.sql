-- Issue 13 §3 and §4: issued sales documents (Mushak 6.3 tax invoices, Mushak 6.7 credit notes)
-- as records, numbered without gaps per kind, issuing location and fiscal year; the open items of
-- receivables and payables (one per line on a control account, made by the database itself from
-- the journal lines, so the control accounts always equal the open items), allocations between
-- them, the parties' contacts and the dunning log.

-- The registered person printed on every document (one row; the company edits it).
create table acc_seller_profile (
  id boolean primary key default true check (id),
  name_en text not null check (length(name_en) between 1 and 200),
  name_bn text not null default '' check (length(name_bn) <= 200),
  bin text not null check (bin ~ '^[0-9]{13}$'),
  officer_name_en text not null check (length(officer_name_en) between 1 and 120),
  officer_name_bn text not null default '' check (length(officer_name_bn) <= 120),
  officer_title_en text not null check (length(officer_title_en) between 1 and 120),
  officer_title_bn text not null default '' check (length(officer_title_bn) <= 120)
);
insert into acc_seller_profile (name_en, name_bn, bin, officer_name_en, officer_name_bn,
                                officer_title_en, officer_title_bn)
values ('Smart Dairy Ltd.', 'স্মার্ট ডেইরি লিমিটেড', '0012345670101', 'Accounts officer',
        'হিসাব কর্মকর্তা', 'Sales accountant', 'বিক্রয় হিসাবরক্ষক');

-- Issuing locations: each keeps its own series of numbers.
create table acc_issuing_locations (
  code text primary key check (code ~ '^[A-Z0-9]{2,8}$'),
  name_en text not null check (length(name_en) between 1 and 120),
  name_bn text not null default '' check (length(name_bn) <= 120),
  address_en text not null check (length(address_en) between 1 and 300),
  address_bn text not null default '' check (length(address_bn) <= 300),
  is_default boolean not null default false
);
create unique index acc_issuing_locations_default on acc_issuing_locations (is_default)
  where is_default;
insert into acc_issuing_locations (code, name_en, name_bn, address_en, address_bn, is_default)
values ('DHK', 'Savar factory', 'সাভার কারখানা', 'Plot 12, Savar Dairy Road, Savar, Dhaka 1340',
        'প্লট ১২, সাভার ডেইরি রোড, সাভার, ঢাকা ১৩৪০', true);

-- The last number given per series. Taken with INSERT … ON CONFLICT DO UPDATE in the issuing
-- transaction: the row stays locked until commit, so concurrent issuers queue and a rolled-back
-- issue gives its number back (no gaps).
create table acc_document_series (
  kind text not null check (kind in ('invoice', 'credit_note')),
  location text not null references acc_issuing_locations (code),
  fiscal_year text not null check (fiscal_year ~ '^[0-9]{4}$'),
  last_seq integer not null check (last_seq > 0),
  primary key (kind, location, fiscal_year)
);

create table acc_sales_documents (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('invoice', 'credit_note')),
  number text not null unique,
  location text not null references acc_issuing_locations (code),
  fiscal_year text not null check (fiscal_year ~ '^[0-9]{4}$'),
  seq integer not null check (seq > 0),
  issued_at timestamptz not null,
  issue_date date not null,
  -- What the document is for: ('shop.order', order id), ('acc.on_account', caller's reference)…
  source text not null check (source ~ '^[a-z][a-z0-9_.-]{0,39}$'),
  source_ref text not null check (length(source_ref) between 1 and 120),
  -- The customer (party) and the ledger's partner on the receivable line.
  party_ref text not null check (length(party_ref) between 1 and 80),
  partner_ref text not null check (length(partner_ref) between 1 and 80),
  order_number text,
  lang text not null check (lang in ('en', 'bn')),
  -- Everything printed, as issued (a reprint gives the same document).
  seller jsonb not null,
  buyer jsonb not null,
  location_snapshot jsonb not null,
  officer jsonb not null,
  lines jsonb not null,
  reason jsonb,
  original_id bigint references acc_sales_documents (id),
  value_minor bigint not null,
  discount_minor bigint not null,
  sd_minor bigint not null,
  vat_minor bigint not null,
  total_minor bigint not null check (total_minor >= 0),
  terms text check (terms in ('cash', '7', '15', '30')),
  due_date date,
  entry_id bigint references acc_entries (id),
  created_at timestamptz not null default now(),
  unique (kind, location, fiscal_year, seq),
  unique (kind, source, source_ref),
  check ((kind = 'credit_note') = (original_id is not null))
);
create index acc_sales_documents_issued_idx on acc_sales_documents (issue_date, id);
create index acc_sales_documents_party_idx on acc_sales_documents (party_ref, issue_date);
create index acc_sales_documents_order_idx on acc_sales_documents (order_number);
create index acc_sales_documents_original_idx on acc_sales_documents (original_id);

create function acc_refuse_document_change() returns trigger language plpgsql as $$
begin
  raise exception 'issued sales documents cannot be changed or deleted; issue a credit note'
    using errcode = '55000';
end $$;
create trigger acc_sales_documents_immutable before update or delete on acc_sales_documents
  for each statement execute function acc_refuse_document_change();

-- Customers and suppliers as the receivables see them: names and contacts for statements and
-- reminders, the reminder interval. ref: 'customer:<uuid>', 'b2b:<id>', 'supplier:<id>'…
create table acc_parties (
  ref text primary key check (length(ref) between 1 and 80),
  side text not null check (side in ('receivable', 'payable')),
  name_en text not null check (length(name_en) between 1 and 200),
  name_bn text not null default '' check (length(name_bn) <= 200),
  email text check (length(email) <= 320),
  phone text check (phone ~ '^\+[1-9][0-9]{7,14}$'),
  lang text not null default 'en' check (lang in ('en', 'bn')),
  bin text check (bin ~ '^[0-9]{13}$'),
  address text not null default '' check (length(address) <= 300),
  dunning_interval_days integer not null default 7 check (dunning_interval_days between 1 and 365),
  updated_at timestamptz not null default now()
);

-- A ledger partner that belongs to a party (an order's lines → its customer).
create table acc_partner_links (
  partner_ref text primary key,
  party_ref text not null
);

-- Which accounts carry open items, and on which side.
create table acc_control_accounts (
  account_id integer primary key references acc_accounts (id),
  side text not null check (side in ('receivable', 'payable'))
);
insert into acc_control_accounts (account_id, side)
select id, case when code = '2110' then 'payable' else 'receivable' end
  from acc_accounts where code in ('1210', '1220', '2110');

-- One open item per journal line on a control account. amount_minor is what the party owes us
-- (receivable: debit − credit) or we owe the party (payable: credit − debit); negative amounts
-- are payments and credits. open_minor is what allocations have not yet settled.
create table acc_open_items (
  id bigint generated always as identity primary key,
  side text not null check (side in ('receivable', 'payable')),
  entry_id bigint not null,
  line_no smallint not null,
  account_id integer not null,
  partner_ref text,
  item_date date not null,
  due_date date not null,
  amount_minor bigint not null check (amount_minor <> 0),
  open_minor bigint not null,
  source text not null,
  source_ref text not null,
  memo text not null default '',
  document_id bigint references acc_sales_documents (id),
  unique (entry_id, line_no),
  check (open_minor = 0 or sign(open_minor) = sign(amount_minor)),
  check (abs(open_minor) <= abs(amount_minor))
);
create index acc_open_items_partner_idx on acc_open_items (side, partner_ref, item_date, id);
create index acc_open_items_open_idx on acc_open_items (side, due_date) where open_minor <> 0;
create index acc_open_items_document_idx on acc_open_items (document_id);

-- charge: an item with a positive amount (invoice, bill, refund paid out); settlement: a negative
-- one (payment, credit note). Effective on the later of the two items' dates.
create table acc_allocations (
  id bigint generated always as identity primary key,
  charge_item_id bigint not null references acc_open_items (id),
  settle_item_id bigint not null references acc_open_items (id),
  amount_minor bigint not null check (amount_minor > 0),
  effective_on date not null,
  automatic boolean not null default false,
  created_by_name text not null default '',
  created_at timestamptz not null default now()
);
create index acc_allocations_charge_idx on acc_allocations (charge_item_id);
create index acc_allocations_settle_idx on acc_allocations (settle_item_id);

-- Settles the open items of one partner against each other, oldest first (an order's payment and
-- its invoice). Locks the partner's open items in id order.
create function acc_auto_allocate(p_side text, p_partner text) returns void
language plpgsql as $$
declare
  c record;
  s record;
  amt bigint;
begin
  perform 1 from acc_open_items
   where side = p_side and partner_ref = p_partner and open_minor <> 0
   order by id for update;
  for c in select id, item_date from acc_open_items
            where side = p_side and partner_ref = p_partner and open_minor > 0
            order by item_date, id loop
    for s in select id, item_date from acc_open_items
              where side = p_side and partner_ref = p_partner and open_minor < 0
              order by item_date, id loop
      select least(ci.open_minor, -si.open_minor) into amt
        from acc_open_items ci, acc_open_items si where ci.id = c.id and si.id = s.id;
      exit when amt is null or amt <= 0;
      update acc_open_items set open_minor = open_minor - amt where id = c.id;
      update acc_open_items set open_minor = open_minor + amt where id = s.id;
      insert into acc_allocations (charge_item_id, settle_item_id, amount_minor, effective_on,
                                   automatic, created_by_name)
      values (c.id, s.id, amt, greatest(c.item_date, s.item_date), true, 'automatic');
    end loop;
  end loop;
end $$;

create function acc_lines_open_items() returns trigger language plpgsql as $$
declare
  p record;
begin
  with ins as (
    insert into acc_open_items (side, entry_id, line_no, account_id, partner_ref, item_date,
                                due_date, amount_minor, open_minor, source, source_ref, memo)
    select c.side, l.entry_id, l.line_no, l.account_id, l.partner_ref, l.entry_date, l.entry_date,
           v.amount, v.amount, e.source, e.source_ref,
           left(coalesce(nullif(l.memo, ''), e.memo), 300)
      from new_lines l
      join acc_control_accounts c on c.account_id = l.account_id
      join acc_entries e on e.id = l.entry_id
      cross join lateral (select case when c.side = 'receivable'
                                      then l.debit_minor - l.credit_minor
                                      else l.credit_minor - l.debit_minor end as amount) v
    returning side, partner_ref
  )
  -- An order's lines settle each other (payment, sale, COD, refund of the same order).
  select coalesce(array_agg(distinct side || '|' || partner_ref), '{}') as keys into p
    from ins where partner_ref like 'order:%';
  if cardinality(p.keys) > 0 then
    perform acc_auto_allocate(split_part(k, '|', 1), substr(k, length(split_part(k, '|', 1)) + 2))
       from unnest(p.keys) as k order by k;
  end if;
  return null;
end $$;

create trigger acc_entry_lines_open_items after insert on acc_entry_lines
  referencing new table as new_lines
  for each statement execute function acc_lines_open_items();

-- Items for what was posted before this migration (a live database: the books already ran).
insert into acc_open_items (side, entry_id, line_no, account_id, partner_ref, item_date, due_date,
                            amount_minor, open_minor, source, source_ref, memo)
select c.side, l.entry_id, l.line_no, l.account_id, l.partner_ref, l.entry_date, l.entry_date,
       v.amount, v.amount, e.source, e.source_ref, left(coalesce(nullif(l.memo, ''), e.memo), 300)
  from acc_entry_lines l
  join acc_control_accounts c on c.account_id = l.account_id
  join acc_entries e on e.id = l.entry_id
  cross join lateral (select case when c.side = 'receivable' then l.debit_minor - l.credit_minor
                                  else l.credit_minor - l.debit_minor end as amount) v
 where v.amount <> 0;
select acc_auto_allocate(side, partner_ref)
  from (select distinct side, partner_ref from acc_open_items
         where partner_ref like 'order:%' order by 1, 2) x;

-- Reminders sent (one row per party and run), so a party hears from us once per interval.
create table acc_dunning_log (
  id bigint generated always as identity primary key,
  party_ref text not null,
  sent_at timestamptz not null,
  lang text not null check (lang in ('en', 'bn')),
  channels text[] not null,
  overdue_minor bigint not null,
  items jsonb not null,
  message_ids text[] not null default '{}'
);
create index acc_dunning_log_party_idx on acc_dunning_log (party_ref, sent_at desc);
