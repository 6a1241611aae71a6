-- The customer's preferred channel for order updates (issue 15 §5): SMS (the default), email,
-- WhatsApp, or push to their devices. Kept per address with the other preferences; a channel
-- that cannot reach them (no email, no device) falls back to SMS.
alter table notify_preferences add column channel text not null default 'sms'
  check (channel in ('sms', 'email', 'whatsapp', 'push'));
