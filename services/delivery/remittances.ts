/**
 * Couriers' COD remittances (issue 15 §3): a courier pays us the cash it collected for delivered
 * parcels, less its charges, with a report per consignment. Staff record the report (pasted CSV:
 * consignment, cash collected, charge — in taka); each line is matched against our parcel with
 * that courier and consignment: matched, differs (cash not what we expected), not delivered,
 * unknown, or again (already remitted). Delivered COD parcels no remittance has covered are
 * listed as outstanding. A bad report is refused whole with every line's problem.
 */
import type { Sql } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import { inTx } from "@/services/platform/tx.ts";
import { ConflictError, ValidationError } from "@/services/platform/errors.ts";
import { isDate } from "@/services/platform/dhaka.ts";
import { appendAudit } from "@/services/audit/mod.ts";

export const REMITTING_COURIERS = ["pathao", "steadfast", "paperfly"] as const;
export type RemittingCourier = typeof REMITTING_COURIERS[number];
const MAX_LINES = 2000;

export interface RemittanceLine {
  consignmentId: string;
  codMinor: number;
  chargeMinor: number;
  orderNumber: string | null;
  expectedMinor: number | null;
  outcome: "matched" | "differs" | "not_delivered" | "unknown" | "again";
}

export interface Remittance {
  id: number;
  courier: RemittingCourier;
  reference: string;
  paidOn: string;
  netMinor: number;
  lines: RemittanceLine[];
}

/** "420", "420.5", "1,420.00" taka → poisha; null when not an amount. */
function taka(v: string): number | null {
  const t = v.trim().replaceAll(",", "");
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}

/**
 * The report's lines: `consignment,cod,charge` per line (a header line naming "consignment" is
 * skipped; the charge may be left out). Every line's problem, or the lines.
 */
export function parseRemittance(
  text: string,
): { lines: { consignmentId: string; codMinor: number; chargeMinor: number }[]; errors: string[] } {
  const lines: { consignmentId: string; codMinor: number; chargeMinor: number }[] = [];
  const errors: string[] = [];
  const rows = text.split(/\r?\n/);
  const seen = new Set<string>();
  rows.forEach((raw, i) => {
    const row = raw.trim();
    if (!row) return;
    const cells = row.split(/[,;\t]/).map((c) => c.trim().replace(/^"|"$/g, ""));
    if (i === 0 && /consignment/i.test(cells[0])) return;
    const n = i + 1;
    if (cells.length < 2 || cells.length > 3) {
      errors.push(`Line ${n}: expected consignment, cash collected, charge`);
      return;
    }
    const [id, cod, charge = "0"] = cells;
    const codMinor = taka(cod);
    const chargeMinor = taka(charge);
    if (!/^[A-Za-z0-9-]{3,40}$/.test(id)) {
      errors.push(`Line ${n}: "${id.slice(0, 40)}" is no consignment number`);
    } else if (seen.has(id)) errors.push(`Line ${n}: consignment ${id} is listed twice`);
    if (codMinor === null) errors.push(`Line ${n}: "${cod.slice(0, 20)}" is no amount`);
    if (chargeMinor === null) errors.push(`Line ${n}: "${charge.slice(0, 20)}" is no charge`);
    seen.add(id);
    if (codMinor !== null && chargeMinor !== null) {
      lines.push({ consignmentId: id, codMinor, chargeMinor });
    }
  });
  if (lines.length + errors.length > MAX_LINES) errors.unshift(`At most ${MAX_LINES} lines`);
  if (!lines.length && !errors.length) errors.push("The report has no lines");
  return { lines, errors };
}

export function remittances(sql: Sql) {
  async function load(id: number): Promise<Remittance | null> {
    const [r] = await sql`select * from delivery_remittances where id = ${id}`;
    if (!r) return null;
    const lines = await sql`
      select * from delivery_remittance_lines where remittance_id = ${id} order by id`;
    return {
      id: Number(r.id),
      courier: r.courier,
      reference: r.reference,
      paidOn: String(r.paid_on instanceof Date ? r.paid_on.toISOString().slice(0, 10) : r.paid_on),
      netMinor: toMinor(r.net_minor),
      lines: lines.map((l) => ({
        consignmentId: l.consignment_id,
        codMinor: toMinor(l.cod_minor),
        chargeMinor: toMinor(l.charge_minor),
        orderNumber: l.order_number,
        expectedMinor: l.expected_minor === null ? null : toMinor(l.expected_minor),
        outcome: l.outcome,
      })),
    };
  }

  return {
    /**
     * Records a courier's remittance report and matches each line; refused whole (422) with every
     * line's problem, and once per courier and reference (409).
     */
    async record(
      input: { courier: string; reference: string; paidOn: string; report: string },
      actorId: string | null,
    ): Promise<Remittance> {
      const errors: Record<string, string> = {};
      if (!(REMITTING_COURIERS as readonly string[]).includes(input.courier)) {
        errors.courier = "Choose a courier";
      }
      const reference = input.reference.trim();
      if (reference.length < 2 || reference.length > 80) {
        errors.reference = "Enter the courier's payment reference";
      }
      if (!isDate(input.paidOn)) errors.paidOn = "Enter the day it was paid";
      const parsed = parseRemittance(input.report ?? "");
      if (parsed.errors.length) errors.report = parsed.errors.join("; ");
      if (Object.keys(errors).length) throw new ValidationError(errors);
      const id = await inTx(sql, async (tx) => {
        const [dup] = await tx`
          select id from delivery_remittances
          where courier = ${input.courier} and reference = ${reference}`;
        if (dup) throw new ConflictError(`Remittance ${reference} is recorded already`);
        const net = parsed.lines.reduce((a, l) => a + l.codMinor - l.chargeMinor, 0);
        const [r] = await tx`
          insert into delivery_remittances (courier, reference, paid_on, net_minor, created_by)
          values (${input.courier}, ${reference}, ${input.paidOn}, ${net}, ${actorId})
          returning id`;
        const ids = parsed.lines.map((l) => l.consignmentId);
        const parcels = new Map(
          (await tx`
            select consignment_id, order_number, status, cod_minor from delivery_parcels
            where courier = ${input.courier} and consignment_id = any(${ids}::text[])`)
            .map((p) => [p.consignment_id as string, p]),
        );
        const before = new Set(
          (await tx`
            select l.consignment_id from delivery_remittance_lines l
            join delivery_remittances r on r.id = l.remittance_id
            where r.courier = ${input.courier} and l.consignment_id = any(${ids}::text[])
              and l.outcome in ('matched', 'differs')`).map((x) => x.consignment_id as string),
        );
        for (const l of parsed.lines) {
          const p = parcels.get(l.consignmentId);
          const expected = p ? toMinor(p.cod_minor) : null;
          const outcome = !p
            ? "unknown"
            : before.has(l.consignmentId)
            ? "again"
            : !["delivered", "partial_delivered"].includes(p.status)
            ? "not_delivered"
            : l.codMinor === expected
            ? "matched"
            : "differs";
          await tx`
            insert into delivery_remittance_lines (remittance_id, consignment_id, cod_minor,
              charge_minor, order_number, expected_minor, outcome)
            values (${r.id}, ${l.consignmentId}, ${l.codMinor}, ${l.chargeMinor},
              ${p?.order_number ?? null}, ${expected}, ${outcome})`;
        }
        await appendAudit(tx, {
          actorId,
          action: "delivery.remittance.recorded",
          entity: "delivery_remittance",
          entityId: String(r.id),
          data: { courier: input.courier, reference, lines: parsed.lines.length, netMinor: net },
        });
        return Number(r.id);
      });
      return (await load(id))!;
    },
    get: load,
    /** The latest remittances, newest first. */
    async list(limit = 20): Promise<Remittance[]> {
      const rows = await sql`select id from delivery_remittances order by paid_on desc, id desc
        limit ${limit}`;
      const out = [];
      for (const r of rows) out.push((await load(Number(r.id)))!);
      return out;
    },
    /** Delivered COD parcels no remittance has covered yet (what couriers still owe us). */
    async outstanding(): Promise<
      { courier: string; consignmentId: string; orderNumber: string; codMinor: number }[]
    > {
      const rows = await sql`
        select p.courier, p.consignment_id, p.order_number, p.cod_minor from delivery_parcels p
        where p.status in ('delivered', 'partial_delivered') and p.cod_minor > 0
          and not exists (
            select 1 from delivery_remittance_lines l
            join delivery_remittances r on r.id = l.remittance_id
            where r.courier = p.courier and l.consignment_id = p.consignment_id
              and l.outcome in ('matched', 'differs'))
        order by p.courier, p.updated_at`;
      return rows.map((p) => ({
        courier: p.courier,
        consignmentId: p.consignment_id,
        orderNumber: p.order_number,
        codMinor: toMinor(p.cod_minor),
      }));
    },
  };
}
