/**
 * Editing test plans (quality.manage, the plans page): add or change a plan (names, stage, the
 * item or item kind it tests), deactivate or reactivate it; add, change or remove its parameters
 * (names in English and Bangla, a range with unit and min/max, or a choice with its passing
 * values). Every change is audited with what it was before.
 *
 * Past results keep the parameters they were judged by: a parameter row is never updated. A
 * change retires the row (`retired_at`) and inserts its new version under the same code; a
 * removal only retires it. Results point at the row they were judged by (migration 0442).
 */
import { appendAudit } from "@/services/audit/mod.ts";
import {
  ConflictError,
  NotFoundError,
  parseInput,
  ValidationError,
} from "@/services/platform/errors.ts";
import { z } from "@/services/platform/schema.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { getPlan, type Parameter, type Plan } from "./plans.ts";
import type { Actor } from "./ports.ts";
import { ITEM_KINDS } from "@/services/inventory/mod.ts";

export const STAGES = ["intake", "receipt", "finished"] as const;
/** The item kinds a plan may test: inventory's (its door exports them). */
export { ITEM_KINDS };

const blankToUndefined = (v: unknown) => typeof v === "string" && v.trim() === "" ? undefined : v;
const name = z.string({ error: "required" }).trim().min(1, "required").max(120, "tooLong");
const optional = <T extends z.ZodType>(s: T) => z.preprocess(blankToUndefined, s.optional());

const planSchema = z.object({
  code: z.string({ error: "required" }).trim().toUpperCase().regex(
    /^[A-Z0-9][A-Z0-9-]{1,39}$/,
    "badPlanCode",
  ),
  nameEn: name,
  nameBn: name,
  stage: z.enum(STAGES, { error: "chooseStage" }),
  itemCode: optional(
    z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9-]{1,59}$/, "unknownItem"),
  ),
  itemKind: optional(z.enum(ITEM_KINDS, { error: "chooseTarget" })),
});
export type PlanInput = Record<string, string | undefined>;

/** A number typed in a form (blank: none). */
const limit = z.preprocess(
  blankToUndefined,
  z.string().trim().regex(/^-?\d+(\.\d+)?$/, "notNumber").transform(Number).refine(
    (v) => Math.abs(v) <= 1e9,
    "notNumber",
  ).optional(),
);
/** "negative, positive" → ["negative", "positive"] (lowercase words). */
const words = z.preprocess(
  (v) =>
    typeof v === "string" ? v.split(/[,\n]/).map((s) => s.trim().toLowerCase()).filter(Boolean) : v,
  z.array(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "badChoice")).max(12, "tooLong"),
);

const parameterSchema = z.object({
  code: z.string({ error: "required" }).trim().toLowerCase().regex(
    /^[a-z][a-z0-9_]{1,39}$/,
    "badParameterCode",
  ),
  nameEn: name,
  nameBn: name,
  kind: z.enum(["range", "choice"], { error: "chooseKind" }),
  unit: optional(z.string().trim().max(20, "tooLong")),
  min: limit,
  max: limit,
  choices: words.optional(),
  passValues: words.optional(),
  position: optional(z.coerce.number().int().min(0).max(999)),
}).superRefine((p, ctx) => {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: "custom", path: [path], message });
  if (p.kind === "range") {
    if (p.min === undefined && p.max === undefined) issue("min", "needLimit");
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) issue("max", "minAboveMax");
  } else {
    const choices = p.choices ?? [];
    if (choices.length < 2) issue("choices", "needChoices");
    const pass = p.passValues ?? [];
    if (pass.length === 0) issue("passValues", "needPass");
    else if (pass.some((v) => !choices.includes(v))) issue("passValues", "passNotAChoice");
  }
});
export type ParameterInput = Record<string, string | undefined>;

/** Checks an item code against inventory (the plan must test an item that exists). */
export type ItemCheck = (code: string) => Promise<boolean>;

const planRow = (p: Plan) => ({
  code: p.code,
  nameEn: p.nameEn,
  nameBn: p.nameBn,
  stage: p.stage,
  itemCode: p.itemCode,
  itemKind: p.itemKind,
  active: p.active,
});

async function needPlan(db: Db, id: number): Promise<Plan> {
  const plan = await getPlan(db, id);
  if (!plan) throw new NotFoundError("planNotFound");
  return plan;
}

/** Adds a plan, or changes plan `planId` (its code stays). */
export async function savePlan(
  db: Db,
  itemExists: ItemCheck,
  input: PlanInput,
  actor: Actor,
  now: Date,
  planId?: number,
): Promise<Plan> {
  const before = planId ? await needPlan(db, planId) : null;
  const p = parseInput(planSchema, before ? { ...input, code: before.code } : input);
  if (!p.itemCode && !p.itemKind) throw new ValidationError({ itemKind: "chooseTarget" });
  if (p.itemCode && !(await itemExists(p.itemCode))) {
    throw new ValidationError({ itemCode: "unknownItem" });
  }
  const values = {
    name_en: p.nameEn,
    name_bn: p.nameBn,
    stage: p.stage,
    // One target: an item's own plan, else its kind's.
    item_code: p.itemCode ?? null,
    item_kind: p.itemCode ? null : p.itemKind ?? null,
  };
  return await inTx(db, async (tx) => {
    let id: number;
    if (before) {
      await tx`update qc_plans set ${tx(values)}, updated_at = ${now} where id = ${before.id}`;
      id = before.id;
    } else {
      const [taken] = await tx`select 1 from qc_plans where code = ${p.code}`;
      if (taken) throw new ConflictError("planCodeTaken", "code");
      const [r] = await tx`insert into qc_plans ${tx({ ...values, code: p.code, created_at: now })}
        returning id`;
      id = Number(r.id);
    }
    const after = await needPlan(tx, id);
    await appendAudit(tx, {
      actorId: actor.id,
      action: before ? "quality.plan.update" : "quality.plan.create",
      entity: "qc_plan",
      entityId: id,
      data: before ? { before: planRow(before), after: planRow(after) } : planRow(after),
      at: now,
    });
    return after;
  });
}

/** Deactivates a plan (no new tests use it; past tests keep it), or reactivates it. */
export async function setPlanActive(
  db: Db,
  planId: number,
  active: boolean,
  actor: Actor,
  now: Date,
): Promise<void> {
  await inTx(db, async (tx) => {
    const plan = await needPlan(tx, planId);
    if (plan.active === active) return;
    await tx`update qc_plans set active = ${active}, updated_at = ${now} where id = ${planId}`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: active ? "quality.plan.activate" : "quality.plan.deactivate",
      entity: "qc_plan",
      entityId: planId,
      data: { code: plan.code },
      at: now,
    });
  });
}

const paramRow = (p: Parameter) => ({
  code: p.code,
  nameEn: p.nameEn,
  nameBn: p.nameBn,
  kind: p.kind,
  unit: p.unit,
  min: p.min,
  max: p.max,
  choices: p.choices,
  passValues: p.passValues,
});

/**
 * Adds a parameter to a plan, or changes parameter `parameterId`: the old row is retired and
 * the new version added (past results keep the old one).
 */
export async function saveParameter(
  db: Db,
  planId: number,
  input: ParameterInput,
  actor: Actor,
  now: Date,
  parameterId?: number,
): Promise<Parameter> {
  const p = parseInput(parameterSchema, input);
  return await inTx(db, async (tx) => {
    const plan = await needPlan(tx, planId);
    const before = parameterId ? plan.parameters.find((x) => x.id === parameterId) : undefined;
    if (parameterId && !before) throw new NotFoundError("parameterNotFound");
    const clash = plan.parameters.find((x) => x.code === p.code && x.id !== parameterId);
    if (clash) throw new ConflictError("parameterCodeTaken", "code");
    const [pos] = await tx`select coalesce(max(position), 0) + 10 as next from qc_parameters
                           where plan_id = ${planId}`;
    if (before) {
      await tx`update qc_parameters set retired_at = ${now} where id = ${before.id}`;
    }
    const [prev] = before
      ? await tx`select position from qc_parameters where id = ${before.id}`
      : [null];
    const range = p.kind === "range";
    const [r] = await tx`
      insert into qc_parameters (plan_id, position, code, name_en, name_bn, kind, unit, min_value,
        max_value, choices, pass_values)
      values (${planId}, ${p.position ?? prev?.position ?? Number(pos.next)}, ${p.code},
        ${p.nameEn}, ${p.nameBn}, ${p.kind}, ${range ? p.unit ?? null : null},
        ${range ? p.min ?? null : null}, ${range ? p.max ?? null : null},
        ${range ? null : p.choices!}::text[], ${range ? null : p.passValues!}::text[])
      returning id`;
    await tx`update qc_plans set updated_at = ${now} where id = ${planId}`;
    const after = (await needPlan(tx, planId)).parameters.find((x) => x.id === Number(r.id))!;
    await appendAudit(tx, {
      actorId: actor.id,
      action: before ? "quality.parameter.update" : "quality.parameter.create",
      entity: "qc_plan",
      entityId: planId,
      data: before
        ? { plan: plan.code, before: paramRow(before), after: paramRow(after) }
        : { plan: plan.code, ...paramRow(after) },
      at: now,
    });
    return after;
  });
}

/** Removes a parameter from a plan (retired: past results keep it). */
export async function retireParameter(
  db: Db,
  planId: number,
  parameterId: number,
  actor: Actor,
  now: Date,
): Promise<void> {
  await inTx(db, async (tx) => {
    const plan = await needPlan(tx, planId);
    const p = plan.parameters.find((x) => x.id === parameterId);
    if (!p) throw new NotFoundError("parameterNotFound");
    if (plan.parameters.length === 1) throw new ConflictError("lastParameter", "_");
    await tx`update qc_parameters set retired_at = ${now} where id = ${parameterId}`;
    await tx`update qc_plans set updated_at = ${now} where id = ${planId}`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "quality.parameter.retire",
      entity: "qc_plan",
      entityId: planId,
      data: { plan: plan.code, ...paramRow(p) },
      at: now,
    });
  });
}
