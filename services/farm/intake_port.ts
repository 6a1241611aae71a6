/**
 * What the farm tells the intake context about a bulk tank's milk (createFarm(...).forIntake()):
 * whether the tank may be received as saleable milk (not on an IoT hold, no milk of a cow under
 * treatment withdrawal went into it in the sessions received) and, for lineage, which cows' milk
 * went into it. Milk records do not name the tank: every cow whose milk went to the tanks in
 * those sessions counts (with one tank per session that is exact; otherwise a safe superset).
 */
import type { Db } from "@/services/platform/tx.ts";
import type { FarmIot } from "./iot_port.ts";
import { num } from "./db.ts";

export interface TankCheck {
  /** False when the tank may not be received as saleable milk. */
  ok: boolean;
  /** The IoT hold on the tank, when there is one. */
  hold: { reason: string; heldAt: Date } | null;
  /** Cows under a milk withdrawal whose milk went into the tanks in those sessions. */
  withdrawal: { animalId: number; tag: string; session: string; until: Date }[];
  /** Litres the farm recorded into the tank in those sessions (null: none recorded). */
  recordedL: number | null;
}

export interface FarmForIntake {
  tankCheck(tx: Db, tankId: string, day: string, sessions: readonly string[]): Promise<TankCheck>;
  cowsInTank(
    tx: Db,
    tankId: string,
    day: string,
    sessions: readonly string[],
  ): Promise<{ animalId: number; tag: string; session: string; yieldKg: number }[]>;
}

export function farmForIntake(iot: FarmIot): FarmForIntake {
  return {
    async tankCheck(tx, tankId, day, sessions) {
      const hold = iot.tankHold ? await iot.tankHold(tx, tankId) : null;
      const rows = await tx`
        select m.animal_id, a.tag, m.session, max(t.milk_withdrawal_until) as until
        from milk_records m
        join animals a on a.id = m.animal_id
        join treatments t on t.animal_id = m.animal_id and t.treated_at <= m.milked_at
          and t.milk_withdrawal_until > m.milked_at
        where m.milked_on = ${day} and m.session = any(${[...sessions]}::text[]) and m.to_tank
        group by m.animal_id, a.tag, m.session
        order by a.tag, m.session`;
      const [vol] = await tx`
        select sum(volume_l) as litres from bulk_tank_intakes
        where intake_on = ${day} and session = any(${[...sessions]}::text[])
          and (tank_id = ${tankId} or tank_id is null)`;
      const withdrawal = rows.map((r) => ({
        animalId: r.animal_id,
        tag: r.tag,
        session: r.session,
        until: r.until,
      }));
      return {
        ok: !hold && withdrawal.length === 0,
        hold: hold ? { reason: hold.reason, heldAt: hold.heldAt } : null,
        withdrawal,
        recordedL: num(vol?.litres ?? null),
      };
    },
    async cowsInTank(tx, _tankId, day, sessions) {
      const rows = await tx`
        select m.animal_id, a.tag, m.session, m.yield_kg from milk_records m
        join animals a on a.id = m.animal_id
        where m.milked_on = ${day} and m.session = any(${[...sessions]}::text[])
          and m.to_tank and not m.discarded
        order by a.tag, m.session`;
      return rows.map((r) => ({
        animalId: r.animal_id,
        tag: r.tag,
        session: r.session,
        yieldKg: num(r.yield_kg)!,
      }));
    },
  };
}
