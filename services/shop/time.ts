/**
 * Dates in Asia/Dhaka (UTC+6 all year: Bangladesh has no daylight saving time). Delivery dates
 * are calendar dates in Dhaka ("YYYY-MM-DD" strings); instants are Dates.
 */

const OFFSET_MS = 6 * 60 * 60 * 1000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The Dhaka calendar date of an instant. */
export function dhakaDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant at which Dhaka's wall clock shows `date` `time` ("HH:MM" or "HH:MM:SS"). */
export function dhakaInstant(date: string, time: string): Date {
  if (!isDate(date)) throw new RangeError(`Not a date: ${date}`);
  const [h, m, s] = time.split(":").map(Number);
  const utc = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), h, m, s || 0);
  return new Date(utc - OFFSET_MS);
}

/** Whether `s` is a real calendar date in YYYY-MM-DD form. */
export function isDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The current year in Dhaka (order numbers). */
export function dhakaYear(at: Date): number {
  return Number(dhakaDate(at).slice(0, 4));
}

/** "HH:MM" of an instant on Dhaka's clock. */
export function dhakaTime(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(11, 16);
}
