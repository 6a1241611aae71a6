/**
 * Reproduction events (ICAR heat, insemination, pregnancy check, parturition, dry-off,
 * do-not-breed). A calving opens a lactation, registers its calves at once and moves the cow to
 * the milking group; a dry-off closes the lactation. Each function runs in the caller's
 * transaction (or its own) and re-checks the rules that an offline entry may break meanwhile.
 */
import { z } from "@/services/platform/schema.ts";
import { auditFarm } from "./audit.ts";
import { type Actor } from "./actor.ts";
import { type EntryOpts, farmUseCase } from "./use_case.ts";
import { TAG_PATTERN } from "./animals.ts";
import { daysBetween, farmDay, isIsoDate } from "./dates.ts";
import { type Db } from "@/services/platform/tx.ts";
import { needIot } from "./iot_port.ts";
import { FarmRuleError } from "./errors.ts";
import { assertInHerd } from "./health.ts";
import { getSettings } from "./settings.ts";

const day = z.string().trim().refine(isIsoDate, "The date must be a date (YYYY-MM-DD)");
const id = (msg: string) => z.coerce.number().int().positive(msg);
const opt = (max: number) => z.string().trim().max(max).nullish().transform((v) => v || null);

function checkDate(d: string, field = "date"): void {
  if (d > farmDay()) throw new FarmRuleError("future_date", "The date is in the future", {}, field);
  if (daysBetween(d, farmDay()) > 400) {
    throw new FarmRuleError("too_old", "Entries older than 400 days are not accepted", {
      days: 400,
    }, field);
  }
}

/** The entry's date is acceptable and its animal a female in the herd on that date. */
async function female(tx: Db, entry: { animalId: number; date: string }) {
  checkDate(entry.date);
  const a = await assertInHerd(tx, entry.animalId, entry.date);
  if (a.sex !== "female") {
    throw new FarmRuleError("not_female", `${a.tag} is not a female`, { tag: a.tag }, "animalId");
  }
  return a;
}

async function insertEvent(tx: Db, values: Record<string, unknown>): Promise<string> {
  const [row] = await tx`insert into repro_events ${tx(values)} returning id::text`;
  return row.id;
}

/** A calf or heifer that shows heat or is served is a heifer from then on. */
async function youngToHeifer(tx: Db, animalId: number): Promise<void> {
  await tx`update animals set status = 'heifer', updated_at = now()
    where id = ${animalId} and status = 'calf' and sex = 'female'`;
}

// ---- heat ---------------------------------------------------------------------------------

export const heatSchema = z.object({
  animalId: id("Choose a cow"),
  date: day,
  at: z.coerce.date().nullish(),
  source: z.enum(["seen", "collar"]).default("seen"),
  alarmId: z.coerce.number().int().positive().nullish(),
  notes: opt(1000),
});

export const recordHeat = farmUseCase(
  { schema: heatSchema, may: "farm.record" },
  async (tx, h, actor: Actor, opts: EntryOpts = {}): Promise<{ id: string }> => {
    await female(tx, h);
    let alarmId = h.alarmId ?? null;
    if (alarmId !== null) {
      if (!(await needIot(opts.iot).alarmExists(tx, alarmId))) alarmId = null;
    }
    const eid = await insertEvent(tx, {
      animal_id: h.animalId,
      kind: "heat",
      event_on: h.date,
      event_at: h.at ?? null,
      heat_source: h.source,
      alarm_id: alarmId,
      notes: h.notes,
      recorded_by: actor.userId,
      client_id: opts.clientId ?? null,
    });
    await youngToHeifer(tx, h.animalId);
    return { id: eid };
  },
);

// ---- insemination -------------------------------------------------------------------------

export const inseminationSchema = z.object({
  animalId: id("Choose a cow"),
  date: day,
  at: z.coerce.date().nullish(),
  serviceType: z.enum(["ai", "natural"]).default("ai"),
  bullId: z.coerce.number().int().positive().nullish(),
  /** A herd bull (natural service) by tag. */
  sireTag: z.string().trim().regex(TAG_PATTERN).nullish().or(z.literal("").transform(() => null)),
  strawCode: opt(40),
  technician: opt(80),
  notes: opt(1000),
}).refine((i) => i.serviceType !== "ai" || i.bullId, {
  message: "Choose the bull of the straw",
  path: ["bullId"],
});

export type InseminationResult = { id: string; warning: string | null };

export const recordInsemination = farmUseCase(
  { schema: inseminationSchema, may: "farm.record" },
  async (tx, s, actor: Actor, opts: EntryOpts = {}): Promise<InseminationResult> => {
    await female(tx, s);
    const [a] = await tx`select do_not_breed_on::text from animals where id = ${s.animalId}`;
    if (a.do_not_breed_on && a.do_not_breed_on <= s.date) {
      throw new FarmRuleError("do_not_breed", `Marked do-not-breed on ${a.do_not_breed_on}`, {
        date: a.do_not_breed_on,
      }, "animalId");
    }
    if (s.bullId) {
      const [b] = await tx`select 1 from bulls where id = ${s.bullId}`;
      if (!b) throw new FarmRuleError("bull_unknown", "No such bull", {}, "bullId");
    }
    let sireAnimalId: number | null = null;
    if (s.sireTag) {
      const [sire] =
        await tx`select id from animals where lower(tag) = lower(${s.sireTag}) and sex = 'male'`;
      if (!sire) {
        throw new FarmRuleError(
          "bull_unknown",
          `No male with tag ${s.sireTag}`,
          { tag: s.sireTag },
          "sireTag",
        );
      }
      sireAnimalId = sire.id;
    }
    const status = await pregnancyStatus(tx, s.animalId, s.date);
    const eid = await insertEvent(tx, {
      animal_id: s.animalId,
      kind: "insemination",
      event_on: s.date,
      event_at: s.at ?? null,
      service_type: s.serviceType,
      bull_id: s.bullId ?? null,
      sire_animal_id: sireAnimalId,
      straw_code: s.strawCode,
      technician: s.technician,
      notes: s.notes,
      recorded_by: actor.userId,
      client_id: opts.clientId ?? null,
    });
    await youngToHeifer(tx, s.animalId);
    return {
      id: eid,
      warning: status === "pregnant" ? "This cow was confirmed pregnant: check her again" : null,
    };
  },
);

/** Pregnant when the latest check on or before `date` since the last calving was positive. */
async function pregnancyStatus(
  tx: Db,
  animalId: number,
  date: string,
): Promise<"pregnant" | "open"> {
  const [r] = await tx`
    select e.pregnant from repro_events e
    where e.animal_id = ${animalId} and e.kind = 'pregnancy_check' and e.event_on <= ${date}
      and e.event_on >= coalesce((select max(calved_on) from lactations
        where animal_id = ${animalId} and calved_on <= ${date}), '1900-01-01')
      and not exists (select 1 from repro_events i where i.animal_id = e.animal_id
        and i.kind = 'insemination' and i.event_on > e.event_on and i.event_on <= ${date})
    order by e.event_on desc, e.id desc limit 1`;
  return r?.pregnant ? "pregnant" : "open";
}

// ---- pregnancy check ----------------------------------------------------------------------

export const pregnancyCheckSchema = z.object({
  animalId: id("Choose a cow"),
  date: day,
  pregnant: z.preprocess(
    (v) => (v === "true" || v === "yes" ? true : v === "false" || v === "no" ? false : v),
    z.boolean({ error: "Choose pregnant or open" }),
  ),
  method: z.enum(["palpation", "ultrasound", "blood", "other"]).default("palpation"),
  notes: opt(1000),
});

export type PregnancyCheckResult = { id: string; expectedCalving: string | null };

export const recordPregnancyCheck = farmUseCase(
  { schema: pregnancyCheckSchema, may: "farm.record" },
  async (tx, c, actor: Actor, opts: EntryOpts = {}): Promise<PregnancyCheckResult> => {
    await female(tx, c);
    const [ai] = await tx`
      select id::text, event_on::text from repro_events
      where animal_id = ${c.animalId} and kind = 'insemination' and event_on < ${c.date}
        and event_on >= coalesce((select max(calved_on) from lactations
          where animal_id = ${c.animalId} and calved_on <= ${c.date}), '1900-01-01')
      order by event_on desc, id desc limit 1`;
    if (!ai) {
      throw new FarmRuleError(
        "no_service",
        "No service since the last calving to confirm",
        {},
        "animalId",
      );
    }
    const eid = await insertEvent(tx, {
      animal_id: c.animalId,
      kind: "pregnancy_check",
      event_on: c.date,
      pregnant: c.pregnant,
      check_method: c.method,
      insemination_id: ai.id,
      notes: c.notes,
      recorded_by: actor.userId,
      client_id: opts.clientId ?? null,
    });
    const settings = await getSettings(tx);
    const expected = c.pregnant
      ? new Date(Date.parse(ai.event_on) + settings.gestationDays * 86_400_000).toISOString().slice(
        0,
        10,
      )
      : null;
    return { id: eid, expectedCalving: expected };
  },
);

// ---- calving ------------------------------------------------------------------------------

export const calfSchema = z.object({
  tag: z.string().trim().regex(TAG_PATTERN, "A calf's ear tag is 1–40 letters, digits or hyphens"),
  sex: z.enum(["female", "male"], { error: "Choose the calf's sex" }),
  name: opt(60),
  breed: opt(60),
  dead: z.boolean().default(false),
});

export const calvingSchema = z.object({
  animalId: id("Choose a cow"),
  date: day,
  ease: z.coerce.number().int().min(1).max(5).nullish(),
  calves: z.array(calfSchema).max(4, "At most four calves").default([]),
  notes: opt(1000),
});

export type CalvingResult = { id: string; lactationId: number; parity: number; calfIds: number[] };

export const recordCalving = farmUseCase(
  { schema: calvingSchema, may: "farm.record" },
  async (tx, c, actor: Actor, opts: EntryOpts = {}): Promise<CalvingResult> => {
    const cow = await female(tx, c);
    const settings = await getSettings(tx);
    const [last] = await tx`
      select id, parity, calved_on::text, dried_off_on, ended_on from lactations
      where animal_id = ${c.animalId} order by calved_on desc limit 1`;
    if (last && daysBetween(last.calved_on, c.date) < settings.minCalvingGapDays) {
      throw new FarmRuleError("calved_recently", `${cow.tag} calved on ${last.calved_on}`, {
        tag: cow.tag,
        date: last.calved_on,
      }, "date");
    }
    const tags = c.calves.map((x) => x.tag.toLowerCase());
    if (new Set(tags).size !== tags.length) {
      throw new FarmRuleError(
        "tag_taken",
        "Two calves have the same tag",
        { tag: c.calves[0].tag },
        "calves",
      );
    }
    if (tags.length) {
      const [taken] =
        await tx`select tag from animals where lower(tag) = any(${tags}::text[]) limit 1`;
      if (taken) {
        throw new FarmRuleError("tag_taken", `Tag ${taken.tag} is already in use`, {
          tag: taken.tag,
        }, "calves");
      }
    }
    if (last && !last.dried_off_on && !last.ended_on) {
      await tx`update lactations set dried_off_on = ${c.date} where id = ${last.id}`;
    }
    const parity = (last?.parity ?? 0) + 1;
    const [lac] = await tx`
      insert into lactations (animal_id, parity, calved_on) values (${c.animalId}, ${parity}, ${c.date})
      returning id`;
    const eid = await insertEvent(tx, {
      animal_id: c.animalId,
      kind: "calving",
      event_on: c.date,
      lactation_id: lac.id,
      calving_ease: c.ease ?? null,
      notes: c.notes,
      recorded_by: actor.userId,
      client_id: opts.clientId ?? null,
    });
    const [milking] =
      await tx`select id from farm_groups where kind = 'lactating' and active order by id limit 1`;
    await tx`
      update animals set status = 'lactating', updated_at = now(),
        group_id = coalesce(${milking?.id ?? null}, group_id)
      where id = ${c.animalId}`;
    // The sire of the calves: the service that led to this calving (about a gestation ago).
    const [service] = await tx`
      select bull_id, sire_animal_id from repro_events
      where animal_id = ${c.animalId} and kind = 'insemination' and event_on <= ${c.date}::date - 250
      order by event_on desc limit 1`;
    const [dam] = await tx`select breed from animals where id = ${c.animalId}`;
    const [calfGroup] =
      await tx`select id from farm_groups where kind = 'calves' and active order by id limit 1`;
    const calfIds: number[] = [];
    for (const calf of c.calves) {
      const [row] = await tx`
        insert into animals (tag, name, breed, sex, birth_date, dam_id, sire_id, sire_bull_id,
          origin, group_id, status, exit_date, exit_reason)
        values (${calf.tag}, ${calf.name}, ${calf.breed ?? dam.breed}, ${calf.sex}, ${c.date},
          ${c.animalId}, ${service?.sire_animal_id ?? null}, ${service?.bull_id ?? null}, 'born',
          ${calfGroup?.id ?? null}, ${calf.dead ? "dead" : "calf"}, ${calf.dead ? c.date : null},
          ${calf.dead ? "calving" : null})
        returning id`;
      calfIds.push(row.id);
    }
    await auditFarm(tx, actor.userId, "farm.calving.record", "animal", c.animalId, {
      date: c.date,
      parity,
      calves: c.calves.map((x) => x.tag),
    });
    return { id: eid, lactationId: lac.id, parity, calfIds };
  },
);

// ---- dry-off and do-not-breed -------------------------------------------------------------

export const dryOffSchema = z.object({ animalId: id("Choose a cow"), date: day, notes: opt(1000) });

export const recordDryOff = farmUseCase(
  { schema: dryOffSchema, may: "farm.record" },
  async (tx, d, actor: Actor, opts: EntryOpts = {}): Promise<{ id: string }> => {
    const cow = await female(tx, d);
    const [lac] = await tx`
      select id, calved_on::text, dried_off_on::text from lactations
      where animal_id = ${d.animalId} and calved_on <= ${d.date}
      order by calved_on desc limit 1`;
    if (!lac) {
      throw new FarmRuleError(
        "not_in_milk",
        `${cow.tag} is not in milk`,
        { tag: cow.tag },
        "animalId",
      );
    }
    if (lac.dried_off_on) {
      throw new FarmRuleError("already_dry", `${cow.tag} was dried off on ${lac.dried_off_on}`, {
        tag: cow.tag,
        date: lac.dried_off_on,
      }, "animalId");
    }
    await tx`update lactations set dried_off_on = ${d.date} where id = ${lac.id}`;
    const [dry] =
      await tx`select id from farm_groups where kind = 'dry' and active order by id limit 1`;
    await tx`update animals set status = 'dry', group_id = coalesce(${dry?.id ?? null}, group_id),
      updated_at = now() where id = ${d.animalId}`;
    const eid = await insertEvent(tx, {
      animal_id: d.animalId,
      kind: "dry_off",
      event_on: d.date,
      notes: d.notes,
      recorded_by: actor.userId,
      client_id: opts.clientId ?? null,
    });
    return { id: eid };
  },
);

export const doNotBreedSchema = z.object({
  animalId: id("Choose a cow"),
  date: day,
  /** false clears the mark. */
  doNotBreed: z.boolean().default(true),
  notes: opt(1000),
});

export const setDoNotBreed = farmUseCase(
  { schema: doNotBreedSchema, may: "farm.manage" },
  async (tx, d, actor: Actor): Promise<void> => {
    await female(tx, d);
    await tx`update animals set do_not_breed_on = ${
      d.doNotBreed ? d.date : null
    }, updated_at = now()
      where id = ${d.animalId}`;
    if (d.doNotBreed) {
      await insertEvent(tx, {
        animal_id: d.animalId,
        kind: "do_not_breed",
        event_on: d.date,
        notes: d.notes,
        recorded_by: actor.userId,
      });
    }
    await auditFarm(
      tx,
      actor.userId,
      d.doNotBreed ? "farm.dnb.set" : "farm.dnb.clear",
      "animal",
      d.animalId,
      { date: d.date, notes: d.notes },
    );
  },
);

// ---- lists --------------------------------------------------------------------------------

export interface ReproEventRow {
  id: string;
  kind: string;
  date: string;
  heatSource: string | null;
  serviceType: string | null;
  bull: string | null;
  strawCode: string | null;
  technician: string | null;
  pregnant: boolean | null;
  method: string | null;
  calvingEase: number | null;
  notes: string | null;
}

export async function animalEvents(db: Db, animalId: number): Promise<ReproEventRow[]> {
  const rows = await db`
    select e.id::text, e.kind, e.event_on::text, e.heat_source, e.service_type,
      coalesce(b.code || ' ' || b.name, s.tag) as bull, e.straw_code, e.technician, e.pregnant,
      e.check_method, e.calving_ease, e.notes
    from repro_events e
    left join bulls b on b.id = e.bull_id
    left join animals s on s.id = e.sire_animal_id
    where e.animal_id = ${animalId}
    order by e.event_on desc, e.id desc`;
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    date: r.event_on,
    heatSource: r.heat_source,
    serviceType: r.service_type,
    bull: r.bull,
    strawCode: r.straw_code,
    technician: r.technician,
    pregnant: r.pregnant,
    method: r.check_method,
    calvingEase: r.calving_ease,
    notes: r.notes,
  }));
}
