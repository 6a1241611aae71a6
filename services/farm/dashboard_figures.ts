/**
 * The farm's figure for the back office's home page (/admin): litres milked on one day against
 * the average of the seven days before it (days with no milk recorded are left out of the
 * average). One query over milk_records (indexed by day).
 */
import type { Db } from "@/services/platform/tx.ts";
import { isDate } from "@/services/platform/dhaka.ts";
import { addDays } from "./dates.ts";
import { num } from "./db.ts";
import { kgToLitres } from "./kpi.ts";

export interface FarmDashboardFigures {
  day: string;
  /** Litres milked that day so far (every recorded milking, discarded milk included). */
  milkTodayL: number;
  /** Average litres a day over the seven days before, or null when none was recorded. */
  milkAvg7dL: number | null;
  /** Days of those seven with milk recorded. */
  daysRecorded: number;
}

const litres = (kg: number) => Math.round(kgToLitres(kg) * 10) / 10;

export async function farmDashboardFigures(db: Db, day: string): Promise<FarmDashboardFigures> {
  if (!isDate(day)) throw new RangeError(`Not a date: ${day}`);
  const [r] = await db`
    select coalesce(sum(yield_kg) filter (where milked_on = ${day}::date), 0) as today,
      coalesce(sum(yield_kg) filter (where milked_on < ${day}::date), 0) as before,
      count(distinct milked_on) filter (where milked_on < ${day}::date)::int as days
    from milk_records
    where milked_on between ${addDays(day, -7)}::date and ${day}::date`;
  const days = r.days as number;
  return {
    day,
    milkTodayL: litres(num(r.today) ?? 0),
    milkAvg7dL: days ? litres((num(r.before) ?? 0) / days) : null,
    daysRecorded: days,
  };
}
