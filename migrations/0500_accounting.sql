-- Accounting, the ledger (issue 13 §1): chart of accounts, journals, fiscal years (1 July – 30
-- June) with monthly periods, journal entries with their lines in integer poisha.
--
-- What the database itself guarantees (whatever code writes):
-- * every entry balances: its header carries line_count and debit/credit totals (a CHECK makes
--   them equal); a DEFERRABLE INITIALLY DEFERRED constraint trigger, one call per entry, checks
--   at commit that the lines add up to the header. A transaction leaving an unbalanced entry
--   fails at COMMIT.
-- * no line can join an entry later: a line carries its entry's line_count and date (checked
--   against the header once per INSERT statement) and line_no between 1 and line_count, unique
--   per entry; the commit check saw all line_count lines, so every slot is taken.
-- * posted entries and lines are immutable: UPDATE, DELETE and TRUNCATE are refused by triggers.
--   Corrections are reversals (a new entry, reversal_of the original, at most one per entry).
-- * movements per account and day are kept by a statement trigger on the lines (insert-only
--   deltas, folded into acc_daily_totals), so reports never scan the lines.
-- * lines name existing accounts (accounts are never deleted). These checks run once per INSERT
--   statement, set-based, instead of per-row foreign keys: a row-by-row key-share lock on the
--   same hot account and journal rows by every concurrent poster contends on MultiXacts.

create table acc_accounts (
  id serial primary key,
  code text not null unique check (code ~ '^[0-9A-Z][0-9A-Z.-]{0,19}$'),
  name_en text not null check (length(btrim(name_en)) between 1 and 120),
  name_bn text not null check (length(btrim(name_bn)) between 1 and 120),
  type text not null check (type in ('asset', 'liability', 'equity', 'income', 'expense')),
  parent_id integer references acc_accounts (id),
  -- A heading that groups other accounts; nothing is posted to it.
  is_group boolean not null default false,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  check (parent_id is null or parent_id <> id)
);

create table acc_journals (
  code text primary key check (code ~ '^[A-Z]{2,12}$'),
  name_en text not null,
  name_bn text not null,
  kind text not null check (kind in ('sales', 'purchase', 'cash', 'bank', 'general', 'opening'))
);

create table acc_fiscal_years (
  id serial primary key,
  -- "2026-27": 1 July 2026 – 30 June 2027.
  code text not null unique check (code ~ '^[0-9]{4}-[0-9]{2}$'),
  starts_on date not null unique,
  ends_on date not null,
  check (extract(month from starts_on) = 7 and extract(day from starts_on) = 1),
  check (ends_on = (starts_on + interval '1 year' - interval '1 day')::date)
);

create table acc_periods (
  id serial primary key,
  fiscal_year_id integer not null references acc_fiscal_years (id),
  starts_on date not null unique,
  ends_on date not null,
  status text not null default 'open' check (status in ('open', 'closed')),
  changed_at timestamptz,
  changed_by text,
  changed_by_name text,
  check (ends_on >= starts_on)
);
create index acc_periods_range_idx on acc_periods (starts_on, ends_on);

create table acc_entries (
  id bigint generated always as identity primary key,
  -- The journals of acc_journals (a CHECK, not a foreign key: a key-share lock on one hot
  -- journal row per entry would make concurrent posters share MultiXacts).
  journal text not null
    check (journal in ('SALES', 'PURCHASE', 'CASH', 'BANK', 'GENERAL', 'OPENING')),
  entry_date date not null,
  -- Who posted it and for what: ('manual', form token), ('opening', fiscal year),
  -- ('reversal', original id), ('shop.order', order number)… unique: a repeated event posts once.
  source text not null check (source ~ '^[a-z][a-z0-9_.-]{0,39}$'),
  source_ref text not null check (length(source_ref) between 1 and 120),
  memo text not null default '' check (length(memo) <= 300),
  line_count smallint not null check (line_count between 2 and 500),
  debit_total_minor bigint not null,
  credit_total_minor bigint not null,
  -- The entry this one reverses (each entry is reversed at most once: a partial unique index,
  -- so ordinary entries add nothing to it).
  reversal_of bigint references acc_entries (id),
  created_by text,
  created_by_name text not null default '',
  posted_at timestamptz not null default now(),
  check (debit_total_minor = credit_total_minor and debit_total_minor > 0),
  unique (source, source_ref)
);
create index acc_entries_date_idx on acc_entries (entry_date, id);
create unique index acc_entries_reversal_key on acc_entries (reversal_of)
  where reversal_of is not null;

create table acc_entry_lines (
  entry_id bigint not null,
  line_no smallint not null,
  line_count smallint not null,
  entry_date date not null,
  -- An account of acc_accounts; checked per statement with the entry (see acc_lines_inserted).
  account_id integer not null,
  debit_minor bigint not null default 0 check (debit_minor >= 0),
  credit_minor bigint not null default 0 check (credit_minor >= 0),
  memo text not null default '' check (length(memo) <= 200),
  -- Whom the line concerns (a customer, supplier or farmer: "supplier:12"), free text.
  partner_ref text check (length(partner_ref) <= 80),
  primary key (entry_id, line_no),
  check (line_no between 1 and line_count),
  check ((debit_minor = 0) <> (credit_minor = 0))
);
create index acc_entry_lines_account_idx on acc_entry_lines (account_id, entry_date, entry_id);

-- Movements per account and day. Posters only ever INSERT into acc_daily_deltas (one row per
-- account and day per statement, from a trigger on the lines), so concurrent posters never wait
-- for each other's rows; acc_compact_daily_totals() folds the deltas into acc_daily_totals.
-- Readers add both.
create table acc_daily_totals (
  account_id integer not null,
  day date not null,
  debit_minor bigint not null default 0,
  credit_minor bigint not null default 0,
  primary key (account_id, day)
);
create index acc_daily_totals_day_idx on acc_daily_totals (day);

create table acc_daily_deltas (
  account_id integer not null,
  day date not null,
  debit_minor bigint not null,
  credit_minor bigint not null
);

-- ---- the database's rules ---------------------------------------------------------------------

create function acc_check_entry_balanced() returns trigger language plpgsql as $$
declare
  n integer;
  d bigint;
  c bigint;
begin
  select count(*), coalesce(sum(debit_minor), 0), coalesce(sum(credit_minor), 0)
    into n, d, c
    from acc_entry_lines where entry_id = new.id;
  if n <> new.line_count or d <> new.debit_total_minor or c <> new.credit_total_minor then
    raise exception 'journal entry % does not balance: % lines of % expected, debits % and credits % (poisha)',
      new.id, n, new.line_count, d, c
      using errcode = '23514', constraint = 'acc_entries_balanced';
  end if;
  return null;
end $$;

create constraint trigger acc_entries_balanced
  after insert on acc_entries
  deferrable initially deferred
  for each row execute function acc_check_entry_balanced();

create function acc_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'posted journal entries cannot be changed or deleted (%); post a reversal instead',
    tg_table_name using errcode = '55000';
end $$;

create trigger acc_entries_immutable before update or delete on acc_entries
  for each statement execute function acc_refuse_change();
create trigger acc_entries_no_truncate before truncate on acc_entries
  for each statement execute function acc_refuse_change();
create trigger acc_entry_lines_immutable before update or delete on acc_entry_lines
  for each statement execute function acc_refuse_change();
create trigger acc_entry_lines_no_truncate before truncate on acc_entry_lines
  for each statement execute function acc_refuse_change();

create function acc_refuse_account_delete() returns trigger language plpgsql as $$
begin
  raise exception 'accounts are never deleted; mark the account inactive' using errcode = '55000';
end $$;

create trigger acc_accounts_no_delete before delete or truncate on acc_accounts
  for each statement execute function acc_refuse_account_delete();

-- Once per INSERT statement on the lines (set-based, in place of per-row foreign keys): every
-- line belongs to an entry with the same line_count and date, names an existing account, and
-- its movement goes into the day's deltas.
create function acc_lines_inserted() returns trigger language plpgsql as $$
declare
  bad bigint;
begin
  -- The statement's entries fetched by primary key (= any), never a scan of acc_entries.
  with n as materialized (
    select distinct entry_id, line_count, entry_date from new_lines
  ), e as materialized (
    select id, line_count, entry_date from acc_entries
     where id = any(array(select entry_id from n))
  )
  select n.entry_id into bad
    from n left join e
      on e.id = n.entry_id and e.line_count = n.line_count and e.entry_date = n.entry_date
   where e.id is null
   limit 1;
  if found then
    raise exception 'journal line of entry % does not match a journal entry (its id, line count and date)', bad
      using errcode = '23503', constraint = 'acc_entry_lines_entry';
  end if;
  select l.entry_id into bad
    from new_lines l
   where not exists (select 1 from acc_accounts a where a.id = l.account_id)
   limit 1;
  if found then
    raise exception 'journal entry % names an account that does not exist', bad
      using errcode = '23503', constraint = 'acc_entry_lines_account';
  end if;
  insert into acc_daily_deltas (account_id, day, debit_minor, credit_minor)
  select account_id, entry_date, sum(debit_minor), sum(credit_minor)
    from new_lines group by account_id, entry_date;
  return null;
end $$;

-- Folds the committed deltas into the totals (one compactor at a time; others return 0 at once).
create function acc_compact_daily_totals() returns integer language plpgsql as $$
declare
  n integer;
begin
  if not pg_try_advisory_xact_lock(13014) then
    return 0;
  end if;
  with d as (
    delete from acc_daily_deltas returning account_id, day, debit_minor, credit_minor
  )
  insert into acc_daily_totals as t (account_id, day, debit_minor, credit_minor)
  select account_id, day, sum(debit_minor), sum(credit_minor)
    from d group by account_id, day order by account_id, day
  on conflict (account_id, day) do update
     set debit_minor = t.debit_minor + excluded.debit_minor,
         credit_minor = t.credit_minor + excluded.credit_minor;
  get diagnostics n = row_count;
  return n;
end $$;

create trigger acc_entry_lines_inserted after insert on acc_entry_lines
  referencing new table as new_lines
  for each statement execute function acc_lines_inserted();

-- ---- reference data ---------------------------------------------------------------------------

insert into acc_journals (code, name_en, name_bn, kind) values
  ('SALES', 'Sales journal', 'বিক্রয় জার্নাল', 'sales'),
  ('PURCHASE', 'Purchase journal', 'ক্রয় জার্নাল', 'purchase'),
  ('CASH', 'Cash journal', 'নগদ জার্নাল', 'cash'),
  ('BANK', 'Bank journal', 'ব্যাংক জার্নাল', 'bank'),
  ('GENERAL', 'General journal', 'সাধারণ জার্নাল', 'general'),
  ('OPENING', 'Opening balances', 'প্রারম্ভিক জের', 'opening');

-- The chart of accounts of a Bangladeshi dairy manufacturer (editable in the back office).
insert into acc_accounts (code, name_en, name_bn, type, is_group) values
  ('1000', 'Assets', 'সম্পদ', 'asset', true),
  ('1100', 'Cash and cash equivalents', 'নগদ ও নগদ সমতুল্য', 'asset', true),
  ('1110', 'Cash in hand', 'হাতে নগদ', 'asset', false),
  ('1120', 'Cash with riders (COD)', 'রাইডারের কাছে নগদ (ক্যাশ অন ডেলিভারি)', 'asset', false),
  ('1130', 'Petty cash', 'খুচরা নগদ', 'asset', false),
  ('1150', 'Bank accounts', 'ব্যাংক হিসাব', 'asset', true),
  ('1151', 'Dutch-Bangla Bank current account', 'ডাচ-বাংলা ব্যাংক চলতি হিসাব', 'asset', false),
  ('1152', 'BRAC Bank current account', 'ব্র্যাক ব্যাংক চলতি হিসাব', 'asset', false),
  ('1160', 'bKash merchant wallet', 'বিকাশ মার্চেন্ট ওয়ালেট', 'asset', false),
  ('1161', 'Nagad merchant wallet', 'নগদ মার্চেন্ট ওয়ালেট', 'asset', false),
  ('1162', 'SSLCommerz settlement', 'এসএসএলকমার্জ নিষ্পত্তি', 'asset', false),
  ('1200', 'Receivables', 'প্রাপ্য', 'asset', true),
  ('1210', 'Trade receivables (B2B customers)', 'ব্যবসায়িক প্রাপ্য (বি২বি গ্রাহক)', 'asset', false),
  ('1220', 'Receivables from shop customers', 'দোকানের গ্রাহকের কাছে প্রাপ্য', 'asset', false),
  ('1230', 'Advances to suppliers', 'সরবরাহকারীকে অগ্রিম', 'asset', false),
  ('1300', 'Inventory', 'মজুদ', 'asset', true),
  ('1310', 'Inventory: raw milk', 'মজুদ: কাঁচা দুধ', 'asset', false),
  ('1320', 'Inventory: ingredients', 'মজুদ: উপকরণ', 'asset', false),
  ('1330', 'Inventory: packaging', 'মজুদ: মোড়ক', 'asset', false),
  ('1340', 'Inventory: finished goods', 'মজুদ: তৈরি পণ্য', 'asset', false),
  ('1350', 'Inventory: feed', 'মজুদ: গোখাদ্য', 'asset', false),
  ('1360', 'Inventory: veterinary medicine', 'মজুদ: পশু ওষুধ', 'asset', false),
  ('1370', 'Work in progress', 'চলমান উৎপাদন', 'asset', false),
  ('1400', 'VAT and taxes receivable', 'প্রাপ্য ভ্যাট ও কর', 'asset', true),
  ('1410', 'VAT input (current account)', 'উপকরণ ভ্যাট (চলতি হিসাব)', 'asset', false),
  ('1420', 'VAT deducted at source by customers', 'গ্রাহক কর্তৃক উৎসে কর্তিত ভ্যাট', 'asset', false),
  ('1430', 'Advance income tax', 'অগ্রিম আয়কর', 'asset', false),
  ('1500', 'Fixed assets', 'স্থায়ী সম্পদ', 'asset', true),
  ('1510', 'Plant and machinery', 'প্ল্যান্ট ও যন্ত্রপাতি', 'asset', false),
  ('1520', 'Buildings', 'ভবন', 'asset', false),
  ('1530', 'Vehicles', 'যানবাহন', 'asset', false),
  ('1540', 'Dairy herd', 'দুগ্ধ গবাদিপশু', 'asset', false),
  ('1590', 'Accumulated depreciation', 'পুঞ্জীভূত অবচয়', 'asset', false),
  ('2000', 'Liabilities', 'দায়', 'liability', true),
  ('2100', 'Payables', 'প্রদেয়', 'liability', true),
  ('2110', 'Trade payables (suppliers)', 'ব্যবসায়িক প্রদেয় (সরবরাহকারী)', 'liability', false),
  ('2120', 'Payables to farmers', 'খামারিদের প্রদেয়', 'liability', false),
  ('2130', 'Accrued expenses', 'বকেয়া খরচ', 'liability', false),
  ('2200', 'Customer prepaid balances', 'গ্রাহকের অগ্রিম জমা', 'liability', false),
  ('2210', 'Advances from B2B customers', 'বি২বি গ্রাহকের অগ্রিম', 'liability', false),
  ('2300', 'VAT and duties payable', 'প্রদেয় ভ্যাট ও শুল্ক', 'liability', true),
  ('2310', 'VAT output payable', 'প্রদেয় উৎপাদ ভ্যাট', 'liability', false),
  ('2320', 'Supplementary duty payable', 'প্রদেয় সম্পূরক শুল্ক', 'liability', false),
  ('2330', 'VAT deducted at source payable', 'উৎসে কর্তিত প্রদেয় ভ্যাট', 'liability', false),
  ('2340', 'Income tax deducted at source payable', 'উৎসে কর্তিত প্রদেয় আয়কর', 'liability', false),
  ('2400', 'Bank loans', 'ব্যাংক ঋণ', 'liability', false),
  ('3000', 'Equity', 'মালিকানা স্বত্ব', 'equity', true),
  ('3100', 'Share capital', 'শেয়ার মূলধন', 'equity', false),
  ('3200', 'Retained earnings', 'সংরক্ষিত আয়', 'equity', false),
  ('3300', 'Opening balance equity', 'প্রারম্ভিক জের মূলধন', 'equity', false),
  ('4000', 'Income', 'আয়', 'income', true),
  ('4110', 'Sales: shop (B2C)', 'বিক্রয়: দোকান (বি২সি)', 'income', false),
  ('4120', 'Sales: B2B', 'বিক্রয়: বি২বি', 'income', false),
  ('4130', 'Sales: by-products', 'বিক্রয়: উপজাত', 'income', false),
  ('4200', 'Delivery fee income', 'ডেলিভারি চার্জ আয়', 'income', false),
  ('4300', 'Sales discounts', 'বিক্রয় ছাড়', 'income', false),
  ('4400', 'Sales returns', 'বিক্রয় ফেরত', 'income', false),
  ('4900', 'Other income', 'অন্যান্য আয়', 'income', false),
  ('5000', 'Expenses', 'ব্যয়', 'expense', true),
  ('5100', 'Cost of goods sold', 'বিক্রীত পণ্যের ব্যয়', 'expense', false),
  ('5110', 'Production yield variance', 'উৎপাদন ফলন বিচ্যুতি', 'expense', false),
  ('5120', 'Scrap and count loss', 'বাতিল ও গণনা ঘাটতি', 'expense', false),
  ('5200', 'Payment provider fees', 'পেমেন্ট সেবার ফি', 'expense', false),
  ('5210', 'Bank charges', 'ব্যাংক চার্জ', 'expense', false),
  ('5300', 'Delivery and transport', 'ডেলিভারি ও পরিবহন', 'expense', false),
  ('5400', 'Salaries and wages', 'বেতন ও মজুরি', 'expense', false),
  ('5500', 'Electricity, gas and water', 'বিদ্যুৎ, গ্যাস ও পানি', 'expense', false),
  ('5600', 'Feed consumed (farm)', 'ব্যবহৃত গোখাদ্য (খামার)', 'expense', false),
  ('5610', 'Veterinary costs (farm)', 'পশু চিকিৎসা খরচ (খামার)', 'expense', false),
  ('5700', 'Depreciation', 'অবচয়', 'expense', false),
  ('5900', 'Other expenses', 'অন্যান্য ব্যয়', 'expense', false);

-- Parents: the bank and wallet accounts under 1150, else the group of the first two digits
-- (1110 → 1100), else the group of the first digit (1100 → 1000).
update acc_accounts a set parent_id = (
  select g.id from acc_accounts g
   where g.is_group and g.code <> a.code
     and g.code in (case when a.code ~ '^11(5[1-9]|6[0-9])$' then '1150' end,
                    left(a.code, 2) || '00', left(a.code, 1) || '000')
   order by (g.code = '1150') desc, g.code desc limit 1)
 where a.code <> left(a.code, 1) || '000';
