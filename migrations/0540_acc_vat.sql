-- VAT (issue 13 §6): tax classes with dated rates, and the VAT deducted at source certificates
-- (Mushak 6.6) received from withholding customers.
--
-- A class's rate changes by adding a row with a later effective date; the rows are never
-- updated or deleted (a trigger refuses it), so the rate on any past date stays what it was.
-- The class codes "standard", "reduced" and "exempt" are the shop's VAT classes too.

create table acc_tax_classes (
  code text primary key check (code ~ '^[a-z0-9_]{2,30}$'),
  name_en text not null check (length(btrim(name_en)) between 1 and 80),
  name_bn text not null check (length(btrim(name_bn)) between 1 and 80),
  -- The nature of supply on Mushak 9.1: standard rated (note 4), other than standard rate
  -- (note 7), exempt (note 3), zero rated (note 1).
  kind text not null check (kind in ('standard', 'reduced', 'exempt', 'zero_rated')),
  created_at timestamptz not null default now()
);

create table acc_tax_rates (
  id serial primary key,
  class_code text not null references acc_tax_classes (code),
  effective_from date not null,
  -- Basis points: 1500 = 15 %, 750 = 7.5 %.
  vat_rate_bp integer not null check (vat_rate_bp between 0 and 10000),
  -- Supplementary duty on top of VAT (0 for most goods).
  sd_rate_bp integer not null default 0 check (sd_rate_bp between 0 and 50000),
  note text not null default '' check (length(note) <= 200),
  created_by text,
  created_by_name text not null default '',
  created_at timestamptz not null default now(),
  unique (class_code, effective_from)
);

create function acc_tax_rates_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'tax rates are history: add a rate with a later effective date instead'
    using errcode = '55000';
end $$;

create trigger acc_tax_rates_immutable before update or delete on acc_tax_rates
  for each statement execute function acc_tax_rates_refuse_change();
create trigger acc_tax_rates_no_truncate before truncate on acc_tax_rates
  for each statement execute function acc_tax_rates_refuse_change();

insert into acc_tax_classes (code, name_en, name_bn, kind) values
  ('standard', 'Standard VAT', 'সাধারণ হারের ভ্যাট', 'standard'),
  ('reduced', 'Reduced VAT 5%', 'হ্রাসকৃত ভ্যাট ৫%', 'reduced'),
  ('reduced_7_5', 'Reduced VAT 7.5%', 'হ্রাসকৃত ভ্যাট ৭.৫%', 'reduced'),
  ('reduced_10', 'Reduced VAT 10%', 'হ্রাসকৃত ভ্যাট ১০%', 'reduced'),
  ('exempt', 'VAT exempt (First Schedule)', 'ভ্যাটমুক্ত (প্রথম তফসিল)', 'exempt'),
  ('zero_rated', 'Zero rated (export)', 'শূন্য হার (রপ্তানি)', 'zero_rated'),
  ('standard_sd10', 'Standard VAT with supplementary duty 10%', 'সাধারণ ভ্যাট ও সম্পূরক শুল্ক ১০%', 'standard');

-- The VAT and SD Act 2012 applies from 1 July 2019.
insert into acc_tax_rates (class_code, effective_from, vat_rate_bp, sd_rate_bp, note, created_by_name)
values
  ('standard', '2019-07-01', 1500, 0, 'VAT and SD Act 2012', 'seed'),
  ('reduced', '2019-07-01', 500, 0, 'VAT and SD Act 2012', 'seed'),
  ('reduced_7_5', '2019-07-01', 750, 0, 'VAT and SD Act 2012', 'seed'),
  ('reduced_10', '2019-07-01', 1000, 0, 'VAT and SD Act 2012', 'seed'),
  ('exempt', '2019-07-01', 0, 0, 'VAT and SD Act 2012', 'seed'),
  ('zero_rated', '2019-07-01', 0, 0, 'VAT and SD Act 2012', 'seed'),
  ('standard_sd10', '2019-07-01', 1500, 1000, 'VAT and SD Act 2012', 'seed');

-- Mushak 6.6 certificates received: a withholding customer paid the invoice less the VAT it
-- deducted and deposited; the certificate is posted Dr 1420 VAT deducted at source / Cr the
-- customer's receivable, and counts as a decreasing adjustment (9.1 note 29) of its month.
create table acc_vat_withholdings (
  id serial primary key,
  certificate_no text not null check (length(btrim(certificate_no)) between 1 and 60),
  certificate_date date not null,
  customer_name text not null check (length(btrim(customer_name)) between 1 and 120),
  customer_bin text check (customer_bin ~ '^[0-9]{13}$'),
  -- The ledger's partner reference of the customer ("b2b:12", "customer:…"), when known.
  partner_ref text check (length(partner_ref) <= 80),
  invoice_no text not null check (length(btrim(invoice_no)) between 1 and 60),
  invoice_date date,
  amount_withheld_minor bigint not null check (amount_withheld_minor > 0),
  receivable_account text not null,
  entry_id bigint not null references acc_entries (id),
  created_by text,
  created_by_name text not null default '',
  created_at timestamptz not null default now()
);
create unique index acc_vat_withholdings_key
  on acc_vat_withholdings (lower(customer_name), lower(certificate_no));
create index acc_vat_withholdings_date_idx on acc_vat_withholdings (certificate_date);
