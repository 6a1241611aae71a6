/**
 * What the intake context tells the recall context (createIntake(...).forRecall()): which intake
 * lots came from which tank sessions or farmers' deliveries, both ways.
 */
import type { Db } from "@/services/platform/tx.ts";

export interface TankOrigin {
  kind: "tank";
  lotId: number;
  tankId: string;
  day: string;
  sessions: string[];
  litres: number;
}

export interface PointOrigin {
  kind: "point";
  lotId: number;
  pointCode: string;
  pointName: string;
  day: string;
  deliveries: {
    farmerCode: string;
    farmerName: string;
    session: string;
    litres: number;
    fatPct: number;
    snfPct: number;
  }[];
}

export type IntakeOrigin = TankOrigin | PointOrigin;

export interface IntakeForRecall {
  /** Accepted tank receipts (their lots) holding milk of these sessions. */
  lotsOfSessions(db: Db, sessions: { day: string; session: string }[]): Promise<number[]>;
  /** A tank's accepted receipts between two days. */
  lotsOfTank(db: Db, tankId: string, from: string, to: string): Promise<number[]>;
  /** The point-day lots a farmer's accepted deliveries went into; null: no such farmer. */
  lotsOfFarmer(db: Db, farmerCode: string, from: string, to: string): Promise<number[] | null>;
  /** Where these intake lots came from (lots not received by intake are left out). */
  originsOfLots(db: Db, lotIds: number[]): Promise<IntakeOrigin[]>;
}

const num = (v: unknown) => Number(v ?? 0);

export const intakeForRecall: IntakeForRecall = {
  async lotsOfSessions(db, sessions) {
    if (sessions.length === 0) return [];
    const rows = await db`
      select distinct r.lot_id from intake_tank_receipts r
      join unnest(${sessions.map((s) => s.day)}::date[], ${sessions.map((s) => s.session)}::text[])
        as w(day, session) on r.milk_day = w.day and w.session = any(r.sessions)
      where r.status = 'accepted' and r.lot_id is not null`;
    return rows.map((r) => Number(r.lot_id));
  },
  async lotsOfTank(db, tankId, from, to) {
    const rows = await db`
      select lot_id from intake_tank_receipts
      where tank_id = ${tankId} and milk_day between ${from}::date and ${to}::date
        and status = 'accepted' and lot_id is not null`;
    return rows.map((r) => Number(r.lot_id));
  },
  async lotsOfFarmer(db, farmerCode, from, to) {
    const [farmer] =
      await db`select id from intake_farmers where code = ${farmerCode.toUpperCase()}`;
    if (!farmer) return null;
    const rows = await db`
      select distinct pl.lot_id from intake_deliveries d
      join intake_point_lots pl on pl.point_id = d.point_id and pl.day = d.delivered_on
      where d.farmer_id = ${farmer.id} and d.status = 'accepted'
        and d.delivered_on between ${from}::date and ${to}::date`;
    return rows.map((r) => Number(r.lot_id));
  },
  async originsOfLots(db, lotIds) {
    if (lotIds.length === 0) return [];
    const tanks = await db`
      select lot_id, tank_id, milk_day::text as day, sessions, litres from intake_tank_receipts
      where lot_id = any(${lotIds}::bigint[]) and status = 'accepted'`;
    const points = await db`
      select pl.lot_id, pl.day::text as day, p.code, p.name, f.code as farmer_code,
        f.name as farmer_name, d.session, d.litres, d.fat_pct, d.snf_pct
      from intake_point_lots pl
      join intake_points p on p.id = pl.point_id
      left join intake_deliveries d on d.point_id = pl.point_id and d.delivered_on = pl.day
        and d.status = 'accepted'
      left join intake_farmers f on f.id = d.farmer_id
      where pl.lot_id = any(${lotIds}::bigint[])
      order by pl.lot_id, f.code, d.session`;
    const byLot = new Map<number, PointOrigin>();
    for (const r of points) {
      const lotId = Number(r.lot_id);
      let o = byLot.get(lotId);
      if (!o) {
        o = {
          kind: "point",
          lotId,
          pointCode: r.code,
          pointName: r.name,
          day: r.day,
          deliveries: [],
        };
        byLot.set(lotId, o);
      }
      if (r.farmer_code) {
        o.deliveries.push({
          farmerCode: r.farmer_code,
          farmerName: r.farmer_name,
          session: r.session,
          litres: num(r.litres),
          fatPct: num(r.fat_pct),
          snfPct: num(r.snf_pct),
        });
      }
    }
    return [
      ...tanks.map((r): TankOrigin => ({
        kind: "tank",
        lotId: Number(r.lot_id),
        tankId: r.tank_id,
        day: r.day,
        sessions: r.sessions,
        litres: num(r.litres),
      })),
      ...byLot.values(),
    ];
  },
};
