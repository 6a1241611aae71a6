/**
 * Formatting and shapes shared by the IoT pages and their islands (so it runs in the browser
 * too: no server imports here). Times are shown in farm time (Asia/Dhaka); numbers in the
 * page's language (Bangla digits for bn).
 */
export type IotLang = "en" | "bn";

/** Units of the metrics, the same in both languages. */
export const METRIC_UNITS: Record<string, string> = {
  temperature_c: "°C",
  humidity_pct: "%",
  yield_kg: "kg",
  fat_pct: "%",
  snf_pct: "%",
  conductivity_ms_cm: "mS/cm",
  duration_s: "s",
  steps: "",
  rumination_min: "min",
  tag_read: "",
  pressure_kpa: "kPa",
  flow_m3_h: "m³/h",
  ch4_pct: "%",
  lat: "°",
  lon: "°",
  speed_kmh: "km/h",
  battery_pct: "%",
  rssi_dbm: "dBm",
};

const DECIMALS: Record<string, number> = {
  temperature_c: 1,
  humidity_pct: 0,
  yield_kg: 1,
  fat_pct: 2,
  snf_pct: 2,
  conductivity_ms_cm: 1,
  duration_s: 0,
  steps: 0,
  rumination_min: 0,
  tag_read: 0,
  pressure_kpa: 1,
  flow_m3_h: 1,
  ch4_pct: 1,
  lat: 5,
  lon: 5,
  speed_kmh: 1,
  battery_pct: 0,
  rssi_dbm: 0,
};

const locale = (lang: IotLang) => (lang === "bn" ? "bn-BD" : "en-GB");
const numberFormats = new Map<string, Intl.NumberFormat>();

export function fmtNumber(lang: IotLang, v: number, decimals = 1): string {
  const key = `${lang}:${decimals}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale(lang), {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    numberFormats.set(key, f);
  }
  return f.format(v);
}

/** "3.9 °C", "12.5 kg", "312 steps" style: the value with its unit. */
export function fmtValue(lang: IotLang, metric: string, v: number): string {
  const unit = METRIC_UNITS[metric] ?? "";
  const n = fmtNumber(lang, v, DECIMALS[metric] ?? 1);
  return unit ? `${n} ${unit}` : n;
}

export function metricDecimals(metric: string): number {
  return DECIMALS[metric] ?? 1;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(lang: IotLang, kind: "time" | "seconds" | "when"): Intl.DateTimeFormat {
  const key = `${lang}:${kind}`;
  let f = timeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(
      locale(lang),
      kind === "when" ? { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Dhaka" } : {
        hour: "2-digit",
        minute: "2-digit",
        second: kind === "seconds" ? "2-digit" : undefined,
        hour12: false,
        timeZone: "Asia/Dhaka",
      },
    );
    timeFormats.set(key, f);
  }
  return f;
}

/** "14:05" in farm time. */
export function fmtTime(lang: IotLang, ms: number, seconds = false): string {
  return dateFormat(lang, seconds ? "seconds" : "time").format(new Date(ms));
}

/** "10 Mar 2026, 14:05" in farm time; today's times only as "14:05". */
export function fmtWhen(lang: IotLang, ms: number | null, never = "—", now = Date.now()): string {
  if (ms === null) return never;
  const day = (t: number) => Math.floor((t + 6 * 3_600_000) / 86_400_000);
  return day(ms) === day(now) ? fmtTime(lang, ms) : dateFormat(lang, "when").format(new Date(ms));
}

/** Fills `{n}`-style placeholders of a message template. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
}

// ---- the shapes the live screens send and receive ------------------------------------------

export interface LiveTankView {
  id: string;
  name: string;
  capacityL: number | null;
  status: "ok" | "held";
  holdReason: string | null;
  heldAt: number | null;
  temperatureC: number | null;
  temperatureAt: number | null;
  thermometerId: string | null;
}

export interface LiveMilkView {
  day: string;
  totalKg: number;
  sessions: { session: string; kg: number; milkings: number; cows: number }[];
}

export interface LiveAlarmView {
  id: string;
  severity: "info" | "warning" | "critical";
  state: "open" | "acknowledged" | "resolved";
  message: string;
  deviceId: string;
  tankId: string | null;
  openedAt: number;
}

/** SSE `tank` event: a thermometer's newest reading. */
export interface TankEvent {
  tankId: string;
  deviceId: string;
  temperatureC: number;
  at: number;
}

/** SSE `alarms` event: the active alarms and every tank's hold status, after any change. */
export interface AlarmsEvent {
  alarms: LiveAlarmView[];
  tanks: Pick<LiveTankView, "id" | "status" | "holdReason" | "heldAt">[];
}

/** SSE `reading` event (device pages). */
export interface ReadingEvent {
  deviceId: string;
  readings: { metric: string; at: number; value: number }[];
}

/** Readings older than this on a tank tile are shown as stale. */
export const STALE_MS = 10 * 60_000;

/** Tank temperature bands from the alarm rules (°C): above `warm` is warm, above `hot` hot. */
export interface TankBands {
  warm: number;
  hot: number;
}

export type TankLevel = "none" | "stale" | "ok" | "warm" | "hot";

export function tankLevel(t: LiveTankView, bands: TankBands, now: number): TankLevel {
  if (t.temperatureC === null || t.temperatureAt === null) return "none";
  if (now - t.temperatureAt > STALE_MS) return "stale";
  if (t.temperatureC > bands.hot) return "hot";
  if (t.temperatureC > bands.warm) return "warm";
  return "ok";
}
