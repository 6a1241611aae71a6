/**
 * The herd dashboard: every KPI of kpi.ts computed from the recorded history. The data comes in
 * a fixed number of set queries (herd history, test days, daily totals, feed), whatever the herd
 * size; the arithmetic is the pure functions'.
 */
import { addDays, daysBetween } from "./dates.ts";
import { type Db } from "@/services/platform/tx.ts";
import { num } from "./db.ts";
import { type DueItem, dueList } from "./calendar.ts";
import { type FarmDaily, farmDailyTotals } from "./milk.ts";
import { type HerdData, loadHerdData } from "./herd_data.ts";
import {
  calvingIntervals,
  type CowReproData,
  daysInMilk,
  daysOpen,
  feedCostPerLitre,
  inseminationOutcomes,
  kgToLitres,
  mean,
  reproductionPeriods,
  type ReproPeriod,
  somaticCellLinearScore,
  summarizePeriods,
  yield305TestInterval,
} from "./kpi.ts";

export interface MonthPoint {
  month: string;
  value: number | null;
}

export interface HerdDashboard {
  today: string;
  vwpDays: number;
  counts: Record<string, number>;
  inHerd: number;
  milk: {
    today: FarmDaily | null;
    yesterday: FarmDaily | null;
    /** Saleable kg per cow milked yesterday. */
    perCowKg: number | null;
    daily: FarmDaily[];
  };
  avgDim: number | null;
  yield305: { lactations: number; avgKg: number | null };
  calvingInterval: { count: number; avgDays: number | null };
  daysOpen: { count: number; avgDays: number | null };
  repro: {
    periods: ReproPeriod[];
    summary: ReturnType<typeof summarizePeriods>;
  };
  scc: {
    cowsTested: number;
    /** Share of tested cows with a linear score ≤ 3 at their latest test (goal > 80 %). */
    shareLsAtMost3: number | null;
    avgLs: number | null;
    monthlyLs: MonthPoint[];
    /** Cows whose latest test gave LS ≥ 4 (likely subclinical mastitis). */
    high: { animalId: number; tag: string; scc: number; ls: number; date: string }[];
  };
  feed: {
    days: number;
    costMinor: number;
    lactatingCostMinor: number;
    saleableLitres: number;
    perLitreMinor: number | null;
    lactatingPerLitreMinor: number | null;
    monthly: MonthPoint[];
  };
  due: Record<string, number>;
  dueItems: DueItem[];
}

const month = (day: string) => day.slice(0, 7);

interface TestDayRow {
  animalId: number;
  date: string;
  yieldKg: number;
  scc: number | null;
}

async function loadTestDays(db: Db, since: string): Promise<TestDayRow[]> {
  // Test days: days with a tested milking; the 24-hour yield is the sum of that day's milkings
  // and the day's SCC the yield-weighted mean of the tested milkings.
  const rows = await db`
    with t as (
      select distinct animal_id, milked_on from milk_records
      where (fat_pct is not null or scc is not null) and milked_on >= ${since}
    )
    select m.animal_id, m.milked_on::text as day, sum(m.yield_kg) as yield_kg,
      round(sum(m.scc::numeric * m.yield_kg) filter (where m.scc is not null)
        / nullif(sum(m.yield_kg) filter (where m.scc is not null), 0)) as scc
    from milk_records m join t on t.animal_id = m.animal_id and t.milked_on = m.milked_on
    group by m.animal_id, m.milked_on`;
  return rows.map((r) => ({
    animalId: r.animal_id,
    date: r.day,
    yieldKg: num(r.yield_kg)!,
    scc: num(r.scc),
  }));
}

export async function herdDashboard(db: Db, today: string): Promise<HerdDashboard> {
  const yearAgo = addDays(today, -365);
  const since = addDays(today, -730);
  const herd: HerdData = await loadHerdData(db, today, since);
  const s = herd.settings;
  const inHerd = herd.animals.filter((a) => a.exitDate === null);
  const counts: Record<string, number> = { calf: 0, heifer: 0, lactating: 0, dry: 0 };
  for (const a of inHerd) counts[a.status] = (counts[a.status] ?? 0) + 1;

  // Milk: 90 days of farm totals.
  const daily = await farmDailyTotals(db, addDays(today, -90), today);
  const byDay = new Map(daily.map((d) => [d.day, d]));
  const yesterday = byDay.get(addDays(today, -1)) ?? null;

  // Days in milk.
  const dims = inHerd.map((a) => {
    const last = a.lactations[a.lactations.length - 1];
    return daysInMilk(last?.calvedOn ?? null, today, a.status === "lactating");
  }).filter((d): d is number => d !== null);

  // 305-day yields of lactations that reached day 305, or ended earlier, within the last year.
  const tests = await loadTestDays(db, addDays(today, -730 - 305));
  const testsBy = new Map<number, TestDayRow[]>();
  for (const t of tests) {
    (testsBy.get(t.animalId) ?? testsBy.set(t.animalId, []).get(t.animalId)!).push(t);
  }
  const y305: number[] = [];
  for (const a of herd.animals) {
    for (const l of a.lactations) {
      const end = l.driedOffOn ?? l.endedOn;
      const endDim = end ? daysBetween(l.calvedOn, end) : 305;
      const completedOn = endDim >= 305 ? addDays(l.calvedOn, 305) : end!;
      if (completedOn > today || completedOn < yearAgo) continue;
      const own = (testsBy.get(a.id) ?? []).filter((t) => t.date > l.calvedOn);
      const y = yield305TestInterval(l.calvedOn, own, endDim);
      if (y !== null) y305.push(y);
    }
  }

  // Calving interval (second calving within the last year) and days open (conception within
  // the last year).
  const intervals: number[] = [];
  const open: number[] = [];
  const cows: CowReproData[] = [];
  for (const a of herd.animals) {
    if (a.sex !== "female") continue;
    const calvings = a.lactations.map((l) => l.calvedOn);
    calvingIntervals(calvings).forEach((d, i) => {
      if (calvings[i + 1] >= yearAgo) intervals.push(d);
    });
    const outcomes = inseminationOutcomes(
      { calvings, inseminations: a.inseminations, pregnancyChecks: a.pregnancyChecks },
      today,
      s.pregnancyCheckDays,
    );
    calvings.forEach((c, i) => {
      const next = calvings[i + 1] ?? "9999-12-31";
      const conception = outcomes.find((o) =>
        o.outcome === "pregnant" && o.date > c && o.date < next
      );
      if (conception && conception.date >= yearAgo) open.push(daysOpen(c, conception.date));
    });
    cows.push({
      calvings,
      inseminations: outcomes,
      exitOn: a.exitDate,
      doNotBreedOn: a.doNotBreedOn,
    });
  }

  // Reproduction periods: the last year of complete 21-day periods.
  const periodsFrom = addDays(today, -21 * 18);
  const periods = reproductionPeriods(cows, {
    from: periodsFrom,
    to: addDays(today, -1),
    vwpDays: s.voluntaryWaitingPeriodDays,
  });

  // Somatic cells: latest test per cow in the herd; monthly mean LS.
  const latest = new Map<number, TestDayRow>();
  const lsByMonth = new Map<string, number[]>();
  for (const t of tests) {
    if (t.scc === null || t.scc <= 0) continue;
    const prev = latest.get(t.animalId);
    if (!prev || prev.date < t.date) latest.set(t.animalId, t);
    if (t.date >= yearAgo) {
      (lsByMonth.get(month(t.date)) ?? lsByMonth.set(month(t.date), []).get(month(t.date))!)
        .push(somaticCellLinearScore(t.scc));
    }
  }
  const inMilkIds = new Set(inHerd.filter((a) => a.status === "lactating").map((a) => a.id));
  const tagOf = new Map(herd.animals.map((a) => [a.id, a.tag]));
  const current = [...latest.values()].filter((t) =>
    inMilkIds.has(t.animalId) && t.date >= addDays(today, -60)
  );
  const scores = current.map((t) => ({ t, ls: somaticCellLinearScore(t.scc!) }));

  // Feed: the last 30 days, and per month for the trend.
  const feedFrom = addDays(today, -29);
  const feedRows = await db`
    select f.fed_on::text as day, g.kind, sum(f.cost_minor) as cost
    from feedings f join farm_groups g on g.id = f.group_id
    where f.fed_on >= ${addDays(today, -365)}
    group by f.fed_on, g.kind`;
  let cost = 0, lactCost = 0;
  const costByMonth = new Map<string, number>();
  for (const r of feedRows) {
    const c = Number(r.cost);
    if (r.day >= feedFrom) {
      cost += c;
      if (r.kind === "lactating") lactCost += c;
    }
    costByMonth.set(month(r.day), (costByMonth.get(month(r.day)) ?? 0) + c);
  }
  const milkByMonth = await db`
    select to_char(milked_on, 'YYYY-MM') as month, sum(yield_kg) filter (where not discarded) as kg
    from milk_records where milked_on >= ${addDays(today, -365)} group by 1`;
  const saleableLitres = kgToLitres(
    daily.filter((d) => d.day >= feedFrom).reduce((a, d) => a + d.saleableKg, 0),
  );

  const dueItems = dueList(herd, { aheadDays: 14 });
  const due: Record<string, number> = {};
  for (const d of dueItems) due[d.kind] = (due[d.kind] ?? 0) + 1;

  const months = [...new Set([...lsByMonth.keys(), ...milkByMonth.map((r) => r.month as string)])]
    .sort().slice(-12);
  const kgMonth = new Map(milkByMonth.map((r) => [r.month as string, num(r.kg) ?? 0]));
  return {
    today,
    vwpDays: s.voluntaryWaitingPeriodDays,
    counts,
    inHerd: inHerd.length,
    milk: {
      today: byDay.get(today) ?? null,
      yesterday,
      perCowKg: yesterday && yesterday.cows ? yesterday.saleableKg / yesterday.cows : null,
      // Complete days only: today is still being milked.
      daily: daily.filter((d) => d.day < today),
    },
    avgDim: mean(dims),
    yield305: { lactations: y305.length, avgKg: mean(y305) },
    calvingInterval: { count: intervals.length, avgDays: mean(intervals) },
    daysOpen: { count: open.length, avgDays: mean(open) },
    repro: { periods, summary: summarizePeriods(periods) },
    scc: {
      cowsTested: scores.length,
      shareLsAtMost3: scores.length ? scores.filter((x) => x.ls <= 3).length / scores.length : null,
      avgLs: mean(scores.map((x) => x.ls)),
      monthlyLs: months.map((m) => ({ month: m, value: mean(lsByMonth.get(m) ?? []) })),
      high: scores.filter((x) => x.ls >= 4).sort((a, b) => b.ls - a.ls).slice(0, 20).map((x) => ({
        animalId: x.t.animalId,
        tag: tagOf.get(x.t.animalId) ?? "?",
        scc: x.t.scc!,
        ls: x.ls,
        date: x.t.date,
      })),
    },
    feed: {
      days: 30,
      costMinor: cost,
      lactatingCostMinor: lactCost,
      saleableLitres,
      perLitreMinor: feedCostPerLitre(cost, saleableLitres),
      lactatingPerLitreMinor: feedCostPerLitre(lactCost, saleableLitres),
      monthly: months.map((m) => ({
        month: m,
        value: feedCostPerLitre(costByMonth.get(m) ?? 0, kgToLitres(kgMonth.get(m) ?? 0)),
      })),
    },
    due,
    dueItems,
  };
}
