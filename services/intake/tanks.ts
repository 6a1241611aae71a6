/**
 * Milk from the farm's bulk tanks received at the plant (issue 12 §4). The farm says whether the
 * tank may be received as saleable milk (no IoT hold, no milk of a cow under withdrawal in the
 * sessions received); milk above 10 °C on arrival is refused too. Accepted milk becomes a RAW-MILK
 * intake lot at PLANT-SILO in quarantine (quality releases it); refused milk is recorded with the
 * reasons and never becomes a lot.
 */
import { isoDate, text, z } from "@/services/platform/schema.ts";
import { parseInput } from "@/services/platform/errors.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { assertIntakeStaff, insertOnce, milkTest, milkTestOf } from "./db.ts";
import { IntakeError } from "./errors.ts";
import type { FarmForIntake, IntakeActor, IntakeInventory, IntakeLedger, Tx } from "./ports.ts";
import { amountFor, priceFor } from "./pricing.ts";
import { chartOn } from "./register.ts";

export const TANK_SESSIONS = ["am", "noon", "pm"] as const;
/** Raw milk warmer than this on arrival is refused (EU rule: ≤ 10 °C at the plant). */
export const MAX_ARRIVAL_TEMP_C = 10;
export const RAW_MILK = "RAW-MILK";
export const SILO = "PLANT-SILO";
/** Raw milk keeps two days in the silo. */
export const RAW_MILK_DAYS = 2;

export const tankReceiptSchema = z.object({
  tankId: text(64, { min: 1 }),
  day: isoDate(),
  sessions: z.preprocess(
    (v) => (typeof v === "string" ? [v] : v),
    z.array(z.enum(TANK_SESSIONS, { error: "Choose the milking sessions" })).min(
      1,
      "Choose the milking sessions",
    ).max(3),
  ),
  ...milkTest(100_000),
});
/** A receipt as the form posts it (the schema validates every field). */
export type TankReceiptInput = Record<string, unknown>;

export interface RefusalReason {
  code: "tank_hold" | "withdrawal" | "too_warm";
  /** English text (the page shows the catalog's words with these params). */
  message: string;
  params: Record<string, string | number>;
}

export type TankReceiptResult =
  | { status: "accepted"; id: number; lotId: number; lotCode: string }
  | { status: "rejected"; id: number; reasons: RefusalReason[]; message: string };

export interface TankDeps {
  inventory: IntakeInventory;
  farm: FarmForIntake;
  now: () => Date;
  /** The books: raw milk into stock (farmers' payable, own milk at the farmers' price). */
  ledger?: IntakeLedger;
}

/** Makes sure the raw-milk item exists (inventory's own settings win when it does). */
export async function ensureRawMilk(tx: Tx, inventory: TankDeps["inventory"]): Promise<void> {
  if (await inventory.item(tx, RAW_MILK)) return;
  await inventory.ensureItem(tx, {
    code: RAW_MILK,
    nameEn: "Raw milk",
    nameBn: "কাঁচা দুধ",
    kind: "raw_milk",
    base: "ml",
    shelfLifeDays: RAW_MILK_DAYS,
  });
}

export async function receiveTank(
  db: Db,
  deps: TankDeps,
  input: TankReceiptInput,
  actor: IntakeActor,
): Promise<TankReceiptResult> {
  assertIntakeStaff(actor);
  const r = parseInput(tankReceiptSchema, input);
  const sessions = TANK_SESSIONS.filter((s) => r.sessions.includes(s));
  const now = deps.now();
  if (r.day > dhakaDate(now)) {
    throw new IntakeError("future_date", "The date is in the future", {}, "day", 422);
  }
  return await inTx(db, async (tx) => {
    const check = await deps.farm.tankCheck(tx, r.tankId, r.day, sessions);
    const reasons: RefusalReason[] = [];
    if (check.hold) {
      reasons.push({
        code: "tank_hold",
        message: `The tank is on hold: ${check.hold.reason}`,
        params: { reason: check.hold.reason },
      });
    }
    if (check.withdrawal.length) {
      const tags = [...new Set(check.withdrawal.map((w) => w.tag))].join(", ");
      reasons.push({
        code: "withdrawal",
        message: `Milk of cows under treatment withdrawal went into the tank: ${tags}`,
        params: { tags },
      });
    }
    if (r.tempC > MAX_ARRIVAL_TEMP_C) {
      reasons.push({
        code: "too_warm",
        message: `The milk arrived at ${r.tempC} °C (at most ${MAX_ARRIVAL_TEMP_C} °C)`,
        params: { temp: r.tempC, max: MAX_ARRIVAL_TEMP_C },
      });
    }
    const base = {
      tank_id: r.tankId,
      milk_day: r.day,
      sessions,
      litres: r.litres,
      fat_pct: r.fatPct,
      snf_pct: r.snfPct,
      temp_c: r.tempC,
      received_at: now,
      received_by: actor.id,
    };
    if (reasons.length) {
      const message = `Refused as saleable milk. ${reasons.map((x) => x.message).join(". ")}`;
      const [row] = await tx`
        insert into intake_tank_receipts ${
        tx({ ...base, status: "rejected", reject_reason: message.slice(0, 500) })
      }
        returning id`;
      await appendAudit(tx, {
        actorId: actor.id,
        action: "intake.tank.reject",
        entity: "intake_tank_receipt",
        entityId: row.id,
        data: { tankId: r.tankId, day: r.day, sessions, reasons: reasons.map((x) => x.code) },
        at: now,
      });
      return { status: "rejected", id: Number(row.id), reasons, message };
    }
    const id = await insertOnce(
      tx,
      (sp) =>
        sp`insert into intake_tank_receipts ${sp({ ...base, status: "accepted" })} returning id`,
      new IntakeError(
        "duplicate_receipt",
        "This tank's milk of that day and sessions was received already",
        { tank: r.tankId, day: r.day },
        "tankId",
      ),
    );
    await ensureRawMilk(tx, deps.inventory);
    const lot = await deps.inventory.receive(tx, {
      itemCode: RAW_MILK,
      locationCode: SILO,
      qty: Math.round(r.litres * 1000),
      producedOn: r.day,
      expiresOn: addDays(r.day, RAW_MILK_DAYS),
      status: "quarantine",
      ref: { kind: "intake", id: `tank-${id}` },
      actor: { id: actor.id, name: actor.name },
      attrs: {
        source: "tank",
        receiptId: id,
        tankId: r.tankId,
        date: r.day,
        sessions,
        fat: r.fatPct,
        snf: r.snfPct,
        tempC: r.tempC,
        farmRecordedL: check.recordedL,
      },
    });
    await tx`update intake_tank_receipts set lot_id = ${lot.lotId}, lot_code = ${lot.lotCode}
      where id = ${id}`;
    if (deps.ledger) {
      // Own milk is worth what a contract farmer would be paid for it (the chart of the day).
      const chart = await chartOn(tx, r.day);
      const value = chart
        ? amountFor(r.litres, priceFor(chart, r.fatPct, r.snfPct).perLitreMinor)
        : 0;
      await deps.ledger.milkReceived(tx, {
        ref: `tank-${id}`,
        itemCode: RAW_MILK,
        qty: Math.round(r.litres * 1000),
        lines: [{ farmerId: null, valueMinor: value }],
      });
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: "intake.tank.receive",
      entity: "intake_tank_receipt",
      entityId: id,
      data: { tankId: r.tankId, day: r.day, sessions, litres: r.litres, lotId: lot.lotId },
      at: now,
    });
    return { status: "accepted", id, lotId: lot.lotId, lotCode: lot.lotCode };
  });
}

export interface TankReceiptRow {
  id: number;
  tankId: string;
  day: string;
  sessions: string[];
  litres: number;
  fatPct: number;
  snfPct: number;
  tempC: number;
  status: "accepted" | "rejected";
  rejectReason: string | null;
  lotId: number | null;
  lotCode: string | null;
  receivedAt: Date;
}

export async function listTankReceipts(
  db: Db,
  q: { from?: string; to?: string; limit?: number } = {},
): Promise<TankReceiptRow[]> {
  const rows = await db`
    select id, tank_id, milk_day::text as day, sessions, litres, fat_pct, snf_pct, temp_c, status,
      reject_reason, lot_id, lot_code, received_at
    from intake_tank_receipts
    where (${q.from ?? null}::date is null or milk_day >= ${q.from ?? null}::date)
      and (${q.to ?? null}::date is null or milk_day <= ${q.to ?? null}::date)
    order by milk_day desc, id desc limit ${Math.min(q.limit ?? 100, 500)}`;
  return rows.map((r) => ({
    id: Number(r.id),
    tankId: r.tank_id,
    day: r.day,
    sessions: r.sessions,
    ...milkTestOf(r),
    status: r.status,
    rejectReason: r.reject_reason,
    lotId: r.lot_id === null ? null : Number(r.lot_id),
    lotCode: r.lot_code,
    receivedAt: r.received_at,
  }));
}
