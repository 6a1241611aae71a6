/**
 * The one Asia/Dhaka calendar and clock of the system. Bangladesh keeps UTC+6 all year (no
 * daylight saving time), so local dates and times are exact with a fixed offset. Calendar dates
 * travel as "YYYY-MM-DD" strings; instants are Dates. Every context (shop cut-offs, farm days,
 * IoT farm hours, payment timestamps) uses these instead of its own offset arithmetic.
 */

export const DHAKA_OFFSET_MS = 6 * 60 * 60 * 1000;
const DAY_MS = 86_400_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const ms = (at: Date | number) => typeof at === "number" ? at : at.getTime();
const shifted = (at: Date | number) => new Date(ms(at) + DHAKA_OFFSET_MS);

/** The Dhaka calendar date of an instant ("YYYY-MM-DD"). */
export function dhakaDate(at: Date | number): string {
  return shifted(at).toISOString().slice(0, 10);
}

/** "HH:MM" of an instant on Dhaka's clock. */
export function dhakaTime(at: Date | number): string {
  return shifted(at).toISOString().slice(11, 16);
}

/** The hour (0–23) of an instant on Dhaka's clock. */
export function dhakaHour(at: Date | number): number {
  return shifted(at).getUTCHours();
}

/** Minutes since Dhaka midnight of an instant. */
export function dhakaMinuteOfDay(at: Date | number): number {
  const d = shifted(at);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}

/** The current year in Dhaka. */
export function dhakaYear(at: Date | number): number {
  return Number(dhakaDate(at).slice(0, 4));
}

/** The instant at which Dhaka's wall clock shows `date` `time` ("HH:MM" or "HH:MM:SS"). */
export function dhakaInstant(date: string, time = "00:00"): Date {
  if (!isDate(date)) throw new RangeError(`Not a date: ${date}`);
  const [h, m, s] = time.split(":").map(Number);
  const utc = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), h, m, s || 0);
  return new Date(utc - DHAKA_OFFSET_MS);
}

/** The instant a Dhaka day starts (00:00 local). */
export function dhakaDayStart(date: string): Date {
  return new Date(Date.parse(date + "T00:00:00Z") - DHAKA_OFFSET_MS);
}

/** Whether `s` is a real calendar date in YYYY-MM-DD form. */
export function isDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}
