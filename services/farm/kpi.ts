/**
 * Herd KPIs as pure functions, with the published formulas (shared/reference/dairy-domain.md).
 * Inputs are plain data that the dashboard loads in a few set queries; nothing here touches the
 * database, so every figure is tested against hand-worked examples (tests/farm/kpi_test.ts).
 * Dates are ISO `YYYY-MM-DD` farm days.
 */
import { addDays, daysBetween } from "./dates.ts";

/** Days in milk = today − last calving date, only for cows in milk (else null). */
export function daysInMilk(
  lastCalvedOn: string | null,
  today: string,
  inMilk: boolean,
): number | null {
  if (!inMilk || !lastCalvedOn) return null;
  const d = daysBetween(lastCalvedOn, today);
  return d >= 0 ? d : null;
}

export interface TestDay {
  /** The test day (farm date). */
  date: string;
  /** The cow's 24-hour yield on that day, kg. */
  yieldKg: number;
}

/**
 * 305-day yield by the ICAR test interval method:
 *   MY = I₀·M₁ + Σᵢ Iᵢ·(Mᵢ + Mᵢ₊₁)/2 + Iₙ·Mₙ
 * Mᵢ are the test-day 24-hour yields, I₀ the days from calving to the first test, Iᵢ the days
 * between tests i and i+1, Iₙ the days from the last test to day 305 (or to the end of the
 * lactation when `endDim` < 305: dry-off, exit). Tests on day 0 or after the end are ignored.
 * Returns null when there is no usable test.
 */
export function yield305TestInterval(
  calvedOn: string,
  tests: TestDay[],
  endDim = 305,
): number | null {
  const end = Math.min(305, endDim);
  const pts = tests
    .map((t) => ({ dim: daysBetween(calvedOn, t.date), m: t.yieldKg }))
    .filter((p) => p.dim > 0 && p.dim <= end)
    .sort((a, b) => a.dim - b.dim);
  if (!pts.length) return null;
  let total = pts[0].dim * pts[0].m;
  for (let i = 0; i + 1 < pts.length; i++) {
    total += (pts[i + 1].dim - pts[i].dim) * (pts[i].m + pts[i + 1].m) / 2;
  }
  const last = pts[pts.length - 1];
  total += (end - last.dim) * last.m;
  return total;
}

/** Days between consecutive calvings (sorted or not). */
export function calvingIntervals(calvings: string[]): number[] {
  const s = [...calvings].sort();
  const out: number[] = [];
  for (let i = 1; i < s.length; i++) out.push(daysBetween(s[i - 1], s[i]));
  return out;
}

/** Days open = calving → conception. */
export function daysOpen(calvedOn: string, conceivedOn: string): number {
  return daysBetween(calvedOn, conceivedOn);
}

/** Somatic cell linear score LS = log₂(SCC / 100,000) + 3 (SCC in cells/mL). */
export function somaticCellLinearScore(scc: number): number {
  if (!(scc > 0)) throw new RangeError("SCC must be a positive number of cells/mL");
  return Math.log2(scc / 100_000) + 3;
}

export type Outcome = "pregnant" | "open" | "pending";

export interface ReproHistory {
  /** Calving dates. */
  calvings: string[];
  inseminations: string[];
  pregnancyChecks: { date: string; pregnant: boolean }[];
}

/**
 * What each insemination led to (same order as `h.inseminations` sorted):
 * - "pregnant": a calving 250–300 days later with no later service before it could have
 *   conceived, or a positive pregnancy check after it and before the next service;
 * - "open": a negative check after it (before the next service), a later service, or no result
 *   once the check was due (the cow was never confirmed pregnant);
 * - "pending": no result yet and the pregnancy check is not due (served less than
 *   `checkDays` days before `today`).
 */
export function inseminationOutcomes(
  h: ReproHistory,
  today: string,
  checkDays: number,
): { date: string; outcome: Outcome }[] {
  const ai = [...h.inseminations].sort();
  const checks = [...h.pregnancyChecks].sort((a, b) => a.date.localeCompare(b.date));
  return ai.map((date, i) => {
    const next = ai[i + 1] ?? null;
    const calved = h.calvings.some((c) => {
      const d = daysBetween(date, c);
      return d >= 250 && d <= 300 && (next === null || daysBetween(next, c) < 250);
    });
    if (calved) return { date, outcome: "pregnant" as const };
    const check = checks.find((c) => c.date > date && (next === null || c.date <= next));
    if (check) return { date, outcome: check.pregnant ? "pregnant" as const : "open" as const };
    if (next !== null) return { date, outcome: "open" as const };
    return { date, outcome: daysBetween(date, today) < checkDays ? "pending" as const : "open" };
  });
}

export interface CowReproData {
  calvings: string[];
  inseminations: { date: string; outcome: Outcome }[];
  /** The day the cow left the herd, if she did. */
  exitOn: string | null;
  /** The day she was marked do-not-breed, if she was. */
  doNotBreedOn: string | null;
}

export interface ReproPeriod {
  start: string;
  /** Last day of the period (inclusive). */
  end: string;
  eligible: number;
  inseminated: number;
  /** Null while an insemination of the period has no result yet. */
  pregnant: number | null;
  /** Heat detection (service) rate = inseminated ÷ eligible. */
  hdr: number | null;
  /** Conception rate = pregnant ÷ inseminated. */
  cr: number | null;
  /** 21-day pregnancy rate = pregnant ÷ eligible. */
  pr: number | null;
}

/**
 * Heat detection rate, conception rate and 21-day pregnancy rate per period of `periodDays`
 * days from `from` up to `to` (complete periods only). A cow is eligible for a period when, on
 * its first day, she is in the herd, has calved, is past the voluntary waiting period, is open
 * (no service since her last calving that made her pregnant) and is not marked do-not-breed.
 * An eligible cow counts once as inseminated and once as pregnant per period, whatever her
 * number of services in it. Summed over periods, PR = HDR × CR exactly.
 */
export function reproductionPeriods(
  cows: CowReproData[],
  opts: { from: string; to: string; vwpDays: number; periodDays?: number },
): ReproPeriod[] {
  const len = opts.periodDays ?? 21;
  const out: ReproPeriod[] = [];
  for (let s = opts.from; daysBetween(s, opts.to) >= len - 1; s = addDays(s, len)) {
    const e = addDays(s, len - 1);
    let eligible = 0, inseminated = 0, pregnant = 0, pending = false;
    for (const cow of cows) {
      if (cow.exitOn !== null && cow.exitOn <= s) continue;
      if (cow.doNotBreedOn !== null && cow.doNotBreedOn <= s) continue;
      let last: string | null = null;
      for (const c of cow.calvings) if (c <= s && (last === null || c > last)) last = c;
      if (last === null || daysBetween(last, s) < opts.vwpDays) continue;
      const calvedAt: string = last;
      if (
        cow.inseminations.some((x) => x.outcome === "pregnant" && x.date >= calvedAt && x.date < s)
      ) {
        continue;
      }
      eligible++;
      const inPeriod = cow.inseminations.filter((x) => x.date >= s && x.date <= e);
      if (!inPeriod.length) continue;
      inseminated++;
      if (inPeriod.some((x) => x.outcome === "pregnant")) pregnant++;
      else if (inPeriod.some((x) => x.outcome === "pending")) pending = true;
    }
    out.push({
      start: s,
      end: e,
      eligible,
      inseminated,
      pregnant: pending ? null : pregnant,
      hdr: eligible ? inseminated / eligible : null,
      cr: pending || !inseminated ? null : pregnant / inseminated,
      pr: pending || !eligible ? null : pregnant / eligible,
    });
  }
  return out;
}

/** Rates over several periods: sums of the counts (periods still pending are left out of CR/PR). */
export function summarizePeriods(periods: ReproPeriod[]): {
  eligible: number;
  inseminated: number;
  pregnant: number;
  hdr: number | null;
  cr: number | null;
  pr: number | null;
} {
  const done = periods.filter((p) => p.pregnant !== null);
  const eligible = done.reduce((a, p) => a + p.eligible, 0);
  const inseminated = done.reduce((a, p) => a + p.inseminated, 0);
  const pregnant = done.reduce((a, p) => a + (p.pregnant ?? 0), 0);
  return {
    eligible,
    inseminated,
    pregnant,
    hdr: eligible ? inseminated / eligible : null,
    cr: inseminated ? pregnant / inseminated : null,
    pr: eligible ? pregnant / eligible : null,
  };
}

/** Litres from kilograms of milk (density of whole milk ≈ 1.032 kg/L). */
export const MILK_KG_PER_LITRE = 1.032;
export function kgToLitres(kg: number): number {
  return kg / MILK_KG_PER_LITRE;
}

/** Feed cost per litre of milk, in poisha (rounded to whole poisha); null without milk. */
export function feedCostPerLitre(feedCostMinor: number, litres: number): number | null {
  if (!(litres > 0)) return null;
  return Math.round(feedCostMinor / litres);
}

export function mean(xs: number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}
