/**
 * The milkings IoT publishes for the farm (iot_milkings, written by the ingest with the
 * telemetry of the milking: services/iot/telemetry.ts publishMilkings). The farm reads them in id
 * order after its own cursor through the IoT door.
 */
import type { Db } from "@/services/platform/tx.ts";

/** One milk-meter milking as the meter reported it. */
export interface Milking {
  /** Position in the publication order (a cursor for the reader). */
  id: number;
  deviceId: string;
  at: Date;
  animalTag: string;
  tankId: string | null;
  yieldKg: number;
  fatPct: number | null;
  snfPct: number | null;
  conductivityMsCm: number | null;
  durationS: number | null;
}

const COLUMNS = `id::float8 as id, device_id, at, animal_tag, tank_id, yield_kg, fat_pct, snf_pct,
  conductivity_ms_cm, duration_s`;

function toMilking(r: Record<string, unknown>): Milking {
  return {
    id: Number(r.id),
    deviceId: r.device_id as string,
    at: r.at as Date,
    animalTag: r.animal_tag as string,
    tankId: (r.tank_id as string | null) ?? null,
    yieldKg: Number(r.yield_kg),
    fatPct: r.fat_pct === null ? null : Number(r.fat_pct),
    snfPct: r.snf_pct === null ? null : Number(r.snf_pct),
    conductivityMsCm: r.conductivity_ms_cm === null ? null : Number(r.conductivity_ms_cm),
    durationS: r.duration_s === null ? null : Number(r.duration_s),
  };
}

/** The milkings published after `cursor` (an id), oldest first, at most `limit`. */
export async function milkingsAfter(db: Db, cursor: number, limit = 500): Promise<Milking[]> {
  const rows = await db.unsafe(
    `select ${COLUMNS} from iot_milkings where id > $1 order by id limit $2`,
    [cursor, limit],
  );
  return rows.map(toMilking);
}

/** The milkings of these ids (those still kept). */
export async function milkingsById(db: Db, ids: number[]): Promise<Milking[]> {
  if (!ids.length) return [];
  const rows = await db.unsafe(
    `select ${COLUMNS} from iot_milkings where id = any($1::bigint[]) order by id`,
    [ids],
  );
  return rows.map(toMilking);
}
