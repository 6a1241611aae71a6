/** Small helpers of the intake services. */
import { ForbiddenError } from "@/services/identity/roles.ts";
import { can } from "@/services/identity/roles.ts";
import type { IntakeActor } from "./ports.ts";

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
