/**
 * The farm's scheduled work, for a worker loop: the milkings IoT published → milk records, and female
 * calves that reached weaning age (180 days) becoming heifers (moved to the heifer group).
 * `startFarmJobs` runs them every minute until the signal aborts; runs never overlap.
 */
import type { Sql } from "@/services/platform/db.ts";
import { addDays, farmDay } from "./dates.ts";
import type { FarmIot } from "./iot_port.ts";
import { importMeterMilkings, type MeterImportResult } from "./meter_import.ts";

export const WEANING_AGE_DAYS = 180;

/** Female calves older than the weaning age become heifers; returns how many. */
export async function promoteYoungstock(sql: Sql, today = farmDay()): Promise<number> {
  const rows = await sql`
    update animals a set status = 'heifer', updated_at = now(),
      group_id = coalesce((select id from farm_groups where kind = 'heifers' and active
        order by id limit 1), a.group_id)
    where a.status = 'calf' and a.sex = 'female' and a.birth_date <= ${
    addDays(today, -WEANING_AGE_DAYS)
  }
    returning a.id`;
  return rows.length;
}

export async function runFarmJobs(
  sql: Sql,
  iot: FarmIot,
  now = new Date(),
): Promise<{ meters: MeterImportResult; promoted: number }> {
  const meters = await importMeterMilkings(sql, iot, { now });
  const promoted = await promoteYoungstock(sql, farmDay(now));
  return { meters, promoted };
}

export function startFarmJobs(
  sql: Sql,
  iot: FarmIot,
  opts: {
    intervalMs?: number;
    signal?: AbortSignal;
    log?: (msg: string) => void;
    clock?: { now(): Date };
  } = {},
): Promise<void> {
  const interval = opts.intervalMs ?? 60_000;
  const log = opts.log ?? ((m: string) => console.log(m));
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (opts.signal?.aborted) return resolve();
      try {
        const r = await runFarmJobs(sql, iot, opts.clock?.now());
        if (r.meters.applied || r.meters.rejected || r.promoted) {
          log(
            `[farm] milk meters: ${r.meters.applied} milkings recorded, ${r.meters.rejected} rejected; ${r.promoted} calves became heifers`,
          );
        }
      } catch (e) {
        log(`[farm] jobs failed (will retry): ${(e as Error).message}`);
      }
      if (opts.signal?.aborted) return resolve();
      timer = setTimeout(tick, interval);
    };
    opts.signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
    timer = setTimeout(tick, 1000);
  });
}
