/**
 * The live feed for server-sent events. Workers and the web share no memory (DESIGN §3), so the
 * feed subscribes to what the ingest republishes after each commit (`{ns}/live/v1/{deviceId}`,
 * coalesced to one message per device per second) and to alarm changes (`{ns}/alarms/v1`), with
 * the read-only svc-live account. A route does:
 *
 * ```ts
 * const feed = openLiveFeed({ mqttUrl, credentials, filter: { tankIds: ["tank-1"] }, signal });
 * for await (const event of feed) await stream.writeSSE({ event: event.kind, data: JSON.stringify(event) });
 * ```
 *
 * A slow consumer does not hold anything up: past `maxQueue` events the oldest are dropped (the
 * next message for a device carries its latest values anyway).
 */
import mqtt, { type MqttClient } from "mqtt";
import { z } from "@/services/platform/schema.ts";
import type { AlarmChange } from "./alarms.ts";
import { DEFAULT_TOPIC_NAMESPACE, DEVICE_TYPES, type DeviceType, topicsFor } from "./contract.ts";
import type { MqttCredentials } from "./credentials.ts";

export interface LiveReadings {
  kind: "reading";
  deviceId: string;
  type: DeviceType | null;
  tankId: string | null;
  animalTag: string | null;
  readings: { metric: string; at: number; value: number }[];
}

export interface LiveAlarm {
  kind: "alarm";
  alarm: AlarmChange;
}

export type LiveEvent = LiveReadings | LiveAlarm;

export interface LiveFilter {
  deviceIds?: string[];
  types?: DeviceType[];
  tankIds?: string[];
  metrics?: string[];
  /** Include alarm changes (default true). */
  alarms?: boolean;
  /** Include readings (default true). */
  readings?: boolean;
}

export interface LiveFeedOptions {
  mqttUrl: string;
  /** svc-live (or svc-ingest); none for an anonymous broker. */
  credentials?: MqttCredentials;
  topicNamespace?: string;
  filter?: LiveFilter;
  /** Closes the feed when aborted (the SSE client went away). */
  signal?: AbortSignal;
  maxQueue?: number;
}

export interface LiveFeed extends AsyncIterable<LiveEvent> {
  /** Resolves once subscribed (events published before that are not seen). */
  ready: Promise<void>;
  close(): Promise<void>;
}

const livePayload = z.object({
  d: z.string(),
  type: z.enum(DEVICE_TYPES).nullish(),
  tank: z.string().nullish(),
  animal: z.string().nullish(),
  r: z.array(z.object({ m: z.string(), at: z.number(), v: z.number() })),
});

const alarmPayload = z.object({
  alarmId: z.string(),
  ruleId: z.string(),
  deviceId: z.string(),
  tankId: z.string().nullable(),
  animalTag: z.string().nullable(),
  severity: z.enum(["info", "warning", "critical"]),
  state: z.enum(["open", "acknowledged", "resolved"]),
  message: z.string(),
  value: z.number().nullable(),
  at: z.string(),
});

/** Does a live readings event pass the filter? Pure. */
export function passes(filter: LiveFilter, e: LiveReadings): LiveReadings | null {
  if (filter.readings === false) return null;
  if (filter.deviceIds && !filter.deviceIds.includes(e.deviceId)) return null;
  if (filter.types && (!e.type || !filter.types.includes(e.type))) return null;
  if (filter.tankIds && (!e.tankId || !filter.tankIds.includes(e.tankId))) return null;
  if (!filter.metrics) return e;
  const readings = e.readings.filter((r) => filter.metrics!.includes(r.metric));
  return readings.length ? { ...e, readings } : null;
}

export function openLiveFeed(opts: LiveFeedOptions): LiveFeed {
  const topics = topicsFor(opts.topicNamespace ?? DEFAULT_TOPIC_NAMESPACE);
  const filter = opts.filter ?? {};
  const maxQueue = opts.maxQueue ?? 1000;
  const queue: LiveEvent[] = [];
  let wake: (() => void) | null = null;
  let closed = false;

  const client: MqttClient = mqtt.connect(opts.mqttUrl, {
    clean: true,
    clientId: `sd-live-${crypto.randomUUID().slice(0, 12)}`,
    username: opts.credentials?.username,
    password: opts.credentials?.password,
    reconnectPeriod: 2000,
    protocolVersion: 4,
  });

  const subscriptions: string[] = [];
  if (filter.readings !== false) {
    if (filter.deviceIds && filter.deviceIds.length <= 50) {
      subscriptions.push(...filter.deviceIds.map((id) => topics.live(id)));
    } else subscriptions.push(topics.liveFilter);
  }
  if (filter.alarms !== false) subscriptions.push(topics.alarms);

  const ready = new Promise<void>((resolve, reject) => {
    client.on("connect", async () => {
      try {
        if (subscriptions.length) await client.subscribeAsync(subscriptions, { qos: 0 });
        resolve();
      } catch (err) {
        reject(err);
      }
    });
  });
  ready.catch(() => {}); // surfaced to callers that await it; never an unhandled rejection
  client.on("error", () => {/* reconnects by itself; the SSE stream simply stays quiet */});

  function push(e: LiveEvent) {
    queue.push(e);
    if (queue.length > maxQueue) queue.shift();
    wake?.();
  }

  client.on("message", (topic, payload) => {
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(payload));
    } catch {
      return;
    }
    if (topic === topics.alarms) {
      const a = alarmPayload.safeParse(body);
      if (!a.success) return;
      if (filter.deviceIds && !filter.deviceIds.includes(a.data.deviceId)) return;
      if (filter.tankIds && (!a.data.tankId || !filter.tankIds.includes(a.data.tankId))) return;
      return push({ kind: "alarm", alarm: a.data });
    }
    const r = livePayload.safeParse(body);
    if (!r.success) return;
    const e = passes(filter, {
      kind: "reading",
      deviceId: r.data.d,
      type: r.data.type ?? null,
      tankId: r.data.tank ?? null,
      animalTag: r.data.animal ?? null,
      readings: r.data.r.map((x) => ({ metric: x.m, at: x.at, value: x.v })),
    });
    if (e) push(e);
  });

  async function close() {
    if (closed) return;
    closed = true;
    wake?.();
    await new Promise<void>((r) => client.end(true, {}, () => r()));
  }
  opts.signal?.addEventListener("abort", () => void close(), { once: true });
  if (opts.signal?.aborted) void close();

  return {
    ready,
    close,
    async *[Symbol.asyncIterator]() {
      try {
        while (!closed) {
          if (!queue.length) {
            await new Promise<void>((r) => (wake = r));
            wake = null;
            continue;
          }
          yield queue.shift()!;
        }
      } finally {
        await close();
      }
    },
  };
}
