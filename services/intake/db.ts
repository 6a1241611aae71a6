/** Small helpers of the intake services. */
import { can, ForbiddenError } from "@/services/identity/roles.ts";
import { z } from "@/services/platform/schema.ts";
import type { IntakeActor, Tx } from "./ports.ts";
import { type IntakeError, isUniqueViolation } from "./errors.ts";

/** A numeric column as a number, null kept. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Staff who may run intake: warehouse, production and administrators (inventory.manage). */
export function assertIntakeStaff(actor: IntakeActor): void {
  if (!can(actor.roles, "inventory.manage")) throw new ForbiddenError("inventory.manage");
}

/** A date column as YYYY-MM-DD (both drivers may hand back a Date or text). */
export function day(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

const pct = (what: string) =>
  z.coerce.number({ error: `${what} must be a number` }).min(0, `${what} is 0–15`)
    .max(15, `${what} is 0–15`);

/** The fields of a milk test at receipt: litres (up to `maxLitres`), fat, SNF, temperature. */
export function milkTest(maxLitres: number) {
  return {
    litres: z.coerce.number({ error: "Litres must be a number" }).gt(0, "Litres must be above 0")
      .max(maxLitres, `At most ${maxLitres.toLocaleString("en")} L`),
    fatPct: pct("Fat %"),
    snfPct: pct("SNF %"),
    tempC: z.coerce.number({ error: "Temperature must be a number" }).min(-5, "−5 to 60 °C")
      .max(60, "−5 to 60 °C"),
  };
}

/** The milk-test columns of a row (litres, fat_pct, snf_pct, temp_c) as numbers. */
export function milkTestOf(r: Record<string, unknown>) {
  return {
    litres: num(r.litres)!,
    fatPct: num(r.fat_pct)!,
    snfPct: num(r.snf_pct)!,
    tempC: num(r.temp_c)!,
  };
}

/**
 * Runs one insert (returning id) in a savepoint and gives the new id; when it breaks a unique key
 * (recorded already), `duplicate` is thrown instead.
 */
export async function insertOnce(
  tx: Tx,
  insert: (sp: Tx) => Promise<readonly { id: unknown }[]>,
  duplicate: IntakeError,
): Promise<number> {
  try {
    const [row] = await tx.savepoint((sp) => insert(sp as Tx));
    return Number(row.id);
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    throw duplicate;
  }
}
