-- Steadfast Courier joins Pathao as a courier a zone may use (issue 15 §3).
alter table delivery_zone_couriers drop constraint if exists delivery_zone_couriers_courier_check;
alter table delivery_zone_couriers add constraint delivery_zone_couriers_courier_check
  check (courier in ('own', 'pathao', 'steadfast'));
alter table delivery_parcels drop constraint if exists delivery_parcels_courier_check;
alter table delivery_parcels add constraint delivery_parcels_courier_check
  check (courier in ('pathao', 'steadfast'));
