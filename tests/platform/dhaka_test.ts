import { equal } from "node:assert/strict";
import {
  addDays,
  daysBetween,
  dhakaDate,
  dhakaDayStart,
  dhakaHour,
  dhakaInstant,
  dhakaMinuteOfDay,
  dhakaTime,
  isDate,
  isoWeekday,
} from "@/services/platform/dhaka.ts";

Deno.test("dhaka: 00:30 in Dhaka is still the previous day in UTC", () => {
  const at = new Date("2026-03-03T18:30:00Z");
  equal(dhakaDate(at), "2026-03-04");
  equal(dhakaTime(at), "00:30");
  equal(dhakaHour(at), 0);
  equal(dhakaMinuteOfDay(at), 30);
  equal(dhakaInstant("2026-03-04", "00:30").toISOString(), at.toISOString());
  equal(dhakaDayStart("2026-03-04").toISOString(), "2026-03-03T18:00:00.000Z");
});

Deno.test("dhaka: calendar arithmetic across months and leap days", () => {
  equal(addDays("2028-02-28", 1), "2028-02-29");
  equal(addDays("2026-12-31", 1), "2027-01-01");
  equal(daysBetween("2026-02-27", "2026-03-01"), 2);
  equal(isoWeekday("2026-12-06"), 7);
  equal(isDate("2026-02-29"), false);
  equal(isDate("2028-02-29"), true);
});
