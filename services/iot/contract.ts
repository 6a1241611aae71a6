/**
 * The MQTT topic and payload contract (docs/mqtt.md), checked with Zod per device type.
 *
 * Topics: `{ns}/v1/{deviceId}/telemetry|status|event`, ns "sd" in production (tests use a
 * random namespace). A telemetry payload is one envelope `{"ts": <ms or ISO>, "values": {...}}` or
 * an array of them (readings a device buffered while offline). Each envelope's values become one
 * row per metric; a bad envelope is rejected on its own and the others are kept.
 */
import { z } from "@/services/platform/schema.ts";

export const DEVICE_TYPES = [
  "milk_meter",
  "tank_thermometer",
  "room_sensor",
  "activity_collar",
  "rfid_reader",
  "biogas_monitor",
  "gps_tracker",
] as const;
export type DeviceType = typeof DEVICE_TYPES[number];

export const DEVICE_TYPE_LABELS: Record<DeviceType, string> = {
  milk_meter: "Milk meter",
  tank_thermometer: "Tank thermometer",
  room_sensor: "Room sensor",
  activity_collar: "Activity collar",
  rfid_reader: "RFID reader",
  biogas_monitor: "Biogas monitor",
  gps_tracker: "GPS tracker",
};

export const MESSAGE_KINDS = ["telemetry", "status", "event"] as const;
export type MessageKind = typeof MESSAGE_KINDS[number];

/** Production topic namespace; tests pass a random one so that they never see each other. */
export const DEFAULT_TOPIC_NAMESPACE = "sd";
/** Device ids are MQTT usernames and topic levels: lower-case letters, digits and hyphens. */
export const DEVICE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,63}$/;
/** Largest payload accepted; larger messages are dead-lettered unread. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
/** Most envelopes in one telemetry message. */
export const MAX_ENVELOPES = 1000;
/** How far ahead of the receive time a device clock may be. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * Every topic the system uses, under one namespace ("sd" in production):
 * - `{ns}/v1/{deviceId}/telemetry|status|event`: devices publish (QoS 1);
 * - `{ns}/v1/{deviceId}/cmd`: reserved for commands to a device (the device may subscribe);
 * - `{ns}/live/v1/{deviceId}`: committed readings, republished by the ingest for live screens;
 * - `{ns}/alarms/v1`: alarm changes, published by the workers.
 */
export interface Topics {
  namespace: string;
  device(deviceId: string, kind: MessageKind): string;
  commands(deviceId: string): string;
  /** What the ingest subscribes to. */
  ingestFilter: string;
  /** The same as a shared subscription (group "ingest"), for brokers that support them. */
  sharedIngestFilter: string;
  live(deviceId: string): string;
  liveFilter: string;
  alarms: string;
}

export function topicsFor(namespace: string = DEFAULT_TOPIC_NAMESPACE): Topics {
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(namespace)) {
    throw new Error(`Bad MQTT topic namespace ${JSON.stringify(namespace)}`);
  }
  return {
    namespace,
    device: (id, kind) => `${namespace}/v1/${id}/${kind}`,
    commands: (id) => `${namespace}/v1/${id}/cmd`,
    ingestFilter: `${namespace}/v1/+/+`,
    sharedIngestFilter: `$share/ingest/${namespace}/v1/+/+`,
    live: (id) => `${namespace}/live/v1/${id}`,
    liveFilter: `${namespace}/live/v1/+`,
    alarms: `${namespace}/alarms/v1`,
  };
}

/** `{ns}/v1/{deviceId}/{kind}` → its parts, or null when the topic is not a device topic. */
export function parseTopic(
  topics: Topics,
  topic: string,
): { deviceId: string; kind: MessageKind } | null {
  const root = topics.namespace + "/v1/";
  if (!topic.startsWith(root)) return null;
  const rest = topic.slice(root.length).split("/");
  if (rest.length !== 2) return null;
  const [deviceId, kind] = rest;
  if (!DEVICE_ID_PATTERN.test(deviceId) || deviceId.startsWith("svc-")) return null;
  if (!(MESSAGE_KINDS as readonly string[]).includes(kind)) return null;
  return { deviceId, kind: kind as MessageKind };
}

const num = (min: number, max: number) => z.number().min(min).max(max);
const atLeastOne = (o: Record<string, unknown>) => Object.values(o).some((v) => v !== undefined);
const tag = z.string().trim().min(1).max(40);

/** Allowed values per device type; keys become metric names (units in the name). */
export const VALUE_SCHEMAS = {
  milk_meter: z.strictObject({
    animal_tag: tag,
    yield_kg: num(0, 80),
    fat_pct: num(0, 15).optional(),
    snf_pct: num(0, 15).optional(),
    conductivity_ms_cm: num(0, 20).optional(),
    duration_s: num(0, 7200).optional(),
  }),
  tank_thermometer: z.strictObject({ temperature_c: num(-30, 90) }),
  room_sensor: z.strictObject({
    temperature_c: num(-30, 90),
    humidity_pct: num(0, 100).optional(),
  }),
  activity_collar: z.strictObject({
    steps: z.number().int().min(0).max(100_000).optional(),
    rumination_min: num(0, 1440).optional(),
  }).refine(atLeastOne, "needs steps or rumination_min"),
  rfid_reader: z.strictObject({ tag }),
  biogas_monitor: z.strictObject({
    pressure_kpa: num(0, 1000).optional(),
    flow_m3_h: num(0, 10_000).optional(),
    ch4_pct: num(0, 100).optional(),
  }).refine(atLeastOne, "needs pressure_kpa, flow_m3_h or ch4_pct"),
  gps_tracker: z.strictObject({
    lat: num(-90, 90),
    lon: num(-180, 180),
    speed_kmh: num(0, 300).optional(),
  }),
} satisfies Record<DeviceType, z.ZodType>;

/** Metric names each type produces (for pickers on the device page). */
export const METRICS: Record<DeviceType, readonly string[]> = {
  milk_meter: ["yield_kg", "fat_pct", "snf_pct", "conductivity_ms_cm", "duration_s"],
  tank_thermometer: ["temperature_c"],
  room_sensor: ["temperature_c", "humidity_pct"],
  activity_collar: ["steps", "rumination_min"],
  rfid_reader: ["tag_read"],
  biogas_monitor: ["pressure_kpa", "flow_m3_h", "ch4_pct"],
  gps_tracker: ["lat", "lon", "speed_kmh"],
};

const timestamp = z.union([
  z.number().int("ts must be whole milliseconds").min(946_684_800_000, "ts before 2000")
    .max(4_102_444_800_000, "ts after 2100"),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

const envelope = z.strictObject({
  ts: timestamp.optional(),
  values: z.record(z.string(), z.unknown()),
});

const statusSchema = z.object({
  ts: timestamp.optional(),
  online: z.boolean().optional(),
  firmware: z.string().trim().min(1).max(64).optional(),
  battery_pct: num(0, 100).optional(),
  rssi_dbm: num(-150, 0).optional(),
  uptime_s: z.number().min(0).optional(),
});

const eventSchema = z.strictObject({
  ts: timestamp.optional(),
  kind: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, "kind must be a short lower-case name"),
  data: z.record(z.string(), z.unknown()).optional(),
});

export interface Reading {
  metric: string;
  /** Milliseconds since the epoch (device clock). */
  at: number;
  value: number;
  /** The tag the reading is about when the payload names one (milk meter, RFID). */
  animalTag: string | null;
}

export interface DeviceEvent {
  at: number;
  kind: string;
  data: Record<string, unknown>;
}

export type ParsedMessage =
  | { kind: "telemetry"; readings: Reading[]; rejected: string[] }
  | {
    kind: "status";
    at: number;
    status: z.infer<typeof statusSchema>;
    readings: Reading[];
    rejected: string[];
  }
  | { kind: "event"; events: DeviceEvent[]; rejected: string[] };

export interface ParseOptions {
  /** Receive time (ms): the time of readings without ts, and the reference for clock checks. */
  receivedAt: number;
  /** Readings older than this (ms) are refused: they fall outside raw retention. */
  oldestAt: number;
}

export function describeIssues(error: z.ZodError, prefix = ""): string {
  return error.issues.map((i) => {
    const path = [prefix, ...i.path.map(String)].filter(Boolean).join(".");
    return path ? `${path}: ${i.message}` : i.message;
  }).join("; ");
}

function checkTime(at: number, opts: ParseOptions): string | null {
  if (at > opts.receivedAt + MAX_CLOCK_AHEAD_MS) {
    return `ts ${new Date(at).toISOString()} is ahead of the receive time (device clock wrong?)`;
  }
  if (at < opts.oldestAt) {
    return `ts ${new Date(at).toISOString()} is older than the raw retention window`;
  }
  return null;
}

/** Turns one envelope's values into readings, per the device type's schema. */
export function valuesToReadings(
  type: DeviceType,
  values: unknown,
  at: number,
): { ok: true; readings: Reading[] } | { ok: false; reason: string } {
  const r = VALUE_SCHEMAS[type].safeParse(values);
  if (!r.success) return { ok: false, reason: describeIssues(r.error, "values") };
  const v = r.data as Record<string, unknown>;
  if (type === "rfid_reader") {
    return {
      ok: true,
      readings: [{ metric: "tag_read", at, value: 1, animalTag: v.tag as string }],
    };
  }
  const animalTag = type === "milk_meter" ? v.animal_tag as string : null;
  const readings: Reading[] = [];
  for (const [metric, value] of Object.entries(v)) {
    if (metric === "animal_tag" || value === undefined) continue;
    readings.push({ metric, at, value: value as number, animalTag });
  }
  return { ok: true, readings };
}

/**
 * Parses a message body (already JSON-decoded) for a device of the given type. Returns null
 * plus a reason when nothing in it is usable; otherwise the usable part and the reasons for any
 * rejected envelopes.
 */
export function parseMessage(
  kind: MessageKind,
  type: DeviceType,
  body: unknown,
  opts: ParseOptions,
): { ok: true; message: ParsedMessage } | { ok: false; reason: string } {
  if (kind === "status") {
    const r = statusSchema.safeParse(body);
    if (!r.success) return { ok: false, reason: describeIssues(r.error) };
    const at = Math.min(r.data.ts ?? opts.receivedAt, opts.receivedAt);
    const readings: Reading[] = [];
    if (r.data.battery_pct !== undefined) {
      readings.push({ metric: "battery_pct", at, value: r.data.battery_pct, animalTag: null });
    }
    if (r.data.rssi_dbm !== undefined) {
      readings.push({ metric: "rssi_dbm", at, value: r.data.rssi_dbm, animalTag: null });
    }
    const late = checkTime(at, opts);
    return {
      ok: true,
      message: {
        kind: "status",
        at,
        status: r.data,
        readings: late ? [] : readings,
        rejected: late ? [late] : [],
      },
    };
  }

  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) return { ok: false, reason: "empty batch" };
  if (items.length > MAX_ENVELOPES) {
    return { ok: false, reason: `batch of ${items.length} entries exceeds ${MAX_ENVELOPES}` };
  }
  const rejected: string[] = [];
  const prefix = (i: number) => (Array.isArray(body) ? `[${i}]` : "");

  if (kind === "event") {
    const events: DeviceEvent[] = [];
    items.forEach((item, i) => {
      const r = eventSchema.safeParse(item);
      if (!r.success) return void rejected.push(describeIssues(r.error, prefix(i)));
      const at = r.data.ts ?? opts.receivedAt;
      const bad = checkTime(at, opts);
      if (bad) return void rejected.push(`${prefix(i) || "event"}: ${bad}`);
      events.push({ at, kind: r.data.kind, data: r.data.data ?? {} });
    });
    if (!events.length) return { ok: false, reason: rejected.join(" | ") };
    return { ok: true, message: { kind: "event", events, rejected } };
  }

  const readings: Reading[] = [];
  items.forEach((item, i) => {
    const e = envelope.safeParse(item);
    if (!e.success) return void rejected.push(describeIssues(e.error, prefix(i)));
    const at = e.data.ts ?? opts.receivedAt;
    const bad = checkTime(at, opts);
    if (bad) return void rejected.push(`${prefix(i) || "ts"}: ${bad}`);
    const r = valuesToReadings(type, e.data.values, at);
    if (!r.ok) return void rejected.push(prefix(i) ? `${prefix(i)}.${r.reason}` : r.reason);
    for (const x of r.readings) readings.push(x);
  });
  if (!readings.length) return { ok: false, reason: rejected.join(" | ") };
  return { ok: true, message: { kind: "telemetry", readings, rejected } };
}
