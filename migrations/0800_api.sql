-- Issue 16: the public API's callers. Partner and B2B clients, their API keys (stored hashed, shown
-- once), OAuth 2.0 client-credentials secrets, the JWT signing keys (private halves encrypted with
-- the field keyring), the hourly request counts shared by every app process, the per-call log and
-- the idempotency keys of creating calls.

create table api_clients (
  id bigserial primary key,
  name text not null check (length(name) between 2 and 120),
  kind text not null check (kind in ('partner', 'b2b')),
  -- A B2B account's own client: its keys see only that account's data.
  b2b_account_id bigint,
  -- The most any key or token of this client may carry, e.g. {catalog:read, orders:write}.
  scopes text[] not null,
  rate_limit_per_hour integer not null default 1000 check (rate_limit_per_hour between 1 and 1000000),
  -- OAuth 2.0 client credentials: the public client id and the secret's hash (null: none issued).
  oauth_client_id text not null unique,
  oauth_secret_hash text,
  oauth_secret_prefix text,
  created_by uuid,
  created_at timestamptz not null default now(),
  disabled_at timestamptz,
  check ((kind = 'b2b') = (b2b_account_id is not null))
);
create index api_clients_b2b on api_clients (b2b_account_id) where b2b_account_id is not null;

create table api_keys (
  id bigserial primary key,
  client_id bigint not null references api_clients (id),
  name text not null check (length(name) between 1 and 120),
  -- The first characters of the key ("sd_live_AbCd1234"), shown in lists and logs.
  prefix text not null,
  -- SHA-256 (hex) of the whole key; the key itself is never stored.
  hash text not null unique,
  scopes text[] not null,
  rate_limit_per_hour integer not null check (rate_limit_per_hour between 1 and 1000000),
  expires_at timestamptz,
  revoked_at timestamptz,
  -- Rotation: the key that replaced this one (this one keeps working until its expires_at).
  rotated_to bigint references api_keys (id),
  last_used_at timestamptz,
  created_by uuid,
  created_at timestamptz not null default now()
);
create index api_keys_client on api_keys (client_id, id);

-- Requests per subject ("key:12", "client:3") per hour, counted by every process alike.
create table api_rate_windows (
  subject text not null,
  window_start timestamptz not null,
  count integer not null,
  primary key (subject, window_start)
);

-- Who called what: one row per authenticated call.
create table api_calls (
  id bigserial primary key,
  at timestamptz not null,
  client_id bigint not null,
  key_id bigint,
  method text not null,
  path text not null
);
create index api_calls_client_at on api_calls (client_id, at desc);

-- JWT signing keys (ES256): the newest active key signs; retired keys stay in the JWKS until the
-- last token they signed has expired.
create table api_signing_keys (
  kid text primary key,
  public_jwk jsonb not null,
  private_jwk_enc text not null,
  created_at timestamptz not null,
  retired_at timestamptz
);

-- Idempotency-Key of creating calls: the first call's response is replayed for the same key.
create table api_idempotency (
  client_id bigint not null,
  key text not null,
  request_hash text not null,
  status integer,
  response jsonb,
  created_at timestamptz not null,
  primary key (client_id, key)
);
