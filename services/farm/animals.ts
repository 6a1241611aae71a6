/**
 * The herd register (ICAR animal): registration, edits, exits (sale, death), groups, AI bulls,
 * the animal's page and its pedigree. Parents are given by tag: a dam is a female of the herd;
 * a sire is a male of the herd or an AI bull by its code (ICAR sire identifier).
 */
import { z } from "@/services/platform/schema.ts";
import { auditFarm } from "./audit.ts";
import { NotFoundError, parseInput } from "@/services/platform/errors.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { farmDay, isIsoDate } from "./dates.ts";
import { FarmRuleError } from "./errors.ts";
import { groupBase } from "./db.ts";
import { farmUseCase } from "./use_case.ts";

export const ANIMAL_STATUSES = ["calf", "heifer", "lactating", "dry", "sold", "dead"] as const;
export type AnimalStatus = typeof ANIMAL_STATUSES[number];
export const IN_HERD: readonly AnimalStatus[] = ["calf", "heifer", "lactating", "dry"];
export const EXIT_REASONS = [
  "sale",
  "slaughter",
  "infertility",
  "mastitis",
  "lameness",
  "low_yield",
  "disease",
  "injury",
  "calving",
  "old_age",
  "other",
] as const;
export type ExitReason = typeof EXIT_REASONS[number];
export const BREEDS = [
  "Holstein Friesian",
  "Holstein Friesian × Sahiwal",
  "Sahiwal",
  "Jersey",
  "Jersey × Local",
  "Red Chittagong",
  "Local",
] as const;

export const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/;
const TAG_MESSAGE = "An ear tag is 1–40 letters, digits or hyphens";

const emptyToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);
const optText = (max: number, msg: string) =>
  z.preprocess(emptyToNull, z.string().trim().max(max, msg).nullish());
const optDate = (msg: string) =>
  z.preprocess(emptyToNull, z.string().trim().refine(isIsoDate, msg).nullish());

/** What a person enters to register an animal (the form and each CSV row). */
export const animalInputSchema = z.object({
  tag: z.string({ error: "An ear tag is required" }).trim().min(1, "An ear tag is required")
    .regex(TAG_PATTERN, TAG_MESSAGE),
  rfid: z.preprocess(
    (v) => (typeof v === "string" ? emptyToNull(v.replace(/\s+/g, "")) : v),
    z.string().regex(/^[0-9]{15}$/, "An RFID number (ISO 11784) has 15 digits").nullish(),
  ),
  name: optText(60, "A name is at most 60 characters"),
  breed: z.string({ error: "A breed is required" }).trim().min(1, "A breed is required").max(60),
  sex: z.enum(["female", "male"], { error: "Sex must be female or male" }),
  birthDate: optDate("The birth date must be a date (YYYY-MM-DD)"),
  damTag: z.preprocess(emptyToNull, z.string().trim().regex(TAG_PATTERN, TAG_MESSAGE).nullish()),
  sireTag: optText(40, "A sire tag or bull code is at most 40 characters"),
  origin: z.enum(["born", "purchased"], { error: "Origin must be born or purchased" }),
  arrivalDate: optDate("The arrival date must be a date (YYYY-MM-DD)"),
  groupCode: optText(16, "A group code is at most 16 characters"),
  status: z.enum(["calf", "heifer", "lactating", "dry"], {
    error: "Status must be calf, heifer, lactating or dry",
  }),
  lastCalvedOn: optDate("The last calving date must be a date (YYYY-MM-DD)"),
  parity: z.preprocess(
    emptyToNull,
    z.coerce.number().int("Parity is a whole number").min(1, "Parity is at least 1").max(20)
      .nullish(),
  ),
  notes: optText(2000, "Notes are at most 2000 characters"),
}).superRefine((a, ctx) => {
  const today = farmDay();
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: "custom", path: [path], message });
  if (a.birthDate && a.birthDate > today) issue("birthDate", "The birth date is in the future");
  if (a.origin === "purchased" && !a.arrivalDate) {
    issue("arrivalDate", "A purchased animal needs its arrival date");
  }
  if (a.arrivalDate && a.birthDate && a.arrivalDate < a.birthDate) {
    issue("arrivalDate", "The arrival date is before the birth date");
  }
  if (a.sex === "male" && a.status !== "calf") {
    issue("status", "A male animal is registered as a calf");
  }
  if ((a.status === "lactating" || a.status === "dry") && !a.lastCalvedOn) {
    issue("lastCalvedOn", "A cow in milk or dry needs her last calving date");
  }
  if (a.lastCalvedOn && a.lastCalvedOn > today) {
    issue("lastCalvedOn", "The last calving date is in the future");
  }
  if (a.lastCalvedOn && a.birthDate && a.lastCalvedOn < a.birthDate) {
    issue("lastCalvedOn", "The last calving date is before the birth date");
  }
});
export type AnimalInput = z.output<typeof animalInputSchema>;

export interface AnimalRow {
  id: number;
  tag: string;
  rfid: string | null;
  name: string | null;
  breed: string;
  sex: "female" | "male";
  birthDate: string | null;
  status: AnimalStatus;
  origin: "born" | "purchased";
  arrivalDate: string | null;
  groupId: number | null;
  groupName: string | null;
  exitDate: string | null;
  exitReason: ExitReason | null;
  doNotBreedOn: string | null;
  notes: string | null;
  damId: number | null;
  damTag: string | null;
  sireId: number | null;
  sireTag: string | null;
  sireBullId: number | null;
  sireBullCode: string | null;
  sireBullName: string | null;
  parity: number | null;
  lastCalvedOn: string | null;
  driedOffOn: string | null;
  /** End of the latest milk withdrawal if it is still running. */
  withdrawalUntil: Date | null;
}

// `now` is the door's clock: whether a withdrawal still runs is judged at that instant.
const ANIMAL_SELECT = (db: Db, now: Date) =>
  db`
  select a.id, a.tag, a.rfid, a.name, a.breed, a.sex, a.birth_date::text, a.status, a.origin,
    a.arrival_date::text, a.group_id, g.name as group_name, a.exit_date::text, a.exit_reason,
    a.do_not_breed_on::text, a.notes, a.dam_id, dam.tag as dam_tag, a.sire_id,
    sire.tag as sire_tag, a.sire_bull_id, b.code as bull_code, b.name as bull_name,
    l.parity, l.calved_on::text as last_calved_on, l.dried_off_on::text,
    w.until as withdrawal_until
  from animals a
  left join farm_groups g on g.id = a.group_id
  left join animals dam on dam.id = a.dam_id
  left join animals sire on sire.id = a.sire_id
  left join bulls b on b.id = a.sire_bull_id
  left join lateral (
    select parity, calved_on, dried_off_on from lactations
    where animal_id = a.id order by calved_on desc limit 1
  ) l on true
  left join lateral (
    select max(milk_withdrawal_until) as until from treatments
    where animal_id = a.id and milk_withdrawal_until > ${now}
  ) w on true`;

// deno-lint-ignore no-explicit-any
function toAnimal(r: Record<string, any>): AnimalRow {
  return {
    id: r.id,
    tag: r.tag,
    rfid: r.rfid,
    name: r.name,
    breed: r.breed,
    sex: r.sex,
    birthDate: r.birth_date,
    status: r.status,
    origin: r.origin,
    arrivalDate: r.arrival_date,
    groupId: r.group_id,
    groupName: r.group_name,
    exitDate: r.exit_date,
    exitReason: r.exit_reason,
    doNotBreedOn: r.do_not_breed_on,
    notes: r.notes,
    damId: r.dam_id,
    damTag: r.dam_tag,
    sireId: r.sire_id,
    sireTag: r.sire_tag,
    sireBullId: r.sire_bull_id,
    sireBullCode: r.bull_code,
    sireBullName: r.bull_name,
    parity: r.parity ?? null,
    lastCalvedOn: r.last_calved_on ?? null,
    driedOffOn: r.dried_off_on ?? null,
    withdrawalUntil: r.withdrawal_until ?? null,
  };
}

export async function getAnimal(
  db: Db,
  id: number,
  now: Date = new Date(),
): Promise<AnimalRow | null> {
  const rows = await db`${ANIMAL_SELECT(db, now)} where a.id = ${id}`;
  return rows.length ? toAnimal(rows[0]) : null;
}

export async function getAnimalByTag(
  db: Db,
  tag: string,
  now: Date = new Date(),
): Promise<AnimalRow | null> {
  const rows = await db`${ANIMAL_SELECT(db, now)} where lower(a.tag) = lower(${tag.trim()})`;
  return rows.length ? toAnimal(rows[0]) : null;
}

export interface AnimalQuery {
  q?: string;
  status?: AnimalStatus | "in_herd" | "all";
  groupId?: number;
  limit?: number;
  offset?: number;
}

export async function listAnimals(
  db: Db,
  query: AnimalQuery = {},
  now: Date = new Date(),
): Promise<{ rows: AnimalRow[]; total: number }> {
  const status = query.status ?? "in_herd";
  const statuses: string[] = status === "all"
    ? [...ANIMAL_STATUSES]
    : status === "in_herd"
    ? [...IN_HERD]
    : [status];
  const q = query.q?.trim() ? `%${query.q.trim().toLowerCase()}%` : null;
  const group = query.groupId ?? null;
  const where = db`where a.status = any(${statuses}::text[])
    and (${q}::text is null or lower(a.tag) like ${q} or lower(coalesce(a.name, '')) like ${q}
         or a.rfid like ${q})
    and (${group}::int is null or a.group_id = ${group})`;
  const limit = Math.min(query.limit ?? 100, 500);
  const rows = await db`${ANIMAL_SELECT(db, now)} ${where}
    order by a.tag limit ${limit} offset ${query.offset ?? 0}`;
  const [{ n }] = await db`select count(*)::int as n from animals a ${where}`;
  return { rows: rows.map(toAnimal), total: n };
}

/** What the offline recorder needs of each animal in the herd. */
export interface RecorderAnimal {
  id: number;
  tag: string;
  name: string | null;
  status: AnimalStatus;
  sex: "female" | "male";
  /** Milk withdrawal end (ISO instant) when one is running. */
  withdrawalUntil: string | null;
}

export async function recorderAnimals(
  db: Db,
  now: Date = new Date(),
): Promise<RecorderAnimal[]> {
  const rows = await db`
    select a.id, a.tag, a.name, a.status, a.sex, w.until
    from animals a
    left join lateral (
      select max(milk_withdrawal_until) as until from treatments
      where animal_id = a.id and milk_withdrawal_until > ${now}
    ) w on true
    where a.status in ('calf', 'heifer', 'lactating', 'dry')
    order by a.tag`;
  return rows.map((r) => ({
    id: r.id,
    tag: r.tag,
    name: r.name,
    status: r.status,
    sex: r.sex,
    withdrawalUntil: r.until ? (r.until as Date).toISOString() : null,
  }));
}

// ---- groups and bulls ---------------------------------------------------------------------

export interface FarmGroup {
  id: number;
  code: string;
  name: string;
  kind: string;
  pen: string | null;
  headCount: number;
}

export async function listGroups(db: Db): Promise<FarmGroup[]> {
  const rows = await db`
    select g.id, g.code, g.name, g.kind, g.pen,
      (select count(*)::int from animals a where a.group_id = g.id
        and a.status in ('calf', 'heifer', 'lactating', 'dry')) as head_count
    from farm_groups g where g.active order by g.code`;
  return rows.map((r) => ({ ...groupBase(r), headCount: r.head_count }));
}

export interface Bull {
  id: number;
  code: string;
  name: string;
  breed: string;
  stud: string | null;
}

export async function listBulls(db: Db): Promise<Bull[]> {
  const rows = await db`select id, code, name, breed, stud from bulls where active order by code`;
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, breed: r.breed, stud: r.stud }));
}

export const bullSchema = z.object({
  code: z.string().trim().regex(
    /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,39}$/,
    "A bull code is 1–40 letters, digits, spaces or . _ / -",
  ),
  name: z.string().trim().min(1, "A name is required").max(80),
  breed: z.string().trim().min(1, "A breed is required").max(60),
  stud: z.preprocess(emptyToNull, z.string().trim().max(80).nullish()),
});

export const createBull = farmUseCase(
  { schema: bullSchema },
  async (tx, b, actorId: string | null): Promise<Bull> => {
    const rows = await tx`
      insert into bulls (code, name, breed, stud) values (${b.code}, ${b.name}, ${b.breed},
        ${b.stud ?? null})
      on conflict (code) do nothing returning id`;
    if (!rows.length) {
      throw new FarmRuleError("tag_taken", `A bull with code ${b.code} exists already`, {
        tag: b.code,
      }, "code");
    }
    await auditFarm(tx, actorId, "farm.bull.create", "bull", rows[0].id, b);
    return { id: rows[0].id, code: b.code, name: b.name, breed: b.breed, stud: b.stud ?? null };
  },
);

// ---- registration -------------------------------------------------------------------------

/** Parents and group of an input resolved to ids; throws FarmRuleError naming the field. */
export async function resolveRefs(
  db: Db,
  a: Pick<AnimalInput, "damTag" | "sireTag" | "groupCode" | "birthDate">,
  pending: Map<string, { sex: string; birthDate: string | null }> = new Map(),
): Promise<{
  damId: number | null;
  damPending: string | null;
  sireId: number | null;
  sirePending: string | null;
  bullId: number | null;
  groupId: number | null;
}> {
  const out = {
    damId: null as number | null,
    damPending: null as string | null,
    sireId: null as number | null,
    sirePending: null as string | null,
    bullId: null as number | null,
    groupId: null as number | null,
  };
  if (a.damTag) {
    const [dam] =
      await db`select id, sex, birth_date::text from animals where lower(tag) = lower(${a.damTag})`;
    const p = pending.get(a.damTag.toLowerCase());
    if (dam) {
      if (dam.sex !== "female") {
        throw new FarmRuleError("not_female", `The dam ${a.damTag} is not a female`, {
          tag: a.damTag,
        }, "damTag");
      }
      if (a.birthDate && dam.birth_date && dam.birth_date >= a.birthDate) {
        throw new FarmRuleError("before_birth", `The dam ${a.damTag} is younger than her calf`, {
          tag: a.damTag,
        }, "damTag");
      }
      out.damId = dam.id;
    } else if (p && p.sex === "female") out.damPending = a.damTag;
    else {
      throw new FarmRuleError("animal_unknown", `No female with tag ${a.damTag} in the herd`, {
        tag: a.damTag,
      }, "damTag");
    }
  }
  if (a.sireTag) {
    const [sire] = await db`select id, sex from animals where lower(tag) = lower(${a.sireTag})`;
    if (sire && sire.sex === "male") out.sireId = sire.id;
    else {
      const [bull] = await db`select id from bulls where lower(code) = lower(${a.sireTag})`;
      if (bull) out.bullId = bull.id;
      else if (pending.get(a.sireTag.toLowerCase())?.sex === "male") out.sirePending = a.sireTag;
      else {
        throw new FarmRuleError(
          "bull_unknown",
          `No bull or male animal with code or tag ${a.sireTag}`,
          { tag: a.sireTag },
          "sireTag",
        );
      }
    }
  }
  if (a.groupCode) {
    const [g] = await db`select id from farm_groups where upper(code) = upper(${a.groupCode})`;
    if (!g) {
      throw new FarmRuleError("group_unknown", `No group with code ${a.groupCode}`, {
        code: a.groupCode,
      }, "groupCode");
    }
    out.groupId = g.id;
  }
  return out;
}

export async function insertAnimal(
  tx: Db,
  a: AnimalInput,
  refs: {
    damId: number | null;
    sireId: number | null;
    bullId: number | null;
    groupId: number | null;
  },
): Promise<number> {
  const [taken] = await tx`select 1 from animals where lower(tag) = lower(${a.tag})`;
  if (taken) {
    throw new FarmRuleError("tag_taken", `Tag ${a.tag} is already in use`, { tag: a.tag }, "tag");
  }
  if (a.rfid) {
    const [r] = await tx`select tag from animals where rfid = ${a.rfid}`;
    if (r) {
      throw new FarmRuleError("rfid_taken", `RFID ${a.rfid} is already on ${r.tag}`, {
        tag: r.tag,
      }, "rfid");
    }
  }
  const [row] = await tx`
    insert into animals (tag, rfid, name, breed, sex, birth_date, dam_id, sire_id, sire_bull_id,
      origin, arrival_date, group_id, status, notes)
    values (${a.tag}, ${a.rfid ?? null}, ${a.name ?? null}, ${a.breed}, ${a.sex},
      ${a.birthDate ?? null}, ${refs.damId}, ${refs.sireId}, ${refs.bullId}, ${a.origin},
      ${a.arrivalDate ?? null}, ${refs.groupId}, ${a.status}, ${a.notes ?? null})
    returning id`;
  if (a.lastCalvedOn && a.sex === "female") {
    const dried = a.status === "dry" ? (a.arrivalDate ?? farmDay()) : null;
    await tx`
      insert into lactations (animal_id, parity, calved_on, dried_off_on)
      values (${row.id}, ${a.parity ?? 1}, ${a.lastCalvedOn},
        ${dried && dried >= a.lastCalvedOn ? dried : a.status === "dry" ? a.lastCalvedOn : null})`;
  }
  return row.id;
}

export async function createAnimal(
  db: Db,
  input: unknown,
  actorId: string | null,
): Promise<AnimalRow> {
  const a = parseInput(animalInputSchema, input);
  return await inTx(db, async (tx) => {
    const refs = await resolveRefs(tx, a);
    const id = await insertAnimal(tx, a, refs);
    await auditFarm(tx, actorId, "farm.animal.create", "animal", id, {
      tag: a.tag,
      status: a.status,
      origin: a.origin,
    });
    return (await getAnimal(tx, id))!;
  });
}

/** Editable fields of a registered animal (status moves by events; exits by exitAnimal). */
export const animalEditSchema = z.object({
  tag: animalInputSchema.shape.tag,
  rfid: animalInputSchema.shape.rfid,
  name: animalInputSchema.shape.name,
  breed: animalInputSchema.shape.breed,
  birthDate: animalInputSchema.shape.birthDate,
  damTag: animalInputSchema.shape.damTag,
  sireTag: animalInputSchema.shape.sireTag,
  groupCode: animalInputSchema.shape.groupCode,
  notes: animalInputSchema.shape.notes,
});

export async function updateAnimal(
  db: Db,
  id: number,
  input: unknown,
  actorId: string | null,
): Promise<AnimalRow> {
  const a = parseInput(animalEditSchema, input);
  return await inTx(db, async (tx) => {
    const before = await getAnimal(tx, id);
    if (!before) throw new NotFoundError("No such animal");
    const refs = await resolveRefs(tx, a);
    if (refs.damId === id || refs.sireId === id) {
      throw new FarmRuleError("invalid", "An animal cannot be its own parent", {}, "damTag");
    }
    const [clash] =
      await tx`select 1 from animals where lower(tag) = lower(${a.tag}) and id <> ${id}`;
    if (clash) {
      throw new FarmRuleError("tag_taken", `Tag ${a.tag} is already in use`, { tag: a.tag }, "tag");
    }
    if (a.rfid) {
      const [r] = await tx`select tag from animals where rfid = ${a.rfid} and id <> ${id}`;
      if (r) {
        throw new FarmRuleError("rfid_taken", `RFID ${a.rfid} is already on ${r.tag}`, {
          tag: r.tag,
        }, "rfid");
      }
    }
    await tx`
      update animals set tag = ${a.tag}, rfid = ${a.rfid ?? null}, name = ${a.name ?? null},
        breed = ${a.breed}, birth_date = ${a.birthDate ?? null}, dam_id = ${refs.damId},
        sire_id = ${refs.sireId}, sire_bull_id = ${refs.bullId}, group_id = ${refs.groupId},
        notes = ${a.notes ?? null}, updated_at = now()
      where id = ${id}`;
    await auditFarm(tx, actorId, "farm.animal.update", "animal", id, {
      before: { tag: before.tag, groupId: before.groupId },
      after: a,
    });
    return (await getAnimal(tx, id))!;
  });
}

export const exitSchema = z.object({
  status: z.enum(["sold", "dead"], { error: "Choose sold or dead" }),
  exitDate: z.string().trim().refine(isIsoDate, "The date must be a date (YYYY-MM-DD)")
    .refine((d) => d <= farmDay(), "The date is in the future"),
  exitReason: z.enum(EXIT_REASONS, { error: "Choose a reason" }),
});

/** Records that an animal left the herd (ICAR departure / death). */
export async function exitAnimal(
  db: Db,
  id: number,
  input: unknown,
  actorId: string | null,
): Promise<AnimalRow> {
  const e = parseInput(exitSchema, input);
  return await inTx(db, async (tx) => {
    const [a] = await tx`select status, birth_date::text from animals where id = ${id} for update`;
    if (!a) throw new NotFoundError("No such animal");
    if (a.status === "sold" || a.status === "dead") {
      throw new FarmRuleError("animal_exited", "This animal has already left the herd", {});
    }
    if (a.birth_date && e.exitDate < a.birth_date) {
      throw new FarmRuleError(
        "before_birth",
        "The date is before the animal's birth",
        {},
        "exitDate",
      );
    }
    await tx`
      update animals set status = ${e.status}, exit_date = ${e.exitDate},
        exit_reason = ${e.exitReason}, updated_at = now()
      where id = ${id}`;
    await tx`
      update lactations set ended_on = ${e.exitDate}
      where animal_id = ${id} and dried_off_on is null and ended_on is null
        and calved_on <= ${e.exitDate}`;
    await auditFarm(tx, actorId, "farm.animal.exit", "animal", id, e);
    return (await getAnimal(tx, id))!;
  });
}

// ---- pedigree -----------------------------------------------------------------------------

export interface PedigreeNode {
  kind: "animal" | "bull";
  id: number;
  tag: string;
  name: string | null;
  breed: string;
  dam: PedigreeNode | null;
  sire: PedigreeNode | null;
}

/** The animal and its ancestors up to `generations` back, in one recursive query. */
export async function pedigree(db: Db, id: number, generations = 3): Promise<PedigreeNode | null> {
  const rows = await db`
    with recursive up(id, depth) as (
      select ${id}::int, 0
      union
      select p.pid, up.depth + 1
      from up join animals a on a.id = up.id
      cross join lateral (values (a.dam_id), (a.sire_id)) as p(pid)
      where p.pid is not null and up.depth < ${generations}
    )
    select a.id, a.tag, a.name, a.breed, a.dam_id, a.sire_id, a.sire_bull_id,
      b.code as bull_code, b.name as bull_name, b.breed as bull_breed
    from animals a
    left join bulls b on b.id = a.sire_bull_id
    where a.id in (select id from up)`;
  // deno-lint-ignore no-explicit-any
  const byId = new Map<number, Record<string, any>>(rows.map((r) => [r.id, r]));
  const build = (aid: number | null, depth: number): PedigreeNode | null => {
    if (aid === null || depth > generations) return null;
    const r = byId.get(aid);
    if (!r) return null;
    const sire: PedigreeNode | null = r.sire_id !== null
      ? build(r.sire_id, depth + 1)
      : r.sire_bull_id !== null && depth < generations
      ? {
        kind: "bull",
        id: r.sire_bull_id,
        tag: r.bull_code,
        name: r.bull_name,
        breed: r.bull_breed,
        dam: null,
        sire: null,
      }
      : null;
    return {
      kind: "animal",
      id: r.id,
      tag: r.tag,
      name: r.name,
      breed: r.breed,
      dam: build(r.dam_id, depth + 1),
      sire,
    };
  };
  return build(id, 0);
}

/** The animal's offspring (calves), newest first. */
export async function offspring(db: Db, id: number): Promise<
  {
    id: number;
    tag: string;
    name: string | null;
    sex: string;
    birthDate: string | null;
    status: AnimalStatus;
  }[]
> {
  const rows = await db`
    select id, tag, name, sex, birth_date::text, status from animals
    where dam_id = ${id} or sire_id = ${id} order by birth_date desc nulls last, tag`;
  return rows.map((r) => ({
    id: r.id,
    tag: r.tag,
    name: r.name,
    sex: r.sex,
    birthDate: r.birth_date,
    status: r.status,
  }));
}
