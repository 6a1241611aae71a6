-- The farm draws feed and medicine from stock (issue 12 §8): its moves carry the ref kind
-- "farm" (ref id "treatment:<id>" or "feeding:<id>"), and the farm's store is a location where
-- purchasing receives feed and medicine.
alter table inv_moves drop constraint inv_moves_ref_kind_check;
alter table inv_moves add constraint inv_moves_ref_kind_check check (ref_kind in (
  'intake', 'purchase', 'production', 'shop_order', 'subscription', 'b2b', 'transfer', 'count',
  'scrap', 'return', 'opening', 'farm'
));

insert into inv_locations (code, name_en, name_bn, kind, temp_class, vat_registered, bin, sellable,
  sort_order)
values ('FARM-STORE', 'Farm feed and medicine store', 'খামারের খাদ্য ও ওষুধের গুদাম', 'dry_store',
  'ambient', false, null, false, 12)
on conflict (code) do nothing;
