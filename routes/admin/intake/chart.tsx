import { formatTaka } from "@/services/i18n/mod.ts";
import type { PriceChart } from "@/services/intake/mod.ts";
import { Button } from "@/components/ui.tsx";
import { ActionForm, Input, IntakeFrame, Table } from "./(_intake)/kit.tsx";
import { done, intakeScreen, type ScreenProps } from "./(_intake)/screen.ts";

interface Page {
  charts: PriceChart[];
  today: string;
}

/** The fat/SNF price chart by effective date (a new chart from a date; old ones stay for history). */
export const handler = intakeScreen<Page>(
  "chart",
  async (ctx) => ({
    charts: await ctx.state.deps.intake.listCharts(),
    today: ctx.state.deps.intake.today(),
  }),
  {
    async create(ctx, v, actor) {
      await ctx.state.deps.intake.saveChart(v, actor);
      return done("/admin/intake/chart", ctx.state.t.intake.chart.saved);
    },
  },
);

export default function Chart({ data, state, url }: ScreenProps<Page>) {
  const m = state.t.intake;
  const lang = state.lang;
  const tk = (v: number) => formatTaka(v, lang);
  const lvl = (v: number | null) => (v === null ? "—" : `${v} %`);
  const latest = data.page.charts[0];
  const fields: [string, string, string | undefined][] = [
    ["baseMinor", m.f.base, latest && String(latest.baseMinor)],
    ["refFat", m.f.refFat, latest && String(latest.refFat)],
    ["refSnf", m.f.refSnf, latest && String(latest.refSnf)],
    ["fatStepMinor", m.f.fatStep, latest && String(latest.fatStepMinor)],
    ["snfStepMinor", m.f.snfStep, latest && String(latest.snfStepMinor)],
    ["bonusFat", m.f.bonusFat, latest?.bonusFat?.toString()],
    ["bonusSnf", m.f.bonusSnf, latest?.bonusSnf?.toString()],
    ["bonusMinor", m.f.bonus, latest && String(latest.bonusMinor)],
    ["penaltyFat", m.f.penaltyFat, latest?.penaltyFat?.toString()],
    ["penaltySnf", m.f.penaltySnf, latest?.penaltySnf?.toString()],
    ["penaltyMinor", m.f.penalty, latest && String(latest.penaltyMinor)],
    ["maxTempC", m.f.maxTemp, latest?.maxTempC?.toString()],
  ];
  return (
    <IntakeFrame state={state} url={url} screen={data}>
      <Table
        empty={m.chart.none}
        head={[
          m.f.effectiveFrom,
          m.f.base,
          `${m.f.refFat} / ${m.f.refSnf}`,
          `${m.f.fatStep} / ${m.f.snfStep}`,
          m.f.bonus,
          m.f.penalty,
          m.f.maxTemp,
        ]}
        rows={data.page.charts.map((c) => [
          c.effectiveFrom,
          tk(c.baseMinor),
          `${c.refFat} % / ${c.refSnf} %`,
          `${tk(c.fatStepMinor)} / ${tk(c.snfStepMinor)}`,
          `${tk(c.bonusMinor)} (≥ ${lvl(c.bonusFat)}, ${lvl(c.bonusSnf)})`,
          `${tk(c.penaltyMinor)} (< ${lvl(c.penaltyFat)}, ${lvl(c.penaltySnf)})`,
          c.maxTempC === null ? "—" : `${c.maxTempC} °C`,
        ])}
      />
      <ActionForm screen={data} action="create" card="max-w-3xl">
        <h2 class="font-semibold mb-2">{m.chart.add}</h2>
        <div class="grid sm:grid-cols-3 gap-x-3">
          <Input
            name="effectiveFrom"
            label={m.f.effectiveFrom}
            type="date"
            value={data.page.today}
            screen={data}
          />
          {fields.map(([name, label, value]) => (
            <Input name={name} label={label} inputMode="decimal" value={value} screen={data} />
          ))}
        </div>
        <Button>{m.chart.add}</Button>
      </ActionForm>
    </IntakeFrame>
  );
}
