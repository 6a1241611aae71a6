/**
 * The quality context's one door (issue 12 §6). contexts.ts builds it once
 * (`createQuality({ sql, clock, inventory, iot })`); routes and main.ts call its use cases and
 * never its tables (qc_*, migration 0410). It owns test plans per item or item kind and stage,
 * test results per lot with a verdict per parameter, release/hold/reject decisions (the lot's
 * status changes through inventory's port in the same transaction), and the cold-chain job that
 * holds the lots stored where IoT opened a critical temperature alarm.
 */
import type { Sql } from "@/services/platform/db.ts";
import { type ColdChainResult, runColdChain } from "./cold_chain.ts";
import { decide, type DecideInput } from "./decisions.ts";
import { getPlan, listPlans } from "./plans.ts";
import * as planAdmin from "./plan_admin.ts";
import { type InventoryDoor, qualityInventory } from "./inventory.ts";
import type { Actor, QualityIot } from "./ports.ts";
import { awaitingDecision, coldChainHolds, lotFile } from "./queries.ts";
import { type RecordInput, recordResults } from "./results.ts";

export interface QualityDeps {
  sql: Sql;
  clock?: { now(): Date };
  /** Inventory's door: its port (lot status, holds by location, a lot) and lot list. */
  inventory: InventoryDoor;
  /** IoT's `forQuality()`: the alarms it opened. */
  iot: QualityIot;
}

export function createQuality(deps: QualityDeps) {
  const { sql, iot } = deps;
  const inventory = qualityInventory(sql, deps.inventory);
  const now = () => deps.clock?.now() ?? new Date();
  return {
    /** The active plans; `all`: the inactive ones too (the plans page, for quality.manage). */
    listPlans: (opts?: { all?: boolean }) => listPlans(sql, opts),
    getPlan: (id: number) => getPlan(sql, id),
    /** Items a plan may test (the plans page's choice). */
    planItems: () => inventory.items(),
    /** Adds a plan, or changes plan `planId`; audited. */
    savePlan: (input: planAdmin.PlanInput, actor: Actor, planId?: number) =>
      planAdmin.savePlan(
        sql,
        async (code) => (await inventory.items()).some((i) => i.code === code),
        input,
        actor,
        now(),
        planId,
      ),
    /** Deactivates (or reactivates) a plan; audited. */
    setPlanActive: (planId: number, active: boolean, actor: Actor) =>
      planAdmin.setPlanActive(sql, planId, active, actor, now()),
    /** Adds a parameter, or changes one (a new version; past results keep theirs); audited. */
    saveParameter: (
      planId: number,
      input: planAdmin.ParameterInput,
      actor: Actor,
      parameterId?: number,
    ) => planAdmin.saveParameter(sql, planId, input, actor, now(), parameterId),
    /** Removes a parameter from a plan (past results keep it); audited. */
    retireParameter: (planId: number, parameterId: number, actor: Actor) =>
      planAdmin.retireParameter(sql, planId, parameterId, actor, now()),
    /** Lots in quarantine or on hold, with their latest verdict. */
    awaitingDecision: (opts?: { status?: "quarantine" | "hold" | null }) =>
      awaitingDecision(sql, inventory, opts),
    lotFile: (lotId: number) => lotFile(sql, inventory, lotId),
    coldChainHolds: (opts?: { openOnly?: boolean }) => coldChainHolds(sql, inventory, opts),
    /** Records one test of a lot (a value per parameter of its plan); returns it with verdicts. */
    recordResults: (input: RecordInput) => recordResults(sql, inventory, input, now()),
    /** Release / hold / reject, audited, with inventory's lot status in the same transaction. */
    decide: (input: DecideInput) => decide(sql, inventory, input, now()),
    /**
     * One run of the cold-chain job: critical temperature alarms IoT opened since the last run
     * hold the lots stored where they fired (main.ts runs it every minute).
     */
    runColdChain: (): Promise<ColdChainResult> => runColdChain(sql, inventory, iot, now()),
  };
}

export type Quality = ReturnType<typeof createQuality>;

export { type Decision, type DecisionRecord, DECISIONS, OVERRIDE_MIN } from "./decisions.ts";
export type { Parameter, Plan, Stage } from "./plans.ts";
export { ITEM_KINDS, STAGES } from "./plan_admin.ts";
export type { Actor, LotStatus, QcLot, QualityInventory } from "./ports.ts";
export type { TestRecord } from "./results.ts";
export type { ColdChainHold, LotFile, QueueEntry } from "./queries.ts";
export type { ColdChainResult } from "./cold_chain.ts";
export { qualityCatalogs, qualityText } from "./messages.ts";
export { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
export { optionalId, pathId } from "@/services/platform/schema.ts";
