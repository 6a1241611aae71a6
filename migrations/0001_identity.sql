-- Identity, audit log and outbox: users with roles, second factor, one-time codes, sign-in
-- throttling, the hash-chained audit log and the outgoing message queue.

-- Users. Phone numbers are personal data: stored encrypted (phone_enc, AES-GCM, see
-- services/crypto/field_crypto.ts) with a keyed blind index (phone_hash) for sign-in by phone.
create table users (
  id uuid primary key default gen_random_uuid(),
  email text unique check (email = lower(btrim(email)) and email like '%_@_%'),
  phone_enc text,
  phone_hash text unique,
  display_name text not null check (length(btrim(display_name)) between 1 and 120),
  locale text not null default 'en' check (locale in ('en', 'bn')),
  password_hash text not null,
  -- 'locked' is an indefinite lock set by an administrator; the automatic lock after failed
  -- sign-ins uses locked_until instead and ends by itself.
  status text not null default 'active' check (status in ('active', 'disabled', 'locked')),
  failed_sign_ins integer not null default 0 check (failed_sign_ins >= 0),
  locked_until timestamptz,
  last_sign_in_at timestamptz,
  -- Sessions created before this instant are no longer valid (password change or reset).
  password_changed_at timestamptz not null default now(),
  totp_secret_enc text,
  totp_enabled_at timestamptz,
  -- The last TOTP time step accepted: a code is never accepted twice.
  totp_last_step bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint users_identifier_present check (email is not null or phone_hash is not null),
  constraint users_phone_pair check ((phone_enc is null) = (phone_hash is null)),
  constraint users_totp_secret check (totp_enabled_at is null or totp_secret_enc is not null)
);
create index users_created_at_idx on users (created_at desc);

create table user_roles (
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in (
    'customer', 'b2b_buyer', 'b2b_admin', 'farm_worker', 'vet', 'farm_manager', 'sales',
    'warehouse', 'production', 'accountant', 'hr', 'admin'
  )),
  granted_at timestamptz not null default now(),
  granted_by uuid references users (id) on delete set null,
  primary key (user_id, role)
);
create index user_roles_role_idx on user_roles (role);

-- Second-factor recovery codes: keyed hashes (HMAC), each usable once.
create table recovery_codes (
  user_id uuid not null references users (id) on delete cascade,
  code_hash text not null,
  created_at timestamptz not null default now(),
  used_at timestamptz,
  primary key (user_id, code_hash)
);

-- Six-digit codes sent by SMS or email. subject_hash is the blind index of the identifier the
-- code was sent to; code_hash is keyed (HMAC), so a database dump does not reveal live codes.
-- A sign-up's pending account (name, encrypted phone, password hash) waits in payload until
-- the code is entered: nobody can hold an identifier they cannot receive messages on.
create table one_time_codes (
  id uuid primary key default gen_random_uuid(),
  purpose text not null check (purpose in ('signup', 'reset', 'signin')),
  subject_hash text not null,
  code_hash text not null,
  user_id uuid references users (id) on delete cascade,
  payload jsonb,
  attempts integer not null default 0 check (attempts >= 0),
  expires_at timestamptz not null,
  consumed_at timestamptz,
  created_at timestamptz not null default now()
);
create index one_time_codes_subject_idx on one_time_codes (purpose, subject_hash, created_at desc);
create index one_time_codes_expires_idx on one_time_codes (expires_at);

-- Failed sign-ins per client address, for throttling one address that tries many accounts.
-- Kept in PostgreSQL (not KV) so that every process and the tests see the same counts.
create table sign_in_failures (
  ip text not null,
  at timestamptz not null
);
create index sign_in_failures_ip_at_idx on sign_in_failures (ip, at);
create index sign_in_failures_at_idx on sign_in_failures (at);

-- Append-only, hash-chained audit log. hash = SHA-256 over the row's canonical serialization
-- and prev_hash (services/audit/audit_log.ts). actor_id has no foreign key on purpose: the log
-- outlives accounts and must never be rewritten by a cascade.
create table audit_log (
  id bigserial primary key,
  at timestamptz not null,
  actor_id uuid,
  action text not null check (length(action) between 1 and 100),
  entity text not null check (length(entity) between 1 and 100),
  entity_id text,
  data jsonb not null default '{}'::jsonb,
  prev_hash text not null,
  hash text not null unique
);
create index audit_log_entity_idx on audit_log (entity, entity_id, id);
create index audit_log_actor_idx on audit_log (actor_id, id);
create index audit_log_at_idx on audit_log (at);

create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % refused', tg_op
    using hint = 'Audit entries are never changed or removed; append a correcting entry.';
end
$$;
create trigger audit_log_no_update_delete before update or delete on audit_log
  for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_refuse_change();

-- Outgoing messages, written in the same transaction as the business change that causes them
-- and delivered by workers/outbox.ts. A row in 'sending' whose next_attempt_at has passed was
-- left by a worker that stopped mid-send and is claimed again.
create table outbox_messages (
  id bigserial primary key,
  channel text not null check (channel in ('sms', 'email', 'whatsapp')),
  recipient text not null check (length(recipient) between 1 and 320),
  subject text,
  body text not null,
  locale text not null default 'en' check (locale in ('en', 'bn')),
  template text,
  dedupe_key text unique,
  status text not null default 'queued'
    check (status in ('queued', 'sending', 'sent', 'failed', 'dead')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  last_error text,
  transport text,
  provider_id text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index outbox_messages_due_idx on outbox_messages (next_attempt_at, id)
  where status in ('queued', 'sending', 'failed');
create index outbox_messages_created_idx on outbox_messages (created_at desc, id desc);
