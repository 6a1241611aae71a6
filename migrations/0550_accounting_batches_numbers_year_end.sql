-- Accounting (issue 13): the balance check once per INSERT statement instead of once per entry,
-- gap-free journal numbers per journal and fiscal year, and the year-end close.
--
-- * Every INSERT statement on acc_entries (a statement trigger) records its entries' ids as one
--   row of acc_entry_batches. A DEFERRABLE INITIALLY DEFERRED constraint trigger on that row checks
--   at commit, set-based, that each of those entries has exactly its line_count lines adding up
--   to its header totals: one check per statement (a batch of postings), not one per entry. A
--   transaction leaving an unbalanced entry still fails at COMMIT, whoever wrote it.
-- * acc_entry_batches is also the numbering queue: acc_number_entries() (one runner at a time)
--   takes the committed batches and gives their entries the next numbers of their journal and
--   fiscal year from acc_number_counters, in entry id order: SALES/2026-27/000123. Only committed
--   entries are ever numbered and numbers are never taken back (entries are never deleted), so the
--   numbers of a journal and year have no gaps. Posters never wait on a counter row.
-- * A fiscal year can be closed (its income and expense balances moved to retained earnings by a
--   closing entry, its periods closed) and reopened (the closing entry reversed), audited.

create table acc_entry_batches (
  id bigint generated always as identity primary key,
  entry_ids bigint[] not null
);

create function acc_entries_inserted() returns trigger language plpgsql as $$
begin
  insert into acc_entry_batches (entry_ids)
  select array_agg(id order by id) from new_entries having count(*) > 0;
  return null;
end $$;

create trigger acc_entries_inserted after insert on acc_entries
  referencing new table as new_entries
  for each statement execute function acc_entries_inserted();

-- At commit, once per batch: each entry has its line_count lines and they add up to its totals.
create function acc_check_batch_balanced() returns trigger language plpgsql as $$
declare
  r record;
begin
  -- Entry by entry through the primary keys (a plan over `= any(array)` can scan the tables).
  select e.id, s.n, e.line_count, s.d, s.c
    into r
    from unnest(new.entry_ids) as k(id)
    join acc_entries e on e.id = k.id
    cross join lateral (
      select count(*) as n, coalesce(sum(l.debit_minor), 0) as d,
             coalesce(sum(l.credit_minor), 0) as c
        from acc_entry_lines l where l.entry_id = k.id) s
   where s.n <> e.line_count or s.d <> e.debit_total_minor or s.c <> e.credit_total_minor
   limit 1;
  if found then
    raise exception 'journal entry % does not balance: % lines of % expected, debits % and credits % (poisha)',
      r.id, r.n, r.line_count, r.d, r.c
      using errcode = '23514', constraint = 'acc_entries_balanced';
  end if;
  return null;
end $$;

create constraint trigger acc_entry_batches_balanced
  after insert on acc_entry_batches
  deferrable initially deferred
  for each row execute function acc_check_batch_balanced();

-- The batch check replaces the per-entry one.
drop trigger acc_entries_balanced on acc_entries;

-- A batch row is only taken away by the numbering, after its transaction committed: never by
-- the transaction that wrote it (its check is still to come).
create function acc_entry_batches_keep() returns trigger language plpgsql as $$
begin
  if old.xmin = pg_current_xact_id()::xid then
    raise exception 'a batch of journal entries cannot be removed before it is committed'
      using errcode = '55000';
  end if;
  return old;
end $$;

create trigger acc_entry_batches_keep before delete on acc_entry_batches
  for each row execute function acc_entry_batches_keep();
create trigger acc_entry_batches_no_update before update or truncate on acc_entry_batches
  for each statement execute function acc_refuse_change();

-- The lines' statement check: the accounts looked up once each, not once per line.
create or replace function acc_lines_inserted() returns trigger language plpgsql as $$
declare
  bad bigint;
begin
  -- Each entry by its primary key (a plan over `= any(array)` scanned the whole table).
  select n.entry_id into bad
    from (select distinct entry_id, line_count, entry_date from new_lines) n
   where not exists (select 1 from acc_entries e
                      where e.id = n.entry_id and e.line_count = n.line_count
                        and e.entry_date = n.entry_date)
   limit 1;
  if found then
    raise exception 'journal line of entry % does not match a journal entry (its id, line count and date)', bad
      using errcode = '23503', constraint = 'acc_entry_lines_entry';
  end if;
  select l.entry_id into bad
    from new_lines l
   where l.account_id = any(array(
           select x.account_id
             from (select distinct account_id from new_lines) x
            where not exists (select 1 from acc_accounts a where a.id = x.account_id)))
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

-- ---- journal numbers ----------------------------------------------------------------------------

create table acc_number_counters (
  journal text not null,
  fiscal_year text not null,
  last_no integer not null check (last_no >= 0),
  primary key (journal, fiscal_year)
);

create table acc_entry_numbers (
  entry_id bigint primary key references acc_entries (id),
  journal text not null,
  fiscal_year text not null,
  seq integer not null check (seq > 0),
  unique (journal, fiscal_year, seq)
);

create trigger acc_entry_numbers_immutable before update or delete or truncate on acc_entry_numbers
  for each statement execute function acc_refuse_change();

-- "2026-27" for a date from 1 July 2026 to 30 June 2027.
create function acc_fiscal_year_code(d date) returns text language sql immutable as $$
  select (extract(year from d)::int - (extract(month from d) < 7)::int)::text || '-' ||
         lpad(((extract(year from d)::int - (extract(month from d) < 7)::int + 1) % 100)::text, 2, '0')
$$;

-- Numbers the entries of the committed batches (one runner at a time; the others return 0 at
-- once). Returns how many entries were numbered.
create function acc_number_entries() returns integer language plpgsql as $$
declare
  n integer;
begin
  if not pg_try_advisory_xact_lock(13015) then
    return 0;
  end if;
  -- Committed batches only: a transaction that posted and reads its entries (numbering them on
  -- the way) leaves its own batch for after its commit.
  with b as (
    delete from acc_entry_batches where xmin <> pg_current_xact_id()::xid returning entry_ids
  ), e as materialized (
    select x.id, x.journal, acc_fiscal_year_code(x.entry_date) as fy
      from (select unnest(entry_ids) as id from b) k
      join acc_entries x on x.id = k.id
     where not exists (select 1 from acc_entry_numbers k where k.entry_id = x.id)
  ), c as (
    insert into acc_number_counters as k (journal, fiscal_year, last_no)
    select journal, fy, count(*) from e group by journal, fy order by journal, fy
    on conflict (journal, fiscal_year) do update set last_no = k.last_no + excluded.last_no
    returning journal, fiscal_year, last_no
  ), ins as (
    insert into acc_entry_numbers (entry_id, journal, fiscal_year, seq)
    select e.id, e.journal, e.fy,
           c.last_no - count(*) over w + row_number() over (w order by e.id)
      from e join c on c.journal = e.journal and c.fiscal_year = e.fy
    window w as (partition by e.journal, e.fy)
    returning 1
  )
  select count(*) into n from ins;
  return n;
end $$;

-- Entries posted before this migration, numbered in id order.
insert into acc_entry_numbers (entry_id, journal, fiscal_year, seq)
select id, journal, acc_fiscal_year_code(entry_date),
       row_number() over (partition by journal, acc_fiscal_year_code(entry_date) order by id)
  from acc_entries;
insert into acc_number_counters (journal, fiscal_year, last_no)
select journal, fiscal_year, max(seq) from acc_entry_numbers group by journal, fiscal_year;

-- ---- year-end close -----------------------------------------------------------------------------

alter table acc_fiscal_years
  add column status text not null default 'open' check (status in ('open', 'closed')),
  add column close_count integer not null default 0,
  add column closing_entry_id bigint references acc_entries (id),
  add column changed_at timestamptz,
  add column changed_by text,
  add column changed_by_name text;
