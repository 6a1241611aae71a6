/**
 * Milk recording (ICAR milking visit): one record per cow, farm day and session, from milk meters
 * (meter_import.ts, from the milkings IoT publishes), the offline recorder (sync.ts) or a form. Rules (docs/farm_sync.md):
 * - the cow must be in the herd and in milk that day (calved, not dried off);
 * - of two entries for one cow and milking, the one recorded later wins (the earlier is
 *   replaced; a late-arriving older entry is answered "superseded" and changes nothing);
 * - under a milk withdrawal the milking is recorded as discarded (never in the tank figures); if
 *   it went into the tank anyway, a critical farm alert is raised.
 * Bulk-tank intake per milking and the daily totals per animal, group and farm are here too.
 */
import { z } from "@/services/platform/schema.ts";
import { parseInput } from "@/services/platform/errors.ts";
import { type Actor, assertFarmCan } from "./actor.ts";
import { type EntryOpts, farmUseCase } from "./use_case.ts";
import { daysBetween, dayStart, farmDay, sessionOf } from "./dates.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { num } from "./db.ts";
import { FarmRuleError } from "./errors.ts";
import { needIot } from "./iot_port.ts";
import { assertInHerd, raiseWithdrawalAlert, withdrawalAt } from "./health.ts";
import { kgToLitres, yield305TestInterval } from "./kpi.ts";

export const SESSIONS = ["am", "noon", "pm"] as const;
export type Session = typeof SESSIONS[number];
/** Milking entries older than this are refused (a phone with a wrong clock, a typo). */
export const MAX_ENTRY_AGE_DAYS = 400;

const optNum = (min: number, max: number, what: string) =>
  z.coerce.number({ error: `${what} must be a number` }).min(min, `${what} is at least ${min}`)
    .max(max, `${what} is at most ${max}`).nullish();

export const milkingSchema = z.object({
  animalId: z.coerce.number().int().positive("Choose a cow"),
  milkedAt: z.coerce.date({ error: "The milking time is needed" }),
  /** Farm day and session; derived from milkedAt when left out. */
  milkedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish(),
  session: z.enum(SESSIONS).nullish(),
  yieldKg: z.coerce.number({ error: "The yield must be a number" }).min(
    0,
    "The yield cannot be negative",
  )
    .max(80, "More than 80 kg in one milking: check the number"),
  fatPct: optNum(0, 15, "Fat %"),
  snfPct: optNum(0, 15, "SNF %"),
  scc: z.coerce.number().int("Somatic cells are a whole number").min(0).max(20_000_000).nullish(),
  conductivityMsCm: optNum(0, 20, "Conductivity"),
  durationS: z.coerce.number().int().min(0).max(7200).nullish(),
  toTank: z.boolean().default(true),
  /** Discarded for another reason than a withdrawal (colostrum…). */
  discardReason: z.enum(["colostrum", "other"]).nullish(),
  source: z.enum(["hand", "meter", "import"]).default("hand"),
  deviceId: z.string().max(64).nullish(),
  /** The bulk tank the milk went into, when known (a meter's tank): held on a withdrawal breach. */
  tankId: z.string().max(64).nullish(),
  /** When the entry was made; defaults to now. */
  recordedAt: z.coerce.date().nullish(),
});
export type MilkingInput = z.input<typeof milkingSchema>;

export type MilkingResult =
  | {
    status: "applied";
    recordId: string;
    day: string;
    session: Session;
    discarded: boolean;
    withdrawalUntil: Date | null;
    alertId: string | null;
    /** The yield of the entry this one replaced. */
    replacedKg: number | null;
  }
  | { status: "superseded"; recordId: string; day: string; session: Session; keptKg: number };

export async function recordMilking(
  db: Db,
  input: MilkingInput,
  actor: Actor,
  opts: EntryOpts = {},
): Promise<MilkingResult> {
  assertFarmCan(actor, "farm.record");
  const m = parseInput(milkingSchema, input);
  const now = (opts.now ?? new Date()).getTime();
  if (m.milkedAt.getTime() > now + 10 * 60_000) {
    throw new FarmRuleError("future_date", "The milking time is in the future", {}, "milkedAt");
  }
  if (m.milkedAt.getTime() < now - MAX_ENTRY_AGE_DAYS * 86_400_000) {
    throw new FarmRuleError(
      "too_old",
      `Milkings older than ${MAX_ENTRY_AGE_DAYS} days are not accepted`,
      {
        days: MAX_ENTRY_AGE_DAYS,
      },
    );
  }
  const day = m.milkedOn ?? farmDay(m.milkedAt);
  const session = m.session ?? sessionOf(m.milkedAt);
  const recordedAt = m.recordedAt ?? new Date(now);
  return await inTx(db, async (tx) => {
    await assertInHerd(tx, m.animalId, day);
    const [lac] = await tx`
      select calved_on::text, dried_off_on::text from lactations
      where animal_id = ${m.animalId} and calved_on <= ${day}
      order by calved_on desc limit 1`;
    if (!lac) {
      throw new FarmRuleError(
        "not_in_milk",
        "This animal has not calved: she is not in milk",
        {},
        "animalId",
      );
    }
    if (lac.dried_off_on && lac.dried_off_on < day) {
      throw new FarmRuleError("dried_off", `This cow was dried off on ${lac.dried_off_on}`, {
        date: lac.dried_off_on,
      }, "animalId");
    }
    const until = await withdrawalAt(tx, m.animalId, m.milkedAt);
    const discardReason = until ? "withdrawal" : m.discardReason ?? null;
    const [prev] = await tx`
      select id::text, yield_kg, recorded_at from milk_records
      where animal_id = ${m.animalId} and milked_on = ${day} and session = ${session}
      for update`;
    if (prev && prev.recorded_at.getTime() > recordedAt.getTime()) {
      return { status: "superseded", recordId: prev.id, day, session, keptKg: num(prev.yield_kg)! };
    }
    const values = {
      animal_id: m.animalId,
      milked_on: day,
      session,
      milked_at: m.milkedAt,
      yield_kg: m.yieldKg,
      fat_pct: m.fatPct ?? null,
      snf_pct: m.snfPct ?? null,
      scc: m.scc ?? null,
      conductivity_ms_cm: m.conductivityMsCm ?? null,
      duration_s: m.durationS ?? null,
      discarded: discardReason !== null,
      discard_reason: discardReason,
      to_tank: m.toTank,
      source: m.source,
      device_id: m.deviceId ?? null,
      recorded_at: recordedAt,
      recorded_by: actor.userId,
    };
    let recordId: string;
    if (prev) {
      await tx`update milk_records set ${tx(values)}, client_id = ${opts.clientId ?? null}
        where id = ${prev.id}`;
      recordId = prev.id;
    } else {
      const [row] = await tx`
        insert into milk_records ${tx({ ...values, client_id: opts.clientId ?? null })}
        returning id::text`;
      recordId = row.id;
    }
    const alertId = until && m.toTank
      ? await raiseWithdrawalAlert(tx, m.animalId, day, session, m.yieldKg, until)
      : null;
    if (alertId && m.tankId) {
      // The tank now holds milk of a treated cow: put it on hold until the manager releases it.
      await needIot(opts.iot).holdTank(tx, {
        tankId: m.tankId,
        reason: `Milk of a cow under withdrawal (${day} ${session}) went into this tank`,
        at: m.milkedAt,
      });
    }
    return {
      status: "applied",
      recordId,
      day,
      session,
      discarded: discardReason !== null,
      withdrawalUntil: until,
      alertId,
      replacedKg: prev ? num(prev.yield_kg) : null,
    };
  });
}

// ---- bulk tank ----------------------------------------------------------------------------

export const tankIntakeSchema = z.object({
  tankId: z.preprocess((v) => (v === "" ? null : v), z.string().max(64).nullish()),
  intakeOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "The date must be a date (YYYY-MM-DD)"),
  session: z.enum(SESSIONS, { error: "Choose the milking" }),
  volumeL: z.coerce.number({ error: "The volume must be a number" }).min(
    0,
    "The volume cannot be negative",
  )
    .max(100_000),
  notes: z.string().trim().max(500).nullish(),
});

/** Records (or corrects) what the bulk tank received from one milking. */
export const recordTankIntake = farmUseCase(
  { schema: tankIntakeSchema, may: "farm.record" },
  async (tx, t, actor: Actor, opts: EntryOpts = {}): Promise<string> => {
    if (t.intakeOn > farmDay()) {
      throw new FarmRuleError("future_date", "The date is in the future", {}, "intakeOn");
    }
    if (t.tankId) {
      if (!(await needIot(opts.iot).tankExists(tx, t.tankId))) {
        throw new FarmRuleError("invalid", "No such tank", {}, "tankId");
      }
    }
    const [prev] = await tx`
      select id from bulk_tank_intakes
      where coalesce(tank_id, '') = ${t.tankId ?? ""} and intake_on = ${t.intakeOn}
        and session = ${t.session}`;
    if (prev) {
      await tx`update bulk_tank_intakes set volume_l = ${t.volumeL}, notes = ${t.notes ?? null},
        recorded_at = now(), recorded_by = ${actor.userId} where id = ${prev.id}`;
      return String(prev.id);
    }
    const [row] = await tx`
      insert into bulk_tank_intakes (tank_id, intake_on, session, volume_l, notes, recorded_by,
        client_id)
      values (${t.tankId ?? null}, ${t.intakeOn}, ${t.session}, ${t.volumeL}, ${t.notes ?? null},
        ${actor.userId}, ${opts.clientId ?? null})
      returning id`;
    return String(row.id);
  },
);

// ---- totals -------------------------------------------------------------------------------

export interface AnimalDay {
  animalId: number;
  tag: string;
  name: string | null;
  groupName: string | null;
  sessions: Partial<Record<Session, number>>;
  totalKg: number;
  discardedKg: number;
}

export interface GroupDay {
  groupId: number | null;
  groupName: string | null;
  cows: number;
  totalKg: number;
  discardedKg: number;
}

export interface SessionDay {
  session: Session;
  cows: number;
  producedKg: number;
  discardedKg: number;
  saleableKg: number;
  saleableL: number;
  /** What the bulk tank received (litres), when recorded. */
  tankL: number | null;
}

export interface FarmDaily {
  day: string;
  cows: number;
  producedKg: number;
  discardedKg: number;
  saleableKg: number;
  tankL: number | null;
}

/** A day's totals with their split by session, group and animal. */
export interface DayTotals extends FarmDaily {
  sessions: SessionDay[];
  groups: GroupDay[];
  animals: AnimalDay[];
}

/** Daily totals per animal, group, session and farm for one farm day (three queries). */
export async function dayTotals(db: Db, day: string): Promise<DayTotals> {
  const rows = await db`
    select m.animal_id, a.tag, a.name, a.group_id, g.name as group_name, m.session,
      m.yield_kg, m.discarded
    from milk_records m join animals a on a.id = m.animal_id
    left join farm_groups g on g.id = a.group_id
    where m.milked_on = ${day}
    order by a.tag`;
  const tanks = await db`
    select session, sum(volume_l) as litres from bulk_tank_intakes
    where intake_on = ${day} group by session`;
  const tankBy = new Map<string, number>(tanks.map((t) => [t.session, num(t.litres)!]));
  const animals = new Map<number, AnimalDay>();
  const groups = new Map<string, GroupDay & { ids: Set<number> }>();
  const sessions = new Map<Session, SessionDay & { ids: Set<number> }>();
  for (const r of rows) {
    const kg = num(r.yield_kg)!;
    const a: AnimalDay = animals.get(r.animal_id) ??
      {
        animalId: r.animal_id,
        tag: r.tag,
        name: r.name,
        groupName: r.group_name,
        sessions: {},
        totalKg: 0,
        discardedKg: 0,
      };
    a.sessions[r.session as Session] = kg;
    a.totalKg += kg;
    if (r.discarded) a.discardedKg += kg;
    animals.set(r.animal_id, a);
    const gk = String(r.group_id);
    const g = groups.get(gk) ??
      {
        groupId: r.group_id,
        groupName: r.group_name,
        cows: 0,
        totalKg: 0,
        discardedKg: 0,
        ids: new Set(),
      };
    g.ids.add(r.animal_id);
    g.totalKg += kg;
    if (r.discarded) g.discardedKg += kg;
    groups.set(gk, g);
    const s = sessions.get(r.session) ?? {
      session: r.session,
      cows: 0,
      producedKg: 0,
      discardedKg: 0,
      saleableKg: 0,
      saleableL: 0,
      tankL: tankBy.get(r.session) ?? null,
      ids: new Set<number>(),
    };
    s.ids.add(r.animal_id);
    s.producedKg += kg;
    if (r.discarded) s.discardedKg += kg;
    else s.saleableKg += kg;
    sessions.set(r.session, s);
  }
  for (const [session, litres] of tankBy) {
    if (!sessions.has(session as Session)) {
      sessions.set(session as Session, {
        session: session as Session,
        cows: 0,
        producedKg: 0,
        discardedKg: 0,
        saleableKg: 0,
        saleableL: 0,
        tankL: litres,
        ids: new Set(),
      });
    }
  }
  const sessionList = SESSIONS.filter((s) => sessions.has(s)).map((k) => {
    const { ids, ...s } = sessions.get(k)!;
    return { ...s, cows: ids.size, saleableL: kgToLitres(s.saleableKg) };
  });
  const produced = sessionList.reduce((x, s) => x + s.producedKg, 0);
  const discarded = sessionList.reduce((x, s) => x + s.discardedKg, 0);
  const tankValues = sessionList.map((s) => s.tankL).filter((v): v is number => v !== null);
  return {
    day,
    cows: animals.size,
    producedKg: produced,
    discardedKg: discarded,
    saleableKg: produced - discarded,
    tankL: tankValues.length ? tankValues.reduce((a, b) => a + b, 0) : null,
    sessions: sessionList,
    groups: [...groups.values()].map(({ ids, ...g }) => ({ ...g, cows: ids.size }))
      .sort((a, b) => (a.groupName ?? "").localeCompare(b.groupName ?? "")),
    animals: [...animals.values()],
  };
}

/** Farm totals per day over a range (inclusive), one row per day that has records. */
export async function farmDailyTotals(db: Db, from: string, to: string): Promise<FarmDaily[]> {
  const rows = await db`
    select m.milked_on::text as day, count(distinct m.animal_id)::int as cows,
      sum(m.yield_kg) as produced, coalesce(sum(m.yield_kg) filter (where m.discarded), 0) as discarded,
      t.litres
    from milk_records m
    left join (
      select intake_on, sum(volume_l) as litres from bulk_tank_intakes
      where intake_on between ${from} and ${to} group by intake_on
    ) t on t.intake_on = m.milked_on
    where m.milked_on between ${from} and ${to}
    group by m.milked_on, t.litres order by m.milked_on`;
  return rows.map((r) => ({
    day: r.day,
    cows: r.cows,
    producedKg: num(r.produced)!,
    discardedKg: num(r.discarded)!,
    saleableKg: num(r.produced)! - num(r.discarded)!,
    tankL: num(r.litres),
  }));
}

export interface MilkRecordRow {
  id: string;
  day: string;
  session: Session;
  milkedAt: Date;
  yieldKg: number;
  fatPct: number | null;
  snfPct: number | null;
  scc: number | null;
  discarded: boolean;
  discardReason: string | null;
  toTank: boolean;
  source: string;
}

/** One animal's milkings since `from`, newest first. */
export async function animalMilkings(
  db: Db,
  animalId: number,
  from: string,
): Promise<MilkRecordRow[]> {
  const rows = await db`
    select id::text, milked_on::text, session, milked_at, yield_kg, fat_pct, snf_pct, scc,
      discarded, discard_reason, to_tank, source
    from milk_records where animal_id = ${animalId} and milked_on >= ${from}
    order by milked_on desc, milked_at desc`;
  return rows.map((r) => ({
    id: r.id,
    day: r.milked_on,
    session: r.session,
    milkedAt: r.milked_at,
    yieldKg: num(r.yield_kg)!,
    fatPct: num(r.fat_pct),
    snfPct: num(r.snf_pct),
    scc: r.scc,
    discarded: r.discarded,
    discardReason: r.discard_reason,
    toTank: r.to_tank,
    source: r.source,
  }));
}

/** The default time of a session on a farm day (06:00, 13:00, 17:00 in Dhaka). */
export function sessionTime(day: string, session: Session): Date {
  const hour = session === "am" ? 6 : session === "noon" ? 13 : 17;
  return new Date(dayStart(day).getTime() + hour * 3600_000);
}

export interface LactationSummary {
  parity: number;
  calvedOn: string;
  driedOffOn: string | null;
  endedOn: string | null;
  /** Days in milk now, or the length of a finished lactation. */
  days: number;
  recordedKg: number;
  /** 305-day yield by the ICAR test interval method (to date for a running lactation). */
  yield305Kg: number | null;
  tests: number;
}

/** One animal's lactations with recorded and 305-day yields (two queries). */
export async function lactationSummaries(
  db: Db,
  animalId: number,
  today: string,
): Promise<LactationSummary[]> {
  const lacs = await db`
    select parity, calved_on::text, dried_off_on::text, ended_on::text from lactations
    where animal_id = ${animalId} order by calved_on desc`;
  const days = await db`
    select milked_on::text as day, sum(yield_kg) as kg,
      bool_or(fat_pct is not null or scc is not null) as tested
    from milk_records where animal_id = ${animalId} group by milked_on order by milked_on`;
  return lacs.map((l) => {
    const end = l.dried_off_on ?? l.ended_on ?? null;
    const inLac = days.filter((d) => d.day >= l.calved_on && (end === null || d.day < end));
    const endDim = end
      ? daysBetween(l.calved_on, end)
      : Math.min(305, daysBetween(l.calved_on, today));
    const tests = inLac.filter((d) => d.tested).map((d) => ({ date: d.day, yieldKg: num(d.kg)! }));
    return {
      parity: l.parity,
      calvedOn: l.calved_on,
      driedOffOn: l.dried_off_on,
      endedOn: l.ended_on,
      days: daysBetween(l.calved_on, end ?? today),
      recordedKg: inLac.reduce((a, d) => a + num(d.kg)!, 0),
      yield305Kg: yield305TestInterval(l.calved_on, tests, endDim),
      tests: tests.length,
    };
  });
}
