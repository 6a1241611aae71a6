/**
 * Vaccination schedules as the manager keeps them: a vaccine (medicine), the age of the first
 * dose, the interval between doses, the animal statuses it applies to and optionally one group
 * (none = the whole herd). The due list (health.ts vaccinationsDue) reads these rows.
 */
import { z } from "@/services/platform/schema.ts";
import { checkbox } from "./form_fields.ts";
import { auditFarm } from "./audit.ts";
import { NotFoundError } from "@/services/platform/errors.ts";
import { type Actor } from "./actor.ts";
import { farmEditUseCase } from "./use_case.ts";
import { type Db } from "@/services/platform/tx.ts";
import { FarmRuleError } from "./errors.ts";

export const SCHEDULE_STATUSES = ["calf", "heifer", "lactating", "dry"] as const;

export interface ScheduleRow {
  id: number;
  name: string;
  medicineId: number;
  medicine: string;
  firstAgeDays: number;
  intervalDays: number;
  statuses: string[];
  groupId: number | null;
  group: string | null;
  active: boolean;
}

export async function listScheduleRows(db: Db): Promise<ScheduleRow[]> {
  const rows = await db`
    select s.id, s.name, s.medicine_id, m.name as medicine, s.first_age_days, s.interval_days,
      s.statuses, s.group_id, g.name as group_name, s.active
    from vaccination_schedules s
    join medicines m on m.id = s.medicine_id
    left join farm_groups g on g.id = s.group_id
    order by s.active desc, s.name`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    medicineId: r.medicine_id,
    medicine: r.medicine,
    firstAgeDays: r.first_age_days,
    intervalDays: r.interval_days,
    statuses: r.statuses,
    groupId: r.group_id,
    group: r.group_name,
    active: r.active,
  }));
}

const asArray = (v: unknown) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

export const scheduleSchema = z.object({
  name: z.string().trim().min(1, "A name is required").max(80, "At most 80 characters"),
  medicineId: z.coerce.number().int().positive("Choose a vaccine"),
  firstAgeDays: z.coerce.number({ error: "A whole number of days" }).int("Whole days")
    .min(0, "0 or more").max(800, "At most 800 days"),
  intervalDays: z.coerce.number({ error: "A whole number of days" }).int("Whole days")
    .min(14, "At least 14 days").max(800, "At most 800 days"),
  statuses: z.preprocess(
    asArray,
    z.array(z.enum(SCHEDULE_STATUSES)).min(1, "Choose at least one kind of animal"),
  ),
  groupId: z.preprocess(
    (v) => (v === "" || v === undefined ? null : v),
    z.coerce.number().int().positive().nullable(),
  ),
  active: checkbox,
});

/** Creates (id null) or edits a schedule; the vaccine must be a medicine of kind "vaccine". */
export const saveSchedule = farmEditUseCase(
  { schema: scheduleSchema, may: "farm.manage" },
  async (tx, id: number | null, s, actor: Actor): Promise<number> => {
    const [med] = await tx`select 1 from medicines where id = ${s.medicineId}
      and kind = 'vaccine' and active`;
    if (!med) throw new FarmRuleError("medicine_unknown", "No such vaccine", {}, "medicineId");
    if (s.groupId !== null) {
      const [g] = await tx`select 1 from farm_groups where id = ${s.groupId} and active`;
      if (!g) throw new FarmRuleError("group_unknown", "No such group", {}, "groupId");
    }
    const [clash] = await tx`select 1 from vaccination_schedules
      where lower(name) = lower(${s.name}) and id is distinct from ${id}`;
    if (clash) {
      throw new FarmRuleError("invalid", "The name is in use", { reason: "name_taken" }, "name");
    }
    const rows = id === null
      ? await tx`
        insert into vaccination_schedules (name, medicine_id, interval_days, first_age_days,
          statuses, group_id, active)
        values (${s.name}, ${s.medicineId}, ${s.intervalDays}, ${s.firstAgeDays},
          ${s.statuses}::text[], ${s.groupId}, ${s.active})
        returning id`
      : await tx`
        update vaccination_schedules set name = ${s.name}, medicine_id = ${s.medicineId},
          interval_days = ${s.intervalDays}, first_age_days = ${s.firstAgeDays},
          statuses = ${s.statuses}::text[], group_id = ${s.groupId}, active = ${s.active}
        where id = ${id} returning id`;
    if (!rows.length) throw new NotFoundError("No such schedule");
    await auditFarm(
      tx,
      actor.userId,
      id === null ? "farm.vaccination_schedule.create" : "farm.vaccination_schedule.update",
      "vaccination_schedule",
      rows[0].id,
      s,
    );
    return rows[0].id;
  },
);
