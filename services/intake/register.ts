/**
 * The intake registers staff keep: contract farmers (with how they are paid), collection points,
 * the fat/SNF price chart (by effective date) and deductions from a farmer's pay.
 */
import { id, isoDate, money, text, z } from "@/services/platform/schema.ts";
import { NotFoundError, parseInput } from "@/services/platform/errors.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { assertIntakeStaff, num } from "./db.ts";
import { IntakeError, isUniqueViolation } from "./errors.ts";
import type { PriceChart } from "./pricing.ts";
import type { IntakeActor } from "./ports.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { openNumbers, phoneIndex, sealedNumbers } from "./farmer_numbers.ts";

const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);
const optional = <T extends z.ZodType>(s: T) => z.preprocess(blankToNull, s.nullish());

/** A Bangladeshi mobile number as +8801XXXXXXXXX (from 01…, 8801… or +8801…), or null. */
export function normalisePhone(v: string): string | null {
  const digits = v.replace(/[\s-]/g, "");
  const m = /^(?:\+?88)?(01[3-9]\d{8})$/.exec(digits);
  return m ? `+88${m[1]}` : null;
}

const phone = z.string().trim().transform((v, ctx) => {
  const p = normalisePhone(v);
  if (!p) {
    ctx.addIssue({ code: "custom", message: "Enter a mobile number like 01712345678" });
    return z.NEVER;
  }
  return p;
});
const code = z.string().trim().toUpperCase().regex(
  /^[A-Z0-9-]{2,20}$/,
  "2–20 letters, digits or hyphens",
);

export const farmerSchema = z.object({
  code,
  name: text(120, { min: 1 }),
  phone,
  village: optional(text(120)),
  upazilaCode: optional(z.string().trim().regex(/^\d{1,12}$/, "Digits only")),
  bkash: optional(
    z.string().trim().transform((v) => normalisePhone(v)?.slice(3) ?? "!").pipe(
      z.string().regex(/^01[3-9]\d{8}$/, "Enter a bKash number like 01712345678"),
    ),
  ),
  bankName: optional(text(120)),
  bankAccount: optional(
    z.string().trim().regex(/^[0-9A-Za-z-]{4,34}$/, "4–34 letters or digits"),
  ),
  active: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()).default(
    true,
  ),
});
export type FarmerInput = Record<string, unknown>;

export interface Farmer {
  id: number;
  code: string;
  name: string;
  phone: string;
  village: string | null;
  upazilaCode: string | null;
  bkash: string | null;
  bankName: string | null;
  bankAccount: string | null;
  active: boolean;
}

/** A farmer row with its phone and bKash numbers decrypted (staff see them in clear). */
const toFarmer = async (keyring: Keyring, r: Record<string, any>): Promise<Farmer> => {
  const { phone, bkash } = await openNumbers(keyring, r);
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    phone,
    village: r.village,
    upazilaCode: r.upazila_code,
    bkash,
    bankName: r.bank_name,
    bankAccount: r.bank_account,
    active: r.active,
  };
};

/**
 * Farmers by name or code (part of it), or by a whole phone number (the blind index: an
 * encrypted number can only be matched whole).
 */
export async function listFarmers(
  db: Db,
  keyring: Keyring,
  q: { search?: string } = {},
): Promise<Farmer[]> {
  const s = q.search ? `%${q.search.replace(/[%_\\]/g, "\\$&")}%` : null;
  const asPhone = q.search ? normalisePhone(q.search) : null;
  const hash = asPhone ? await phoneIndex(keyring, asPhone) : null;
  const rows = await db`
    select * from intake_farmers
    where ${s}::text is null or name ilike ${s} or code ilike ${s} or phone_hash = ${hash}::text
    order by active desc, name limit 500`;
  return await Promise.all(rows.map((r) => toFarmer(keyring, r)));
}

export async function getFarmer(
  db: Db,
  keyring: Keyring,
  farmerId: number,
): Promise<Farmer | null> {
  const [r] = await db`select * from intake_farmers where id = ${farmerId}`;
  return r ? await toFarmer(keyring, r) : null;
}

/** Creates a farmer, or updates one when `farmerId` is given. */
export async function saveFarmer(
  db: Db,
  keyring: Keyring,
  input: FarmerInput,
  actor: IntakeActor,
  farmerId?: number,
): Promise<Farmer> {
  assertIntakeStaff(actor);
  const f = parseInput(farmerSchema, input);
  const values = {
    code: f.code,
    name: f.name,
    ...await sealedNumbers(keyring, f.phone, f.bkash ?? null),
    village: f.village ?? null,
    upazila_code: f.upazilaCode ?? null,
    bank_name: f.bankName ?? null,
    bank_account: f.bankAccount ?? null,
    active: f.active,
  };
  return await inTx(db, async (tx) => {
    let row;
    try {
      [row] = await tx.savepoint((sp) =>
        farmerId
          ? sp`update intake_farmers set ${sp(values)} where id = ${farmerId} returning *`
          : sp`insert into intake_farmers ${sp(values)} returning *`
      );
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const field = String((e as { constraint_name?: string }).constraint_name ?? "").includes(
          "phone",
        )
        ? "phone"
        : "code";
      throw new IntakeError(
        "duplicate_farmer",
        `Another farmer has this ${field}`,
        { field },
        field,
      );
    }
    if (!row) throw new NotFoundError("No such farmer");
    await appendAudit(tx, {
      actorId: actor.id,
      action: farmerId ? "intake.farmer.update" : "intake.farmer.create",
      entity: "intake_farmer",
      entityId: row.id,
      data: { code: f.code, name: f.name },
    });
    return await toFarmer(keyring, row);
  });
}

// ---- collection points --------------------------------------------------------------------

export const pointSchema = z.object({
  code,
  name: text(120, { min: 1 }),
  village: optional(text(120)),
  upazilaCode: optional(z.string().trim().regex(/^\d{1,12}$/, "Digits only")),
});

export interface CollectionPoint {
  id: number;
  code: string;
  name: string;
  village: string | null;
  upazilaCode: string | null;
  active: boolean;
}

export async function listPoints(db: Db): Promise<CollectionPoint[]> {
  const rows = await db`select * from intake_points order by active desc, name`;
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    village: r.village,
    upazilaCode: r.upazila_code,
    active: r.active,
  }));
}

export async function createPoint(
  db: Db,
  input: Record<string, unknown>,
  actor: IntakeActor,
): Promise<{ id: number }> {
  assertIntakeStaff(actor);
  const p = parseInput(pointSchema, input);
  return await inTx(db, async (tx) => {
    const rows = await tx`
      insert into intake_points ${
      tx({
        code: p.code,
        name: p.name,
        village: p.village ?? null,
        upazila_code: p.upazilaCode ?? null,
      })
    }
      on conflict (code) do nothing returning id`;
    if (!rows.length) {
      throw new IntakeError("duplicate_point", "A point with this code exists", {}, "code");
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: "intake.point.create",
      entity: "intake_point",
      entityId: rows[0].id,
      data: { code: p.code, name: p.name },
    });
    return { id: rows[0].id };
  });
}

// ---- price chart --------------------------------------------------------------------------

const pctField = optional(z.coerce.number({ error: "A percentage" }).min(0).max(15));
export const chartSchema = z.object({
  effectiveFrom: isoDate(),
  baseMinor: money({ max: 100_000 }),
  refFat: z.coerce.number({ error: "A percentage" }).min(0).max(15),
  refSnf: z.coerce.number({ error: "A percentage" }).min(0).max(15),
  fatStepMinor: money({ max: 10_000 }),
  snfStepMinor: money({ max: 10_000 }),
  bonusFat: pctField,
  bonusSnf: pctField,
  bonusMinor: z.preprocess(blankToNull, money({ max: 10_000 }).nullish()),
  penaltyFat: pctField,
  penaltySnf: pctField,
  penaltyMinor: z.preprocess(blankToNull, money({ max: 10_000 }).nullish()),
  maxTempC: optional(z.coerce.number({ error: "A temperature" }).min(0).max(60)),
  note: optional(text(500)),
});
export type ChartInput = Record<string, unknown>;

const toChart = (r: Record<string, any>): PriceChart => ({
  id: r.id,
  effectiveFrom: r.effective_from,
  baseMinor: r.base_minor,
  refFat: num(r.ref_fat)!,
  refSnf: num(r.ref_snf)!,
  fatStepMinor: r.fat_step_minor,
  snfStepMinor: r.snf_step_minor,
  bonusFat: num(r.bonus_fat),
  bonusSnf: num(r.bonus_snf),
  bonusMinor: r.bonus_minor,
  penaltyFat: num(r.penalty_fat),
  penaltySnf: num(r.penalty_snf),
  penaltyMinor: r.penalty_minor,
  maxTempC: num(r.max_temp_c),
  note: r.note,
});

const chartCols = "id, effective_from::text as effective_from, base_minor, ref_fat, ref_snf, " +
  "fat_step_minor, snf_step_minor, bonus_fat, bonus_snf, bonus_minor, penalty_fat, " +
  "penalty_snf, penalty_minor, max_temp_c, note";

export async function listCharts(db: Db): Promise<PriceChart[]> {
  const rows = await db.unsafe(
    `select ${chartCols} from intake_price_charts order by effective_from desc`,
  );
  return rows.map(toChart);
}

/** The chart in force on `date` (the latest effective on or before it), or null. */
export async function chartOn(db: Db, date: string): Promise<PriceChart | null> {
  const rows = await db.unsafe(
    `select ${chartCols} from intake_price_charts where effective_from <= $1::date
     order by effective_from desc limit 1`,
    [date],
  );
  return rows[0] ? toChart(rows[0]) : null;
}

export async function saveChart(
  db: Db,
  input: ChartInput,
  actor: IntakeActor,
): Promise<{ id: number }> {
  assertIntakeStaff(actor);
  const c = parseInput(chartSchema, input);
  return await inTx(db, async (tx) => {
    const rows = await tx`
      insert into intake_price_charts ${
      tx({
        effective_from: c.effectiveFrom,
        base_minor: c.baseMinor,
        ref_fat: c.refFat,
        ref_snf: c.refSnf,
        fat_step_minor: c.fatStepMinor,
        snf_step_minor: c.snfStepMinor,
        bonus_fat: c.bonusFat ?? null,
        bonus_snf: c.bonusSnf ?? null,
        bonus_minor: c.bonusMinor ?? 0,
        penalty_fat: c.penaltyFat ?? null,
        penalty_snf: c.penaltySnf ?? null,
        penalty_minor: c.penaltyMinor ?? 0,
        max_temp_c: c.maxTempC ?? null,
        note: c.note ?? null,
        created_by: actor.id,
      })
    }
      on conflict (effective_from) do nothing returning id`;
    if (!rows.length) {
      throw new IntakeError(
        "duplicate_chart",
        "A chart starts on this date already",
        {},
        "effectiveFrom",
      );
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: "intake.chart.create",
      entity: "intake_price_chart",
      entityId: rows[0].id,
      data: c,
    });
    return { id: rows[0].id };
  });
}

// ---- deductions ---------------------------------------------------------------------------

export const deductionSchema = z.object({
  farmerId: id("Choose a farmer"),
  onDate: isoDate(),
  amountMinor: money({ min: 1, max: 100_000_000 }),
  reason: text(200, { min: 1 }),
});

export async function addDeduction(
  db: Db,
  input: Record<string, unknown>,
  actor: IntakeActor,
  now: Date,
): Promise<{ id: number }> {
  assertIntakeStaff(actor);
  const d = parseInput(deductionSchema, input);
  return await inTx(db, async (tx) => {
    const [farmer] = await tx`select 1 from intake_farmers where id = ${d.farmerId}`;
    if (!farmer) {
      throw new IntakeError("unknown_farmer", "No such farmer", {}, "farmerId", 422);
    }
    const [paid] = await tx`
      select 1 from intake_statements where farmer_id = ${d.farmerId} and status = 'paid'
        and ${d.onDate}::date between period_start and period_end`;
    if (paid) throw new IntakeError("period_paid", "That period was paid already", {}, "onDate");
    const [row] = await tx`
      insert into intake_deductions ${
      tx({
        farmer_id: d.farmerId,
        on_date: d.onDate,
        amount_minor: d.amountMinor,
        reason: d.reason,
        created_at: now,
        created_by: actor.id,
      })
    } returning id`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "intake.deduction.add",
      entity: "intake_farmer",
      entityId: d.farmerId,
      data: d,
      at: now,
    });
    return { id: Number(row.id) };
  });
}
