import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { type FarmAlert, fill, type HerdDashboard } from "@/services/farm/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import {
  AlertBox,
  alertText,
  FarmBars,
  FarmCard,
  FarmLineChart,
  FarmStat,
  fmtDay,
  fmtNum,
  fmtPct,
} from "@/components/FarmUi.tsx";
import { farmGuard, title } from "@/routes/farm/(_farm)/farm.ts";

interface Data {
  d: HerdDashboard;
  alerts: FarmAlert[];
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const f = farmGuard(ctx, "farm.manage");
    title(ctx, f.m.dashboard.title);
    const [d, alerts] = await Promise.all([
      f.farm.herdDashboard(f.today),
      f.farm.listAlerts({ open: true, limit: 5 }),
    ]);
    return { data: { d, alerts } };
  },
};

export default function Dashboard({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const lang = state.lang;
  const { d } = data;
  const k = m.dashboard;
  const r = d.repro.summary;
  const y = d.milk.yesterday;
  const days = (n: number | null) => (n === null ? "—" : `${fmtNum(n, lang)} ${m.common.days}`);
  const tone = (v: number | null, good: number, bad: number, higherIsBetter = true) =>
    v === null
      ? undefined
      : higherIsBetter
      ? (v >= good ? "good" : v < bad ? "bad" : "warn")
      : (v <= good ? "good" : v > bad ? "bad" : "warn");
  const periods = d.repro.periods;
  return (
    <>
      <h1 class="text-xl font-bold mb-1">{k.title}</h1>
      <p class="text-xs text-gray-600 mb-3">
        {fmtDay(d.today, lang)} · {fill(k.vwp, { n: fmtNum(d.vwpDays, lang) })}
      </p>
      {data.alerts.map((a) => (
        <AlertBox>
          {alertText(a, m, lang)}
        </AlertBox>
      ))}
      <h2 class="font-semibold text-gray-700 mb-2">{k.herd}</h2>
      <div class="grid grid-cols-2 sm:grid-cols-4 gap-2 mb-4" data-testid="kpis">
        <FarmStat
          label={k.inHerd}
          value={fmtNum(d.inHerd, lang)}
          note={`${m.status.lactating} ${fmtNum(d.counts.lactating, lang)} · ${m.status.dry} ${
            fmtNum(d.counts.dry, lang)
          } · ${m.status.heifer} ${fmtNum(d.counts.heifer, lang)} · ${m.status.calf} ${
            fmtNum(d.counts.calf, lang)
          }`}
        />
        <FarmStat
          label={k.milkYesterday}
          value={y ? `${fmtNum(y.producedKg, lang)} ${m.common.kg}` : "—"}
          note={d.milk.perCowKg === null
            ? undefined
            : `${fmtNum(d.milk.perCowKg, lang, 1)} ${m.common.kg} ${k.perCow}`}
        />
        <FarmStat label={k.avgDim} value={days(d.avgDim === null ? null : Math.round(d.avgDim))} />
        <FarmStat
          label={k.y305}
          value={d.yield305.avgKg === null
            ? "—"
            : `${fmtNum(d.yield305.avgKg, lang)} ${m.common.kg}`}
          note={fill(k.lactations, { n: fmtNum(d.yield305.lactations, lang) })}
        />
        <FarmStat
          label={k.calvingInterval}
          value={days(
            d.calvingInterval.avgDays === null ? null : Math.round(d.calvingInterval.avgDays),
          )}
          tone={tone(d.calvingInterval.avgDays, 400, 430, false)}
          note={`${k.goal} ≈ ${fmtNum(380, lang)}`}
        />
        <FarmStat
          label={k.daysOpen}
          value={days(d.daysOpen.avgDays === null ? null : Math.round(d.daysOpen.avgDays))}
          tone={tone(d.daysOpen.avgDays, 120, 150, false)}
          note={`${k.goal} ≈ ${fmtNum(100, lang)}`}
        />
        <FarmStat
          label={k.hdr}
          value={fmtPct(r.hdr, lang)}
          tone={tone(r.hdr, 0.6, 0.4)}
          note={fill(k.periods, { n: fmtNum(periods.length, lang) })}
        />
        <FarmStat label={k.cr} value={fmtPct(r.cr, lang)} tone={tone(r.cr, 0.4, 0.3)} />
        <FarmStat
          label={k.pr}
          value={fmtPct(r.pr, lang)}
          tone={tone(r.pr, 0.2, 0.15)}
          note={`${k.goal} ≥ ${fmtPct(0.2, lang)}`}
        />
        <FarmStat
          label={k.lsShare}
          value={fmtPct(d.scc.shareLsAtMost3, lang)}
          tone={tone(d.scc.shareLsAtMost3, 0.8, 0.65)}
          note={`${k.goal} > ${fmtPct(0.8, lang)}`}
        />
        <FarmStat label={k.avgLs} value={fmtNum(d.scc.avgLs, lang, 1)} />
        <FarmStat
          label={k.feedCost}
          value={d.feed.perLitreMinor === null ? "—" : formatTaka(d.feed.perLitreMinor, lang)}
          note={d.feed.lactatingPerLitreMinor === null
            ? undefined
            : `${formatTaka(d.feed.lactatingPerLitreMinor, lang)} ${k.feedCostLact}`}
        />
      </div>
      <FarmCard title={k.milkTrend}>
        <FarmLineChart
          title={k.milkTrend}
          lang={lang}
          values={d.milk.daily.map((x) => x.producedKg)}
          labels={d.milk.daily.length
            ? [
              fmtDay(d.milk.daily[0].day, lang, false),
              fmtDay(d.milk.daily[d.milk.daily.length - 1].day, lang, false),
            ]
            : undefined}
        />
      </FarmCard>
      <FarmCard title={k.prTrend}>
        <FarmBars
          title={k.prTrend}
          values={periods.map((p) => p.pr)}
          max={0.5}
          goal={0.2}
          labels={periods.length
            ? [
              fmtDay(periods[0].start, lang, false),
              fmtDay(periods[periods.length - 1].end, lang, false),
            ]
            : undefined}
        />
        <p class="text-xs text-gray-500 mt-1">{k.hdr} · {k.cr} · {k.pr}</p>
        <div class="overflow-x-auto">
          <table class="text-xs w-full mt-1">
            <tbody>
              {periods.slice(-6).map((p) => (
                <tr class="border-b border-gray-100">
                  <td class="py-0.5 pr-2 whitespace-nowrap">{fmtDay(p.start, lang, false)}</td>
                  <td class="py-0.5 pr-2 text-right">
                    {fmtNum(p.inseminated, lang)}/{fmtNum(p.eligible, lang)}
                  </td>
                  <td class="py-0.5 pr-2 text-right">{fmtPct(p.hdr, lang)}</td>
                  <td class="py-0.5 pr-2 text-right">{fmtPct(p.cr, lang)}</td>
                  <td class="py-0.5 text-right">{fmtPct(p.pr, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </FarmCard>
      <FarmCard title={k.lsTrend}>
        <FarmLineChart
          title={k.lsTrend}
          lang={lang}
          digits={1}
          goal={3}
          values={d.scc.monthlyLs.map((x) => x.value)}
          labels={d.scc.monthlyLs.length
            ? [d.scc.monthlyLs[0].month, d.scc.monthlyLs[d.scc.monthlyLs.length - 1].month]
            : undefined}
        />
        {d.scc.high.length > 0 && (
          <>
            <h3 class="text-sm font-medium mt-2">{k.highScc}</h3>
            <p class="text-sm flex flex-wrap gap-x-3">
              {d.scc.high.map((h) => (
                <a class="text-brand-700 underline" href={`/farm/animals/${h.animalId}`}>
                  {h.tag} ({fmtNum(h.ls, lang, 1)})
                </a>
              ))}
            </p>
          </>
        )}
      </FarmCard>
      <FarmCard title={k.feedTrend}>
        <FarmLineChart
          title={k.feedTrend}
          lang={lang}
          values={d.feed.monthly.map((x) => x.value === null ? null : x.value / 100)}
          digits={1}
          labels={d.feed.monthly.length
            ? [d.feed.monthly[0].month, d.feed.monthly[d.feed.monthly.length - 1].month]
            : undefined}
        />
      </FarmCard>
      <FarmCard title={k.due}>
        <ul class="text-sm">
          {Object.entries(d.due).map(([kind, n]) => (
            <li class="flex justify-between py-1 border-b border-gray-100">
              <span>{m.due[kind] ?? kind}</span>
              <span class="font-medium">{fmtNum(n, lang)}</span>
            </li>
          ))}
        </ul>
        <a class="text-brand-700 underline text-sm block mt-2" href="/farm/calendar">
          {m.calendar.title} →
        </a>
      </FarmCard>
    </>
  );
}
