/** What the quality screens show: the queue of lots awaiting a decision, one lot's file, holds. */
import type { Db } from "@/services/platform/tx.ts";
import { type DecisionRecord, decisionsOf, releaseBlocker } from "./decisions.ts";
import { type Plan, planFor } from "./plans.ts";
import type { QcLot, QualityInventory } from "./ports.ts";
import { type TestRecord, testsOf } from "./results.ts";

export interface QueueEntry {
  lot: QcLot;
  lastVerdict: "pass" | "fail" | null;
  lastTestedAt: Date | null;
  coldChain: boolean;
}

/** Lots in quarantine or on hold, with their latest verdict and whether cold chain held them. */
export async function awaitingDecision(
  db: Db,
  inventory: QualityInventory,
  opts: { status?: "quarantine" | "hold" | null } = {},
): Promise<QueueEntry[]> {
  const lots = await inventory.lotsByStatus(
    opts.status ? [opts.status] : ["quarantine", "hold"],
    200,
  );
  if (!lots.length) return [];
  const ids = lots.map((l) => l.id);
  const tests = await db`
    select distinct on (lot_id) lot_id, verdict, tested_at from qc_tests
    where lot_id = any(${ids}::bigint[]) order by lot_id, tested_at desc, id desc`;
  const held = await db`
    select distinct lot_id from qc_cold_chain_holds where lot_id = any(${ids}::bigint[])`;
  const heldSet = new Set(held.map((r) => Number(r.lot_id)));
  return lots.map((lot) => {
    const t = tests.find((r) => Number(r.lot_id) === lot.id);
    return {
      lot,
      lastVerdict: t?.verdict ?? null,
      lastTestedAt: t ? new Date(t.tested_at) : null,
      coldChain: heldSet.has(lot.id),
    };
  });
}

export interface ColdChainHold {
  alarmId: number;
  deviceId: string;
  lotId: number;
  message: string;
  heldAt: Date;
  lot: QcLot | null;
}

/** Lots cold chain held, newest first, with the lot as it is now. */
export async function coldChainHolds(
  db: Db,
  inventory: QualityInventory,
  opts: { openOnly?: boolean } = {},
): Promise<ColdChainHold[]> {
  const rows = await db`
    select alarm_id, device_id, lot_id, message, held_at from qc_cold_chain_holds
    order by held_at desc, id desc limit 200`;
  const out: ColdChainHold[] = [];
  for (const r of rows) {
    const lot = await inventory.lot(null, Number(r.lot_id));
    if (opts.openOnly && lot?.status !== "hold") continue;
    out.push({
      alarmId: Number(r.alarm_id),
      deviceId: r.device_id,
      lotId: Number(r.lot_id),
      message: r.message,
      heldAt: new Date(r.held_at),
      lot,
    });
  }
  return out;
}

export interface LotFile {
  lot: QcLot;
  plan: Plan | null;
  tests: TestRecord[];
  decisions: DecisionRecord[];
  holds: ColdChainHold[];
  /** Why a release would be an override (null: the tests allow it). */
  blocker: Awaited<ReturnType<typeof releaseBlocker>>;
}

/** One lot's quality file: its plan, tests, decisions and cold-chain holds. */
export async function lotFile(
  db: Db,
  inventory: QualityInventory,
  lotId: number,
): Promise<LotFile | null> {
  const lot = await inventory.lot(null, lotId);
  if (!lot) return null;
  const holds = await db`
    select alarm_id, device_id, lot_id, message, held_at from qc_cold_chain_holds
    where lot_id = ${lotId} order by held_at desc`;
  return {
    lot,
    plan: await planFor(db, { code: lot.itemCode, kind: lot.itemKind }),
    tests: await testsOf(db, lotId),
    decisions: await decisionsOf(db, lotId),
    holds: holds.map((r) => ({
      alarmId: Number(r.alarm_id),
      deviceId: r.device_id,
      lotId,
      message: r.message,
      heldAt: new Date(r.held_at),
      lot,
    })),
    blocker: await releaseBlocker(db, lotId),
  };
}
