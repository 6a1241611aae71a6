-- Passkeys (WebAuthn): a person's registered authenticators. The public key is not a secret;
-- the credential id is what the authenticator names at sign-in. `sign_count` guards against a
-- cloned authenticator (a counter that goes backwards is refused when the authenticator keeps
-- one). Deleting the account deletes its passkeys.
create table passkeys (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  credential_id text not null unique check (length(credential_id) between 16 and 1400),
  public_key text not null, -- COSE key, base64url
  sign_count bigint not null default 0 check (sign_count >= 0),
  transports text[] not null default '{}',
  name text not null check (length(btrim(name)) between 1 and 80),
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index passkeys_user_idx on passkeys (user_id, created_at);
