/**
 * Milk meters → milk records. The IoT ingest stores each meter reading as telemetry rows (one per
 * metric: yield_kg, fat_pct, snf_pct, conductivity_ms_cm, duration_s) sharing the device, the
 * time and the cow's tag (services/iot/contract.ts). This job groups them back into milkings and
 * records each through recordMilking (same rules as a hand entry, withdrawal included), under a
 * ledger id derived from (device, time): running it again, or over an overlapping window, adds
 * nothing. Readings whose tag is not (yet) in the herd register are left for a later run.
 *
 * Run `importMeterReadings` every minute or so (jobs.ts startFarmJobs does); it rescans a look-back
 * window because meters that were offline deliver buffered readings late.
 */
import type { Sql } from "@/services/platform/db.ts";
import { SYSTEM_ACTOR } from "./actor.ts";
import { num } from "./db.ts";
import { recordMilking } from "./milk.ts";
import { runLedgered, type SyncResult } from "./sync.ts";

export const METER_JOB = "meter_import";
const DEFAULT_LOOKBACK_H = 48;

/** A stable UUID for a meter reading (a name-based UUID over SHA-256). */
export async function meterReadingId(deviceId: string, at: Date): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest(
      "SHA-256",
      new TextEncoder().encode(`meter:${deviceId}:${at.getTime()}`),
    ),
  ).slice(0, 16);
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}

export interface MeterImportResult {
  readings: number;
  applied: number;
  superseded: number;
  rejected: number;
  /** Already imported by an earlier run. */
  known: number;
  unknownTags: string[];
}

export async function importMeterReadings(
  sql: Sql,
  opts: { now?: Date; lookbackHours?: number } = {},
): Promise<MeterImportResult> {
  const now = opts.now ?? new Date();
  const [state] = await sql`select last_run_at from farm_job_state where name = ${METER_JOB}`;
  const lookback = (opts.lookbackHours ?? DEFAULT_LOOKBACK_H) * 3600_000;
  const from = new Date(
    Math.min(state?.last_run_at?.getTime() ?? now.getTime(), now.getTime()) - lookback,
  );
  const rows = await sql`
    select t.device_id, t.at, max(t.animal_tag) as tag, d.tank_id,
      max(t.value) filter (where t.metric = 'yield_kg') as yield_kg,
      max(t.value) filter (where t.metric = 'fat_pct') as fat_pct,
      max(t.value) filter (where t.metric = 'snf_pct') as snf_pct,
      max(t.value) filter (where t.metric = 'conductivity_ms_cm') as conductivity,
      max(t.value) filter (where t.metric = 'duration_s') as duration_s
    from telemetry t join devices d on d.id = t.device_id
    where d.type = 'milk_meter' and t.at >= ${from} and t.at <= ${now}
      and t.metric in ('yield_kg', 'fat_pct', 'snf_pct', 'conductivity_ms_cm', 'duration_s')
    group by t.device_id, t.at, d.tank_id
    having bool_or(t.metric = 'yield_kg')
    order by t.at`;
  const result: MeterImportResult = {
    readings: rows.length,
    applied: 0,
    superseded: 0,
    rejected: 0,
    known: 0,
    unknownTags: [],
  };
  if (rows.length) {
    const ids = await Promise.all(rows.map((r) => meterReadingId(r.device_id, r.at)));
    const done = new Set(
      (await sql`select client_id::text from farm_sync_entries where client_id = any(${ids}::uuid[])`)
        .map((r) => r.client_id as string),
    );
    const tags = [...new Set(rows.map((r) => String(r.tag ?? "").toLowerCase()).filter(Boolean))];
    const animals = new Map<string, number>(
      (await sql`select id, lower(tag) as tag from animals where lower(tag) = any(${tags}::text[])`)
        .map((r) => [r.tag, r.id]),
    );
    const unknown = new Set<string>();
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (done.has(ids[i])) {
        result.known++;
        continue;
      }
      const animalId = animals.get(String(r.tag ?? "").toLowerCase());
      if (!animalId) {
        unknown.add(String(r.tag));
        continue;
      }
      const res: SyncResult = await runLedgered(
        sql,
        { id: ids[i], kind: "meter_milking", userId: null, recordedAt: r.at },
        async (tx) => {
          const m = await recordMilking(
            tx,
            {
              animalId,
              milkedAt: r.at,
              yieldKg: Math.round(r.yield_kg * 100) / 100,
              fatPct: r.fat_pct === null ? null : Math.round(r.fat_pct * 100) / 100,
              snfPct: r.snf_pct === null ? null : Math.round(r.snf_pct * 100) / 100,
              conductivityMsCm: r.conductivity === null
                ? null
                : Math.round(r.conductivity * 100) / 100,
              durationS: r.duration_s === null ? null : Math.round(num(r.duration_s)!),
              toTank: true,
              tankId: r.tank_id,
              source: "meter",
              deviceId: r.device_id,
              recordedAt: r.at,
            },
            SYSTEM_ACTOR,
            { clientId: ids[i] },
          );
          return m.status === "applied"
            ? { status: "applied" as const, info: { recordId: m.recordId, discarded: m.discarded } }
            : { status: "superseded" as const, info: { keptKg: m.keptKg } };
        },
      );
      if (res.status === "applied") result.applied++;
      else if (res.status === "superseded") result.superseded++;
      else if (res.status === "rejected") result.rejected++;
      else result.known++;
    }
    result.unknownTags = [...unknown].sort();
  }
  await sql`
    insert into farm_job_state (name, last_run_at, last_result)
    values (${METER_JOB}, ${now}, ${sql.json(result as never)})
    on conflict (name) do update set last_run_at = excluded.last_run_at,
      last_result = excluded.last_result`;
  return result;
}
