/**
 * Health: diagnoses, treatments and vaccinations with withdrawal periods, and the farm alerts.
 *
 * Withdrawal rule: a treatment sets milk_withdrawal_until = treated_at + the medicine's milk
 * withdrawal. Every milking of that cow from treated_at until then is recorded as discarded
 * (also milkings already recorded, e.g. synced from a phone before the treatment was), so it
 * never counts in the tank figures; a discarded milking that went into the tank raises a
 * `withdrawal_to_tank` alert for the manager.
 */
import { z } from "@/services/platform/schema.ts";
import { checkbox } from "./form_fields.ts";
import { auditFarm } from "./audit.ts";
import { NotFoundError, parseInput } from "@/services/platform/errors.ts";
import type { Tx } from "@/services/platform/db.ts";
import { type Actor, assertFarmCan } from "./actor.ts";
import { type EntryOpts, farmEditUseCase, farmUseCase } from "./use_case.ts";
import { addDays, daysBetween, farmDay } from "./dates.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { num } from "./db.ts";
import { camelRow } from "@/services/platform/rows.ts";
import { FarmRuleError } from "./errors.ts";
import { drawForTreatment } from "./stock.ts";

export const CONDITIONS = [
  "mastitis",
  "lameness",
  "metritis",
  "retained_placenta",
  "ketosis",
  "milk_fever",
  "pneumonia",
  "diarrhoea",
  "fever",
  "injury",
  "other",
] as const;
export const ROUTES = [
  "im",
  "iv",
  "sc",
  "oral",
  "intramammary",
  "intrauterine",
  "topical",
] as const;

export interface Medicine {
  id: number;
  name: string;
  kind: string;
  unit: string;
  milkWithdrawalHours: number;
  meatWithdrawalDays: number;
}

export async function listMedicines(db: Db): Promise<Medicine[]> {
  const rows = await db`
    select id, name, kind, unit, milk_withdrawal_hours, meat_withdrawal_days
    from medicines where active order by name`;
  return rows.map((r) => camelRow<Medicine>(r));
}

export const medicineSchema = z.object({
  name: z.string().trim().min(1, "A name is required").max(80),
  kind: z.enum(
    ["antibiotic", "anti_inflammatory", "vaccine", "hormone", "antiparasitic", "vitamin", "other"],
    { error: "Choose a kind" },
  ),
  unit: z.enum(["ml", "g", "dose", "tablet", "tube"], { error: "Choose a unit" }),
  milkWithdrawalHours: z.coerce.number().int().min(0).max(2000),
  meatWithdrawalDays: z.coerce.number().int().min(0).max(400),
});

export const createMedicine = farmUseCase(
  { schema: medicineSchema },
  async (tx, m, actorId: string | null): Promise<number> => {
    const rows = await tx`
      insert into medicines (name, kind, unit, milk_withdrawal_hours, meat_withdrawal_days)
      values (${m.name}, ${m.kind}, ${m.unit}, ${m.milkWithdrawalHours}, ${m.meatWithdrawalDays})
      on conflict (name) do nothing returning id`;
    if (!rows.length) {
      throw new FarmRuleError("invalid", `A medicine named ${m.name} exists already`, {}, "name");
    }
    await auditFarm(tx, actorId, "farm.medicine.create", "medicine", rows[0].id, m);
    return rows[0].id;
  },
);

export const treatmentSchema = z.object({
  animalId: z.coerce.number().int().positive("Choose an animal"),
  treatedAt: z.coerce.date({ error: "The time of the treatment is needed" }),
  medicineId: z.coerce.number().int().positive("Choose a medicine"),
  dose: z.coerce.number({ error: "The dose must be a number" }).positive(
    "The dose must be more than 0",
  )
    .max(10_000),
  route: z.enum(ROUTES, { error: "Choose how it was given" }),
  batch: z.string().trim().max(40).nullish(),
  vet: z.string().trim().max(80).nullish(),
  condition: z.enum(CONDITIONS).nullish(),
  scheduleId: z.coerce.number().int().positive().nullish(),
  notes: z.string().trim().max(1000).nullish(),
  /** The stock lot the medicine came from (none: the earliest expiry that holds the dose). */
  lotId: z.preprocess(
    (v) => (v === "" ? null : v),
    z.coerce.number().int().positive("Choose a lot").nullish(),
  ),
});
export type TreatmentInput = z.input<typeof treatmentSchema>;

export interface TreatmentResult {
  id: string;
  milkWithdrawalUntil: Date | null;
  meatWithdrawalUntil: Date | null;
  /** Milkings already recorded in the withdrawal window that are now marked discarded. */
  discardedAfter: number;
  /** The stock lot the dose was drawn from (or named, when a late sync found it short). */
  lotCode: string | null;
}

/** Records a treatment (and its diagnosis) in the caller's transaction or a new one. */
export async function recordTreatment(
  db: Db,
  input: TreatmentInput,
  actor: Actor,
  opts: EntryOpts = {},
): Promise<TreatmentResult> {
  assertFarmCan(actor, "farm.health");
  const t = parseInput(treatmentSchema, input);
  if (t.treatedAt.getTime() > (opts.now ?? new Date()).getTime() + 10 * 60_000) {
    throw new FarmRuleError("future_date", "The treatment time is in the future", {}, "treatedAt");
  }
  return await inTx(db, async (tx) => {
    const day = farmDay(t.treatedAt);
    await assertInHerd(tx, t.animalId, day);
    const [med] = await tx`
      select id, name, milk_withdrawal_hours, meat_withdrawal_days from medicines
      where id = ${t.medicineId}`;
    if (!med) throw new FarmRuleError("medicine_unknown", "No such medicine", {}, "medicineId");
    const milkUntil = med.milk_withdrawal_hours > 0
      ? new Date(t.treatedAt.getTime() + med.milk_withdrawal_hours * 3600_000)
      : null;
    const meatUntil = med.meat_withdrawal_days > 0
      ? new Date(t.treatedAt.getTime() + med.meat_withdrawal_days * 86_400_000)
      : null;
    let diagnosisId: string | null = null;
    if (t.condition) {
      const [d] = await tx`
        insert into diagnoses (animal_id, diagnosed_on, condition, notes, recorded_by)
        values (${t.animalId}, ${day}, ${t.condition}, ${t.notes ?? null}, ${actor.userId})
        returning id::text`;
      diagnosisId = d.id;
    }
    const [row] = await tx`
      insert into treatments (animal_id, diagnosis_id, schedule_id, treated_at, medicine_id, dose,
        route, batch, vet, milk_withdrawal_until, meat_withdrawal_until, notes, recorded_by,
        client_id)
      values (${t.animalId}, ${diagnosisId}, ${t.scheduleId ?? null}, ${t.treatedAt},
        ${t.medicineId}, ${t.dose}, ${t.route}, ${t.batch || null}, ${t.vet || null}, ${milkUntil},
        ${meatUntil}, ${t.notes ?? null}, ${actor.userId}, ${opts.clientId ?? null})
      returning id::text`;
    const drawn = await drawForTreatment(tx, opts, {
      treatmentId: row.id,
      animalId: t.animalId,
      medicineId: t.medicineId,
      dose: t.dose,
      lotId: t.lotId ?? null,
      on: day,
      at: t.treatedAt,
      actor,
    });
    if (drawn) {
      await tx`
        update treatments set lot_id = ${drawn.lotId}, lot_code = ${drawn.lotCode},
          batch = coalesce(batch, ${drawn.lotCode?.slice(0, 40) ?? null})
        where id = ${row.id}`;
    }
    let discardedAfter = 0;
    if (milkUntil) {
      const hit = await tx`
        update milk_records set discarded = true, discard_reason = 'withdrawal'
        where animal_id = ${t.animalId} and milked_at >= ${t.treatedAt}
          and milked_at < ${milkUntil} and not discarded
        returning milked_on::text, session, to_tank, yield_kg`;
      discardedAfter = hit.length;
      for (const m of hit) {
        if (m.to_tank) {
          await raiseWithdrawalAlert(
            tx,
            t.animalId,
            m.milked_on,
            m.session,
            num(m.yield_kg)!,
            milkUntil,
          );
        }
      }
    }
    await auditFarm(tx, actor.userId, "farm.treatment.record", "animal", t.animalId, {
      treatmentId: row.id,
      medicine: med.name,
      dose: t.dose,
      batch: t.batch ?? null,
      lot: drawn?.lotCode ?? null,
      milkWithdrawalUntil: milkUntil?.toISOString() ?? null,
    });
    return {
      id: row.id,
      milkWithdrawalUntil: milkUntil,
      meatWithdrawalUntil: meatUntil,
      discardedAfter,
      lotCode: drawn?.lotCode ?? null,
    };
  });
}

/** Throws unless the animal exists and was still in the herd on `day`. */
export async function assertInHerd(
  tx: Db,
  animalId: number,
  day: string,
): Promise<{ id: number; tag: string; sex: string; status: string; birthDate: string | null }> {
  const [a] = await tx`
    select id, tag, sex, status, exit_date::text, birth_date::text from animals
    where id = ${animalId}`;
  if (!a) throw new FarmRuleError("animal_unknown", "No such animal in the herd", {}, "animalId");
  if (a.exit_date && a.exit_date <= day) {
    throw new FarmRuleError(
      "animal_exited",
      `${a.tag} was ${a.status} on ${a.exit_date}`,
      { tag: a.tag, status: a.status, date: a.exit_date },
      "animalId",
    );
  }
  if (a.birth_date && day < a.birth_date) {
    throw new FarmRuleError("before_birth", `${a.tag} was born on ${a.birth_date}`, {
      tag: a.tag,
      date: a.birth_date,
    });
  }
  return { id: a.id, tag: a.tag, sex: a.sex, status: a.status, birthDate: a.birth_date };
}

/** The end of the milk withdrawal running at `at`, if any. */
export async function withdrawalAt(db: Db, animalId: number, at: Date): Promise<Date | null> {
  const [r] = await db`
    select max(milk_withdrawal_until) as until from treatments
    where animal_id = ${animalId} and treated_at <= ${at} and milk_withdrawal_until > ${at}`;
  return r?.until ?? null;
}

// ---- alerts -------------------------------------------------------------------------------

export async function raiseWithdrawalAlert(
  tx: Db,
  animalId: number,
  day: string,
  session: string,
  yieldKg: number,
  until: Date,
): Promise<string | null> {
  const [a] = await tx`select tag from animals where id = ${animalId}`;
  const rows = await tx`
    insert into farm_alerts (kind, severity, animal_id, ref, message, data)
    values ('withdrawal_to_tank', 'critical', ${animalId}, ${`${animalId}:${day}:${session}`},
      ${`${a.tag} is under milk withdrawal until ${until.toISOString()} but her ${session} milking of ${day} (${yieldKg} kg) went into the tank. Check the tank before it is collected.`},
      ${tx.json({ tag: a.tag, day, session, yieldKg, until: until.toISOString() })})
    on conflict (kind, ref) do nothing
    returning id::text`;
  return rows[0]?.id ?? null;
}

export interface FarmAlert {
  id: string;
  kind: string;
  severity: string;
  animalId: number | null;
  tag: string | null;
  message: string;
  data: Record<string, unknown>;
  raisedAt: Date;
  resolvedAt: Date | null;
}

export async function listAlerts(
  db: Db,
  opts: { open?: boolean; limit?: number } = {},
): Promise<FarmAlert[]> {
  const open = opts.open ?? true;
  const rows = await db`
    select f.id::text, f.kind, f.severity, f.animal_id, a.tag, f.message, f.data, f.raised_at,
      f.resolved_at
    from farm_alerts f left join animals a on a.id = f.animal_id
    where (not ${open} or f.resolved_at is null)
    order by f.raised_at desc limit ${opts.limit ?? 50}`;
  return rows.map((r) => camelRow<FarmAlert>(r));
}

export async function resolveAlert(db: Db, id: string, actor: Actor): Promise<void> {
  assertFarmCan(actor, "farm.manage");
  // Alert ids are bigints: anything else names no alert (and must not reach SQL as a bad cast).
  if (!/^\d{1,18}$/.test(id ?? "")) throw new NotFoundError("No such open alert");
  await inTx(db, async (tx: Tx) => {
    const rows = await tx`
      update farm_alerts set resolved_at = now(), resolved_by = ${actor.userId}
      where id = ${id} and resolved_at is null returning kind, ref`;
    if (!rows.length) throw new NotFoundError("No such open alert");
    await auditFarm(tx, actor.userId, "farm.alert.resolve", "farm_alert", id, {
      kind: rows[0].kind,
      ref: rows[0].ref,
    });
  });
}

// ---- lists for the pages ------------------------------------------------------------------

export interface TreatmentRow {
  id: string;
  animalId: number;
  tag: string;
  treatedAt: Date;
  medicine: string;
  dose: number;
  unit: string;
  route: string;
  batch: string | null;
  vet: string | null;
  condition: string | null;
  milkWithdrawalUntil: Date | null;
  meatWithdrawalUntil: Date | null;
  vaccination: string | null;
  lotCode: string | null;
}

export async function listTreatments(
  db: Db,
  opts: { animalId?: number; limit?: number } = {},
): Promise<TreatmentRow[]> {
  const animal = opts.animalId ?? null;
  const rows = await db`
    select t.id::text, t.animal_id, a.tag, t.treated_at, m.name as medicine, t.dose, m.unit,
      t.route, t.batch, t.vet, d.condition, t.milk_withdrawal_until, t.meat_withdrawal_until,
      s.name as vaccination, t.lot_code
    from treatments t
    join animals a on a.id = t.animal_id
    join medicines m on m.id = t.medicine_id
    left join diagnoses d on d.id = t.diagnosis_id
    left join vaccination_schedules s on s.id = t.schedule_id
    where ${animal}::int is null or t.animal_id = ${animal}
    order by t.treated_at desc limit ${opts.limit ?? 50}`;
  return rows.map((r) => ({ ...camelRow<TreatmentRow>(r), dose: num(r.dose)! }));
}

/** Animals whose milk or meat withdrawal is still running. */
export async function underWithdrawal(db: Db, now: Date = new Date()): Promise<
  {
    animalId: number;
    tag: string;
    name: string | null;
    milkUntil: Date | null;
    meatUntil: Date | null;
    medicine: string;
  }[]
> {
  const rows = await db`
    select distinct on (t.animal_id) t.animal_id, a.tag, a.name, m.name as medicine,
      max(t.milk_withdrawal_until) over (partition by t.animal_id) as milk_until,
      max(t.meat_withdrawal_until) over (partition by t.animal_id) as meat_until
    from treatments t join animals a on a.id = t.animal_id join medicines m on m.id = t.medicine_id
    where (t.milk_withdrawal_until > ${now} or t.meat_withdrawal_until > ${now})
      and a.status in ('calf', 'heifer', 'lactating', 'dry')
    order by t.animal_id, t.treated_at desc`;
  return rows.map((r) => ({
    animalId: r.animal_id,
    tag: r.tag,
    name: r.name,
    milkUntil: r.milk_until && r.milk_until > now ? r.milk_until : null,
    meatUntil: r.meat_until && r.meat_until > now ? r.meat_until : null,
    medicine: r.medicine,
  }));
}

export interface VaccinationSchedule {
  id: number;
  name: string;
  medicineId: number;
  medicine: string;
  intervalDays: number;
  firstAgeDays: number;
  statuses: string[];
}

export async function listSchedules(db: Db): Promise<VaccinationSchedule[]> {
  const rows = await db`
    select s.id, s.name, s.medicine_id, m.name as medicine, s.interval_days, s.first_age_days,
      s.statuses
    from vaccination_schedules s join medicines m on m.id = s.medicine_id
    where s.active order by s.name`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    medicineId: r.medicine_id,
    medicine: r.medicine,
    intervalDays: r.interval_days,
    firstAgeDays: r.first_age_days,
    statuses: r.statuses,
  }));
}

export interface VaccinationDue {
  scheduleId: number;
  schedule: string;
  animalId: number;
  tag: string;
  /** The day it is due (may be in the past: overdue). */
  dueOn: string;
  lastGivenOn: string | null;
}

/**
 * Vaccinations due by `until`: for each schedule, animals of a listed status that are old enough
 * and whose last dose of that schedule is older than the interval (or who never had one).
 */
export async function vaccinationsDue(
  db: Db,
  today: string,
  until: string,
): Promise<VaccinationDue[]> {
  const rows = await db`
    select s.id as schedule_id, s.name, s.interval_days, s.first_age_days, a.id as animal_id,
      a.tag, a.birth_date::text, last.on_day::text as last_on
    from vaccination_schedules s
    join animals a on a.status = any(s.statuses)
    left join lateral (
      select max(((t.treated_at at time zone 'UTC') + interval '6 hours')::date) as on_day from treatments t
      where t.animal_id = a.id and t.schedule_id = s.id
    ) last on true
    where s.active and (s.group_id is null or a.group_id = s.group_id)
    order by a.tag`;
  const out: VaccinationDue[] = [];
  for (const r of rows) {
    const byAge = r.birth_date ? addDays(r.birth_date, r.first_age_days) : today;
    const due = r.last_on ? addDays(r.last_on, r.interval_days) : byAge;
    const dueOn = due < byAge ? byAge : due;
    if (dueOn <= until) {
      out.push({
        scheduleId: r.schedule_id,
        schedule: r.name,
        animalId: r.animal_id,
        tag: r.tag,
        dueOn,
        lastGivenOn: r.last_on,
      });
    }
  }
  return out.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.tag.localeCompare(b.tag));
}

/** Days left of a withdrawal, rounded up, for labels. */
export function withdrawalDaysLeft(until: Date, now = new Date()): number {
  return Math.max(0, daysBetween(farmDay(now), farmDay(until)));
}

/** A medicine as the manager edits it (also inactive ones), with its active ingredient. */
export interface MedicineRow extends Medicine {
  activeIngredient: string | null;
  active: boolean;
  /** The inventory item it is drawn from (null: not from stock). */
  stockItemCode: string | null;
  /** Its units in one stock unit (a 100 ml bottle: 100). */
  unitsPerStock: number;
}

export async function listAllMedicines(db: Db): Promise<MedicineRow[]> {
  const rows = await db`
    select id, name, kind, unit, milk_withdrawal_hours, meat_withdrawal_days, active_ingredient,
      active, stock_item_code, units_per_stock
    from medicines order by active desc, name`;
  return rows.map((r) => ({
    ...camelRow<MedicineRow>(r),
    unitsPerStock: Number(r.units_per_stock),
  }));
}

export const medicineEditSchema = medicineSchema.extend({
  activeIngredient: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? null : v),
    z.string().trim().max(120, "At most 120 characters").nullish(),
  ),
  active: checkbox,
});

/**
 * Creates (id null) or edits a medicine. A changed withdrawal applies to treatments recorded from
 * now on: those already saved keep the withdrawal end computed when they were recorded.
 */
export const saveMedicine = farmEditUseCase(
  { schema: medicineEditSchema, may: "farm.health" },
  async (tx, id: number | null, m, actor: Actor): Promise<number> => {
    const [clash] = await tx`select id from medicines where lower(name) = lower(${m.name})
      and id is distinct from ${id}`;
    if (clash) {
      throw new FarmRuleError("invalid", `A medicine named ${m.name} exists already`, {
        reason: "name_taken",
      }, "name");
    }
    const rows = id === null
      ? await tx`
        insert into medicines (name, kind, unit, milk_withdrawal_hours, meat_withdrawal_days,
          active_ingredient, active)
        values (${m.name}, ${m.kind}, ${m.unit}, ${m.milkWithdrawalHours}, ${m.meatWithdrawalDays},
          ${m.activeIngredient ?? null}, ${m.active})
        returning id`
      : await tx`
        update medicines set name = ${m.name}, kind = ${m.kind}, unit = ${m.unit},
          milk_withdrawal_hours = ${m.milkWithdrawalHours},
          meat_withdrawal_days = ${m.meatWithdrawalDays},
          active_ingredient = ${m.activeIngredient ?? null}, active = ${m.active}
        where id = ${id} returning id`;
    if (!rows.length) throw new NotFoundError("No such medicine");
    await auditFarm(
      tx,
      actor.userId,
      id === null ? "farm.medicine.create" : "farm.medicine.update",
      "medicine",
      rows[0].id,
      m,
    );
    return rows[0].id;
  },
);
