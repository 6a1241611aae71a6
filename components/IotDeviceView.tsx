/**
 * A device's page body, shared by the farm's live device page and the back office's device
 * page: what and where it is, its newest values (live), charts for a range (live for short
 * ranges), and its alarms.
 */
import type { ComponentChildren } from "preact";
import { type DeviceView, type IotMessages, RANGES } from "@/services/iot/mod.ts";

import { fmtNumber, fmtWhen, type IotLang, METRIC_UNITS } from "@/components/IotFormat.ts";
import { AlarmStateBadge, DeviceBadge, SeverityBadge } from "@/components/IotUi.tsx";
import { IotChartStyle } from "@/components/IotChartStyle.tsx";
import IotChart from "@/islands/IotChart.tsx";
import { DeviceLatest } from "@/islands/IotLive.tsx";

export function IotDeviceView(
  props: {
    view: DeviceView;
    m: IotMessages;
    lang: IotLang;
    /** The SSE URL of this device. */
    stream: string;
    /** This page's path, for the range links. */
    path: string;
    /** Where an alarm links to (its id appended), if anywhere. */
    alarmHref?: string;
    /** Extra facts or actions shown beside the summary (the back office's). */
    children?: ComponentChildren;
  },
) {
  const { view, m, lang } = props;
  const d = view.device;
  const l = m.live;
  const when = (ms: number | null) => fmtWhen(lang, ms, m.common.never, view.now);
  const assignment = d.tankId ?? (d.animalTag ? d.animalTag : null);
  const resolutionText = (c: DeviceView["charts"][number]) => {
    if (c.resolution === "hour") return l.resolution.hour;
    if (c.resolution === "day") return l.resolution.day;
    if (c.bucketSeconds > 0) {
      const s = c.bucketSeconds;
      return l.resolution.bucketed(
        s >= 3600
          ? m.common.hours(Math.round(s / 3600))
          : s >= 60
          ? m.common.minutes(Math.round(s / 60))
          : m.common.seconds(s),
      );
    }
    return l.resolution.raw;
  };
  return (
    <div class="space-y-6">
      <IotChartStyle />
      <section class="rounded-lg border border-gray-200 bg-white p-3">
        <div class="flex flex-wrap items-center gap-2 mb-2">
          <span class="text-sm text-gray-700">{m.types[d.type] ?? d.type}</span>
          <code class="text-sm bg-gray-100 rounded px-1">{d.id}</code>
          <DeviceBadge online={view.online} revoked={d.revokedAt !== null} m={m} />
        </div>
        <dl class="grid grid-cols-2 sm:grid-cols-3 gap-x-4 gap-y-2 text-sm">
          {d.location && (
            <div>
              <dt class="text-gray-600">{m.devices.location}</dt>
              <dd>{d.location}</dd>
            </div>
          )}
          {assignment && (
            <div>
              <dt class="text-gray-600">{m.devices.assignment}</dt>
              <dd>{assignment}</dd>
            </div>
          )}
          <div>
            <dt class="text-gray-600">{l.lastSeen}</dt>
            <dd>{when(d.lastSeenAt)}</dd>
          </div>
          <div>
            <dt class="text-gray-600">{l.readings24h}</dt>
            <dd>{fmtNumber(lang, view.readings24h, 0)}</dd>
          </div>
          {view.deadLetters24h > 0 && (
            <div>
              <dt class="text-gray-600">{l.dead24h}</dt>
              <dd class="text-red-700">{fmtNumber(lang, view.deadLetters24h, 0)}</dd>
            </div>
          )}
          {d.firmwareVersion && (
            <div>
              <dt class="text-gray-600">{m.devices.firmware}</dt>
              <dd>{d.firmwareVersion}</dd>
            </div>
          )}
        </dl>
        {props.children}
      </section>

      <section aria-labelledby="dev-latest">
        <h2 id="dev-latest" class="text-lg font-semibold mb-2">{l.latest}</h2>
        <DeviceLatest
          stream={props.stream}
          deviceId={d.id}
          lang={lang}
          values={view.latest}
          labels={m.metrics}
          noValues={l.noLatest}
          now={view.now}
        />
      </section>

      {view.latest.length > 0 && (
        <section aria-labelledby="dev-charts">
          <div class="flex flex-wrap items-center gap-2 mb-2">
            <h2 id="dev-charts" class="text-lg font-semibold">{l.charts}</h2>
            <nav aria-label={l.range} class="flex flex-wrap gap-1 ml-auto text-sm">
              {(Object.keys(RANGES) as (keyof typeof RANGES)[]).map((r) => (
                <a
                  href={`${props.path}?range=${r}`}
                  class={`rounded px-2 py-1 border ${
                    r === view.range
                      ? "bg-brand-600 text-white border-brand-600"
                      : "bg-white border-gray-300 text-brand-700"
                  }`}
                  aria-current={r === view.range ? "true" : undefined}
                >
                  {l.ranges[r]}
                </a>
              ))}
            </nav>
          </div>
          {view.live && <p class="text-sm text-gray-600 mb-2">{l.liveChart}</p>}
          <div class="grid gap-3 lg:grid-cols-2">
            {view.charts.map((c) => (
              <div>
                <IotChart
                  title={m.metrics[c.metric] ?? c.metric}
                  metric={c.metric}
                  unit={METRIC_UNITS[c.metric] ?? ""}
                  lang={lang}
                  at={c.at}
                  value={c.value}
                  min={c.min}
                  max={c.max}
                  labels={{ avg: l.avg, min: l.min, max: l.max }}
                  emptyText={l.noData}
                  stream={view.live ? props.stream : undefined}
                  deviceId={view.live ? d.id : undefined}
                  spanMs={view.live ? RANGES[view.range] : undefined}
                />
                <p class="text-xs text-gray-500 mt-1">{resolutionText(c)}</p>
              </div>
            ))}
          </div>
        </section>
      )}

      <section aria-labelledby="dev-alarms">
        <h2 id="dev-alarms" class="text-lg font-semibold mb-2">{l.deviceAlarms}</h2>
        {view.alarms.length === 0
          ? <p class="text-gray-700">{m.alarms.none}</p>
          : (
            <ul class="space-y-2">
              {view.alarms.map((a) => (
                <li class="rounded border border-gray-200 bg-white p-2 text-sm">
                  <div class="flex flex-wrap items-center gap-2">
                    <SeverityBadge severity={a.severity} m={m} />
                    <AlarmStateBadge state={a.state} m={m} />
                    <span class="ml-auto text-gray-600">
                      {when(a.openedAt.getTime())}
                    </span>
                  </div>
                  {props.alarmHref
                    ? (
                      <a
                        href={props.alarmHref + a.id}
                        class="block mt-1 break-words hover:underline"
                      >
                        {a.message}
                      </a>
                    )
                    : <p class="mt-1 break-words">{a.message}</p>}
                </li>
              ))}
            </ul>
          )}
      </section>
    </div>
  );
}
