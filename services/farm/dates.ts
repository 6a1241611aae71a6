/**
 * Farm days. The farm runs on Bangladesh time (Asia/Dhaka, UTC+6, no daylight saving), so a farm
 * day is a fixed 6-hour shift from UTC and plain arithmetic is exact. Dates travel as ISO
 * `YYYY-MM-DD` strings (PostgreSQL `date` columns are read as text, see `dateText`).
 */

export const FARM_UTC_OFFSET_MS = 6 * 3600_000;
const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The farm day of an instant. */
export function farmDay(at: Date | number = Date.now()): string {
  const ms = typeof at === "number" ? at : at.getTime();
  return new Date(ms + FARM_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** The farm-local hour (0–23) of an instant. */
export function farmHour(at: Date | number): number {
  const ms = typeof at === "number" ? at : at.getTime();
  return new Date(ms + FARM_UTC_OFFSET_MS).getUTCHours();
}

/** Milking session of an instant: before 12:00 morning, before 15:00 noon, else evening (the
 * parlour milks 04:00–11:00 and 15:00–22:00). */
export function sessionOf(at: Date | number): "am" | "noon" | "pm" {
  const h = farmHour(at);
  return h < 12 ? "am" : h < 15 ? "noon" : "pm";
}

/** The instant a farm day starts (00:00 in Dhaka). */
export function dayStart(day: string): Date {
  return new Date(Date.parse(day + "T00:00:00Z") - FARM_UTC_OFFSET_MS);
}

export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(s + "T00:00:00Z");
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Whole days from a to b (b − a), both ISO dates. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + "T00:00:00Z") - Date.parse(a + "T00:00:00Z")) / DAY_MS);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(day + "T00:00:00Z") + n * DAY_MS).toISOString().slice(0, 10);
}

/** A `date` column value as ISO text (postgres.js gives Date objects at UTC midnight). */
export function dateText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}
