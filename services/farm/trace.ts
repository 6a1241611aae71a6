/**
 * What the farm tells the recall context (createFarm(...).forRecall()): a cow's milkings that went
 * to the bulk tanks in a period (forward trace: cow → tank sessions → intake lots), and the cows
 * whose milk went to the tanks in given sessions (backward trace). Milk records do not name the
 * tank, so a session's milk counts for every tank received from that session (exact with one tank
 * per session, otherwise a safe superset — a recall errs on the side of more customers).
 */
import type { Db } from "@/services/platform/tx.ts";

export interface MilkSession {
  day: string;
  session: string;
}

export interface TracedCow {
  animalId: number;
  tag: string;
  name: string | null;
}

export interface FarmForRecall {
  /** The cow by tag, with the sessions her milk went to the tanks between from and to. */
  milkingsOfCow(
    db: Db,
    tag: string,
    from: string,
    to: string,
  ): Promise<{ cow: TracedCow; sessions: MilkSession[] } | null>;
  /** The cows whose milk went to the tanks in these sessions, per session. */
  cowsOfSessions(db: Db, sessions: MilkSession[]): Promise<(TracedCow & MilkSession)[]>;
}

export const farmForRecall: FarmForRecall = {
  async milkingsOfCow(db, tag, from, to) {
    const [cow] = await db`select id, tag, name from animals where lower(tag) = lower(${tag})`;
    if (!cow) return null;
    const rows = await db`
      select milked_on::text as day, session from milk_records
      where animal_id = ${cow.id} and milked_on between ${from}::date and ${to}::date
        and to_tank and not discarded
      order by milked_on, session`;
    return {
      cow: { animalId: cow.id, tag: cow.tag, name: cow.name ?? null },
      sessions: rows.map((r) => ({ day: r.day, session: r.session })),
    };
  },
  async cowsOfSessions(db, sessions) {
    if (sessions.length === 0) return [];
    const rows = await db`
      select m.milked_on::text as day, m.session, a.id, a.tag, a.name
      from unnest(${sessions.map((s) => s.day)}::date[], ${sessions.map((s) => s.session)}::text[])
        as w(day, session)
      join milk_records m on m.milked_on = w.day and m.session = w.session
      join animals a on a.id = m.animal_id
      where m.to_tank and not m.discarded
      order by m.milked_on, m.session, a.tag`;
    return rows.map((r) => ({
      day: r.day,
      session: r.session,
      animalId: r.id,
      tag: r.tag,
      name: r.name ?? null,
    }));
  },
};
