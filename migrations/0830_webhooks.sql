-- Outbound webhooks (issue 16 §4): partners' subscriptions, the events the contexts emit, one
-- delivery per event and subscription (the queue, claimed like the outbox), and the log of every
-- attempt with its response code and duration.
create table webhook_subscriptions (
  id bigint generated always as identity primary key,
  -- The partner: an API client or B2B account id (a plain id, no foreign key across contexts).
  partner_id text not null check (length(partner_id) between 1 and 100),
  url text not null check (url ~ '^https?://' and length(url) <= 2000),
  description text not null default '' check (length(description) <= 200),
  event_types text[] not null check (cardinality(event_types) >= 1),
  -- The Standard Webhooks signing secret (whsec_<base64>), encrypted with the field keyring
  -- (services/crypto): a database dump or backup does not give away partners' secrets.
  secret_enc text not null,
  status text not null default 'active' check (status in ('active', 'disabled')),
  -- Failed attempts in a row; reset by any success.
  consecutive_failures int not null default 0,
  disabled_at timestamptz,
  disabled_reason text,
  -- Who is told when the subscription is disabled.
  contact_email text,
  contact_phone text,
  locale text not null default 'en' check (locale in ('en', 'bn')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhook_subscriptions_partner on webhook_subscriptions (partner_id);

create table webhook_events (
  id bigint generated always as identity primary key,
  -- The webhook-id header: msg_<uuid>, the same on every retry and redelivery.
  message_id text not null unique,
  type text not null,
  payload jsonb not null,
  -- One event per happening however often its source is processed.
  dedupe_key text unique,
  occurred_at timestamptz not null default now()
);
create index webhook_events_time on webhook_events (occurred_at desc);

create table webhook_deliveries (
  id bigint generated always as identity primary key,
  subscription_id bigint not null references webhook_subscriptions (id) on delete cascade,
  event_id bigint not null references webhook_events (id) on delete cascade,
  status text not null default 'queued'
    check (status in ('queued', 'sending', 'failed', 'succeeded', 'dead')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_status int,
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  unique (subscription_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at)
  where status in ('queued', 'failed', 'sending');
create index webhook_deliveries_sub on webhook_deliveries (subscription_id, id desc);

create table webhook_attempts (
  id bigint generated always as identity primary key,
  delivery_id bigint not null references webhook_deliveries (id) on delete cascade,
  attempted_at timestamptz not null,
  -- The HTTP status the receiver answered, null when it did not answer (error says why).
  status_code int,
  duration_ms int not null,
  error text,
  response_excerpt text,
  -- A staff member's or partner's redelivery, not the schedule.
  manual boolean not null default false
);
create index webhook_attempts_delivery on webhook_attempts (delivery_id, id);
