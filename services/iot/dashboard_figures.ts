/**
 * IoT's figures for the back office's home page (/admin): tanks and those on hold, alarms not
 * yet resolved and how many of them are critical. One query.
 */
import type { Db } from "@/services/platform/tx.ts";

export interface IotDashboardFigures {
  tanks: number;
  tanksHeld: number;
  /** Alarms open or acknowledged (not resolved). */
  openAlarms: number;
  criticalAlarms: number;
}

export async function iotDashboardFigures(db: Db): Promise<IotDashboardFigures> {
  const [r] = await db`
    select t.tanks, t.held, a.open, a.critical
    from (select count(*)::int as tanks, count(*) filter (where status = 'held')::int as held
          from tanks) t,
      (select count(*)::int as open, count(*) filter (where severity = 'critical')::int as critical
       from alarms where state <> 'resolved') a`;
  return {
    tanks: r.tanks,
    tanksHeld: r.held,
    openAlarms: r.open,
    criticalAlarms: r.critical,
  };
}
