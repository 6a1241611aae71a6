-- Retention and privacy (services/privacy): customers' data export and deletion requests,
-- consent records for marketing messages, anonymised accounts.

-- A customer's request (an export or a deletion) and its completion. user_id has no foreign key:
-- the record outlives the account's personal data (it is what proves the deletion was done).
create table privacy_requests (
  id bigint generated always as identity primary key,
  user_id uuid not null,
  kind text not null check (kind in ('export', 'deletion')),
  status text not null default 'requested' check (status in ('requested', 'completed')),
  requested_at timestamptz not null,
  completed_at timestamptz,
  -- What was done, by context: counts only, never the personal data itself.
  summary jsonb not null default '{}'::jsonb,
  constraint privacy_requests_completed check ((status = 'completed') = (completed_at is not null))
);
create index privacy_requests_user_idx on privacy_requests (user_id, requested_at desc);

-- Consent to marketing (promotional) messages, one row per change, by address (+8801… or an
-- email address): given or withdrawn, where (account page, SMS STOP/START) and when.
create table notify_consents (
  id bigint generated always as identity primary key,
  address text not null check (length(address) between 1 and 320),
  purpose text not null default 'promotional' check (purpose in ('promotional')),
  granted boolean not null,
  source text not null check (source in ('account', 'sms_stop', 'sms_start', 'signup')),
  at timestamptz not null
);
create index notify_consents_address_idx on notify_consents (address, at desc);

-- An account whose personal fields were erased at the customer's request.
alter table users add column anonymised_at timestamptz;

-- Retention runs (services/privacy/retention.ts): what each data class archived and when.
create table privacy_retention_runs (
  id bigint generated always as identity primary key,
  data_class text not null check (length(data_class) between 1 and 60),
  ran_at timestamptz not null,
  cutoff timestamptz not null,
  rows_archived integer not null default 0 check (rows_archived >= 0),
  rows_erased integer not null default 0 check (rows_erased >= 0),
  archive_file text
);
