-- The customer's preferred channel for order updates (issue 15 §5): SMS (the default), email,
-- WhatsApp, or push to their devices. Kept on their phone number's row with the other
-- preferences, with the email address to use when email is chosen (so that sending needs no other
-- context); a channel that cannot reach them (no email, no device) falls back to SMS.
alter table notify_preferences add column channel text not null default 'sms'
  check (channel in ('sms', 'email', 'whatsapp', 'push'));
alter table notify_preferences add column email text
  check (email is null or length(email) between 3 and 320);
