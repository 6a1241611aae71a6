/**
 * Cold chain → lots on hold. IoT opens alarms (services/iot/alarms.ts); this job reads the alarms
 * opened after its cursor (qc_job_state 'cold_chain') through IoT's port and, for each critical
 * temperature alarm, asks inventory to hold every lot stored at the location(s) the alarm's
 * device watches, records one cold-chain hold per lot and audits it, in one transaction per alarm.
 * An alarm is handled once (qc_alarms_seen), so a rerun adds nothing. Releasing such a
 * lot needs a quality decision over a test taken after the hold (decisions.ts).
 *
 * Alarms opened more than STALE_MS before the run (history, or a job that was down for a day)
 * hold nothing: today's lots were not there. They are marked seen with no lots.
 */
import { appendAudit } from "@/services/audit/mod.ts";
import type { Sql } from "@/services/platform/db.ts";
import { inTx, type Tx } from "@/services/platform/tx.ts";
import { type OpenedAlarm, type QualityInventory, type QualityIot, SYSTEM_ACTOR } from "./ports.ts";

export const COLD_CHAIN_JOB = "cold_chain";
export const STALE_MS = 24 * 3600_000;
/**
 * Alarm ids are handed out before their transactions commit, so two evaluators (the ingest and
 * the IoT jobs) may commit a lower id after a higher one was read: each run reads again the last
 * REREAD ids below its cursor (handled alarms are skipped by qc_alarms_seen, so the cursor can be
 * saved once at the end of the run).
 */
const REREAD = 100;
const BATCH = 200;

export interface ColdChainResult {
  alarms: number;
  lotsHeld: number;
}

/** A critical alarm on a temperature metric. */
export function isColdChainAlarm(a: OpenedAlarm): boolean {
  return a.severity === "critical" && !!a.metric && /temp/i.test(a.metric);
}

/**
 * Holds the lots where one alarm fired, once (null: the alarm was handled before); an alarm older
 * than STALE_MS is marked handled and holds nothing.
 */
async function holdFor(
  tx: Tx,
  inventory: QualityInventory,
  alarm: OpenedAlarm,
  now: Date,
): Promise<number | null> {
  const [seen] = await tx`
    insert into qc_alarms_seen (alarm_id, device_id, lots, seen_at)
    values (${alarm.id}, ${alarm.deviceId}, 0, ${now})
    on conflict (alarm_id) do nothing returning alarm_id`;
  if (!seen || now.getTime() - alarm.openedAt.getTime() > STALE_MS) return seen ? 0 : null;
  const lots = await inventory.holdAtLocation(tx, {
    deviceId: alarm.deviceId,
    reason: `cold chain: ${alarm.message}`.slice(0, 500),
    actor: SYSTEM_ACTOR,
  });
  for (const lotId of lots) {
    await tx`
      insert into qc_cold_chain_holds (alarm_id, device_id, lot_id, message, held_at)
      values (${alarm.id}, ${alarm.deviceId}, ${lotId}, ${alarm.message}, ${now})
      on conflict (alarm_id, lot_id) do nothing`;
  }
  await tx`update qc_alarms_seen set lots = ${lots.length} where alarm_id = ${alarm.id}`;
  if (lots.length) {
    await appendAudit(tx, {
      actorId: null,
      action: "quality.cold_chain_hold",
      entity: "iot_alarm",
      entityId: alarm.id,
      data: { deviceId: alarm.deviceId, lots, message: alarm.message },
      at: now,
    });
  }
  return lots.length;
}

export async function runColdChain(
  sql: Sql,
  inventory: QualityInventory,
  iot: QualityIot,
  now: Date,
): Promise<ColdChainResult> {
  const [row] = await sql`select cursor from qc_job_state where name = ${COLD_CHAIN_JOB}`;
  const start = Number(row?.cursor ?? 0);
  let cursor = Math.max(0, start - REREAD);
  const result: ColdChainResult = { alarms: 0, lotsHeld: 0 };
  for (;;) {
    const page = await iot.alarmsOpenedAfter(cursor, BATCH);
    for (const alarm of page.filter(isColdChainAlarm)) {
      const held = await inTx(sql, (tx) => holdFor(tx, inventory, alarm, now));
      if (held !== null) {
        result.alarms++;
        result.lotsHeld += held;
      }
    }
    if (page.length) cursor = page.at(-1)!.id;
    if (page.length < BATCH) break;
  }
  await sql`
    insert into qc_job_state (name, cursor, last_run_at, last_result)
    values (${COLD_CHAIN_JOB}, ${Math.max(start, cursor)}, ${now}, ${sql.json(result as never)})
    on conflict (name) do update set cursor = greatest(qc_job_state.cursor, excluded.cursor),
      last_run_at = excluded.last_run_at, last_result = excluded.last_result`;
  return result;
}
