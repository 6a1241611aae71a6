-- Riders' end-of-day cash hand-in by rider user (issue 15 §4): a collection names the rider (a
-- staff user with the 'rider' role) or the courier that took the cash; a cashier receives each
-- rider's hand-in against what that rider collected, the difference kept with it. The rider's
-- name stays as text for the books' memos; reconciliation goes by rider_id. Collections and
-- hand-ins written before carry a name only (kept, not matched).
alter table shop_cod_collections add column rider_id uuid references users (id);
alter table shop_cod_collections add column courier text
  check (courier in ('pathao', 'steadfast', 'paperfly', 'redx'));
alter table shop_cod_collections add constraint shop_cod_collections_one_collector
  check (rider_id is null or courier is null);
create index shop_cod_collections_rider_id_idx on shop_cod_collections (rider_id, collected_on)
  where rider_id is not null;

alter table shop_cod_handins add column rider_id uuid references users (id);
alter table shop_cod_handins add column expected_minor bigint check (expected_minor >= 0);
alter table shop_cod_handins drop constraint if exists shop_cod_handins_rider_handed_on_key;
create unique index shop_cod_handins_rider_id_day on shop_cod_handins (rider_id, handed_on)
  where rider_id is not null;
create unique index shop_cod_handins_name_day on shop_cod_handins (rider, handed_on)
  where rider_id is null;
