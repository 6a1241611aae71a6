import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import {
  ANIMAL_STATUSES,
  type AnimalRow,
  daysInMilk,
  fill,
  optionalId,
} from "@/services/farm/mod.ts";
import { FarmBadge, FarmTable, fmtNum, STATUS_TONE, td, tdNum } from "@/components/FarmUi.tsx";
import { buttonClass, inputClass } from "@/components/ui.tsx";
import { farmGuard, title } from "@/routes/farm/(_farm)/farm.ts";

interface Data {
  rows: AnimalRow[];
  total: number;
  q: string;
  status: string;
  groupId: string;
  groups: { id: number; name: string }[];
  today: string;
  canManage: boolean;
  page: number;
}

const PAGE = 100;

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const f = farmGuard(ctx, "farm.record");
    title(ctx, f.m.herd.title);
    const sp = ctx.url.searchParams;
    const q = sp.get("q")?.slice(0, 60) ?? "";
    const status = sp.get("status") ?? "in_herd";
    const groupId = sp.get("group") ?? "";
    const page = Math.max(0, Math.min(1000, Number(sp.get("page")) || 0));
    const okStatus = status === "all" || status === "in_herd" ||
      (ANIMAL_STATUSES as readonly string[]).includes(status);
    const [list, groups] = await Promise.all([
      f.farm.listAnimals({
        q,
        status: okStatus ? status as never : "in_herd",
        groupId: optionalId(groupId) ?? undefined,
        limit: PAGE,
        offset: page * PAGE,
      }),
      f.farm.listGroups(),
    ]);
    return {
      data: {
        rows: list.rows,
        total: list.total,
        q,
        status,
        groupId,
        groups: groups.map((g) => ({ id: g.id, name: g.name })),
        today: f.today,
        canManage: f.can("farm.manage"),
        page,
      },
    };
  },
};

export default function Herd({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.farm;
  const lang = state.lang;
  const more = (page: number) => {
    const u = new URL(url);
    u.searchParams.set("page", String(page));
    return u.pathname + u.search;
  };
  return (
    <>
      <div class="flex flex-wrap items-center gap-2 mb-3">
        <h1 class="text-xl font-bold mr-auto">{m.herd.title}</h1>
        {data.canManage && <a href="/farm/animals/new" class={buttonClass()}>{m.herd.register}</a>}
        {data.canManage && (
          <a href="/farm/animals/import" class={buttonClass("secondary")}>{m.herd.import}</a>
        )}
      </div>
      <form method="get" class="grid grid-cols-2 gap-2 mb-3">
        <input
          name="q"
          value={data.q}
          placeholder={`${m.common.tag}, ${m.common.name}, RFID`}
          class={`${inputClass()} col-span-2`}
          aria-label={m.common.search}
        />
        <select name="status" class={inputClass()} aria-label={m.common.status}>
          <option value="in_herd" selected={data.status === "in_herd"}>{m.dashboard.inHerd}</option>
          {ANIMAL_STATUSES.map((s) => (
            <option value={s} selected={data.status === s}>{m.status[s]}</option>
          ))}
          <option value="all" selected={data.status === "all"}>{m.common.all}</option>
        </select>
        <select name="group" class={inputClass()} aria-label={m.common.group}>
          <option value="">{m.common.group}: {m.common.all}</option>
          {data.groups.map((g) => (
            <option value={g.id} selected={String(g.id) === data.groupId}>{g.name}</option>
          ))}
        </select>
        <button type="submit" class={`${buttonClass()} col-span-2`}>{m.common.search}</button>
      </form>
      <p class="text-sm text-gray-600 mb-2">
        {fill(m.herd.count, { n: fmtNum(data.total, lang) })}
      </p>
      <div class="bg-white rounded-lg border border-gray-200 p-3">
        <FarmTable
          head={[m.common.tag, m.common.status, m.common.group, m.herd.dim]}
          numeric={[3]}
          empty={m.empty.animals}
        >
          {data.rows.map((a) => (
            <tr>
              <td class={td}>
                <a
                  class="text-brand-700 font-medium underline whitespace-nowrap"
                  href={`/farm/animals/${a.id}`}
                >
                  {a.tag}
                </a>
                {a.name && <span class="block text-xs text-gray-600">{a.name}</span>}
              </td>
              <td class={td}>
                <FarmBadge tone={STATUS_TONE[a.status]}>{m.status[a.status]}</FarmBadge>
                {a.withdrawalUntil && (
                  <span class="block">
                    <FarmBadge tone="red">{m.health.withdrawals}</FarmBadge>
                  </span>
                )}
              </td>
              <td class={td}>{a.groupName ?? "—"}</td>
              <td class={tdNum}>
                {fmtNum(daysInMilk(a.lastCalvedOn, data.today, a.status === "lactating"), lang)}
              </td>
            </tr>
          ))}
        </FarmTable>
        {data.total > (data.page + 1) * PAGE && (
          <a class="block text-center text-brand-700 underline mt-3" href={more(data.page + 1)}>
            {m.common.more}
          </a>
        )}
      </div>
    </>
  );
}
