/** Farm settings (one row): voluntary waiting period and the intervals the calendar uses. */
import { z } from "@/services/platform/schema.ts";
import { auditFarm } from "./audit.ts";
import { farmUseCase } from "./use_case.ts";
import { type Db } from "@/services/platform/tx.ts";

export interface FarmSettings {
  voluntaryWaitingPeriodDays: number;
  pregnancyCheckDays: number;
  gestationDays: number;
  dryPeriodDays: number;
  minCalvingGapDays: number;
  heiferBreedingAgeDays: number;
}

export const DEFAULT_SETTINGS: FarmSettings = {
  voluntaryWaitingPeriodDays: 50,
  pregnancyCheckDays: 35,
  gestationDays: 280,
  dryPeriodDays: 60,
  minCalvingGapDays: 240,
  heiferBreedingAgeDays: 450,
};

const int = (min: number, max: number, what: string) =>
  z.coerce.number({ error: `${what} must be a number` }).int(`${what} must be whole days`)
    .min(min, `${what} must be at least ${min} days`).max(
      max,
      `${what} must be at most ${max} days`,
    );

export const settingsSchema = z.object({
  voluntaryWaitingPeriodDays: int(20, 150, "The voluntary waiting period"),
  pregnancyCheckDays: int(25, 90, "The pregnancy check interval"),
  gestationDays: int(260, 300, "Gestation"),
  dryPeriodDays: int(30, 120, "The dry period"),
  minCalvingGapDays: int(150, 300, "The minimum gap between calvings"),
  heiferBreedingAgeDays: int(300, 800, "The heifer breeding age"),
});

export async function getSettings(db: Db): Promise<FarmSettings> {
  const [r] = await db`
    select voluntary_waiting_period_days, pregnancy_check_days, gestation_days, dry_period_days,
      min_calving_gap_days, heifer_breeding_age_days
    from farm_settings`;
  if (!r) return { ...DEFAULT_SETTINGS };
  return {
    voluntaryWaitingPeriodDays: r.voluntary_waiting_period_days,
    pregnancyCheckDays: r.pregnancy_check_days,
    gestationDays: r.gestation_days,
    dryPeriodDays: r.dry_period_days,
    minCalvingGapDays: r.min_calving_gap_days,
    heiferBreedingAgeDays: r.heifer_breeding_age_days,
  };
}

export const updateSettings = farmUseCase(
  { schema: settingsSchema },
  async (tx, s, actorId: string | null): Promise<FarmSettings> => {
    await tx`
      insert into farm_settings (singleton, voluntary_waiting_period_days, pregnancy_check_days,
        gestation_days, dry_period_days, min_calving_gap_days, heifer_breeding_age_days,
        updated_at, updated_by)
      values (true, ${s.voluntaryWaitingPeriodDays}, ${s.pregnancyCheckDays}, ${s.gestationDays},
        ${s.dryPeriodDays}, ${s.minCalvingGapDays}, ${s.heiferBreedingAgeDays}, now(), ${actorId})
      on conflict (singleton) do update set
        voluntary_waiting_period_days = excluded.voluntary_waiting_period_days,
        pregnancy_check_days = excluded.pregnancy_check_days,
        gestation_days = excluded.gestation_days, dry_period_days = excluded.dry_period_days,
        min_calving_gap_days = excluded.min_calving_gap_days,
        heifer_breeding_age_days = excluded.heifer_breeding_age_days,
        updated_at = now(), updated_by = excluded.updated_by`;
    await auditFarm(tx, actorId, "farm.settings.update", "farm_settings", "farm", s);
    return s;
  },
);
