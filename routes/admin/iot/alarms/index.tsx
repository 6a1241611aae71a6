import type { PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { Context } from "@/framework/mod.ts";
import { requirePermission, safeNext, userCan } from "@/plugins/session.ts";
import { type Alarm, type AlarmState } from "@/services/iot/mod.ts";
import { fmtValue, fmtWhen } from "@/components/IotFormat.ts";
import { IotAlarmActions } from "@/components/IotAlarmActions.tsx";
import { AlarmStateBadge, Notice, PageTitle, SeverityBadge } from "@/components/IotUi.tsx";
import { linkClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type Errors, formValues, iotPage, serviceErrors } from "@/routes/admin/iot/(_iot)/iot.ts";
import { FilterForm, FilterSelect, FilterText, Pager } from "@/components/AdminFilters.tsx";
import { oneOf, pageParam } from "@/routes/admin/(_admin)/list_query.ts";

const PAGE = 50;
const STATES = ["active", "open", "acknowledged", "resolved", "all"] as const;

interface Data {
  csrf: string;
  alarms: Alarm[];
  filters: { state: string; device: string; tank: string; page: number };
  more: boolean;
  canResolve: boolean;
  notice?: "acknowledged" | "resolved";
  errors: Record<string, string[]>;
  back: string;
  now: number;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const p = ctx.url.searchParams;
  const state = oneOf(STATES, p.get("state")) ?? "active";
  const device = (p.get("device") ?? "").trim().slice(0, 64);
  const tank = (p.get("tank") ?? "").trim().slice(0, 64);
  const page = pageParam(p);
  const alarms = await ctx.state.deps.iot.listAlarms({
    state: state as AlarmState | "active" | "all",
    deviceId: device || undefined,
    tankId: tank || undefined,
    limit: PAGE + 1,
    offset: (page - 1) * PAGE,
  });
  ctx.state.title = `${ctx.state.t.iot.alarms.title} — ${ctx.state.t.site.name}`;
  return {
    csrf: await ctx.csrfToken(),
    alarms: alarms.slice(0, PAGE),
    more: alarms.length > PAGE,
    filters: { state, device, tank, page },
    canResolve: userCan(ctx, "iot.manage"),
    notice: (["acknowledged", "resolved"] as const).find((n) => p.has(n)),
    errors: {},
    back: ctx.url.pathname + ctx.url.search,
    now: Date.now(),
    ...extra,
  };
}

/** Adds a notice to the page we came from. */
function backWith(back: string, notice: string): Response {
  const path = safeNext(back, "/admin/iot/alarms");
  const u = new URL(path, "http://x");
  for (const n of ["acknowledged", "resolved"]) u.searchParams.delete(n);
  u.searchParams.set(notice, "");
  return new Response(null, {
    status: 303,
    headers: { location: u.pathname + u.search.replace(/=(&|$)/g, "$1") },
  });
}

/**
 * Acknowledge (anyone who sees alarms: the herdsman on duty) or close by hand (iot.manage).
 * Shared by this list and the alarm's own page, which post here with `back`.
 */
export async function alarmAction(ctx: Context<State>): Promise<Response | Errors> {
  const v = formValues(ctx);
  const iot = ctx.state.deps.iot;
  try {
    if (v.action === "acknowledge") {
      const user = requirePermission(ctx, "iot.view");
      await iot.acknowledgeAlarm({ alarmId: v.alarmId ?? "", note: v.note }, {
        userId: user.id,
      });
      return backWith(v.back ?? "", "acknowledged");
    }
    if (v.action === "resolve") {
      const user = requirePermission(ctx, "iot.manage");
      await iot.resolveAlarm({ alarmId: v.alarmId ?? "", note: v.note ?? "" }, {
        userId: user.id,
      });
      return backWith(v.back ?? "", "resolved");
    }
  } catch (e) {
    return { [v.alarmId ?? ""]: Object.values(serviceErrors(e, ctx)).flat() };
  }
  throw new HttpError(400, "Unknown action");
}

export const handler = iotPage<Data>("iot.view", pageData, async (ctx) => {
  requirePermission(ctx, "iot.view");
  const r = await alarmAction(ctx);
  if (r instanceof Response) return r;
  return { status: 409, data: await pageData(ctx, { errors: r }) };
});

export default function Alarms({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.iot;
  const a = m.alarms;
  const lang = state.lang;
  const f = data.filters;
  const actions = { m, page: data, back: data.back };
  return (
    <>
      <PageTitle title={a.title} intro={a.intro} />
      {data.notice === "acknowledged" && <Notice>{a.acknowledged}</Notice>}
      {data.notice === "resolved" && <Notice>{a.resolved}</Notice>}
      <FilterForm action="/admin/iot/alarms" submit={m.common.filter}>
        <FilterSelect
          label={a.state}
          name="state"
          value={f.state}
          options={STATES.map((s) => [s, m.alarmState[s]])}
        />
        <FilterText label={a.device} name="device" value={f.device} width="w-40" />
        <FilterText label={a.tank} name="tank" value={f.tank} width="w-32" />
      </FilterForm>
      {data.alarms.length === 0 ? <p class="text-gray-700">{a.none}</p> : (
        <ul class="space-y-3">
          {data.alarms.map((x) => (
            <li class="rounded-lg border border-gray-200 bg-white p-3" data-alarm={x.id}>
              <div class="flex flex-wrap items-center gap-2 text-sm">
                <SeverityBadge severity={x.severity} m={m} />
                <AlarmStateBadge state={x.state} m={m} />
                <a href={`/admin/iot/alarms/${x.id}`} class={`${linkClass} font-medium`}>
                  {x.ruleName}
                </a>
                <span class="ml-auto text-gray-600 whitespace-nowrap">
                  {fmtWhen(lang, x.openedAt.getTime(), "", data.now)}
                </span>
              </div>
              <p class="mt-1 break-words">{x.message}</p>
              <p class="text-xs text-gray-600 mt-1">
                <a href={`/admin/iot/devices/${encodeURIComponent(x.deviceId)}`} class={linkClass}>
                  {x.deviceName}
                </a>
                {x.tankId && ` · ${x.tankId}`}
                {x.animalTag && ` · ${x.animalTag}`}
                {x.lastValue !== null && x.kind !== "silence" && (
                  ` · ${a.value}: ${fmtValue(lang, "", x.lastValue)}`
                )}
                {x.resolution && ` · ${a.resolution[x.resolution]}`}
              </p>
              <IotAlarmActions {...actions} alarm={x} errors={data.errors[x.id]} />
            </li>
          ))}
        </ul>
      )}
      <Pager url={url} page={f.page} hasNext={data.more} labels={m.common} />
    </>
  );
}
