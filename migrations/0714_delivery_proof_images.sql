-- Proof of delivery by photo or signature (issue 15 §4): the rider's phone keeps the image in its
-- outbox while offline and sends it with the delivered step; one proof image per stop.
alter table delivery_stops drop constraint if exists delivery_stops_proof_check;
alter table delivery_stops add constraint delivery_stops_proof_check
  check (proof in ('code', 'note', 'photo', 'signature'));

create table delivery_proofs (
  stop_id bigint primary key references delivery_stops (id) on delete cascade,
  kind text not null check (kind in ('photo', 'signature')),
  mime text not null check (mime in ('image/jpeg', 'image/png', 'image/webp')),
  data bytea not null,
  bytes integer not null check (bytes > 0 and bytes <= 400000),
  at timestamptz not null default now()
);
