import type { Context, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import {
  addDays,
  type DayTotals,
  type FarmDaily,
  isIsoDate,
  kgToLitres,
  SESSIONS,
} from "@/services/farm/mod.ts";
import {
  FarmCard,
  FarmLineChart,
  FarmStat,
  FarmTable,
  fmtDay,
  fmtNum,
  InputField,
  SavedNotice,
  td,
  tdNum,
} from "@/components/FarmUi.tsx";
import { buttonClass, Field, inputClass, PostForm } from "@/components/ui.tsx";
import type { FarmCtx, FormBase } from "@/routes/farm/(_farm)/farm.ts";
import { farmFormHandlers, title } from "@/routes/farm/(_farm)/farm.ts";

interface Own {
  day: string;
  today: string;
  totals: DayTotals;
  trend: FarmDaily[];
}

interface Data extends Own, FormBase {
  errors: Record<string, string>;
}

async function load(f: FarmCtx, ctx: Context<State>): Promise<Own> {
  title(ctx, f.m.milk.title);
  const asked = ctx.url.searchParams.get("day") ?? "";
  const day = isIsoDate(asked) && asked <= f.today ? asked : f.today;
  const [totals, trend] = await Promise.all([
    f.farm.dayTotals(day),
    f.farm.farmDailyTotals(addDays(day, -29), day),
  ]);
  return {
    day,
    today: f.today,
    totals,
    trend,
  };
}

export const handler = farmFormHandlers<Data>({
  load,
  async act(f, v) {
    await f.farm.recordTankIntake({
      intakeOn: v.intakeOn,
      session: v.session as never,
      volumeL: v.volumeL as never,
      tankId: v.tankId || null,
    }, f.actor);
    return `/farm/milk?day=${v.intakeOn}&saved=1`;
  },
});

export default function MilkPage({ data, state }: PageProps<Data, State>) {
  const form = { errors: data.errors, values: data.values };
  const m = state.t.farm;
  const lang = state.lang;
  const t = data.totals;
  const noMilk = (
    <>
      {m.empty.milk} <a class="text-brand-700 underline" href="/farm">{m.empty.recordMilk}</a>
    </>
  );
  const kg = (n: number) => fmtNum(n, lang, 1);
  return (
    <>
      <div class="flex items-center gap-2 mb-3">
        <h1 class="text-xl font-bold mr-auto">{m.milk.title}</h1>
        <a
          class="text-brand-700 underline text-sm"
          href={`/farm/milk?day=${addDays(data.day, -1)}`}
        >
          ‹ {fmtDay(addDays(data.day, -1), lang, false)}
        </a>
        <form method="get" class="m-0">
          <input
            name="day"
            type="date"
            value={data.day}
            max={data.today}
            class="rounded border border-gray-300 px-2 py-1 text-sm"
            aria-label={m.milk.day}
          />
          <button type="submit" class="sr-only">{m.common.open}</button>
        </form>
        {data.day < data.today && (
          <a
            class="text-brand-700 underline text-sm"
            href={`/farm/milk?day=${addDays(data.day, 1)}`}
          >
            {fmtDay(addDays(data.day, 1), lang, false)} ›
          </a>
        )}
      </div>
      <SavedNotice shown={data.saved} m={m} />
      <div class="grid grid-cols-2 gap-2 mb-4">
        <FarmStat
          label={m.milk.produced}
          value={`${kg(t.producedKg)} ${m.common.kg}`}
          note={`${fmtNum(t.cows, lang)} ${m.milk.cows}`}
        />
        <FarmStat
          label={m.milk.saleable}
          value={`${fmtNum(kgToLitres(t.saleableKg), lang, 0)} ${m.common.litres}`}
        />
        <FarmStat
          label={m.milk.discarded}
          value={`${kg(t.discardedKg)} ${m.common.kg}`}
          tone={t.discardedKg > 0 ? "warn" : undefined}
        />
        <FarmStat
          label={m.milk.tankIntake}
          value={t.tankL === null ? "—" : `${fmtNum(t.tankL, lang, 0)} ${m.common.litres}`}
        />
      </div>
      <FarmCard title={m.milk.perSession}>
        {t.sessions.length === 0 && <p class="text-sm text-gray-500">—</p>}
        {t.sessions.map((s) => {
          const diff = s.tankL === null ? null : s.tankL - s.saleableL;
          const off = diff !== null && Math.abs(diff) > 0.03 * s.saleableL;
          return (
            <div class="py-2 border-b border-gray-100" data-session={s.session}>
              <div class="font-medium">
                {m.session[s.session]} · {fmtNum(s.cows, lang)} {m.milk.cows}
              </div>
              <dl class="grid grid-cols-2 gap-x-3 text-sm">
                <dt class="text-gray-600">{m.milk.produced}</dt>
                <dd class="text-right">{kg(s.producedKg)} {m.common.kg}</dd>
                <dt class="text-gray-600">{m.milk.discarded}</dt>
                <dd class="text-right">{kg(s.discardedKg)} {m.common.kg}</dd>
                <dt class="text-gray-600">{m.milk.saleable}</dt>
                <dd class="text-right">{fmtNum(s.saleableL, lang, 0)} {m.common.litres}</dd>
                <dt class="text-gray-600">{m.milk.tankIntake}</dt>
                <dd class="text-right">
                  {s.tankL === null ? "—" : `${fmtNum(s.tankL, lang, 0)} ${m.common.litres}`}
                </dd>
                {diff !== null && (
                  <>
                    <dt class="text-gray-600">{m.milk.difference}</dt>
                    <dd class={`text-right ${off ? "text-red-700 font-semibold" : ""}`}>
                      {fmtNum(diff, lang, 0)} {m.common.litres}
                    </dd>
                  </>
                )}
              </dl>
            </div>
          );
        })}
      </FarmCard>
      <details
        class="bg-white rounded-lg border border-gray-200 p-3 mb-4"
        open={Object.keys(data.errors).length > 0}
      >
        <summary class="font-semibold cursor-pointer">{m.milk.recordTank}</summary>
        <PostForm csrf={data.csrf} class="mt-2" novalidate>
          {data.errors.form && <p role="alert" class="text-sm text-red-700">{data.errors.form}</p>}
          <input type="hidden" name="intakeOn" value={data.day} />
          <Field id="session" label={m.recorder.session} error={data.errors.session}>
            <select id="session" name="session" class={inputClass()}>
              {SESSIONS.map((s) => (
                <option value={s} selected={data.values.session === s}>{m.session[s]}</option>
              ))}
            </select>
          </Field>
          <InputField {...form} id="volumeL" label={m.milk.volumeL} inputMode="decimal" optional />
          <button type="submit" class={buttonClass()}>{m.common.save}</button>
        </PostForm>
      </details>
      {data.trend.length > 1 && (
        <FarmCard title={`${m.milk.produced}, 30 ${m.common.days}`}>
          <FarmLineChart
            title={m.milk.produced}
            values={data.trend.map((d) => d.producedKg)}
            lang={lang}
            labels={[
              fmtDay(data.trend[0].day, lang, false),
              fmtDay(data.trend[data.trend.length - 1].day, lang, false),
            ]}
          />
        </FarmCard>
      )}
      <FarmCard title={m.milk.perGroup}>
        <FarmTable
          head={[m.common.group, m.milk.cows, m.common.kg, m.milk.discarded]}
          numeric={[1, 2, 3]}
          empty={noMilk}
        >
          {t.groups.map((g) => (
            <tr>
              <td class={td}>{g.groupName ?? "—"}</td>
              <td class={tdNum}>{fmtNum(g.cows, lang)}</td>
              <td class={tdNum}>{kg(g.totalKg)}</td>
              <td class={tdNum}>{g.discardedKg ? kg(g.discardedKg) : "—"}</td>
            </tr>
          ))}
        </FarmTable>
      </FarmCard>
      <FarmCard title={m.milk.perAnimal}>
        <FarmTable
          head={[m.common.tag, m.session.am, m.session.pm, m.common.total]}
          numeric={[1, 2, 3]}
          empty={noMilk}
        >
          {t.animals.map((a) => (
            <tr>
              <td class={td}>
                <a class="text-brand-700 underline" href={`/farm/animals/${a.animalId}`}>{a.tag}</a>
                {a.discardedKg > 0 && (
                  <span class="text-xs text-red-700 block">
                    {m.milk.discarded} {kg(a.discardedKg)}
                  </span>
                )}
              </td>
              <td class={tdNum}>{a.sessions.am === undefined ? "—" : kg(a.sessions.am)}</td>
              <td class={tdNum}>
                {a.sessions.pm === undefined ? "—" : kg(a.sessions.pm)}
                {a.sessions.noon !== undefined ? ` +${kg(a.sessions.noon)}` : ""}
              </td>
              <td class={tdNum}>{kg(a.totalKg)}</td>
            </tr>
          ))}
        </FarmTable>
      </FarmCard>
    </>
  );
}
