import { deepStrictEqual, equal, throws } from "node:assert/strict";
import {
  assertBookable,
  availableDates,
  cutoffFor,
  type DeliverySlot,
  openDeliveries,
} from "@/services/shop/delivery.ts";
import { addDays, dhakaDate, dhakaInstant, isoWeekday } from "@/services/platform/dhaka.ts";
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

Deno.test("delivery: only (date, slot) pairs whose cut-off is ahead are open, soonest first", () => {
  const evening: DeliverySlot = {
    ...morning,
    code: "evening",
    startsAt: "17:00",
    endsAt: "20:00",
    cutoffDaysBefore: 0,
    cutoffTime: "12:00",
    extraFeeMinor: 2000,
  };
  const pairs = (time: string, date = "2026-03-04") =>
    openDeliveries([morning, evening], dhakaInstant(date, time), 2).map((o) =>
      `${o.date}/${o.slot.code}`
    );
  // 00:30 and 06:00: this morning closed at 22:00 yesterday, this evening is open until noon.
  deepStrictEqual(pairs("00:30"), [
    "2026-03-04/evening",
    "2026-03-05/morning",
    "2026-03-05/evening",
  ]);
  deepStrictEqual(pairs("06:00"), pairs("00:30"));
  // 12:00: today has nothing left, so it is not offered.
  deepStrictEqual(pairs("12:00"), [
    "2026-03-05/morning",
    "2026-03-05/evening",
    "2026-03-06/morning",
    "2026-03-06/evening",
  ]);
  // 23:59: tomorrow morning closed at 22:00.
  deepStrictEqual(pairs("23:59"), [
    "2026-03-05/evening",
    "2026-03-06/morning",
    "2026-03-06/evening",
  ]);
  // An inactive slot is never offered.
  equal(
    openDeliveries([{ ...morning, active: false }], dhakaInstant("2026-03-04", "08:00")).length,
    0,
  );
});
