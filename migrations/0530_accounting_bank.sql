-- Accounting, bank and wallets (issue 13 §5): the bank and wallet accounts the company holds,
-- each tied to one ledger account, with the CSV layout its statements come in; imported
-- statement files and their lines (a line imported twice counts once: a fingerprint unique per
-- account); the providers' settlements (gross, fee, net) and how each statement line was
-- reconciled (matched to a ledger line, or posted to an account).

create table acc_bank_accounts (
  id serial primary key,
  -- The ledger account the statement mirrors (1151 Dutch-Bangla, 1160 bKash wallet…).
  account_id integer not null unique references acc_accounts (id),
  kind text not null check (kind in ('bank', 'wallet')),
  -- A wallet's provider: its settlement reports are imported, not bank statements.
  provider text check (provider in ('bkash', 'nagad', 'sslcommerz')),
  bank_name text not null check (length(btrim(bank_name)) between 1 and 120),
  account_number text not null default '' check (length(account_number) <= 40),
  -- The CSV layout (services/accounting/bank/formats.ts): a preset name and the columns.
  format jsonb not null default '{}',
  -- Matching: a ledger line counts as a candidate within ± this many days.
  window_days smallint not null default 3 check (window_days between 0 and 60),
  -- The statement's balance before its first imported line (at go-live).
  opening_balance_minor bigint not null default 0,
  -- Where a wallet's settlements are paid (a bank account of this table).
  settles_to integer references acc_bank_accounts (id),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  check ((kind = 'wallet') = (provider is not null))
);

create table acc_statement_imports (
  id bigint generated always as identity primary key,
  bank_account_id integer not null references acc_bank_accounts (id),
  kind text not null check (kind in ('csv', 'camt053', 'settlement')),
  file_name text not null default '' check (length(file_name) <= 200),
  line_count integer not null,
  added_count integer not null,
  duplicate_count integer not null,
  -- What the bank's file itself states (camt.053 OPBD/CLBD, a CSV balance column), if anything.
  stated_closing_minor bigint,
  stated_closing_on date,
  imported_by text,
  imported_by_name text not null default '',
  imported_at timestamptz not null default now()
);

create table acc_statement_lines (
  id bigint generated always as identity primary key,
  bank_account_id integer not null references acc_bank_accounts (id),
  import_id bigint not null references acc_statement_imports (id),
  value_date date not null,
  -- Signed: money into the account is positive (a credit on the bank's statement).
  amount_minor bigint not null check (amount_minor <> 0),
  reference text not null default '' check (length(reference) <= 200),
  description text not null default '' check (length(description) <= 300),
  -- The running balance the file printed after this line, when it has one.
  balance_minor bigint,
  -- sha-256 of date|amount|reference|description|n (n: the nth identical line of its file).
  fingerprint text not null,
  status text not null default 'unmatched'
    check (status in ('unmatched', 'matched', 'posted', 'ignored')),
  -- The ledger line this statement line stands for (matched, or posted by us).
  entry_id bigint,
  entry_line_no smallint,
  -- A customer's bank transfer applied to this payment (payments' id).
  payment_id text,
  note text check (length(note) <= 300),
  matched_by text,
  matched_by_name text,
  matched_at timestamptz,
  unique (bank_account_id, fingerprint),
  check ((status in ('matched', 'posted')) = (entry_id is not null))
);
create index acc_statement_lines_queue_idx on acc_statement_lines (bank_account_id, status, value_date);
create unique index acc_statement_lines_entry_key on acc_statement_lines (entry_id, entry_line_no)
  where entry_id is not null;

create table acc_settlements (
  id bigint generated always as identity primary key,
  -- The wallet's bank account row (provider inferred).
  wallet_id integer not null references acc_bank_accounts (id),
  bank_id integer not null references acc_bank_accounts (id),
  reference text not null check (length(reference) between 1 and 80),
  settled_on date not null,
  gross_minor bigint not null check (gross_minor > 0),
  fee_minor bigint not null check (fee_minor >= 0),
  net_minor bigint not null check (net_minor > 0),
  entry_id bigint not null,
  import_id bigint references acc_statement_imports (id),
  created_at timestamptz not null default now(),
  unique (wallet_id, reference),
  check (gross_minor = fee_minor + net_minor)
);

-- The company's accounts at go-live (editable on the bank page).
insert into acc_bank_accounts (account_id, kind, bank_name, format)
select id, 'bank', 'Dutch-Bangla Bank', '{"preset": "dbbl"}' from acc_accounts where code = '1151';
insert into acc_bank_accounts (account_id, kind, bank_name, format)
select id, 'bank', 'BRAC Bank', '{"preset": "brac"}' from acc_accounts where code = '1152';
insert into acc_bank_accounts (account_id, kind, provider, bank_name, format, settles_to)
select a.id, 'wallet', p.provider, p.name, jsonb_build_object('preset', p.provider),
       (select b.id from acc_bank_accounts b join acc_accounts x on x.id = b.account_id
         where x.code = '1151')
  from (values ('1160', 'bkash', 'bKash merchant wallet'), ('1161', 'nagad', 'Nagad merchant wallet'),
               ('1162', 'sslcommerz', 'SSLCommerz settlement')) as p(code, provider, name)
  join acc_accounts a on a.code = p.code;
