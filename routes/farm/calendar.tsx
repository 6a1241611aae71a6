import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { addDays, daysBetween, type DueItem } from "@/services/farm/mod.ts";
import { FarmBadge, FarmCard, fmtDay, fmtNum } from "@/components/FarmUi.tsx";
import { farmGuard, title } from "@/routes/farm/(_farm)/farm.ts";

interface Data {
  today: string;
  items: DueItem[];
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const f = farmGuard(ctx, "farm.record");
    title(ctx, f.m.calendar.title);
    const until = addDays(f.today, 30);
    const [herd, vacc] = await Promise.all([
      f.farm.loadHerdData(f.today, f.today),
      f.farm.vaccinationsDue(f.today, until),
    ]);
    const items = [
      ...f.farm.dueList(herd, { aheadDays: 30 }),
      ...vacc.map((v): DueItem => ({
        kind: "vaccination",
        animalId: v.animalId,
        tag: v.tag,
        name: null,
        dueOn: v.dueOn,
        info: { schedule: v.schedule },
      })),
    ].sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.tag.localeCompare(b.tag));
    return { data: { today: f.today, items } };
  },
};

export default function Calendar({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const lang = state.lang;
  const overdue = data.items.filter((i) => i.dueOn < data.today);
  const upcoming = data.items.filter((i) => i.dueOn >= data.today);
  const byDay = new Map<string, DueItem[]>();
  for (const i of upcoming) (byDay.get(i.dueOn) ?? byDay.set(i.dueOn, []).get(i.dueOn)!).push(i);
  // Vaccinations are many animals at once: one line per schedule and day.
  const line = (i: DueItem) => (
    <li class="py-1 border-b border-gray-100 text-sm flex flex-wrap gap-x-2">
      <a class="text-brand-700 underline font-medium" href={`/farm/animals/${i.animalId}`}>
        {i.tag}
      </a>
      {i.name && <span class="text-gray-600">{i.name}</span>}
      <FarmBadge
        tone={i.kind === "calving"
          ? "green"
          : i.kind === "dry_off"
          ? "amber"
          : i.kind === "vaccination"
          ? "gray"
          : "blue"}
      >
        {m.due[i.kind]}
      </FarmBadge>
      {i.dueOn < data.today && (
        <span class="text-red-700">
          {fmtDay(i.dueOn, lang, false)} ({fmtNum(daysBetween(i.dueOn, data.today), lang)}{" "}
          {m.common.days})
        </span>
      )}
      {i.info.dim !== undefined && (
        <span class="text-gray-600">{m.herd.dim}: {fmtNum(Number(i.info.dim), lang)}</span>
      )}
      {i.info.servedOn !== undefined && (
        <span class="text-gray-600">
          {m.event.insemination}: {fmtDay(String(i.info.servedOn), lang, false)}
        </span>
      )}
      {i.info.schedule !== undefined && <span class="text-gray-600">{String(i.info.schedule)}
      </span>}
    </li>
  );
  const render = (items: DueItem[]) => {
    const groups = new Map<string, DueItem[]>();
    for (const i of items.filter((x) => x.kind === "vaccination")) {
      const k = String(i.info.schedule);
      (groups.get(k) ?? groups.set(k, []).get(k)!).push(i);
    }
    return (
      <ul>
        {items.filter((x) => x.kind !== "vaccination").map(line)}
        {[...groups.entries()].map(([schedule, list]) => (
          <li class="py-1 border-b border-gray-100 text-sm">
            <details>
              <summary class="cursor-pointer">
                <FarmBadge tone="gray">{m.due.vaccination}</FarmBadge> {schedule}:{" "}
                {fmtNum(list.length, lang)}
              </summary>
              <p class="flex flex-wrap gap-x-2">
                {list.map((i) => (
                  <a class="text-brand-700 underline" href={`/farm/animals/${i.animalId}`}>
                    {i.tag}
                  </a>
                ))}
              </p>
            </details>
          </li>
        ))}
      </ul>
    );
  };
  return (
    <>
      <h1 class="text-xl font-bold mb-3">{m.calendar.title}</h1>
      {data.items.length === 0 && <p>{m.calendar.nothing}</p>}
      {overdue.length > 0 && (
        <FarmCard title={`${m.calendar.overdue} (${fmtNum(overdue.length, lang)})`}>
          {render(overdue)}
        </FarmCard>
      )}
      {[...byDay.entries()].map(([day, items]) => (
        <FarmCard
          title={`${day === data.today ? m.common.today : fmtDay(day, lang)} (${
            fmtNum(items.length, lang)
          })`}
        >
          {render(items)}
        </FarmCard>
      ))}
    </>
  );
}
