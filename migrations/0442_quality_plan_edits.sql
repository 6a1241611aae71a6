-- Test plans become editable in the back office (quality.manage): plans are added, changed and
-- deactivated; their parameters added, changed and removed. A parameter row is never changed
-- once written, because past results (qc_results.parameter_id) must keep the name and limits
-- they were judged by: a change retires the row (retired_at) and adds its new version, a removal
-- only retires it. A plan shows its current rows; one current row per code.
alter table qc_parameters add column retired_at timestamptz;
alter table qc_parameters drop constraint qc_parameters_plan_id_code_key;
create unique index qc_parameters_current_code on qc_parameters (plan_id, code)
  where retired_at is null;
alter table qc_plans add column updated_at timestamptz;
