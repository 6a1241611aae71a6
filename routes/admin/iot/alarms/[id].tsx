import type { PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { Context } from "@/framework/mod.ts";
import { requirePermission, userCan } from "@/plugins/session.ts";
import { type Alarm, type AlarmEvent } from "@/services/iot/mod.ts";
import { fmtWhen } from "@/components/IotFormat.ts";
import { IotAlarmActions } from "@/components/IotAlarmActions.tsx";
import { AlarmStateBadge, Notice, PageTitle, SeverityBadge } from "@/components/IotUi.tsx";
import { linkClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { alarmAction } from "./index.tsx";
import { iotPage } from "@/routes/admin/iot/(_iot)/iot.ts";

interface Data {
  csrf: string;
  alarm: Alarm & { events: AlarmEvent[] };
  names: Record<string, string>;
  canResolve: boolean;
  notice?: "acknowledged" | "resolved";
  errors: string[];
  now: number;
}

async function pageData(ctx: Context<State>, errors: string[] = []): Promise<Data> {
  const alarm = await ctx.state.deps.iot.getAlarm(ctx.params.id);
  if (!alarm) throw new HttpError(404);
  ctx.state.title = `${ctx.state.t.iot.alarms.detail(alarm.id)} — ${ctx.state.t.site.name}`;
  const q = ctx.url.searchParams;
  return {
    csrf: await ctx.csrfToken(),
    alarm,
    names: await ctx.state.deps.iot.userNames(alarm.events.map((e) => e.actorId)),
    canResolve: userCan(ctx, "iot.manage"),
    notice: (["acknowledged", "resolved"] as const).find((n) => q.has(n)),
    errors,
    now: Date.now(),
  };
}

/** One alarm: what fired, where, and its history (opened, notified, acknowledged, resolved). */
export const handler = iotPage<Data>("iot.view", pageData, async (ctx) => {
  requirePermission(ctx, "iot.view");
  const r = await alarmAction(ctx);
  if (r instanceof Response) return r;
  return { status: 409, data: await pageData(ctx, Object.values(r).flat()) };
});

export default function AlarmPage({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.iot;
  const a = m.alarms;
  const x = data.alarm;
  const lang = state.lang;
  const when = (d: Date | null) => fmtWhen(lang, d ? d.getTime() : null, "—", data.now);
  return (
    <>
      <p class="text-sm mb-2">
        <a href="/admin/iot/alarms" class={linkClass}>← {a.title}</a>
      </p>
      <PageTitle title={a.detail(x.id)} />
      {data.notice === "acknowledged" && <Notice>{a.acknowledged}</Notice>}
      {data.notice === "resolved" && <Notice>{a.resolved}</Notice>}
      <section class="rounded-lg border border-gray-200 bg-white p-3 mb-6">
        <div class="flex flex-wrap items-center gap-2">
          <SeverityBadge severity={x.severity} m={m} />
          <AlarmStateBadge state={x.state} m={m} />
          {x.resolution && <span class="text-sm text-gray-700">{a.resolution[x.resolution]}</span>}
        </div>
        <p class="mt-2 text-lg break-words">{x.message}</p>
        <dl class="grid grid-cols-2 sm:grid-cols-3 gap-x-4 gap-y-2 text-sm mt-3">
          <div>
            <dt class="text-gray-600">{a.rule}</dt>
            <dd>
              <a href={`/admin/iot/rules/${encodeURIComponent(x.ruleId)}`} class={linkClass}>
                {x.ruleName}
              </a>
            </dd>
          </div>
          <div>
            <dt class="text-gray-600">{a.device}</dt>
            <dd>
              <a href={`/admin/iot/devices/${encodeURIComponent(x.deviceId)}`} class={linkClass}>
                {x.deviceName}
              </a>
            </dd>
          </div>
          {x.tankId && (
            <div>
              <dt class="text-gray-600">{a.tank}</dt>
              <dd>
                <a href={`/admin/iot/tanks?tank=${encodeURIComponent(x.tankId)}`} class={linkClass}>
                  {x.tankId}
                </a>
              </dd>
            </div>
          )}
          <div>
            <dt class="text-gray-600">{a.opened}</dt>
            <dd>{when(x.openedAt)}</dd>
          </div>
          {x.acknowledgedAt && (
            <div>
              <dt class="text-gray-600">{a.acknowledgedBy}</dt>
              <dd>
                {when(x.acknowledgedAt)}
                {x.acknowledgedBy && ` · ${data.names[x.acknowledgedBy] ?? ""}`}
              </dd>
            </div>
          )}
          {x.resolvedAt && (
            <div>
              <dt class="text-gray-600">{a.resolvedAt}</dt>
              <dd>{when(x.resolvedAt)}</dd>
            </div>
          )}
        </dl>
        <IotAlarmActions m={m} alarm={x} page={data} back={url.pathname} errors={data.errors} />
      </section>
      <section aria-labelledby="alarm-events">
        <h2 id="alarm-events" class="text-lg font-semibold mb-2">{a.events}</h2>
        <ol class="border-l-2 border-gray-300 pl-4 space-y-2">
          {x.events.map((e) => (
            <li class="text-sm">
              <span class="font-medium">{a.eventKinds[e.kind] ?? e.kind}</span>{" "}
              <span class="text-gray-600">{when(e.at)}</span>
              {e.actorId && ` · ${data.names[e.actorId] ?? ""}`}
              {e.note && <p class="text-gray-800 break-words">{e.note}</p>}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
