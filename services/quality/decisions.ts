/**
 * Release / hold / reject a lot, with who and why, audited; inventory's lot status changes in the
 * same transaction (only a released lot is sellable or consumable). A release needs the lot's
 * latest test to have passed and to be newer than any cold-chain hold of the lot; otherwise it is
 * an override and needs its own reason. A rejected lot stays rejected.
 */
import { appendAudit } from "@/services/audit/mod.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import type { Actor, LotStatus, QualityInventory } from "./ports.ts";

export type Decision = "release" | "hold" | "reject";
export const DECISIONS: readonly Decision[] = ["release", "hold", "reject"];
const STATUS: Record<Decision, LotStatus> = {
  release: "released",
  hold: "hold",
  reject: "rejected",
};
/** An override (a release against the tests) must say why in at least this many characters. */
export const OVERRIDE_MIN = 10;
/** The first key of the decisions' advisory locks (the lot id is the second). */
const LOCK_SPACE = 0x5143;

export interface DecideInput {
  lotId: number;
  decision: Decision;
  reason?: string | null;
  /** Release although the latest test failed, is missing or older than a cold-chain hold. */
  override?: boolean;
  actor: Actor;
}

export interface DecisionRecord {
  id: number;
  lotId: number;
  decision: Decision;
  reason: string;
  override: boolean;
  testId: number | null;
  decidedAt: Date;
  decidedByName: string;
}

/** Why a release of the lot would be an override, or null when its tests allow it. */
export async function releaseBlocker(
  db: Db,
  lotId: number,
): Promise<{ code: "noTest" | "testFailed" | "testBeforeHold"; testId: number | null } | null> {
  const [test] = await db`
    select id, verdict, tested_at from qc_tests where lot_id = ${lotId}
    order by tested_at desc, id desc limit 1`;
  if (!test) return { code: "noTest", testId: null };
  const testId = Number(test.id);
  if (test.verdict !== "pass") return { code: "testFailed", testId };
  const [hold] = await db`
    select max(held_at) as at from qc_cold_chain_holds where lot_id = ${lotId}`;
  if (hold?.at && new Date(hold.at) >= new Date(test.tested_at)) {
    return { code: "testBeforeHold", testId };
  }
  return null;
}

export async function decide(
  db: Db,
  inventory: QualityInventory,
  input: DecideInput,
  now: Date,
): Promise<DecisionRecord> {
  if (!DECISIONS.includes(input.decision)) throw new ValidationError({ decision: "chooseOne" });
  const reason = (input.reason ?? "").trim();
  if (reason.length > 1000) throw new ValidationError({ reason: "tooLong" });
  if (!Number.isSafeInteger(input.lotId) || input.lotId < 1) throw new NotFoundError("lotNotFound");
  return await inTx(db, async (tx) => {
    // One decision per lot at a time (two people deciding at once: the second sees the first).
    await tx`select pg_advisory_xact_lock(${LOCK_SPACE}, ${input.lotId % 2_147_483_647})`;
    const lot = await inventory.lot(tx, input.lotId);
    if (!lot) throw new NotFoundError("lotNotFound");
    if (lot.status === "rejected") throw new ConflictError("alreadyRejected", "decision");
    const status = STATUS[input.decision];
    if (lot.status === status) throw new ConflictError("alreadyInStatus", "decision");
    let override = false;
    let testId: number | null = null;
    let why = reason;
    if (input.decision === "release") {
      const blocker = await releaseBlocker(tx, lot.id);
      if (blocker) {
        testId = blocker.testId;
        if (!input.override) throw new ConflictError(blocker.code, "override");
        if (reason.length < OVERRIDE_MIN) throw new ValidationError({ reason: "overrideReason" });
        override = true;
      } else {
        const [t] = await tx`
          select id from qc_tests where lot_id = ${lot.id} order by tested_at desc, id desc limit 1`;
        testId = Number(t.id);
        why ||= `passed test ${testId}`;
      }
    } else if (reason.length < 3) {
      throw new ValidationError({ reason: "reasonRequired" });
    }
    const [row] = await tx`
      insert into qc_decisions (lot_id, decision, reason, override, test_id, decided_at,
        decided_by, decided_by_name)
      values (${lot.id}, ${input.decision}, ${why}, ${override}, ${testId}, ${now},
        ${input.actor.id}, ${input.actor.name})
      returning id`;
    await inventory.setLotStatus(tx, {
      lotId: lot.id,
      status,
      reason: override ? `override: ${why}` : why,
      actor: input.actor,
    });
    await appendAudit(tx, {
      actorId: input.actor.id,
      action: `quality.${input.decision}`,
      entity: "inv_lot",
      entityId: lot.id,
      data: {
        decisionId: Number(row.id),
        lotCode: lot.code,
        from: lot.status,
        to: status,
        reason: why,
        override,
        testId,
      },
      at: now,
    });
    return {
      id: Number(row.id),
      lotId: lot.id,
      decision: input.decision,
      reason: why,
      override,
      testId,
      decidedAt: now,
      decidedByName: input.actor.name,
    };
  });
}

/** The lot's decisions, newest first. */
export async function decisionsOf(db: Db, lotId: number): Promise<DecisionRecord[]> {
  const rows = await db`
    select id, lot_id, decision, reason, override, test_id, decided_at, decided_by_name
    from qc_decisions where lot_id = ${lotId} order by decided_at desc, id desc limit 50`;
  return rows.map((r) => ({
    id: Number(r.id),
    lotId: Number(r.lot_id),
    decision: r.decision,
    reason: r.reason,
    override: r.override,
    testId: r.test_id === null ? null : Number(r.test_id),
    decidedAt: new Date(r.decided_at),
    decidedByName: r.decided_by_name,
  }));
}
