-- Quality (issue 12 §6): test plans per item or item kind and stage, test results per lot with a
-- verdict per parameter, release/hold/reject decisions (the lot's status itself lives in
-- inventory: quality calls inventory's port in the same transaction), the cold-chain holds made
-- when IoT opens a critical temperature alarm on a device that watches a location, and the job's
-- cursor. Lots are inventory's (inv_lots); quality keeps their ids, no foreign key across contexts.

-- The quality role (quality.manage) joins the roles a person may hold. The list repeats 0001's
-- and adds 'quality' and 'purchase' (issue 12's back-office roles).
alter table user_roles drop constraint if exists user_roles_role_check;
alter table user_roles add constraint user_roles_role_check check (role in (
  'customer', 'b2b_buyer', 'b2b_admin', 'farm_worker', 'vet', 'farm_manager', 'sales',
  'warehouse', 'production', 'accountant', 'hr', 'admin', 'quality', 'purchase'
));

create table qc_plans (
  id integer generated always as identity primary key,
  code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9-]{1,39}$'),
  name_en text not null check (length(btrim(name_en)) between 1 and 120),
  name_bn text not null check (length(btrim(name_bn)) between 1 and 120),
  stage text not null check (stage in ('intake', 'receipt', 'finished')),
  -- A plan for one item (by inventory item code) wins over a plan for the item's kind.
  item_code text check (length(item_code) between 1 and 60),
  item_kind text check (item_kind in (
    'raw_milk', 'ingredient', 'packaging', 'finished', 'byproduct', 'feed', 'medicine'
  )),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  constraint qc_plans_target check (item_code is not null or item_kind is not null)
);

create table qc_parameters (
  id integer generated always as identity primary key,
  plan_id integer not null references qc_plans (id) on delete cascade,
  position integer not null default 0,
  code text not null check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name_en text not null check (length(btrim(name_en)) between 1 and 120),
  name_bn text not null check (length(btrim(name_bn)) between 1 and 120),
  -- range: a number between min and max (either may be open); choice: one of `choices`, passing
  -- when it is one of `pass_values`.
  kind text not null check (kind in ('range', 'choice')),
  unit text check (length(unit) <= 20),
  min_value numeric,
  max_value numeric,
  choices text[],
  pass_values text[],
  unique (plan_id, code),
  constraint qc_parameters_shape check (
    (kind = 'range' and (min_value is not null or max_value is not null) and choices is null)
    or (kind = 'choice' and cardinality(choices) > 0 and cardinality(pass_values) > 0
        and min_value is null and max_value is null)
  )
);

-- One test of a lot against a plan: who tested, when; its verdict is fail when any value fails.
create table qc_tests (
  id bigint generated always as identity primary key,
  lot_id bigint not null,
  plan_id integer not null references qc_plans (id),
  verdict text not null check (verdict in ('pass', 'fail')),
  tested_at timestamptz not null,
  recorded_at timestamptz not null default now(),
  tested_by uuid,
  tested_by_name text not null,
  note text check (length(note) <= 2000)
);
create index qc_tests_lot_idx on qc_tests (lot_id, tested_at desc, id desc);

create table qc_results (
  test_id bigint not null references qc_tests (id) on delete cascade,
  parameter_id integer not null references qc_parameters (id),
  value_num numeric,
  value_text text check (length(value_text) <= 40),
  verdict text not null check (verdict in ('pass', 'fail')),
  primary key (test_id, parameter_id),
  check ((value_num is null) <> (value_text is null))
);

-- Release / hold / reject, with who and why. A release over a failed (or missing, or pre-hold)
-- test is an override and says so.
create table qc_decisions (
  id bigint generated always as identity primary key,
  lot_id bigint not null,
  decision text not null check (decision in ('release', 'hold', 'reject')),
  reason text not null check (length(btrim(reason)) between 1 and 1000),
  override boolean not null default false,
  test_id bigint references qc_tests (id),
  decided_at timestamptz not null,
  decided_by uuid,
  decided_by_name text not null
);
create index qc_decisions_lot_idx on qc_decisions (lot_id, decided_at desc, id desc);

-- Lots put on hold by a cold-chain alarm (one row per alarm and lot: the job is idempotent).
create table qc_cold_chain_holds (
  id bigint generated always as identity primary key,
  alarm_id bigint not null,
  device_id text not null,
  lot_id bigint not null,
  message text not null,
  held_at timestamptz not null,
  unique (alarm_id, lot_id)
);
create index qc_cold_chain_holds_lot_idx on qc_cold_chain_holds (lot_id, held_at desc);

-- Alarms the cold-chain job has handled (also those that held no lot), so a rerun adds nothing.
create table qc_alarms_seen (
  alarm_id bigint primary key,
  device_id text not null,
  lots integer not null,
  seen_at timestamptz not null
);

create table qc_job_state (
  name text primary key,
  cursor bigint not null default 0,
  last_run_at timestamptz,
  last_result jsonb
);

-- Seeded plans (BSTI raw-milk and pasteurised-milk norms, EU cold-chain arrival rule; see
-- services/quality/plans.ts for the sources).
insert into qc_plans (code, name_en, name_bn, stage, item_kind) values
  ('RAW-MILK-INTAKE', 'Raw milk at intake', 'সংগ্রহের সময় কাঁচা দুধ', 'intake', 'raw_milk'),
  ('FG-RELEASE', 'Finished goods release', 'তৈরি পণ্য ছাড়', 'finished', 'finished'),
  ('INGREDIENT-RECEIPT', 'Ingredient receipt', 'উপকরণ গ্রহণ', 'receipt', 'ingredient'),
  ('PACKAGING-RECEIPT', 'Packaging receipt', 'প্যাকেজিং গ্রহণ', 'receipt', 'packaging');

insert into qc_parameters (plan_id, position, code, name_en, name_bn, kind, unit, min_value,
  max_value, choices, pass_values)
select p.id, v.position, v.code, v.name_en, v.name_bn, v.kind, v.unit, v.min_value, v.max_value,
  v.choices, v.pass_values
from qc_plans p join (values
  ('RAW-MILK-INTAKE', 1, 'fat_pct', 'Fat', 'চর্বি', 'range', '%', 3.5, 8.0, null::text[], null::text[]),
  ('RAW-MILK-INTAKE', 2, 'snf_pct', 'SNF', 'এসএনএফ', 'range', '%', 8.0, 11.0, null, null),
  ('RAW-MILK-INTAKE', 3, 'temp_c', 'Temperature on arrival', 'পৌঁছানোর সময় তাপমাত্রা',
   'range', '°C', null, 10.0, null, null),
  ('RAW-MILK-INTAKE', 4, 'antibiotic', 'Antibiotic residue', 'অ্যান্টিবায়োটিক অবশেষ', 'choice',
   null, null, null, array['negative', 'positive'], array['negative']),
  ('RAW-MILK-INTAKE', 5, 'added_water', 'Added water (freezing point)', 'পানি মেশানো (হিমাঙ্ক)',
   'choice', null, null, null, array['negative', 'positive'], array['negative']),
  ('RAW-MILK-INTAKE', 6, 'starch', 'Starch', 'শ্বেতসার', 'choice', null, null, null,
   array['negative', 'positive'], array['negative']),
  ('RAW-MILK-INTAKE', 7, 'neutraliser', 'Neutralisers (soda)', 'নিউট্রালাইজার (সোডা)', 'choice',
   null, null, null, array['negative', 'positive'], array['negative']),
  ('RAW-MILK-INTAKE', 8, 'formalin', 'Formalin', 'ফরমালিন', 'choice', null, null, null,
   array['negative', 'positive'], array['negative']),
  ('RAW-MILK-INTAKE', 9, 'urea', 'Urea', 'ইউরিয়া', 'choice', null, null, null,
   array['negative', 'positive'], array['negative']),
  ('RAW-MILK-INTAKE', 10, 'alcohol_test', 'Alcohol test (68 %)', 'অ্যালকোহল পরীক্ষা (৬৮ %)',
   'choice', null, null, null, array['negative', 'positive'], array['negative']),
  ('FG-RELEASE', 1, 'tpc', 'Total plate count', 'মোট ব্যাকটেরিয়া গণনা', 'range', 'cfu/ml',
   null, 30000, null, null),
  ('FG-RELEASE', 2, 'coliform', 'Coliform', 'কলিফর্ম', 'range', 'cfu/ml', null, 10, null, null),
  ('FG-RELEASE', 3, 'e_coli', 'E. coli', 'ই. কোলাই', 'choice', null, null, null,
   array['absent', 'present'], array['absent']),
  ('FG-RELEASE', 4, 'temp_c', 'Product temperature', 'পণ্যের তাপমাত্রা', 'range', '°C', null,
   5.0, null, null),
  ('FG-RELEASE', 5, 'sensory', 'Sensory (taste, smell, look)', 'সংবেদী (স্বাদ, গন্ধ, চেহারা)',
   'choice', null, null, null, array['good', 'acceptable', 'off'], array['good', 'acceptable']),
  ('FG-RELEASE', 6, 'pack_seal', 'Pack and seal', 'প্যাক ও সিল', 'choice', null, null, null,
   array['intact', 'damaged'], array['intact']),
  ('INGREDIENT-RECEIPT', 1, 'coa', 'Certificate of analysis', 'বিশ্লেষণ সনদ', 'choice', null,
   null, null, array['present', 'missing'], array['present']),
  ('INGREDIENT-RECEIPT', 2, 'visual', 'Visual check', 'দৃশ্যমান পরীক্ষা', 'choice', null, null,
   null, array['ok', 'damaged', 'contaminated'], array['ok']),
  ('PACKAGING-RECEIPT', 1, 'visual', 'Visual check', 'দৃশ্যমান পরীক্ষা', 'choice', null, null,
   null, array['ok', 'damaged', 'contaminated'], array['ok']),
  ('PACKAGING-RECEIPT', 2, 'food_grade', 'Food-grade declaration', 'খাদ্য-মান ঘোষণা', 'choice',
   null, null, null, array['present', 'missing'], array['present'])
) as v (plan_code, position, code, name_en, name_bn, kind, unit, min_value, max_value, choices,
  pass_values) on v.plan_code = p.code;
