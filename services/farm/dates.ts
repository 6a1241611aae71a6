/**
 * Farm days, built on the one Asia/Dhaka calendar (services/platform/dhaka.ts): the farm runs on
 * Bangladesh time. Dates travel as ISO `YYYY-MM-DD` strings (PostgreSQL `date` columns are read as
 * text, see `dateText`). Only what is the farm's own lives here (the milking sessions).
 */
import {
  addDays,
  daysBetween,
  dhakaDate,
  dhakaDayStart,
  dhakaHour,
  isDate,
} from "@/services/platform/dhaka.ts";

export { addDays, daysBetween };

/** The farm day of an instant. */
export function farmDay(at: Date | number = Date.now()): string {
  return dhakaDate(at);
}

/** Milking session of an instant: before 12:00 morning, before 15:00 noon, else evening (the
 * parlour milks 04:00–11:00 and 15:00–22:00). */
export function sessionOf(at: Date | number): "am" | "noon" | "pm" {
  const h = dhakaHour(at);
  return h < 12 ? "am" : h < 15 ? "noon" : "pm";
}

/** The instant a farm day starts (00:00 in Dhaka). */
export const dayStart = dhakaDayStart;

export const isIsoDate = isDate;

/** A `date` column value as ISO text (postgres.js gives Date objects at UTC midnight). */
export function dateText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}
