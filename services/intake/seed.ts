/**
 * Demo data for milk intake (scripts/seed_demo.ts): a price chart, three collection points, ten
 * contract farmers with their deliveries (a few rejected), each point's day received as an intake
 * lot, the farm's bulk-tank milk of recent days received as intake lots (the seeded withdrawal
 * slip is refused), and statements for the finished ten-day periods (the older ones paid).
 * Everything goes through the intake door, so the lots are in inventory's ledger. Skips when
 * farmers exist already. Another seeder may extend it to two years (`days`).
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import { createInventory } from "@/services/inventory/mod.ts";
import { createIot } from "@/services/iot/mod.ts";
import { createFarm } from "@/services/farm/mod.ts";
import { createIntake } from "./mod.ts";
import { periodOf } from "./pricing.ts";
import type { IntakeActor } from "./ports.ts";

export interface SeedIntakeOptions {
  appSecret: string;
  /** The deployment's keyring: farmers' numbers are stored encrypted. */
  keyring: Keyring;
  /** Days of history (default 21). */
  days?: number;
  now?: Date;
  log?: (msg: string) => void;
}

export interface SeedIntakeResult {
  skipped: boolean;
  farmers: number;
  deliveries: number;
  pointLots: number;
  tankLots: number;
  tankRefused: number;
  statements: number;
}

const SEED: IntakeActor = { id: null, name: "Demo data", roles: ["admin"] };

const FARMERS: [string, string, string, string | null][] = [
  ["Rahima Begum", "01711000101", "Baghabari", "bkash"],
  ["Abdul Karim", "01711000102", "Baghabari", "bkash"],
  ["Shahana Akter", "01711000103", "Potajia", "bkash"],
  ["Mofizul Islam", "01711000104", "Potajia", "bank"],
  ["Nasima Khatun", "01711000105", "Rautara", "bkash"],
  ["Jalal Uddin", "01711000106", "Rautara", "bkash"],
  ["Rokeya Sultana", "01711000107", "Baghabari", "bank"],
  ["Habibur Rahman", "01711000108", "Potajia", "bkash"],
  ["Amena Bibi", "01711000109", "Rautara", "bkash"],
  ["Selim Reza", "01711000110", "Baghabari", null],
];

/** A small deterministic PRNG (mulberry32), so the demo looks the same on every machine. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedIntake(sql: Sql, opts: SeedIntakeOptions): Promise<SeedIntakeResult> {
  const result: SeedIntakeResult = {
    skipped: true,
    farmers: 0,
    deliveries: 0,
    pointLots: 0,
    tankLots: 0,
    tankRefused: 0,
    statements: 0,
  };
  const [{ n }] = await sql`select count(*)::int as n from intake_farmers`;
  if (n > 0) return result;
  result.skipped = false;
  const now = opts.now ?? new Date();
  const clock = { now: () => now };
  const iot = createIot({ sql, clock });
  const farm = createFarm({ sql, clock, iot: iot.forFarm() });
  const intake = createIntake({
    sql,
    clock,
    keyring: opts.keyring,
    inventory: createInventory({ sql, clock }).port,
    farm: farm.forIntake(),
    secret: opts.appSecret,
  });
  const today = dhakaDate(now);
  const days = opts.days ?? 21;
  const first = addDays(today, -days);
  const rand = rng(20261207);
  const between = (lo: number, hi: number, digits = 1) =>
    Math.round((lo + rand() * (hi - lo)) * 10 ** digits) / 10 ** digits;

  await intake.saveChart({
    effectiveFrom: addDays(first, -1),
    baseMinor: 5200,
    refFat: 3.5,
    refSnf: 8.0,
    fatStepMinor: 60,
    snfStepMinor: 30,
    bonusFat: 4.5,
    bonusSnf: 8.5,
    bonusMinor: 200,
    penaltyFat: 3.2,
    penaltySnf: 7.8,
    penaltyMinor: 300,
    maxTempC: 35,
    note: "Demo chart",
  }, SEED);
  const points = [];
  for (const [code, name] of [["BAG", "Baghabari"], ["POT", "Potajia"], ["RAU", "Rautara"]]) {
    const p = await intake.createPoint(
      { code, name: `${name} collection point`, village: name, upazilaCode: "5012" },
      SEED,
    );
    points.push({ ...p, village: name });
  }
  const farmers = [];
  for (const [i, [name, phone, village, pay]] of FARMERS.entries()) {
    const f = await intake.saveFarmer({
      code: `F-${String(i + 1).padStart(3, "0")}`,
      name,
      phone,
      village,
      upazilaCode: "5012",
      bkash: pay === "bkash" ? phone : null,
      bankName: pay === "bank" ? "Sonali Bank" : null,
      bankAccount: pay === "bank" ? `0100${phone.slice(-6)}` : null,
    }, SEED);
    farmers.push({ id: f.id, point: points.find((p) => p.village === village)!.id });
  }
  result.farmers = farmers.length;

  for (let day = first; day <= today; day = addDays(day, 1)) {
    for (const f of farmers) {
      for (const session of ["am", "pm"] as const) {
        if (session === "pm" && rand() < 0.5) continue;
        const roll = rand();
        await intake.recordDelivery({
          farmerId: f.id,
          pointId: f.point,
          day,
          session,
          litres: between(4, 22),
          fatPct: between(3.1, 4.9, 2),
          snfPct: between(7.7, 8.9, 2),
          tempC: between(26, 33),
          antibiotic: roll < 0.02 ? "positive" : "negative",
          adulterated: roll > 0.99,
        }, SEED);
        result.deliveries++;
      }
    }
    if (day < today) {
      for (const p of points) {
        await intake.receivePointDay({ pointId: p.id, day }, SEED).then(
          () => result.pointLots++,
          () => {}, // nothing accepted that day
        );
      }
    }
  }

  // The farm's bulk-tank milk of the last week, one lot per tank and session, as much as the farm
  // recorded (the farm's door says; its tables are its own).
  const tanks = await iot.listTanks();
  let turn = 0;
  for (let d = 7; d >= 1 && tanks.length; d--) {
    const day = addDays(today, -d);
    for (const session of ["am", "pm"] as const) {
      const tankId = tanks[turn++ % tanks.length].id;
      const { recordedL } = await farm.forIntake().tankCheck(sql, tankId, day, [session]);
      if (!recordedL) continue;
      const got = await intake.receiveTank({
        tankId,
        day,
        sessions: [session],
        litres: Math.max(1, Math.round(recordedL * 10) / 10),
        fatPct: between(3.8, 4.3, 2),
        snfPct: between(8.4, 8.8, 2),
        tempC: between(3.2, 4.6),
      }, SEED);
      if (got.status === "accepted") result.tankLots++;
      else result.tankRefused++;
    }
  }

  // Statements for every finished period; all but the last one paid.
  const periods = new Set<string>();
  for (let day = first; periodOf(day).end < today; day = addDays(periodOf(day).end, 1)) {
    periods.add(periodOf(day).start);
  }
  const starts = [...periods];
  for (const [i, start] of starts.entries()) {
    const built = await intake.buildStatements({ day: start }, SEED);
    result.statements += built.statements;
    if (i < starts.length - 1) {
      const open = await intake.listStatements({ periodStart: start, status: "open" });
      if (open.length) {
        await intake.markPaid(
          { ids: open.map((s) => s.id), via: "bkash", ref: `DEMO-${start}` },
          SEED,
        );
      }
    }
  }
  opts.log?.(
    `milk intake: ${result.farmers} farmers, ${result.deliveries} deliveries, ` +
      `${result.pointLots} collection lots, ${result.tankLots} tank lots ` +
      `(${result.tankRefused} refused), ${result.statements} statements`,
  );
  return result;
}
