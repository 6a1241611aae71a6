-- Paperfly (and RedX) join the couriers a zone may use (issue 15 §3). Paperfly has no tracking
-- webhook: its parcels are polled, each at most every few minutes (polled_at).
alter table delivery_zone_couriers drop constraint if exists delivery_zone_couriers_courier_check;
alter table delivery_zone_couriers add constraint delivery_zone_couriers_courier_check
  check (courier in ('own', 'pathao', 'steadfast', 'paperfly'));
alter table delivery_parcels drop constraint if exists delivery_parcels_courier_check;
alter table delivery_parcels add constraint delivery_parcels_courier_check
  check (courier in ('pathao', 'steadfast', 'paperfly'));
alter table delivery_parcels add column polled_at timestamptz;
create index delivery_parcels_open_idx on delivery_parcels (courier, polled_at)
  where status not in ('delivered', 'returned', 'cancelled');
