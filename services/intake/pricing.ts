/**
 * The pure rules of milk intake: the price per litre from a fat/SNF chart, a delivery's amount,
 * and the ten-day statement periods (1–10, 11–20, 21–end of month, Asia/Dhaka dates).
 */

export interface PriceChart {
  id: number;
  effectiveFrom: string;
  baseMinor: number;
  refFat: number;
  refSnf: number;
  fatStepMinor: number;
  snfStepMinor: number;
  bonusFat: number | null;
  bonusSnf: number | null;
  bonusMinor: number;
  penaltyFat: number | null;
  penaltySnf: number | null;
  penaltyMinor: number;
  maxTempC: number | null;
  note: string | null;
}

export interface Price {
  /** Poisha per litre (never below zero). */
  perLitreMinor: number;
  fatAdjMinor: number;
  snfAdjMinor: number;
  bonusMinor: number;
  penaltyMinor: number;
}

/** Hundredths of a percent, exactly (3.45 → 345). */
const hundredths = (pct: number) => Math.round(pct * 100);

/** Whole 0.1 % steps from the reference, toward zero (3.49 vs 3.30 → +1). */
function steps(pct: number, ref: number): number {
  return Math.trunc((hundredths(pct) - hundredths(ref)) / 10);
}

/** The price per litre of milk with this fat and SNF on this chart. */
export function priceFor(chart: PriceChart, fat: number, snf: number): Price {
  const fatAdjMinor = steps(fat, chart.refFat) * chart.fatStepMinor;
  const snfAdjMinor = steps(snf, chart.refSnf) * chart.snfStepMinor;
  const bonus = chart.bonusMinor > 0 && (chart.bonusFat !== null || chart.bonusSnf !== null) &&
    (chart.bonusFat === null || hundredths(fat) >= hundredths(chart.bonusFat)) &&
    (chart.bonusSnf === null || hundredths(snf) >= hundredths(chart.bonusSnf));
  const penalty = chart.penaltyMinor > 0 &&
    ((chart.penaltyFat !== null && hundredths(fat) < hundredths(chart.penaltyFat)) ||
      (chart.penaltySnf !== null && hundredths(snf) < hundredths(chart.penaltySnf)));
  const bonusMinor = bonus ? chart.bonusMinor : 0;
  const penaltyMinor = penalty ? chart.penaltyMinor : 0;
  const total = chart.baseMinor + fatAdjMinor + snfAdjMinor + bonusMinor - penaltyMinor;
  return { perLitreMinor: Math.max(0, total), fatAdjMinor, snfAdjMinor, bonusMinor, penaltyMinor };
}

/** Litres × price per litre, in poisha, rounded half up (litres have one decimal). */
export function amountFor(litres: number, perLitreMinor: number): number {
  const decilitres = Math.round(litres * 10);
  return Math.floor((decilitres * perLitreMinor + 5) / 10);
}

/** The ten-day statement period (YYYY-MM-DD bounds) a date falls in. */
export function periodOf(date: string): { start: string; end: string } {
  const [y, m, d] = date.split("-").map(Number);
  const mm = String(m).padStart(2, "0");
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const [from, to] = d <= 10 ? [1, 10] : d <= 20 ? [11, 20] : [21, last];
  const dd = (n: number) => String(n).padStart(2, "0");
  return { start: `${y}-${mm}-${dd(from)}`, end: `${y}-${mm}-${dd(to)}` };
}

/** The period before the one `date` falls in. */
export function previousPeriod(date: string): { start: string; end: string } {
  const { start } = periodOf(date);
  const t = new Date(`${start}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() - 1);
  return periodOf(t.toISOString().slice(0, 10));
}

/** Poisha as taka with two decimals and no grouping ("1234.50"), for disbursement files. */
export function takaPlain(minor: number): string {
  const neg = minor < 0;
  const abs = Math.abs(minor);
  return `${neg ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
