-- Notify: real transports (SMS gateways, SMTP, WhatsApp Cloud API, Web Push) and their guard
-- rails. Messages gain a purpose (one-time codes, security notices, order updates, alarms,
-- promotions), their SMS part count, the provider's delivery state and the link of a fallback
-- copy; 'push' joins the channels and 'suppressed' the statuses (opted out, over a send limit).

alter table outbox_messages drop constraint outbox_messages_channel_check;
alter table outbox_messages add constraint outbox_messages_channel_check
  check (channel in ('sms', 'email', 'whatsapp', 'push'));
alter table outbox_messages drop constraint outbox_messages_status_check;
alter table outbox_messages add constraint outbox_messages_status_check
  check (status in ('queued', 'sending', 'sent', 'failed', 'dead', 'suppressed'));

alter table outbox_messages
  add column purpose text not null default 'notice'
    check (purpose in ('code', 'security', 'order', 'alarm', 'task', 'promotional', 'notice')),
  -- Template parameters (WhatsApp template messages, push titles), in order of use.
  add column params jsonb,
  -- SMS parts the text takes (GSM-7 160/153, UCS-2 70/67).
  add column parts integer check (parts is null or parts >= 1),
  -- What the provider last reported after accepting: delivered, read, failed, undelivered, bounced.
  add column delivery_status text,
  add column delivered_at timestamptz,
  -- A one-time code's text is erased once delivered through a real provider.
  add column body_erased_at timestamptz,
  -- WhatsApp not delivered in time: the SMS copy's id (on the original) / the original's id.
  add column fallback_id bigint,
  add column fallback_of bigint;

create index outbox_messages_recipient_idx on outbox_messages (recipient, purpose, created_at);
-- The overall send limit counts one purpose's recent messages (one-time codes per minute).
create index outbox_messages_purpose_idx on outbox_messages (purpose, created_at);
create index outbox_messages_provider_idx on outbox_messages (provider_id)
  where provider_id is not null;
create index outbox_messages_fallback_idx on outbox_messages (sent_at)
  where channel = 'whatsapp' and status = 'sent' and fallback_id is null
    and delivery_status is null;

-- Delivery receipts as the providers sent them (webhook or polling), per message.
create table notify_receipts (
  id bigserial primary key,
  message_id bigint not null references outbox_messages (id) on delete cascade,
  provider text not null,
  status text not null check (length(status) between 1 and 40),
  detail text,
  received_at timestamptz not null default now()
);
create index notify_receipts_message_idx on notify_receipts (message_id, id);

-- Web Push subscriptions of staff users, one per browser (device).
create table notify_push_subscriptions (
  id bigserial primary key,
  user_id uuid not null,
  endpoint text not null unique check (endpoint like 'https://%' or endpoint like 'http://%'),
  p256dh text not null,
  auth text not null,
  device text not null default '' check (length(device) <= 120),
  created_at timestamptz not null default now(),
  last_success_at timestamptz
);
create index notify_push_subscriptions_user_idx on notify_push_subscriptions (user_id);

-- Notification preferences and opt-outs, by address (+8801… or an email address): STOP by SMS
-- sets opted_out_at; the account page sets the rest. One-time codes and security notices are
-- always sent; order updates and promotions follow these.
create table notify_preferences (
  address text primary key check (length(address) between 3 and 320),
  opted_out_at timestamptz,
  order_updates boolean not null default true,
  promotional boolean not null default true,
  -- An address the mail server refused for good (a hard bounce): no more email to it.
  bounced_at timestamptz,
  updated_at timestamptz not null default now()
);
