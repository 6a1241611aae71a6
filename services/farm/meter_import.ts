/**
 * Milk meters → milk records. IoT publishes one milking per milk-meter milking (iot_milkings,
 * written by the ingest with the telemetry); this job reads the milkings published after its
 * cursor through the IoT door and records each through recordMilking (same rules as a hand
 * entry, withdrawal included) under a ledger id derived from (device, time), so a milking read
 * twice (a crash between the record and the cursor) adds nothing. Milkings of a tag not (yet) in
 * the herd register wait in the job's state and are tried again on later runs for up to 48 hours.
 *
 * `importMeterMilkings` runs every minute or so (jobs.ts startFarmJobs).
 */
import type { Sql } from "@/services/platform/db.ts";
import { SYSTEM_ACTOR } from "./actor.ts";
import type { FarmIot, MeterMilking } from "./iot_port.ts";
import { recordMilking } from "./milk.ts";
import { runLedgered, type SyncResult } from "./sync.ts";

export const METER_JOB = "meter_milkings";
/** How long a milking of an unknown tag waits for its cow to be registered. */
const PENDING_MS = 48 * 3600_000;
const BATCH = 500;

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

interface JobState {
  cursor: number;
  /** Milkings whose tag was not in the herd register yet. */
  pending: number[];
}

const round2 = (v: number | null) => v === null ? null : Math.round(v * 100) / 100;

export async function importMeterMilkings(
  sql: Sql,
  iot: FarmIot,
  opts: { now?: Date } = {},
): Promise<MeterImportResult> {
  const now = opts.now ?? new Date();
  const [row] = await sql`select last_result from farm_job_state where name = ${METER_JOB}`;
  const state: JobState = {
    cursor: Number(row?.last_result?.cursor ?? 0),
    pending: (row?.last_result?.pending ?? []) as number[],
  };
  const waiting = (await iot.milkingsById(state.pending))
    .filter((m) => now.getTime() - m.at.getTime() < PENDING_MS);
  const fresh: MeterMilking[] = [];
  for (;;) {
    const page = await iot.milkingsAfter(state.cursor, BATCH);
    fresh.push(...page);
    if (page.length) state.cursor = page.at(-1)!.id;
    if (page.length < BATCH) break;
  }
  const milkings = [...waiting, ...fresh];
  const result: MeterImportResult = {
    readings: milkings.length,
    applied: 0,
    superseded: 0,
    rejected: 0,
    known: 0,
    unknownTags: [],
  };
  const tags = [...new Set(milkings.map((m) => m.animalTag.toLowerCase()))];
  const animals = new Map<string, number>(
    tags.length
      ? (await sql`select id, lower(tag) as tag from animals where lower(tag) = any(${tags}::text[])`)
        .map((r) => [r.tag, r.id])
      : [],
  );
  const unknown = new Set<string>();
  const pending: number[] = [];
  for (const m of milkings) {
    const animalId = animals.get(m.animalTag.toLowerCase());
    if (!animalId) {
      unknown.add(m.animalTag);
      pending.push(m.id);
      continue;
    }
    const id = await meterReadingId(m.deviceId, m.at);
    const res: SyncResult = await runLedgered(
      sql,
      { id, kind: "meter_milking", userId: null, recordedAt: m.at },
      async (tx) => {
        const r = await recordMilking(
          tx,
          {
            animalId,
            milkedAt: m.at,
            yieldKg: round2(m.yieldKg)!,
            fatPct: round2(m.fatPct),
            snfPct: round2(m.snfPct),
            conductivityMsCm: round2(m.conductivityMsCm),
            durationS: m.durationS === null ? null : Math.round(m.durationS),
            toTank: true,
            tankId: m.tankId,
            source: "meter",
            deviceId: m.deviceId,
            recordedAt: m.at,
          },
          SYSTEM_ACTOR,
          { clientId: id, iot },
        );
        return r.status === "applied"
          ? { status: "applied" as const, info: { recordId: r.recordId, discarded: r.discarded } }
          : { status: "superseded" as const, info: { keptKg: r.keptKg } };
      },
    );
    if (res.status === "applied") result.applied++;
    else if (res.status === "superseded") result.superseded++;
    else if (res.status === "rejected") result.rejected++;
    else result.known++;
  }
  result.unknownTags = [...unknown].sort();
  const next: JobState = { cursor: state.cursor, pending: pending.slice(-5000) };
  await sql`
    insert into farm_job_state (name, last_run_at, last_result)
    values (${METER_JOB}, ${now}, ${sql.json({ ...result, ...next } as never)})
    on conflict (name) do update set last_run_at = excluded.last_run_at,
      last_result = excluded.last_result`;
  return result;
}
