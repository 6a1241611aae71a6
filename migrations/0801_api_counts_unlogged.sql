-- Issue 16: the hourly counts are written on every API call. Unlogged, a count's commit waits for
-- no WAL flush (a database crash resets the hour's counts, which only errs towards the caller);
-- a row per call (api_calls) gives way to the structured log line of each call (with the client
-- and key) and the per-key hourly counts themselves.
alter table api_rate_windows set unlogged;
drop table api_calls;
