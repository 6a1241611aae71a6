/**
 * Test results per lot: a person enters one value per parameter of the lot's plan; each value
 * gets its verdict (pass/fail), the test fails when any value fails. Errors name the parameter's
 * code (a message code of the quality catalog: required, notNumber, notAChoice…).
 */
import { appendAudit } from "@/services/audit/mod.ts";
import { NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { getPlan, type Parameter, parameterOf, planFor, verdictOf } from "./plans.ts";
import type { Actor, QualityInventory } from "./ports.ts";

export interface RecordInput {
  lotId: number;
  /** Defaults to the lot's item's plan. */
  planId?: number | null;
  /** Raw form values by parameter code. */
  values: Record<string, string | undefined>;
  testedAt?: Date;
  note?: string | null;
  actor: Actor;
}

export interface TestRecord {
  id: number;
  lotId: number;
  planId: number;
  verdict: "pass" | "fail";
  testedAt: Date;
  testedByName: string;
  note: string | null;
  /** Each value with the parameter (name, limits) it was judged by, even if changed since. */
  results: { code: string; value: string; verdict: "pass" | "fail"; parameter: Parameter }[];
}

const MAX_VALUE = 1e9;

function parseValue(p: Parameter, raw: string | undefined): number | string | { error: string } {
  const s = (raw ?? "").trim();
  if (!s) return { error: "required" };
  if (p.kind === "choice") return p.choices.includes(s) ? s : { error: "notAChoice" };
  if (!/^-?\d+(\.\d+)?$/.test(s)) return { error: "notNumber" };
  const v = Number(s);
  return Number.isFinite(v) && Math.abs(v) <= MAX_VALUE ? v : { error: "notNumber" };
}

export async function recordResults(
  db: Db,
  inventory: QualityInventory,
  input: RecordInput,
  now: Date,
): Promise<TestRecord> {
  return await inTx(db, async (tx) => {
    const lot = await inventory.lot(tx, input.lotId);
    if (!lot) throw new NotFoundError("lotNotFound");
    const plan = input.planId
      ? await getPlan(tx, input.planId)
      : await planFor(tx, { code: lot.itemCode, kind: lot.itemKind });
    if (!plan) throw new ValidationError({ form: "noPlan" });
    const errors: Record<string, string> = {};
    const parsed: { p: Parameter; value: number | string; verdict: "pass" | "fail" }[] = [];
    for (const p of plan.parameters) {
      const v = parseValue(p, input.values[p.code]);
      if (typeof v === "object") errors[p.code] = v.error;
      else parsed.push({ p, value: v, verdict: verdictOf(p, v) });
    }
    const note = input.note?.trim() || null;
    if (note && note.length > 2000) errors.note = "tooLong";
    const testedAt = input.testedAt ?? now;
    if (testedAt.getTime() > now.getTime() + 5 * 60_000) errors.testedAt = "inFuture";
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const verdict = parsed.every((r) => r.verdict === "pass") ? "pass" : "fail";
    const [test] = await tx`
      insert into qc_tests (lot_id, plan_id, verdict, tested_at, recorded_at, tested_by,
        tested_by_name, note)
      values (${lot.id}, ${plan.id}, ${verdict}, ${testedAt}, ${now}, ${input.actor.id},
        ${input.actor.name}, ${note})
      returning id`;
    for (const r of parsed) {
      await tx`
        insert into qc_results (test_id, parameter_id, value_num, value_text, verdict)
        values (${test.id}, ${r.p.id}, ${typeof r.value === "number" ? r.value : null},
          ${typeof r.value === "string" ? r.value : null}, ${r.verdict})`;
    }
    const results = parsed.map((r) => ({
      code: r.p.code,
      value: String(r.value),
      verdict: r.verdict,
      parameter: r.p,
    }));
    await appendAudit(tx, {
      actorId: input.actor.id,
      action: "quality.test",
      entity: "inv_lot",
      entityId: lot.id,
      data: {
        testId: Number(test.id),
        plan: plan.code,
        verdict,
        results: results.map(({ code, value, verdict }) => ({ code, value, verdict })),
      },
      at: now,
    });
    return {
      id: Number(test.id),
      lotId: lot.id,
      planId: plan.id,
      verdict,
      testedAt,
      testedByName: input.actor.name,
      note,
      results,
    };
  });
}

/** The lot's tests, newest first, with their values. */
export async function testsOf(db: Db, lotId: number): Promise<TestRecord[]> {
  const tests = await db`
    select id, lot_id, plan_id, verdict, tested_at, tested_by_name, note from qc_tests
    where lot_id = ${lotId} order by tested_at desc, id desc limit 50`;
  if (!tests.length) return [];
  const rows = await db`
    select r.test_id, r.value_num, r.value_text, r.verdict, p.id, p.code, p.name_en, p.name_bn,
      p.kind, p.unit, p.min_value, p.max_value, p.choices, p.pass_values
    from qc_results r join qc_parameters p on p.id = r.parameter_id
    where r.test_id = any(${tests.map((t) => t.id)}::bigint[]) order by p.position, p.id`;
  return tests.map((t) => ({
    id: Number(t.id),
    lotId: Number(t.lot_id),
    planId: Number(t.plan_id),
    verdict: t.verdict,
    testedAt: new Date(t.tested_at),
    testedByName: t.tested_by_name,
    note: t.note,
    results: rows.filter((r) => Number(r.test_id) === Number(t.id)).map((r) => ({
      code: r.code,
      value: r.value_text ?? String(Number(r.value_num)),
      verdict: r.verdict,
      parameter: parameterOf(r),
    })),
  }));
}
