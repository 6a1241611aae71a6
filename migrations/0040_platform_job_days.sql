-- Daily scheduled jobs claim their Asia/Dhaka day here before they run (workers/schedulers.ts):
-- a second instance, a restarted one or a new leader after a failover finds the day taken and
-- does not run the job again. A claim whose run never finished (the process died) can be taken
-- over after an hour; a run that failed removes its claim so that the next round tries again.
create table platform_job_days (
  job text not null check (job ~ '^[a-z][a-z0-9_]{0,62}$'),
  day date not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  primary key (job, day)
);
