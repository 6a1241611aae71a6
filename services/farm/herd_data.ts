/**
 * The herd's reproduction history in three set queries (animals, lactations, events), grouped by
 * animal in memory: what the calendar and the KPIs compute from. No per-animal queries.
 */
import type { AnimalStatus } from "./animals.ts";
import type { Db } from "@/services/platform/tx.ts";
import { type FarmSettings, getSettings } from "./settings.ts";

export interface HerdAnimal {
  id: number;
  tag: string;
  name: string | null;
  sex: "female" | "male";
  status: AnimalStatus;
  birthDate: string | null;
  exitDate: string | null;
  doNotBreedOn: string | null;
  groupId: number | null;
  lactations: {
    parity: number;
    calvedOn: string;
    driedOffOn: string | null;
    endedOn: string | null;
  }[];
  inseminations: string[];
  pregnancyChecks: { date: string; pregnant: boolean }[];
  heats: string[];
}

export interface HerdData {
  today: string;
  settings: FarmSettings;
  animals: HerdAnimal[];
}

/** Animals in the herd, plus those that left since `since` (for the KPIs of past periods). */
export async function loadHerdData(db: Db, today: string, since: string): Promise<HerdData> {
  const settings = await getSettings(db);
  const animals = await db`
    select id, tag, name, sex, status, birth_date::text, exit_date::text, do_not_breed_on::text,
      group_id
    from animals where exit_date is null or exit_date >= ${since}`;
  const byId = new Map<number, HerdAnimal>();
  for (const a of animals) {
    byId.set(a.id, {
      id: a.id,
      tag: a.tag,
      name: a.name,
      sex: a.sex,
      status: a.status,
      birthDate: a.birth_date,
      exitDate: a.exit_date,
      doNotBreedOn: a.do_not_breed_on,
      groupId: a.group_id,
      lactations: [],
      inseminations: [],
      pregnancyChecks: [],
      heats: [],
    });
  }
  const lacs = await db`
    select l.animal_id, l.parity, l.calved_on::text, l.dried_off_on::text, l.ended_on::text
    from lactations l join animals a on a.id = l.animal_id
    where a.exit_date is null or a.exit_date >= ${since}
    order by l.animal_id, l.calved_on`;
  for (const l of lacs) {
    byId.get(l.animal_id)?.lactations.push({
      parity: l.parity,
      calvedOn: l.calved_on,
      driedOffOn: l.dried_off_on,
      endedOn: l.ended_on,
    });
  }
  const events = await db`
    select e.animal_id, e.kind, e.event_on::text, e.pregnant
    from repro_events e join animals a on a.id = e.animal_id
    where e.kind in ('insemination', 'pregnancy_check', 'heat')
      and (a.exit_date is null or a.exit_date >= ${since})
    order by e.animal_id, e.event_on, e.id`;
  for (const e of events) {
    const a = byId.get(e.animal_id);
    if (!a) continue;
    if (e.kind === "insemination") a.inseminations.push(e.event_on);
    else if (e.kind === "heat") a.heats.push(e.event_on);
    else a.pregnancyChecks.push({ date: e.event_on, pregnant: e.pregnant });
  }
  return { today, settings, animals: [...byId.values()] };
}
