// Contract farmers at collection points: the price per litre from the fat/SNF chart with bonus
// and penalty in poisha, rejected deliveries recorded but never paid, a point's accepted milk of
// a day received as one intake lot, ten-day statements that sum right across a month end, and
// the payouts (marked paid, bKash file, bank list).
import { strict as assert } from "node:assert";
import { testClock, withTestApp } from "@/tests/helpers/app.ts";
import { amountFor, IntakeError, periodOf, priceFor } from "@/services/intake/mod.ts";
import { CHART, delivery, makeFarmer, setup, STAFF } from "./_helpers.ts";

const chart = { id: 1, note: null, ...CHART };

Deno.test("price chart: base, steps per 0.1 % fat/SNF, bonus and penalty, in poisha", () => {
  // At the reference: the base price.
  assert.equal(priceFor(chart, 3.5, 8.0).perLitreMinor, 5000);
  // Half a step counts nothing; whole steps only (toward the reference).
  assert.equal(priceFor(chart, 3.55, 8.04).perLitreMinor, 5000);
  // 4.6 % fat = 11 steps × 50; 8.6 % SNF = 6 steps × 30; bonus 200.
  const rich = priceFor(chart, 4.6, 8.6);
  assert.deepEqual(rich, {
    perLitreMinor: 5930,
    fatAdjMinor: 550,
    snfAdjMinor: 180,
    bonusMinor: 200,
    penaltyMinor: 0,
  });
  // Bonus needs both levels: rich fat, ordinary SNF → no bonus.
  assert.equal(priceFor(chart, 4.6, 8.2).bonusMinor, 0);
  // 2.9 % fat = −6 × 50; 7.4 % SNF = −6 × 30; penalty 300.
  assert.equal(priceFor(chart, 2.9, 7.4).perLitreMinor, 5000 - 300 - 180 - 300);
  // Never below zero.
  assert.equal(priceFor({ ...chart, baseMinor: 100 }, 0.5, 5).perLitreMinor, 0);
  // Amounts: litres (one decimal) × poisha per litre, rounded half up.
  assert.equal(amountFor(10.5, 5930), 62265);
  assert.equal(amountFor(0.1, 5935), 594); // 593.5 → 594
  assert.equal(amountFor(12.3, 4777), 58757); // 58757.1
});

Deno.test("statement periods: 1–10, 11–20, 21–end of month (leap years too)", () => {
  assert.deepEqual(periodOf("2026-01-10"), { start: "2026-01-01", end: "2026-01-10" });
  assert.deepEqual(periodOf("2026-01-11"), { start: "2026-01-11", end: "2026-01-20" });
  assert.deepEqual(periodOf("2026-01-31"), { start: "2026-01-21", end: "2026-01-31" });
  assert.deepEqual(periodOf("2026-02-21"), { start: "2026-02-21", end: "2026-02-28" });
  assert.deepEqual(periodOf("2028-02-29"), { start: "2028-02-21", end: "2028-02-29" });
  assert.deepEqual(periodOf("2026-04-30"), { start: "2026-04-21", end: "2026-04-30" });
});

Deno.test("deliveries: priced from the chart in force; rejected ones are recorded and not paid; a point's day becomes one lot", async () => {
  const clock = testClock(new Date("2026-02-05T04:00:00Z"));
  await withTestApp(async (t) => {
    const { intake, inventory } = t.deps;
    const { pointId } = await setup(intake);
    // A new chart from 2026-01-25: ৳52 base.
    await intake.saveChart({ ...CHART, effectiveFrom: "2026-01-25", baseMinor: 5200 }, STAFF);
    const a = await makeFarmer(intake);
    const b = await makeFarmer(intake);

    const early = await intake.recordDelivery(
      delivery(a.id, pointId, "2026-01-24", { litres: 10.5, fatPct: 4.6, snfPct: 8.6 }),
      STAFF,
    );
    assert.equal(early.status, "accepted");
    assert.equal(early.priceMinor, 5930);
    assert.equal(early.amountMinor, 62265);
    const late = await intake.recordDelivery(
      delivery(a.id, pointId, "2026-01-25", { litres: 10, fatPct: 2.9, snfPct: 7.4 }),
      STAFF,
    );
    assert.equal(late.priceMinor, 5200 - 300 - 180 - 300);
    assert.equal(late.amountMinor, 44200);

    const day = "2026-02-03";
    const okA = await intake.recordDelivery(delivery(a.id, pointId, day, { litres: 20 }), STAFF);
    const antibiotic = await intake.recordDelivery(
      delivery(b.id, pointId, day, { antibiotic: "positive", litres: 15 }),
      STAFF,
    );
    assert.equal(antibiotic.status, "rejected");
    assert.equal(antibiotic.rejectReason, "antibiotic");
    assert.equal(antibiotic.amountMinor, 0);
    assert.equal(antibiotic.priceMinor, null);
    const warm = await intake.recordDelivery(
      delivery(b.id, pointId, day, { session: "pm", tempC: 34 }),
      STAFF,
    );
    assert.equal(warm.rejectReason, "too_warm");
    assert.equal(warm.amountMinor, 0);
    const watered = await intake.recordDelivery(
      delivery(a.id, pointId, day, { session: "pm", adulterated: "on" }),
      STAFF,
    );
    assert.equal(watered.rejectReason, "adulteration");
    // Refused for another reason needs a note.
    await assert.rejects(
      () => intake.recordDelivery(delivery(b.id, pointId, "2026-02-02", { refuse: "on" }), STAFF),
      (e) => (e as { status?: number }).status === 422,
    );
    // One delivery per farmer and session.
    await assert.rejects(
      () => intake.recordDelivery(delivery(a.id, pointId, day), STAFF),
      (e) => e instanceof IntakeError && e.code === "duplicate_delivery",
    );
    // Bad input: 4xx, never a crash.
    for (
      const bad of [
        delivery(a.id, pointId, day, { litres: -3 }),
        delivery(a.id, pointId, day, { fatPct: "x" }),
        delivery(a.id, pointId, "02/03/2026"),
        delivery(0, pointId, day),
        delivery(a.id, pointId, day, { session: "noon" }),
      ]
    ) {
      await assert.rejects(
        () => intake.recordDelivery(bad as never, STAFF),
        (e) => (e as { status?: number }).status === 422,
      );
    }
    await assert.rejects(
      () => intake.recordDelivery(delivery(999999, pointId, "2026-02-01"), STAFF),
      (e) => e instanceof IntakeError && e.code === "unknown_farmer",
    );
    await assert.rejects(
      () => intake.recordDelivery(delivery(a.id, pointId, "2026-02-06"), STAFF),
      (e) => e instanceof IntakeError && e.code === "future_date",
    );

    // The point's day: only the accepted 20 L become the lot.
    const lot = await intake.receivePointDay({ pointId, day }, STAFF);
    assert.equal(lot.litres, 20);
    assert.equal(lot.deliveries, 1);
    const l = await inventory.lot(lot.lotId);
    assert.equal(l?.onHand, 20_000);
    assert.equal(l?.status, "quarantine");
    assert.equal(l?.itemCode, "RAW-MILK");
    const listed = l?.attrs.deliveries as { id: number; farmer: string }[];
    assert.deepEqual(listed.map((x) => x.id), [okA.id]);
    assert.equal(listed[0].farmer, a.code);
    // The day is closed: no more deliveries, no second lot.
    await assert.rejects(
      () => intake.recordDelivery(delivery(b.id, pointId, day, { session: "am" }), STAFF),
      (e) => e instanceof IntakeError && e.code === "day_closed",
    );
    await assert.rejects(
      () => intake.receivePointDay({ pointId, day }, STAFF),
      (e) => e instanceof IntakeError && e.code === "day_closed",
    );
    await assert.rejects(
      () => intake.receivePointDay({ pointId, day: "2026-02-01" }, STAFF),
      (e) => e instanceof IntakeError && e.code === "nothing_to_receive",
    );
  }, { clock });
});

Deno.test("statements: ten-day periods sum right across a month end; rejected milk is not paid; payouts", async () => {
  const clock = testClock(new Date("2026-02-05T04:00:00Z"));
  await withTestApp(async (t) => {
    const { intake } = t.deps;
    const { pointId } = await setup(intake);
    const a = await makeFarmer(intake);
    const b = await makeFarmer(intake, {
      bkash: null,
      bankName: "Sonali Bank",
      bankAccount: "0012-34567",
    });
    const rec = (farmerId: number, day: string, over: Record<string, unknown> = {}) =>
      intake.recordDelivery(delivery(farmerId, pointId, day, over), STAFF);
    await rec(a.id, "2026-01-20", { litres: 7 }); // previous period
    await rec(a.id, "2026-01-21", { litres: 10, fatPct: 4.0, snfPct: 8.2 }); // 5000+250+60
    await rec(a.id, "2026-01-31", { litres: 30, fatPct: 3.5, snfPct: 8.0 }); // 5000
    await rec(a.id, "2026-01-31", { session: "pm", litres: 12, antibiotic: "positive" });
    await rec(a.id, "2026-02-01", { litres: 99 }); // next period
    await rec(b.id, "2026-01-28", { litres: 5.5, fatPct: 3.7, snfPct: 8.1 }); // 5000+100+30
    await intake.addDeduction(
      { farmerId: a.id, onDate: "2026-01-31", amountMinor: 25000, reason: "Feed on credit" },
      STAFF,
    );
    await intake.addDeduction(
      { farmerId: a.id, onDate: "2026-02-01", amountMinor: 1000, reason: "Next period" },
      STAFF,
    );

    // The current period is not over yet.
    await assert.rejects(
      () => intake.buildStatements({ day: "2026-02-03" }, STAFF),
      (e) => e instanceof IntakeError && e.code === "period_open",
    );
    const built = await intake.buildStatements({ day: "2026-01-31" }, STAFF);
    assert.deepEqual(built, { periodStart: "2026-01-21", periodEnd: "2026-01-31", statements: 2 });
    const [sa] = await intake.listStatements({ periodStart: "2026-01-21", farmerId: a.id });
    assert.equal(sa.periodEnd, "2026-01-31");
    assert.equal(sa.litres, 40); // 10 + 30; the rejected 12 L and other periods' milk excluded
    assert.equal(sa.deliveries, 3);
    assert.equal(sa.rejected, 1);
    const gross = 10 * 5310 + 30 * 5000;
    assert.equal(sa.grossMinor, gross);
    assert.equal(sa.deductionsMinor, 25000);
    assert.equal(sa.netMinor, gross - 25000);
    assert.equal(sa.avgFat, 3.63); // (10×4.0 + 30×3.5) / 40 = 3.625
    assert.equal(sa.avgSnf, 8.05);
    assert.equal(sa.status, "open");
    const [sb] = await intake.listStatements({ periodStart: "2026-01-21", farmerId: b.id });
    assert.equal(sb.grossMinor, amountFor(5.5, 5130));

    // Payout files: bKash for the farmer with a wallet, the bank list for the other.
    const bkash = await intake.payoutFile({ day: "2026-01-25", kind: "bkash" });
    const takaA = ((gross - 25000) / 100).toFixed(2);
    assert.equal(
      bkash.csv,
      `wallet,amount,reference\r\n${a.phone.slice(3)},${takaA},SD-20260121-${a.code}\r\n`,
    );
    assert.equal(bkash.count, 1);
    const bank = await intake.payoutFile({ day: "2026-01-25", kind: "bank" });
    assert.match(bank.csv, /^name,bank,account,amount,reference\r\n/);
    assert.match(bank.csv, new RegExp(`Sonali Bank,0012-34567,282\\.15,SD-20260121-${b.code}`));

    // Paid: never rebuilt, no deliveries or deductions into that period any more.
    const paid = await intake.markPaid({
      ids: [String(sa.id), String(sb.id)],
      via: "bkash",
      ref: "BATCH-1",
    }, STAFF);
    assert.equal(paid.paid, 2);
    assert.equal(paid.totalMinor, sa.netMinor + sb.netMinor);
    await assert.rejects(
      () => intake.markPaid({ ids: [sa.id], via: "bkash" }, STAFF),
      (e) => e instanceof IntakeError && e.code === "already_paid",
    );
    await assert.rejects(
      () => rec(a.id, "2026-01-22", { litres: 3 }),
      (e) => e instanceof IntakeError && e.code === "period_paid",
    );
    const again = await intake.buildStatements({ day: "2026-01-21" }, STAFF);
    assert.equal(again.statements, 0);
    assert.equal((await intake.getStatement(sa.id)).netMinor, gross - 25000);
    assert.equal((await intake.payoutFile({ day: "2026-01-25", kind: "bkash" })).count, 0);

    // The earlier period holds the 20th's delivery.
    await intake.buildStatements({ day: "2026-01-15" }, STAFF);
    const [prev] = await intake.listStatements({ periodStart: "2026-01-11", farmerId: a.id });
    assert.equal(prev.litres, 7);
    assert.equal(prev.grossMinor, 35000);
  }, { clock });
});
