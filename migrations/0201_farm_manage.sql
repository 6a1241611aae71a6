-- Reference data kept by the farm manager: a medicine's active ingredient (for the vet's
-- records) and a vaccination schedule limited to one group (null = the whole herd).
alter table medicines add column active_ingredient text
  check (length(btrim(active_ingredient)) between 1 and 120);
alter table vaccination_schedules add column group_id integer references farm_groups (id);
