-- Sign in with Google or Facebook (OpenID Connect): which provider account (issuer's `sub`)
-- belongs to which of our accounts. A verified email links to an existing account the first
-- time; afterwards the subject finds it even if the email changes at the provider.
create table social_identities (
  provider text not null check (provider in ('google', 'facebook')),
  subject text not null check (length(subject) between 1 and 255),
  user_id uuid not null references users (id) on delete cascade,
  email text,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  primary key (provider, subject)
);
create index social_identities_user_idx on social_identities (user_id);
