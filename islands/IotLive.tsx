/**
 * The live farm overview (default export): tank tiles, today's milk and the open alarms, kept
 * current by the page's server-sent events (`tank`, `milk`, `alarms`). Without JavaScript it is
 * the same overview as of the page load.
 *
 * DeviceLatest: a device's newest value per metric, updated by `reading` events.
 */
import { useEffect, useState } from "preact/hooks";
import {
  type AlarmsEvent,
  fill,
  fmtNumber,
  fmtTime,
  fmtValue,
  fmtWhen,
  type IotLang,
  type LiveAlarmView,
  type LiveMilkView,
  type LiveTankView,
  type ReadingEvent,
  type TankBands,
  type TankEvent,
  type TankLevel,
  tankLevel,
} from "@/components/IotFormat.ts";
import { type LiveStatus, onLive, watchLive } from "@/islands/(_lib)/iot_stream.ts";

export interface FarmLiveStrings {
  connected: string;
  connecting: string;
  offline: string;
  tanks: string;
  noTanks: string;
  noReading: string;
  stale: string;
  ok: string;
  warm: string;
  hot: string;
  held: string;
  heldHint: string;
  /** "{n} L" */
  capacity: string;
  thermometer: string;
  milkToday: string;
  /** "Farm day {day}" */
  milkDay: string;
  totalKg: string;
  kg: string;
  /** "{n} milkings" */
  milkings: string;
  /** "{n} cows" */
  cows: string;
  alarms: string;
  noAlarms: string;
  /** "Updated {t}" */
  updatedAt: string;
  sessions: Record<string, string>;
  severity: Record<string, string>;
  state: Record<string, string>;
}

export interface FarmLiveProps {
  /** The SSE URL. */
  stream: string;
  lang: IotLang;
  t: FarmLiveStrings;
  bands: TankBands;
  tanks: LiveTankView[];
  milk: LiveMilkView;
  alarms: LiveAlarmView[];
  /** Device pages live under this prefix (the id is appended). */
  deviceHref: string;
  /** Server time of the render (so that the first client render matches). */
  now: number;
}

const TILE: Record<TankLevel, string> = {
  none: "border-l-gray-400 bg-white",
  stale: "border-l-gray-400 bg-white",
  ok: "border-l-green-600 bg-green-50",
  warm: "border-l-amber-500 bg-amber-50",
  hot: "border-l-red-600 bg-red-50",
};
const TEMP: Record<TankLevel, string> = {
  none: "text-gray-500",
  stale: "text-gray-500",
  ok: "text-green-800",
  warm: "text-amber-800",
  hot: "text-red-700",
};
const SEVERITY_CLASS: Record<string, string> = {
  critical: "bg-red-100 text-red-900 border-red-300",
  warning: "bg-amber-100 text-amber-900 border-amber-300",
  info: "bg-blue-50 text-blue-900 border-blue-200",
};
const STATUS_DOT: Record<LiveStatus, string> = {
  live: "bg-green-600",
  connecting: "bg-amber-500",
  offline: "bg-red-600",
};

function StatusLine(props: { status: LiveStatus; t: FarmLiveStrings; updated: string | null }) {
  const { status, t } = props;
  const text = status === "live" ? t.connected : status === "offline" ? t.offline : t.connecting;
  return (
    <p class="flex items-center gap-2 text-sm text-gray-700" data-live-status={status}>
      <span class={`inline-block w-2.5 h-2.5 rounded-full ${STATUS_DOT[status]}`} aria-hidden />
      <span role="status">{text}</span>
      {props.updated && <span class="text-gray-500">· {props.updated}</span>}
    </p>
  );
}

function TankTile(
  props: {
    tank: LiveTankView;
    level: TankLevel;
    p: FarmLiveProps;
    now: number;
  },
) {
  const { tank, level, p } = props;
  const { t, lang } = p;
  const word = level === "none"
    ? t.noReading
    : level === "stale"
    ? t.stale
    : t[level as "ok" | "warm" | "hot"];
  return (
    <li
      class={`rounded-lg border border-gray-200 border-l-8 p-3 ${TILE[level]}`}
      data-tank={tank.id}
      data-level={level}
    >
      <div class="flex items-baseline justify-between gap-2">
        <h3 class="font-semibold">{tank.name}</h3>
        {tank.capacityL !== null && (
          <span class="text-xs text-gray-600">
            {fill(t.capacity, { n: fmtNumber(lang, tank.capacityL, 0) })}
          </span>
        )}
      </div>
      <p class={`text-4xl font-bold tabular-nums my-1 ${TEMP[level]}`} data-temp>
        {tank.temperatureC === null ? "—" : fmtValue(lang, "temperature_c", tank.temperatureC)}
      </p>
      <p class="text-sm text-gray-700">
        {tank.temperatureAt === null
          ? word
          : `${word} · ${fmtWhen(lang, tank.temperatureAt, "", props.now)}`}
      </p>
      {tank.status === "held" && (
        <div class="mt-2 rounded bg-red-700 text-white p-2 text-sm" role="alert" data-held>
          <p class="font-semibold">{t.held}</p>
          {tank.holdReason && <p class="break-words">{tank.holdReason}</p>}
          <p class="text-red-100 text-xs mt-1">{t.heldHint}</p>
        </div>
      )}
      {tank.thermometerId && (
        <a
          href={p.deviceHref + tank.thermometerId}
          class="inline-block mt-2 text-sm text-brand-700 underline"
        >
          {t.thermometer}
        </a>
      )}
    </li>
  );
}

export default function FarmLive(p: FarmLiveProps) {
  const { t, lang } = p;
  const [tanks, setTanks] = useState(p.tanks);
  const [milk, setMilk] = useState(p.milk);
  const [alarms, setAlarms] = useState(p.alarms);
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [updated, setUpdated] = useState<number | null>(null);
  const [now, setNow] = useState(p.now);

  useEffect(() => {
    setNow(Date.now());
    const tick = setInterval(() => setNow(Date.now()), 15_000);
    const touched = () => setUpdated(Date.now());
    const offs = [
      watchLive(p.stream, setStatus),
      onLive<TankEvent>(p.stream, "tank", (e) => {
        setTanks((ts) =>
          ts.map((x) =>
            x.id === e.tankId && (x.temperatureAt ?? 0) <= e.at
              ? {
                ...x,
                temperatureC: e.temperatureC,
                temperatureAt: e.at,
                thermometerId: e.deviceId,
              }
              : x
          )
        );
        setNow(Date.now());
        touched();
      }),
      onLive<LiveMilkView>(p.stream, "milk", (m) => {
        setMilk(m);
        touched();
      }),
      onLive<AlarmsEvent>(p.stream, "alarms", (a) => {
        setAlarms(a.alarms);
        setTanks((ts) =>
          ts.map((x) => {
            const s = a.tanks.find((y) => y.id === x.id);
            return s ? { ...x, ...s } : x;
          })
        );
        touched();
      }),
    ];
    return () => {
      clearInterval(tick);
      offs.forEach((off) => off());
    };
  }, [p.stream]);

  const sessions = milk.sessions.filter((s) => s.session !== "other" || s.kg > 0);
  return (
    <div class="space-y-6">
      <StatusLine
        status={status}
        t={t}
        updated={updated ? fill(t.updatedAt, { t: fmtTime(lang, updated, true) }) : null}
      />

      <section aria-labelledby="live-alarms" data-alarms>
        <h2 id="live-alarms" class="text-lg font-semibold mb-2">
          {t.alarms}
          {alarms.length > 0 && (
            <span class="ml-2 rounded-full bg-red-700 text-white text-sm px-2 py-0.5">
              {fmtNumber(lang, alarms.length, 0)}
            </span>
          )}
        </h2>
        {alarms.length === 0
          ? <p class="text-gray-700">{t.noAlarms}</p>
          : (
            <ul class="space-y-2" aria-live="polite">
              {alarms.map((a) => (
                <li
                  class={`rounded border p-2 text-sm ${SEVERITY_CLASS[a.severity] ?? ""}`}
                  data-alarm={a.id}
                >
                  <div class="flex flex-wrap gap-x-2 items-baseline">
                    <span class="font-semibold uppercase text-xs">
                      {t.severity[a.severity] ?? a.severity}
                    </span>
                    {a.state === "acknowledged" && (
                      <span class="text-xs">({t.state.acknowledged})</span>
                    )}
                    <span class="ml-auto text-xs whitespace-nowrap">
                      {fmtWhen(lang, a.openedAt, "", now)}
                    </span>
                  </div>
                  <a href={p.deviceHref + a.deviceId} class="block break-words hover:underline">
                    {a.message}
                  </a>
                </li>
              ))}
            </ul>
          )}
      </section>

      <section aria-labelledby="live-tanks">
        <h2 id="live-tanks" class="text-lg font-semibold mb-2">{t.tanks}</h2>
        {tanks.length === 0
          ? <p class="text-gray-700">{t.noTanks}</p>
          : (
            <ul class="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {tanks.map((tank) => (
                <TankTile
                  tank={tank}
                  level={tankLevel(tank, p.bands, now)}
                  p={p}
                  now={now}
                />
              ))}
            </ul>
          )}
      </section>

      <section aria-labelledby="live-milk" data-milk>
        <h2 id="live-milk" class="text-lg font-semibold">{t.milkToday}</h2>
        <p class="text-sm text-gray-600 mb-2">{fill(t.milkDay, { day: milk.day })}</p>
        <div class="rounded-lg border border-gray-200 bg-white p-3">
          <p class="text-3xl font-bold tabular-nums" data-milk-total>
            {fmtNumber(lang, milk.totalKg, 1)} <span class="text-lg font-normal">{t.kg}</span>
          </p>
          <table class="w-full mt-2 text-sm">
            <tbody>
              {sessions.map((s) => (
                <tr class="border-t border-gray-100" data-session={s.session}>
                  <th scope="row" class="text-left font-medium py-1">
                    {t.sessions[s.session] ?? s.session}
                  </th>
                  <td class="text-right tabular-nums py-1 font-semibold">
                    {fmtNumber(lang, s.kg, 1)} {t.kg}
                  </td>
                  <td class="text-right text-gray-600 py-1 pl-2 hidden sm:table-cell">
                    {fill(t.milkings, { n: fmtNumber(lang, s.milkings, 0) })}
                  </td>
                  <td class="text-right text-gray-600 py-1 pl-2">
                    {fill(t.cows, { n: fmtNumber(lang, s.cows, 0) })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

export interface DeviceLatestProps {
  stream: string;
  deviceId: string;
  lang: IotLang;
  values: { metric: string; value: number; at: number }[];
  labels: Record<string, string>;
  noValues: string;
  now: number;
}

/** A device's newest value per metric, updated as readings arrive. */
export function DeviceLatest(p: DeviceLatestProps) {
  const [values, setValues] = useState(p.values);
  const [now, setNow] = useState(p.now);
  const [status, setStatus] = useState<LiveStatus>("connecting");
  useEffect(() => {
    const offs = [
      watchLive(p.stream, setStatus),
      onLive<ReadingEvent>(p.stream, "reading", (e) => {
        if (e.deviceId !== p.deviceId) return;
        setValues((vs) => {
          const next = [...vs];
          for (const r of e.readings) {
            const i = next.findIndex((v) => v.metric === r.metric);
            if (i < 0) next.push(r);
            else if (next[i].at <= r.at) next[i] = r;
          }
          return next;
        });
        setNow(Date.now());
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [p.stream, p.deviceId]);
  if (!values.length) return <p class="text-gray-700" data-latest>{p.noValues}</p>;
  return (
    <ul class="grid grid-cols-2 sm:grid-cols-3 gap-2" data-latest data-live-status={status}>
      {values.map((v) => (
        <li class="rounded border border-gray-200 bg-white p-2" data-metric={v.metric}>
          <p class="text-xs text-gray-600">{p.labels[v.metric] ?? v.metric}</p>
          <p class="text-xl font-semibold tabular-nums" data-value>
            {fmtValue(p.lang, v.metric, v.value)}
          </p>
          <p class="text-xs text-gray-500">{fmtWhen(p.lang, v.at, "", now)}</p>
        </li>
      ))}
    </ul>
  );
}
