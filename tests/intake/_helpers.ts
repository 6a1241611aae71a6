/** Factories for the intake tests: staff actor, a price chart, farmers and a collection point. */
import "../identity/_fixtures.ts"; // cheap argon2 before any hash is made
import type { Intake, IntakeActor } from "@/services/intake/mod.ts";
import type { Sql } from "@/services/platform/db.ts";
import { recordMilking, sessionTime } from "@/services/farm/milk.ts";
import { WORKER } from "../farm/_helpers.ts";

export const STAFF: IntakeActor = { id: null, name: "Test clerk", roles: ["warehouse"] };

/** ৳50.00/L at 3.5 % fat and 8.0 % SNF; ±50 poisha per 0.1 % fat, ±30 per 0.1 % SNF; a ৳2
 * bonus from 4.5 % fat and 8.5 % SNF; a ৳3 penalty below 3.0 % fat or 7.5 % SNF; ≤ 30 °C. */
export const CHART = {
  effectiveFrom: "2025-01-01",
  baseMinor: 5000,
  refFat: 3.5,
  refSnf: 8.0,
  fatStepMinor: 50,
  snfStepMinor: 30,
  bonusFat: 4.5,
  bonusSnf: 8.5,
  bonusMinor: 200,
  penaltyFat: 3.0,
  penaltySnf: 7.5,
  penaltyMinor: 300,
  maxTempC: 30,
};

let seq = 0;
export async function makeFarmer(
  intake: Intake,
  over: Record<string, unknown> = {},
): Promise<{ id: number; phone: string; code: string }> {
  const n = ++seq;
  const phone = `0171${String(1000000 + n * 7919 + Math.floor(Math.random() * 100)).slice(-7)}`;
  const f = await intake.saveFarmer({
    code: `F-${n}-${crypto.randomUUID().slice(0, 4).toUpperCase()}`,
    name: `Farmer ${n}`,
    phone,
    village: "Baghabari",
    upazilaCode: "5012",
    bkash: phone,
    ...over,
  }, STAFF);
  return { id: f.id, phone: f.phone, code: f.code };
}

export async function setup(intake: Intake) {
  await intake.saveChart(CHART, STAFF);
  const point = await intake.createPoint({ code: `P-${++seq}`, name: "Baghabari point" }, STAFF);
  return { pointId: point.id };
}

export function delivery(
  farmerId: number,
  pointId: number,
  day: string,
  over: Record<string, unknown> = {},
) {
  return {
    farmerId,
    pointId,
    day,
    session: "am",
    litres: 10,
    fatPct: 3.5,
    snfPct: 8.0,
    tempC: 28,
    antibiotic: "negative",
    ...over,
  };
}

/** Each cow's milk of `day`'s sessions (`yieldKg` each) recorded into the farm's bulk tank. */
export async function milkIntoTank(
  sql: Sql,
  cows: number[],
  day: string,
  sessions: ("am" | "pm")[],
  yieldKg = 7,
) {
  for (const s of sessions) {
    for (const animalId of cows) {
      await recordMilking(
        sql,
        { animalId, milkedAt: sessionTime(day, s), yieldKg, toTank: true },
        WORKER,
      );
    }
  }
}

/** A tank receipt of `day`'s sessions: 412.5 L at 4.1 % fat, 8.6 % SNF and 4.2 °C unless `over`. */
export function tankForm(
  tankId: string,
  day: string,
  sessions: string[],
  over: Record<string, unknown> = {},
) {
  return { tankId, day, sessions, litres: 412.5, fatPct: 4.1, snfPct: 8.6, tempC: 4.2, ...over };
}
