/**
 * Fat/SNF standardisation of milk (the small calculator of the order form). Given a volume of
 * milk with its fat and SNF (from the lots' test attributes) and the product's target, it says how
 * much cream to separate (fat too high) or add (fat too low), and how much skim milk powder to add
 * when the SNF is short. Mass balance (Pearson square) on percentages, treating ml of milk and
 * cream alike (their densities differ by ~1 %, below what the tests can tell).
 */

export interface StandardiseInput {
  /** Milk to standardise, ml. */
  milkMl: number;
  /** Its fat and SNF, percent (e.g. 4.2 and 8.3). */
  fatPct: number;
  snfPct: number;
  /** The target fat and SNF, percent. */
  targetFatPct: number;
  targetSnfPct: number;
  /** Fat of the cream separated or added, percent (default 40). */
  creamFatPct?: number;
  /** SNF of skim milk powder, percent (default 96). */
  smpSnfPct?: number;
}

export interface StandardiseResult {
  /** Cream to take off (positive) or to add (negative), ml. */
  creamMl: number;
  /** Skim milk powder to add, g (0 when the SNF is already at or above target). */
  smpG: number;
  /** What the batch is after the adjustment. */
  resultMl: number;
  resultFatPct: number;
  resultSnfPct: number;
  /** The SNF stays above target (it cannot be lowered without adding water, which we never do). */
  snfAboveTarget: boolean;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function standardise(i: StandardiseInput): StandardiseResult {
  const cf = i.creamFatPct ?? 40;
  const smpSnf = i.smpSnfPct ?? 96;
  const { milkMl: v, fatPct: f, snfPct: s, targetFatPct: tf, targetSnfPct: ts } = i;
  if (!(v > 0) || !(cf > tf) || tf < 0 || f < 0 || s < 0 || !(smpSnf > ts)) {
    throw new RangeError("Standardisation needs milk, and cream richer than the target");
  }
  // SNF sits in the serum: cream carries it in proportion to its non-fat part.
  const creamSnf = f < 100 ? s * (100 - cf) / (100 - f) : 0;
  // Powder added for the SNF dilutes the fat a little: aim the cream at a slightly richer fat so
  // that the batch ends on target (a few rounds converge).
  let aim = tf, volume = v, fat = f, snf = s, cream = 0, smp = 0;
  for (let round = 0; round < 4; round++) {
    volume = v, fat = f, snf = s, cream = 0, smp = 0;
    if (f > aim) {
      cream = v * (f - aim) / (cf - aim);
      volume = v - cream;
      snf = (v * s - cream * creamSnf) / volume;
      fat = aim;
    } else if (f < aim) {
      const add = v * (aim - f) / (cf - aim);
      cream = -add;
      volume = v + add;
      snf = (v * s + add * creamSnf) / volume;
      fat = aim;
    }
    if (snf < ts) {
      // grams of powder, treating 1 ml of milk as 1 g (percent by mass)
      smp = volume * (ts - snf) / (smpSnf - ts);
      fat = fat * volume / (volume + smp);
      snf = ts;
    }
    if (smp === 0 || Math.abs(fat - tf) < 0.001) break;
    aim = tf * (volume + smp) / volume;
  }
  return {
    creamMl: Math.round(cream),
    smpG: Math.round(smp),
    resultMl: Math.round(volume),
    resultFatPct: round2(fat),
    resultSnfPct: round2(snf),
    snfAboveTarget: snf > ts + 0.005,
  };
}

/** The volume-weighted fat and SNF of several lots (those that carry both), or null. */
export function blendOf(
  lots: { qty: number; attrs: Record<string, unknown> | null }[],
): { ml: number; fatPct: number; snfPct: number } | null {
  let ml = 0, fat = 0, snf = 0;
  for (const l of lots) {
    const f = Number(l.attrs?.fat), s = Number(l.attrs?.snf);
    if (!Number.isFinite(f) || !Number.isFinite(s) || l.qty <= 0) continue;
    ml += l.qty;
    fat += f * l.qty;
    snf += s * l.qty;
  }
  return ml > 0 ? { ml, fatPct: round2(fat / ml), snfPct: round2(snf / ml) } : null;
}
