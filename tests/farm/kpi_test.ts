// Every herd KPI against examples worked by hand (the working is in the comments).
import { strict as assert } from "node:assert";
import {
  calvingIntervals,
  daysInMilk,
  daysOpen,
  feedCostPerLitre,
  inseminationOutcomes,
  kgToLitres,
  reproductionPeriods,
  somaticCellLinearScore,
  summarizePeriods,
  yield305TestInterval,
} from "@/services/farm/kpi.ts";

const close = (a: number | null, b: number, eps = 1e-9) =>
  assert.ok(a !== null && Math.abs(a - b) < eps, `${a} ≉ ${b}`);

Deno.test("days in milk: today minus the last calving, only for cows in milk", () => {
  // 2025-01-10 → 2025-03-01: 21 days left in January + 28 in February + 1 = 50.
  assert.equal(daysInMilk("2025-01-10", "2025-03-01", true), 50);
  assert.equal(daysInMilk("2024-12-31", "2025-01-01", true), 1);
  assert.equal(daysInMilk("2025-01-10", "2025-03-01", false), null); // dry cow
  assert.equal(daysInMilk(null, "2025-03-01", true), null); // never calved
});

Deno.test("305-day yield, ICAR test interval method", () => {
  // Calved 2024-01-01; tests on DIM 20 (30 kg), 50 (32 kg), 80 (28 kg).
  // MY = 20·30 + 30·(30+32)/2 + 30·(32+28)/2 + (305−80)·28
  //    = 600 + 930 + 900 + 6300 = 8730 kg.
  const tests = [
    { date: "2024-01-21", yieldKg: 30 },
    { date: "2024-02-20", yieldKg: 32 },
    { date: "2024-03-21", yieldKg: 28 },
  ];
  assert.equal(yield305TestInterval("2024-01-01", tests), 8730);
  // Order of the tests does not matter.
  assert.equal(yield305TestInterval("2024-01-01", [...tests].reverse()), 8730);
  // Dried off at DIM 200: the last interval runs to day 200: 600 + 930 + 900 + 120·28 = 5790.
  assert.equal(yield305TestInterval("2024-01-01", tests, 200), 5790);
  // A test after day 305 is ignored; a single test: I₀·M₁ + Iₙ·M₁ = 305·M₁.
  assert.equal(
    yield305TestInterval("2024-01-01", [{ date: "2024-01-31", yieldKg: 20 }, {
      date: "2024-12-01",
      yieldKg: 5,
    }]),
    305 * 20,
  );
  assert.equal(yield305TestInterval("2024-01-01", []), null);
});

Deno.test("calving interval and days open", () => {
  // 2023-01-15 → 2024-01-30 = 380 days (2023 is not a leap year: 365 + 15);
  // 2024-01-30 → 2025-02-03 = 370 days (2024 is a leap year: 366 + 4).
  assert.deepEqual(calvingIntervals(["2024-01-30", "2023-01-15", "2025-02-03"]), [380, 370]);
  assert.deepEqual(calvingIntervals(["2024-01-30"]), []);
  // Calved 2024-01-30, conceived 2024-05-09: 1 + 29 + 31 + 30 + 9 = 100 days open.
  assert.equal(daysOpen("2024-01-30", "2024-05-09"), 100);
});

Deno.test("somatic cell linear score", () => {
  assert.equal(somaticCellLinearScore(100_000), 3); // log2(1) + 3
  assert.equal(somaticCellLinearScore(200_000), 4); // the subclinical mastitis line
  assert.equal(somaticCellLinearScore(50_000), 2);
  assert.equal(somaticCellLinearScore(800_000), 6); // log2(8) + 3
  close(somaticCellLinearScore(150_000), Math.log2(1.5) + 3);
  assert.throws(() => somaticCellLinearScore(0), RangeError);
});

Deno.test("insemination outcomes from checks, later services and calvings", () => {
  const out = inseminationOutcomes(
    {
      calvings: ["2024-01-01", "2025-01-10"],
      // 2024-03-01 open (served again), 2024-03-22 → calving 2025-01-10 (294 d later): pregnant;
      inseminations: ["2024-03-22", "2024-03-01"],
      pregnancyChecks: [],
    },
    "2025-02-01",
    35,
  );
  assert.deepEqual(out, [
    { date: "2024-03-01", outcome: "open" },
    { date: "2024-03-22", outcome: "pregnant" },
  ]);
  const checks = inseminationOutcomes(
    {
      calvings: ["2024-01-01"],
      inseminations: ["2024-03-01", "2024-04-15", "2024-06-01", "2024-06-20"],
      pregnancyChecks: [
        { date: "2024-04-05", pregnant: false }, // → 03-01 open
        { date: "2024-05-20", pregnant: true }, //  → 04-15 pregnant (then lost: served again)
      ],
    },
    "2024-07-01",
    35,
  );
  assert.deepEqual(checks.map((x) => x.outcome), ["open", "pregnant", "open", "pending"]);
  // No result 40 days after the service: no longer pending, counts as not pregnant.
  const late = inseminationOutcomes(
    { calvings: [], inseminations: ["2024-05-01"], pregnancyChecks: [] },
    "2024-06-10",
    35,
  );
  assert.equal(late[0].outcome, "open");
});

Deno.test("heat detection, conception and 21-day pregnancy rates", () => {
  // Three 21-day periods from 2024-03-01 (2024-03-01..21, 03-22..04-11, 04-12..05-02); VWP 50.
  const cows = [
    // A: calved 2024-01-01 (DIM 60 on 03-01): eligible in P1; served 03-05, open; served
    //    03-26 (P2) and pregnant → not eligible in P3.
    {
      calvings: ["2024-01-01"],
      inseminations: [{ date: "2024-03-05", outcome: "open" as const }, {
        date: "2024-03-26",
        outcome: "pregnant" as const,
      }],
      exitOn: null,
      doNotBreedOn: null,
    },
    // B: calved 2024-01-20: DIM 41 on 03-01 (< VWP, not eligible in P1), DIM 62 on 03-22:
    //    eligible in P2 and P3, never served.
    { calvings: ["2024-01-20"], inseminations: [], exitOn: null, doNotBreedOn: null },
    // C: eligible in P1, served 03-10 and pregnant; not eligible afterwards.
    {
      calvings: ["2023-12-01"],
      inseminations: [{ date: "2024-03-10", outcome: "pregnant" as const }],
      exitOn: null,
      doNotBreedOn: null,
    },
    // D: eligible in P1; marked do-not-breed 03-15, so not eligible from P2 on.
    { calvings: ["2023-11-01"], inseminations: [], exitOn: null, doNotBreedOn: "2024-03-15" },
    // E: sold 2024-04-01: eligible P1 and P2, gone before P3.
    { calvings: ["2023-12-15"], inseminations: [], exitOn: "2024-04-01", doNotBreedOn: null },
    // F: a heifer (no calving): never eligible.
    {
      calvings: [],
      inseminations: [{ date: "2024-03-03", outcome: "pregnant" as const }],
      exitOn: null,
      doNotBreedOn: null,
    },
  ];
  const periods = reproductionPeriods(cows, {
    from: "2024-03-01",
    to: "2024-05-02",
    vwpDays: 50,
  });
  assert.deepEqual(periods.map((p) => [p.start, p.end]), [
    ["2024-03-01", "2024-03-21"],
    ["2024-03-22", "2024-04-11"],
    ["2024-04-12", "2024-05-02"],
  ]);
  // P1: eligible A, C, D, E = 4; inseminated A, C = 2; pregnant C = 1.
  // P2: eligible A, B, D? no (DNB 03-15), E = 3; inseminated A = 1; pregnant A = 1.
  // P3: eligible B = 1 (A pregnant, E sold); nothing served.
  assert.deepEqual(periods.map((p) => [p.eligible, p.inseminated, p.pregnant]), [
    [4, 2, 1],
    [3, 1, 1],
    [1, 0, 0],
  ]);
  close(periods[0].hdr, 0.5);
  close(periods[0].cr, 0.5);
  close(periods[0].pr, 0.25);
  close(periods[1].hdr, 1 / 3);
  close(periods[1].cr, 1);
  close(periods[1].pr, 1 / 3);
  assert.equal(periods[2].cr, null); // nobody served: no conception rate
  close(periods[2].pr, 0);
  // Summed: eligible 8, inseminated 3, pregnant 2 → HDR 3/8, CR 2/3, PR 2/8 = HDR × CR.
  const sum = summarizePeriods(periods);
  assert.deepEqual([sum.eligible, sum.inseminated, sum.pregnant], [8, 3, 2]);
  close(sum.hdr, 0.375);
  close(sum.cr, 2 / 3);
  close(sum.pr, 0.25);
  close(sum.pr, sum.hdr! * sum.cr!);
  // An incomplete last period is not reported.
  assert.equal(
    reproductionPeriods(cows, { from: "2024-03-01", to: "2024-03-20", vwpDays: 50 }).length,
    0,
  );
});

Deno.test("a period with a service still waiting for its result has no CR or PR yet", () => {
  const periods = reproductionPeriods([{
    calvings: ["2024-01-01"],
    inseminations: [{ date: "2024-03-05", outcome: "pending" }],
    exitOn: null,
    doNotBreedOn: null,
  }], { from: "2024-03-01", to: "2024-03-21", vwpDays: 50 });
  assert.equal(periods[0].hdr, 1);
  assert.equal(periods[0].pregnant, null);
  assert.equal(periods[0].pr, null);
  assert.equal(summarizePeriods(periods).eligible, 0);
});

Deno.test("feed cost per litre in poisha", () => {
  // 10,320 kg of milk = 10,000 L; feed cost ৳250,000.00 = 25,000,000 poisha → 2,500 poisha/L.
  const litres = kgToLitres(10_320);
  close(litres, 10_000, 1e-6);
  assert.equal(feedCostPerLitre(25_000_000, litres), 2500);
  assert.equal(feedCostPerLitre(1000, 0), null);
});
