/**
 * Test plans: per item (inventory item code) or item kind, and stage; each parameter is a range
 * (min/max, either open) or a choice with its passing values. The seeded plans (migration 0410):
 *
 * - raw milk at intake: fat ≥ 3.5 %, SNF ≥ 8.0 % (BSTI BDS 1702 raw cow milk), temperature on
 *   arrival ≤ 10 °C (EU rule, reference/dairy-domain.md "Cold chain"), antibiotic residue
 *   negative, adulteration (added water, starch, neutralisers, formalin, urea) negative, alcohol
 *   test negative;
 * - finished goods: TPC ≤ 30,000 cfu/ml, coliform ≤ 10 cfu/ml, E. coli absent (pasteurised milk),
 *   temperature ≤ 5 °C, sensory good or acceptable, pack intact;
 * - ingredients and packaging on receipt: certificate / declaration present, visual check ok.
 *
 * Staff with quality.manage change them on the plans page (plan_admin.ts); a parameter row is
 * never changed once written (a change retires it and adds a new version), so a plan shows its
 * current rows (`retired_at is null`) and past results keep the row they were judged by.
 */
import type { Db } from "@/services/platform/tx.ts";

export type Stage = "intake" | "receipt" | "finished";

export interface Parameter {
  id: number;
  code: string;
  nameEn: string;
  nameBn: string;
  kind: "range" | "choice";
  unit: string | null;
  min: number | null;
  max: number | null;
  choices: string[];
  passValues: string[];
}

export interface Plan {
  id: number;
  code: string;
  nameEn: string;
  nameBn: string;
  stage: Stage;
  itemCode: string | null;
  itemKind: string | null;
  active: boolean;
  /** The current parameters (not retired), in order. */
  parameters: Parameter[];
}

const num = (v: unknown) => v === null || v === undefined ? null : Number(v);

/** A qc_parameters row as a Parameter. */
export function parameterOf(p: Record<string, any>): Parameter {
  return {
    id: Number(p.id),
    code: p.code,
    nameEn: p.name_en,
    nameBn: p.name_bn,
    kind: p.kind,
    unit: p.unit ?? null,
    min: num(p.min_value),
    max: num(p.max_value),
    choices: p.choices ?? [],
    passValues: p.pass_values ?? [],
  };
}

async function withParameters(db: Db, rows: Record<string, unknown>[]): Promise<Plan[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => Number(r.id));
  const params = await db`
    select id, plan_id, code, name_en, name_bn, kind, unit, min_value, max_value, choices,
      pass_values
    from qc_parameters where plan_id = any(${ids}::int[]) and retired_at is null
    order by plan_id, position, id`;
  return rows.map((r) => ({
    id: Number(r.id),
    code: String(r.code),
    nameEn: String(r.name_en),
    nameBn: String(r.name_bn),
    stage: r.stage as Stage,
    itemCode: (r.item_code as string | null) ?? null,
    itemKind: (r.item_kind as string | null) ?? null,
    active: r.active !== false,
    parameters: params.filter((p) => Number(p.plan_id) === Number(r.id)).map(parameterOf),
  }));
}

/** The active plans with their parameters (the plans page); `all`: inactive ones too, last. */
export async function listPlans(db: Db, opts: { all?: boolean } = {}): Promise<Plan[]> {
  const rows = await db`
    select id, code, name_en, name_bn, stage, item_code, item_kind, active from qc_plans
    where active or ${opts.all ?? false} order by not active, stage, code`;
  return await withParameters(db, rows);
}

export async function getPlan(db: Db, id: number): Promise<Plan | null> {
  const rows = await db`
    select id, code, name_en, name_bn, stage, item_code, item_kind, active from qc_plans
    where id = ${id}`;
  return (await withParameters(db, rows))[0] ?? null;
}

/** The plan that tests an item: its own plan, else its kind's. */
export async function planFor(db: Db, item: { code: string; kind: string }): Promise<Plan | null> {
  const rows = await db`
    select id, code, name_en, name_bn, stage, item_code, item_kind, active from qc_plans
    where active and (item_code = ${item.code} or (item_code is null and item_kind = ${item.kind}))
    order by item_code is null, id limit 1`;
  return (await withParameters(db, rows))[0] ?? null;
}

/** Whether one value passes a parameter (the value already parsed for its kind). */
export function verdictOf(p: Parameter, value: number | string): "pass" | "fail" {
  if (p.kind === "choice") return p.passValues.includes(String(value)) ? "pass" : "fail";
  const v = Number(value);
  const ok = (p.min === null || v >= p.min) && (p.max === null || v <= p.max);
  return ok ? "pass" : "fail";
}
