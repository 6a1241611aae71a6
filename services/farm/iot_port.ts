/**
 * What the farm needs of the IoT context, handed to createFarm (services/farm/mod.ts) by main.ts:
 * the milkings the milk meters published, and the bulk tanks (does one exist, put one on hold when
 * milk of a treated cow went in) and alarms (does one exist) the farm's records refer to. The farm
 * never reads IoT's tables itself.
 */
import type { Db, Tx } from "@/services/platform/tx.ts";
import type { Milking } from "@/services/iot/mod.ts";

/** One milk-meter milking as IoT published it (the record IoT's door hands out). */
export type MeterMilking = Milking;

export interface FarmIot {
  /** Milkings published after `cursor`, oldest first, at most `limit`. */
  milkingsAfter(cursor: number, limit: number): Promise<MeterMilking[]>;
  /** Milkings by id (for the ones whose cow was not yet in the herd register). */
  milkingsById(ids: number[]): Promise<MeterMilking[]>;
  /** Whether a bulk tank exists (in the caller's transaction). */
  tankExists(tx: Db, tankId: string): Promise<boolean>;
  /** Puts a tank on hold in the caller's transaction (no-op when it is already held). */
  holdTank(tx: Tx, input: { tankId: string; reason: string; at: Date }): Promise<unknown>;
  /** Whether an alarm exists (a heat recorded from a collar's alarm refers to it). */
  alarmExists(tx: Db, alarmId: number | string): Promise<boolean>;
  /** The tank's open hold, or null (intake asks the farm whether a tank may be received). */
  tankHold?(tx: Db, tankId: string): Promise<{ reason: string; heldAt: Date } | null>;
}

/** The port, or a clear error for a farm function called without it where it needs it. */
export function needIot(iot: FarmIot | undefined): FarmIot {
  if (!iot) throw new Error("This farm operation needs the IoT context (createFarm's iot)");
  return iot;
}
