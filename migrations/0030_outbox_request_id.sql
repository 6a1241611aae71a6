-- The id of the web request (or job) that queued a message: the outbox worker logs its delivery
-- under the same request id (services/platform/log.ts).
alter table outbox_messages add column request_id text
  check (request_id is null or request_id ~ '^[A-Za-z0-9._:-]{1,128}$');
