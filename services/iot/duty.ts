/**
 * Duty contacts: who is told about alarms, by SMS, email or WhatsApp, from which severity on and
 * during which farm-local hours. A list of its own rather than staff accounts: alarm SMS go to
 * duty phones (the night herdsman's, the vet on call), and staff phone numbers are encrypted
 * personal data the IoT side has no business decrypting. Staff see alarms in the app anyway.
 */
import { z } from "@/services/platform/schema.ts";
import { NotFoundError, parseInput } from "@/services/platform/errors.ts";
import type { Severity } from "./alarm_rules.ts";
import { type Db } from "@/services/platform/tx.ts";
import { dhakaMinuteOfDay } from "@/services/platform/dhaka.ts";
import { camelRow } from "@/services/platform/rows.ts";
import { emptyToNull } from "./db_util.ts";

export interface DutyContact {
  id: string;
  name: string;
  channel: "sms" | "email" | "whatsapp";
  address: string;
  minSeverity: Severity;
  onDutyFrom: string | null;
  onDutyTo: string | null;
  active: boolean;
}

const time = z.preprocess(
  emptyToNull,
  z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM (24-hour)").nullish(),
);

export const dutyContactSchema = z.object({
  name: z.string().trim().min(1, "A name is required").max(120),
  channel: z.enum(["sms", "email", "whatsapp"]),
  address: z.string().trim().min(3).max(320),
  minSeverity: z.enum(["info", "warning", "critical"]).default("warning"),
  onDutyFrom: time,
  onDutyTo: time,
  active: z.boolean().default(true),
}).refine((c) => !c.onDutyFrom === !c.onDutyTo, {
  message: "Give both ends of the duty hours, or neither",
  path: ["onDutyTo"],
}).refine(
  (c) =>
    c.channel === "email"
      ? /^[^@\s]+@[^@\s]+$/.test(c.address)
      : /^\+[1-9]\d{7,14}$/.test(c.address),
  {
    message: "An email address, or a number in international form (+8801…) for SMS and WhatsApp",
    path: ["address"],
  },
);

/** A duty_contacts row as a contact (its hours as HH:MM). */
function toContact(r: Record<string, any>): DutyContact {
  const { createdAt: _, ...contact } = camelRow<DutyContact & { createdAt: Date }>(r);
  const hhmm = (t: unknown) => (t ? String(t).slice(0, 5) : null);
  return {
    ...contact,
    id: String(r.id),
    onDutyFrom: hhmm(r.on_duty_from),
    onDutyTo: hhmm(r.on_duty_to),
  };
}

export async function listDutyContacts(db: Db): Promise<DutyContact[]> {
  return (await db`select * from duty_contacts order by active desc, name, id`).map(toContact);
}

export async function createDutyContact(
  db: Db,
  input: z.input<typeof dutyContactSchema>,
): Promise<DutyContact> {
  const c = parseInput(dutyContactSchema, input);
  const [row] = await db`
    insert into duty_contacts (name, channel, address, min_severity, on_duty_from, on_duty_to, active)
    values (${c.name}, ${c.channel}, ${c.address}, ${c.minSeverity}, ${c.onDutyFrom ?? null},
            ${c.onDutyTo ?? null}, ${c.active})
    returning *`;
  return toContact(row);
}

export async function updateDutyContact(
  db: Db,
  id: string,
  input: z.input<typeof dutyContactSchema>,
): Promise<DutyContact> {
  const c = parseInput(dutyContactSchema, input);
  const [row] = await db`
    update duty_contacts set name = ${c.name}, channel = ${c.channel}, address = ${c.address},
      min_severity = ${c.minSeverity}, on_duty_from = ${c.onDutyFrom ?? null},
      on_duty_to = ${c.onDutyTo ?? null}, active = ${c.active}
    where id = ${id} returning *`;
  if (!row) throw new NotFoundError(`No duty contact ${id}`);
  return toContact(row);
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** Farm-local minutes since midnight (Asia/Dhaka). */
export const farmMinutes = (at: Date): number => dhakaMinuteOfDay(at);

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

/** Is the contact on duty at `at` and interested in this severity? Pure. */
export function isOnDuty(c: DutyContact, severity: Severity, at: Date): boolean {
  if (!c.active || RANK[severity] < RANK[c.minSeverity]) return false;
  if (!c.onDutyFrom || !c.onDutyTo) return true;
  const now = farmMinutes(at);
  const from = minutesOf(c.onDutyFrom);
  const to = minutesOf(c.onDutyTo);
  return from <= to ? now >= from && now < to : now >= from || now < to;
}

/** The contacts to notify about an alarm of this severity at this time. */
export async function contactsOnDuty(db: Db, severity: Severity, at: Date): Promise<DutyContact[]> {
  const all = (await db`select * from duty_contacts where active`).map(toContact);
  return all.filter((c) => isOnDuty(c, severity, at));
}
