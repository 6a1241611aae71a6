-- Sign-in throttling per (account, client address) with a slower per-account back-off
-- (NIST SP 800-63B §5.2.2): a failure now remembers which account it was against (null for an
-- unknown identifier), so five wrong passwords from many addresses no longer lock the owner out.
alter table sign_in_failures add column user_id uuid references users (id) on delete cascade;
create index sign_in_failures_user_ip_at_idx on sign_in_failures (user_id, ip, at);
create index sign_in_failures_user_at_idx on sign_in_failures (user_id, at);
