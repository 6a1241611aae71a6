import { deepStrictEqual, equal, throws } from "node:assert/strict";
import {
  assertBookable,
  availableDates,
  cutoffFor,
  type DeliverySlot,
} from "@/services/shop/delivery.ts";
import { addDays, dhakaDate, dhakaInstant, isoWeekday } from "@/services/shop/time.ts";
import { ShopError } from "@/services/shop/errors.ts";

const morning: DeliverySlot = {
  code: "morning",
  nameEn: "Morning",
  nameBn: "সকাল",
  startsAt: "06:00",
  endsAt: "09:00",
  cutoffDaysBefore: 1,
  cutoffTime: "22:00",
  extraFeeMinor: 0,
  active: true,
};

Deno.test("delivery: Dhaka dates and instants are UTC+6", () => {
  equal(dhakaDate(new Date("2026-03-01T17:59:00Z")), "2026-03-01");
  equal(dhakaDate(new Date("2026-03-01T18:00:00Z")), "2026-03-02");
  equal(dhakaInstant("2026-03-01", "22:00").toISOString(), "2026-03-01T16:00:00.000Z");
  equal(addDays("2026-02-28", 1), "2026-03-01");
  equal(isoWeekday("2026-03-01"), 7); // a Sunday
});

Deno.test("delivery: ordered by 22:00 means delivered next morning", () => {
  equal(cutoffFor(morning, "2026-03-02").toISOString(), "2026-03-01T16:00:00.000Z");
  const before = dhakaInstant("2026-03-01", "21:59");
  const after = dhakaInstant("2026-03-01", "22:00");
  equal(availableDates(morning, before, 1)[0], "2026-03-02");
  equal(availableDates(morning, after, 1)[0], "2026-03-03");
  deepStrictEqual(availableDates(morning, before, 3), ["2026-03-02", "2026-03-03", "2026-03-04"]);
  assertBookable(morning, "2026-03-02", before);
  throws(
    () => assertBookable(morning, "2026-03-02", after),
    (e) => e instanceof ShopError && e.code === "past_cutoff",
  );
  throws(
    () => assertBookable(morning, "2026-04-30", before),
    (e) => e instanceof ShopError && e.code === "date_too_far",
  );
});
