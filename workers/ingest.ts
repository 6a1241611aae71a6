/**
 * The MQTT ingest worker: device messages in, rows in PostgreSQL out.
 *
 * - Subscribes at QoS 1 with a fixed clientId and `clean: false`, so the broker keeps the session
 *   (and every unacknowledged message) while the worker is away. With a broker that supports
 *   shared subscriptions (Mosquitto, MQTT 5 brokers) it subscribes as `$share/ingest/…`, so that
 *   several ingest processes split the load; otherwise (aedes, the embedded broker) plainly.
 * - Holds each PUBACK until the batch holding the message has committed: a worker killed mid-
 *   batch loses nothing, the broker delivers the unacknowledged messages again, and the unique
 *   index drops what had already been written. mqtt.js 5 has no public hook for this (its
 *   `customHandleAcks` is MQTT 5 only and stalls the packet pump until it answers), so we replace
 *   `handleMessage`: we let the pump go on at once and send the PUBACK ourselves after COMMIT.
 * - MQTT 5 is tried first: there the worker announces a receive maximum, so the broker keeps
 *   thousands of unacknowledged messages in flight (Mosquitto allows only 20 to a 3.1.1 client,
 *   which would cap a 50 ms batch at 400 messages per second). aedes speaks only 3.1.1.
 * - Batches by size and time (batchSize readings or flushMs), validates per device type, writes
 *   one transaction per batch, dead-letters what it cannot store, retries the database with
 *   backoff, and reconnects to the broker with backoff.
 * - After each commit: committed readings are republished (coalesced, at most once per second per
 *   device) on `{ns}/live/v1/{deviceId}` for live screens, and the cheap alarm rules (thresholds,
 *   rates) are evaluated for the devices in the batch; alarm changes go to `{ns}/alarms/v1`.
 * - Notices when its session is lost: the broker says another client took it over (MQTT 5
 *   DISCONNECT 0x8E), or a reconnect finds no session where one was held (a 3.1.1 broker such as
 *   aedes just drops the old connection; a client with `clean: true` and our id erases what the
 *   broker kept for us). Each loss is logged as an error, counted in
 *   `iot_ingest_session_takeovers_total`, and `health()` (the broker check of `/readyz`) is
 *   unhealthy until `sessionAlertMs` pass without another one. It subscribes on every connect.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { Sql } from "@/services/platform/db.ts";
import { metrics } from "@/services/platform/metrics.ts";
import {
  type BatchWrite,
  createIot,
  DEFAULT_TOPIC_NAMESPACE,
  type DeviceInfo,
  type DeviceType,
  emptyBatch,
  MAX_PAYLOAD_BYTES,
  type MessageKind,
  type MqttCredentials,
  parseMessage,
  parseTopic,
  pgCode,
  type RuleKind,
  type Topics,
  topicsFor,
} from "@/services/iot/mod.ts";

export interface IngestOptions {
  sql: Sql;
  dbKind: "server" | "embedded";
  mqttUrl: string;
  /** svc-ingest's credentials; none for an anonymous broker (tests against Mosquitto). */
  credentials?: MqttCredentials;
  topicNamespace?: string;
  /** Fixed, so the broker keeps the session across restarts. */
  clientId?: string;
  /** Readings per batch (default 5,000). */
  batchSize?: number;
  /** Longest wait before a partial batch is written (default 50 ms). */
  flushMs?: number;
  /** Batches written at once (default 2 on a server, 1 embedded). */
  concurrency?: number;
  /** Readings older than this many days are dead-lettered (default 90, TELEMETRY_RETENTION_DAYS). */
  retentionDays?: number;
  /** "auto": try `$share/ingest/…` and fall back when the broker refuses it. */
  sharedSubscription?: "auto" | boolean;
  /** "auto": MQTT 5, else 3.1.1. */
  protocolVersion?: "auto" | 4 | 5;
  /** MQTT 5 session expiry: how long the broker keeps messages for a stopped worker (7 days). */
  sessionExpirySeconds?: number;
  /** Republish committed readings for live screens (default true). */
  live?: boolean;
  liveIntervalMs?: number;
  /** Evaluate threshold and rate rules after each batch (default true). */
  alarms?: boolean;
  /** Called after each commit (benchmarks, tests). */
  onCommit?: (info: CommitInfo) => void;
  /** How long a lost session keeps `health()` unhealthy (default 10 minutes). */
  sessionAlertMs?: number;
  /** The clock for `health()` (tests). */
  now?: () => number;
  log?: (level: "info" | "warn" | "error", msg: string) => void;
}

export interface CommitInfo {
  committedAt: number;
  inserted: number;
  duplicates: number;
  deadLettered: number;
  /** Per telemetry message in the batch: its device and its newest reading time (ms). */
  deviceIds: string[];
  newestAt: number[];
}

export interface IngestStats {
  connected: boolean;
  protocolVersion: 4 | 5 | null;
  shared: boolean;
  /** Messages received. */
  received: number;
  /** Readings written (new rows). */
  committed: number;
  duplicates: number;
  /** Dead-letter rows written (one per bad message). */
  deadLettered: number;
  batches: number;
  /** Messages received and not yet acknowledged. */
  pending: number;
  dbErrors: number;
  /** Times the broker session was lost (taken over, or missing on a reconnect). */
  sessionLosses: number;
  /** The latest loss: when (ms) and why. */
  lastSessionLoss: { at: number; reason: SessionLossReason } | null;
}

/** `taken_over`: the broker said so (MQTT 5, 0x8E); `missing`: a reconnect found no session. */
export type SessionLossReason = "taken_over" | "missing";

export interface IngestHealth {
  ok: boolean;
  detail: string;
}

export interface IngestWorker {
  /** Resolves once connected and subscribed for the first time. */
  ready: Promise<void>;
  stats(): IngestStats;
  /** Connected, and no session lost within `sessionAlertMs` (the `/readyz` broker check). */
  health(): IngestHealth;
  /**
   * flush: true (default) writes and acknowledges what was received, then disconnects.
   * flush: false drops the connection at once without writing or acknowledging anything
   * (as if the process were killed): the broker redelivers.
   */
  stop(opts?: { flush?: boolean }): Promise<void>;
}

interface Pending {
  topic: string;
  deviceId: string | null;
  kind: MessageKind | null;
  body: unknown;
  raw: Uint8Array;
  receivedAt: number;
  /** Why it cannot be stored, decided on arrival (bad topic, not JSON, too big). */
  error?: string;
  ack?: () => void;
}

interface Batch {
  messages: Pending[];
  readings: number;
}

const m = {
  received: metrics.counter("iot_ingest_messages_total", "MQTT messages received by the ingest"),
  committed: metrics.counter("iot_ingest_readings_committed_total", "Readings written"),
  duplicates: metrics.counter("iot_ingest_readings_duplicate_total", "Duplicate readings dropped"),
  dead: metrics.counter("iot_ingest_dead_letters_total", "Messages dead-lettered"),
  batch: metrics.histogram("iot_ingest_batch_seconds", "Time to write one batch"),
  lag: metrics.histogram(
    "iot_ingest_lag_seconds",
    "From a message's newest reading time to its commit",
    [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  ),
  dbErrors: metrics.counter("iot_ingest_db_errors_total", "Failed batch writes (retried)"),
  sessionLost: metrics.counter(
    "iot_ingest_session_takeovers_total",
    "Broker sessions of the ingest lost: taken over by another client, or missing on a reconnect",
  ),
};

const DEVICE_CACHE_MS = 30_000;
const DIRTY_REMARK_MS = 10_000;
const HOUR = 3_600_000;
const CHEAP_KINDS: RuleKind[] = ["threshold", "rate"];
const utf8 = new TextDecoder();

/**
 * Bad data that PostgreSQL refuses (data exception, integrity violation): retrying the same rows
 * cannot help, so the batch is split and the offending message dead-lettered. Everything else
 * (connection lost, server restarting, serialization failure) is retried as it is.
 */
function isDataError(err: unknown): boolean {
  const code = pgCode(err);
  return !!code && /^(22|23)[0-9A-Z]{3}$/.test(code);
}

export async function startIngest(opts: IngestOptions): Promise<IngestWorker> {
  const iot = createIot({ sql: opts.sql });
  const topics: Topics = topicsFor(opts.topicNamespace ?? DEFAULT_TOPIC_NAMESPACE);
  const batchSize = opts.batchSize ?? 5000;
  const flushMs = opts.flushMs ?? 50;
  const concurrency = opts.concurrency ?? (opts.dbKind === "server" ? 2 : 1);
  const retentionMs = (opts.retentionDays ?? 90) * 86_400_000;
  const log = opts.log ?? ((level, msg) => console[level](`[ingest] ${msg}`));
  const clientId = opts.clientId ?? `sd-ingest-${topics.namespace.replace(/\W/g, "-")}`;
  const live = opts.live ?? true;
  const liveIntervalMs = opts.liveIntervalMs ?? 1000;

  const stats: IngestStats = {
    connected: false,
    protocolVersion: null,
    shared: false,
    received: 0,
    committed: 0,
    duplicates: 0,
    deadLettered: 0,
    batches: 0,
    pending: 0,
    dbErrors: 0,
    sessionLosses: 0,
    lastSessionLoss: null,
  };
  const now = opts.now ?? Date.now;
  const sessionAlertMs = opts.sessionAlertMs ?? 600_000;

  let stopping = false;
  let killed = false;
  let generation = 0; // bumped on every lost connection: stale PUBACKs must not be sent
  let current: Batch = { messages: [], readings: 0 };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const queue: Batch[] = [];
  let inFlight = 0;
  const idle: (() => void)[] = [];

  const devices = new Map<string, { info: DeviceInfo | null; until: number }>();
  const dirtyMarked = new Map<string, number>();
  let markDirty = true;
  let cheapRuleTypes = new Set<DeviceType>();
  let rulesUntil = 0;

  // ---- the database side ----------------------------------------------------------------

  async function loadSettings() {
    for (let delay = 200;; delay = Math.min(delay * 2, 5000)) {
      try {
        markDirty = (await iot.storageMode()) !== "timescale";
        return;
      } catch (err) {
        if (stopping) return;
        log("warn", `database not ready (${(err as Error).message}); retrying`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async function resolveDevices(ids: string[]): Promise<void> {
    const now = Date.now();
    const missing = ids.filter((id) => !((devices.get(id)?.until ?? 0) > now));
    if (!missing.length) return;
    const found = new Map((await iot.deviceInfos(missing)).map((d) => [d.id, d]));
    for (const id of missing) {
      devices.set(id, { info: found.get(id) ?? null, until: now + DEVICE_CACHE_MS });
    }
  }

  async function refreshRules() {
    if (Date.now() < rulesUntil) return;
    const rules = await iot.listRules({ enabledOnly: true });
    const types = new Set<DeviceType>();
    for (const r of rules) {
      if (CHEAP_KINDS.includes(r.kind) && r.deviceType) types.add(r.deviceType);
    }
    // Rules naming a single device: let every type through (rare, and cheap to scope).
    if (rules.some((r) => CHEAP_KINDS.includes(r.kind) && !r.deviceType)) {
      for (
        const t of ["milk_meter", "tank_thermometer", "room_sensor", "activity_collar"] as const
      ) {
        types.add(t);
      }
    }
    cheapRuleTypes = types;
    rulesUntil = Date.now() + DEVICE_CACHE_MS;
  }

  /** Turns received messages into one BatchWrite. Pure apart from the device cache. */
  function build(msgs: Pending[], info: { deviceIds: string[]; newestAt: number[] }): BatchWrite {
    const w = emptyBatch();
    const oldestAt = Date.now() - retentionMs + 86_400_000;
    const dead = (p: Pending, reason: string) =>
      w.deadLetters.push({
        topic: p.topic,
        deviceId: p.deviceId,
        reason,
        payload: p.raw,
        receivedAt: p.receivedAt,
      });
    for (const p of msgs) {
      if (p.error) {
        dead(p, p.error);
        continue;
      }
      const device = devices.get(p.deviceId!)?.info;
      if (!device) {
        dead(p, `unknown device ${p.deviceId}`);
        continue;
      }
      if (device.revoked) {
        dead(p, `device ${p.deviceId} is revoked`);
        continue;
      }
      const parsed = parseMessage(p.kind!, device.type, p.body, {
        receivedAt: p.receivedAt,
        oldestAt,
      });
      if (!parsed.ok) {
        dead(p, parsed.reason);
        continue;
      }
      const msg = parsed.message;
      if (msg.rejected.length) dead(p, `partly rejected: ${msg.rejected.join(" | ")}`);
      const seen = w.seen.get(device.id) ?? { seenAt: p.receivedAt, readingAt: null };
      seen.seenAt = Math.max(seen.seenAt, p.receivedAt);
      if (msg.kind === "event") {
        for (const e of msg.events) w.events.push({ deviceId: device.id, ...e });
      } else {
        if (msg.kind === "status") {
          w.statuses.push({
            deviceId: device.id,
            status: { ...msg.status, receivedAt: new Date(p.receivedAt).toISOString() },
            firmware: msg.status.firmware,
          });
        }
        let newest = -Infinity;
        for (const r of msg.readings) {
          w.rows.push(
            device.id,
            r.metric,
            r.at,
            r.value,
            r.animalTag ?? device.animalTag,
            device.tankId,
          );
          if (r.at > newest) newest = r.at;
          if (markDirty) {
            const bucket = Math.floor(r.at / HOUR) * HOUR;
            const key = `${device.id}\u0000${bucket}`;
            const last = dirtyMarked.get(key);
            if (last === undefined || p.receivedAt - last > DIRTY_REMARK_MS) {
              dirtyMarked.set(key, p.receivedAt);
              w.dirty.deviceId.push(device.id);
              w.dirty.bucket.push(bucket);
            }
          }
        }
        if (msg.readings.length) {
          const capped = Math.min(newest, p.receivedAt);
          seen.readingAt = Math.max(seen.readingAt ?? -Infinity, capped);
          if (msg.kind === "telemetry") {
            info.deviceIds.push(device.id);
            info.newestAt.push(newest);
          }
        }
      }
      w.seen.set(device.id, seen);
    }
    if (dirtyMarked.size > 200_000) dirtyMarked.clear(); // bounded memory; re-marking is harmless
    return w;
  }

  /** Writes one batch; on bad data in the batch, falls back to one message at a time. */
  async function write(
    msgs: Pending[],
  ): Promise<{ w: BatchWrite; inserted: number; deviceIds: string[]; newestAt: number[] }> {
    const info = { deviceIds: [] as string[], newestAt: [] as number[] };
    const w = build(msgs, info);
    try {
      const inserted = await iot.writeBatch(w);
      return { w, inserted, ...info };
    } catch (err) {
      if (!isDataError(err)) throw err;
      if (msgs.length === 1) {
        // This one message cannot be stored at all: dead-letter it with the database's reason.
        const p = msgs[0];
        const dl = emptyBatch();
        dl.deadLetters.push({
          topic: p.topic,
          deviceId: p.deviceId,
          reason: `database refused it: ${(err as Error).message}`,
          payload: p.raw,
          receivedAt: p.receivedAt,
        });
        await iot.writeBatch(dl);
        return { w: dl, inserted: 0, deviceIds: [], newestAt: [] };
      }
      log("warn", `batch refused (${(err as Error).message}); writing message by message`);
      const total = {
        w: emptyBatch(),
        inserted: 0,
        deviceIds: [] as string[],
        newestAt: [] as number[],
      };
      for (const p of msgs) {
        const one = await write([p]);
        total.inserted += one.inserted;
        total.deviceIds.push(...one.deviceIds);
        total.newestAt.push(...one.newestAt);
        total.w.deadLetters.push(...one.w.deadLetters);
        for (let i = 0; i < one.w.rows.length; i++) {
          total.w.rows.push(
            one.w.rows.deviceId[i],
            one.w.rows.metric[i],
            one.w.rows.at[i],
            one.w.rows.value[i],
            one.w.rows.animalTag[i],
            one.w.rows.tankId[i],
          );
        }
      }
      return total;
    }
  }

  async function processBatch(batch: Batch): Promise<void> {
    const started = performance.now();
    const ids = [...new Set(batch.messages.map((p) => p.deviceId).filter((d): d is string => !!d))];
    let result: Awaited<ReturnType<typeof write>> | undefined;
    for (let delay = 100; !killed; delay = Math.min(delay * 2, 5000)) {
      try {
        await resolveDevices(ids);
        result = await write(batch.messages);
        break;
      } catch (err) {
        stats.dbErrors++;
        m.dbErrors.inc();
        log("warn", `writing a batch failed (${(err as Error).message}); retrying in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    if (!result || killed) return; // killed: nothing is acknowledged, the broker redelivers
    const committedAt = Date.now();
    for (const p of batch.messages) p.ack?.();
    stats.pending -= batch.messages.length;
    const rows = result.w.rows.length;
    const dup = rows - result.inserted;
    stats.batches++;
    stats.committed += result.inserted;
    stats.duplicates += dup;
    stats.deadLettered += result.w.deadLetters.length;
    m.committed.inc({}, result.inserted);
    if (dup) m.duplicates.inc({}, dup);
    if (result.w.deadLetters.length) m.dead.inc({}, result.w.deadLetters.length);
    m.batch.observe((performance.now() - started) / 1000);
    for (const t of result.newestAt) m.lag.observe(Math.max(0, committedAt - t) / 1000);
    opts.onCommit?.({
      committedAt,
      inserted: result.inserted,
      duplicates: dup,
      deadLettered: result.w.deadLetters.length,
      deviceIds: result.deviceIds,
      newestAt: result.newestAt,
    });
    if (live && rows) noteLive(result.w);
    if ((opts.alarms ?? true) && rows) requestAlarms(result.w);
  }

  function pump() {
    while (inFlight < concurrency && queue.length) {
      const batch = queue.shift()!;
      inFlight++;
      processBatch(batch).catch((err) => log("error", `batch lost: ${err.stack ?? err}`))
        .finally(() => {
          inFlight--;
          pump();
          if (!inFlight && !queue.length) idle.splice(0).forEach((r) => r());
        });
    }
  }

  function flush() {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!current.messages.length) return;
    queue.push(current);
    current = { messages: [], readings: 0 };
    pump();
  }

  const drained = () => new Promise<void>((r) => (!inFlight && !queue.length ? r() : idle.push(r)));

  // ---- live republish and alarms ---------------------------------------------------------

  const liveState = new Map<string, Map<string, { at: number; v: number }>>();
  const liveTimer = live
    ? setInterval(() => {
      // The timer may fire before the client exists (it is made after the first connect attempt).
      if (!client?.connected || !liveState.size) return;
      for (const [deviceId, values] of liveState) {
        const d = devices.get(deviceId)?.info;
        const r = [...values].map(([metric, x]) => ({ m: metric, at: x.at, v: x.v }));
        client.publish(
          topics.live(deviceId),
          JSON.stringify({ d: deviceId, type: d?.type, tank: d?.tankId, animal: d?.animalTag, r }),
          { qos: 0 },
        );
      }
      liveState.clear();
    }, liveIntervalMs)
    : undefined;

  function noteLive(w: BatchWrite) {
    const rows = w.rows;
    for (let i = 0; i < rows.length; i++) {
      let values = liveState.get(rows.deviceId[i]);
      if (!values) liveState.set(rows.deviceId[i], values = new Map());
      const prev = values.get(rows.metric[i]);
      if (!prev || prev.at <= rows.at[i]) {
        values.set(rows.metric[i], { at: rows.at[i], v: rows.value[i] });
      }
    }
  }

  let alarmIds = new Set<string>();
  let alarmRunning = false;
  function requestAlarms(w: BatchWrite) {
    for (const id of w.seen.keys()) alarmIds.add(id);
    runAlarms();
  }
  function runAlarms() {
    if (alarmRunning || stopping) return;
    alarmRunning = true;
    (async () => {
      while (alarmIds.size && !stopping) {
        await refreshRules();
        const ids = [...alarmIds].filter((id) => {
          const type = devices.get(id)?.info?.type;
          return type && cheapRuleTypes.has(type);
        });
        alarmIds = new Set();
        if (!ids.length) continue;
        const r = await iot.evaluateAlarms({ deviceIds: ids, kinds: CHEAP_KINDS });
        for (const e of r.errors) log("error", `alarm rule ${e.ruleId}: ${e.message}`);
        for (const c of r.changes) {
          if (client.connected) client.publish(topics.alarms, JSON.stringify(c), { qos: 1 });
        }
      }
    })().catch((err) => log("error", `alarm evaluation failed: ${err.message}`))
      .finally(() => {
        alarmRunning = false;
        if (alarmIds.size && !stopping) setTimeout(runAlarms, 1000);
      });
  }

  // ---- the MQTT side ---------------------------------------------------------------------

  function receive(topic: string, payload: Uint8Array, ack?: () => void) {
    if (stopping) return; // not acknowledged: the broker delivers it again next time
    if (topic.endsWith("/cmd")) return ack?.(); // commands to devices are not ours to store
    stats.received++;
    stats.pending++;
    const receivedAt = Date.now();
    const where = parseTopic(topics, topic);
    const p: Pending = {
      topic,
      deviceId: where?.deviceId ?? null,
      kind: where?.kind ?? null,
      body: undefined,
      raw: payload,
      receivedAt,
      ack,
    };
    m.received.inc({ kind: p.kind ?? "invalid" });
    let readings = 1;
    if (!where) p.error = "not a device topic ({ns}/v1/{deviceId}/telemetry|status|event)";
    else if (payload.length > MAX_PAYLOAD_BYTES) {
      p.error = `payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD_BYTES}`;
    } else {
      try {
        p.body = JSON.parse(utf8.decode(payload));
        if (Array.isArray(p.body)) {
          const first = p.body[0] as { values?: object } | undefined;
          readings = p.body.length * Math.max(1, Object.keys(first?.values ?? {}).length);
        }
      } catch (err) {
        p.error = `payload is not JSON: ${(err as Error).message}`;
      }
    }
    current.messages.push(p);
    current.readings += readings;
    if (current.readings >= batchSize) flush();
    else if (!timer) timer = setTimeout(flush, flushMs);
  }

  let client!: MqttClient;
  let protocol: 4 | 5 = opts.protocolVersion === 4 ? 4 : 5;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  let backoff = 500;
  /** The broker holds a persistent session of ours (a reconnect should find it). */
  let sessionHeld = false;
  /** The broker told us it was taken over (counted once, not again on the reconnect). */
  let takenOver = false;

  function sessionLost(reason: SessionLossReason) {
    stats.sessionLosses++;
    stats.lastSessionLoss = { at: now(), reason };
    m.sessionLost.inc({ reason });
    log(
      "error",
      (reason === "taken_over"
        ? `another client connected with our client id ${clientId} and took over our session`
        : `reconnected as ${clientId} and the broker had no session for us (taken over by a ` +
          `client with our id and clean: true, or the broker lost it)`) +
        `: messages the broker held for the ingest may be lost; subscribing again`,
    );
  }

  function connect() {
    const options: IClientOptions = {
      clientId,
      clean: false,
      protocolVersion: protocol,
      username: opts.credentials?.username,
      password: opts.credentials?.password,
      reconnectPeriod: backoff,
      connectTimeout: 10_000,
      resubscribe: false, // we subscribe ourselves on every connect
      keepalive: 30,
      ...(protocol === 5
        ? {
          properties: {
            sessionExpiryInterval: opts.sessionExpirySeconds ?? 7 * 86400,
            receiveMaximum: 20_000,
          },
        }
        : {}),
    };
    client = mqtt.connect(opts.mqttUrl, options);
    const c = client as any;
    c.handleMessage = (packet: any, done: (err?: Error) => void) => {
      if (packet.qos !== 1) {
        receive(packet.topic, packet.payload);
        return done();
      }
      const gen = generation;
      const id = packet.messageId;
      receive(packet.topic, packet.payload, () => {
        if (gen === generation && client.connected && !killed) {
          c._sendPacket({ cmd: "puback", messageId: id }, () => {});
        }
      });
      // An error here only tells mqtt.js not to send the PUBACK now; its pump carries on.
      done(new Error("acknowledged after commit"));
    };
    client.on("connect", async (connack) => {
      stats.connected = true;
      stats.protocolVersion = protocol;
      backoff = 500;
      client.options.reconnectPeriod = backoff;
      if (!connack.sessionPresent && sessionHeld && !takenOver) sessionLost("missing");
      // Subscribe on every connect, even when the broker says it kept our session: after a
      // takeover that session may be the intruder's, without our subscriptions. (Subscribing
      // again to the same filter only replaces the subscription.)
      try {
        await subscribe();
      } catch (err) {
        log("error", `subscribe failed: ${(err as Error).message}`);
        client.end(true, () => setTimeout(connect, backoff));
        return;
      }
      sessionHeld = true;
      takenOver = false;
      resolveReady();
    });
    client.on("disconnect", (packet) => {
      // MQTT 5: the broker names the reason. 0x8E: "session taken over".
      if (packet.reasonCode === 0x8e && !stopping) {
        sessionLost("taken_over");
        takenOver = true;
      }
    });
    client.on("close", () => {
      generation++;
      stats.connected = false;
      backoff = Math.min(backoff * 2, 10_000);
      client.options.reconnectPeriod = backoff;
    });
    client.on("error", (err) => {
      if (
        protocol === 5 && opts.protocolVersion !== 5 && /protocol version/i.test(err.message)
      ) {
        log("info", "broker does not speak MQTT 5; using 3.1.1");
        protocol = 4;
        client.end(true, () => connect());
        return;
      }
      if (!stopping) log("warn", `mqtt: ${err.message}`);
    });
  }

  async function subscribe() {
    const want = opts.sharedSubscription ?? "auto";
    if (want !== false) {
      try {
        const granted = await client.subscribeAsync(topics.sharedIngestFilter, { qos: 1 });
        if (granted.every((g) => g.qos === 1 || g.qos === 0)) {
          stats.shared = true;
          return;
        }
      } catch (err) {
        if (want === true) throw err;
      }
    }
    stats.shared = false;
    const granted = await client.subscribeAsync(topics.ingestFilter, { qos: 1 });
    if (granted.some((g) => g.qos !== 1)) {
      throw new Error(`the broker refused the subscription to ${topics.ingestFilter}`);
    }
  }

  await loadSettings();
  connect();

  return {
    ready,
    stats: () => ({ ...stats }),
    health() {
      if (!stats.connected) return { ok: false, detail: "not connected to the broker" };
      const loss = stats.lastSessionLoss;
      if (loss && now() - loss.at < sessionAlertMs) {
        return {
          ok: false,
          detail: `MQTT session lost ${stats.sessionLosses} time(s), last at ` +
            `${new Date(loss.at).toISOString()} (${
              loss.reason === "taken_over" ? "taken over by another client" : "missing on reconnect"
            }); check for another client using ${clientId}`,
        };
      }
      return { ok: true, detail: "connected" };
    },
    async stop({ flush: doFlush = true } = {}) {
      if (stopping) return;
      stopping = true;
      if (liveTimer) clearInterval(liveTimer);
      if (!doFlush) {
        killed = true;
        if (timer) clearTimeout(timer);
        current = { messages: [], readings: 0 };
        queue.length = 0;
        await new Promise<void>((r) => client.end(true, {}, () => r()));
        return;
      }
      flush();
      await drained();
      while (alarmRunning) await new Promise((r) => setTimeout(r, 10));
      await new Promise<void>((r) => client.end(false, {}, () => r()));
    },
  };
}

// (Imported here, next to its one use, so that this bootstrap part stays apart from the rest.)
import { runWorker } from "./bootstrap.ts";

/** `deno task worker ingest`: the worker as its own process. */
export function main(args: string[] = Deno.args): Promise<void> {
  return runWorker("ingest", async ({ config, db }) => {
    const { loadAppSecret } = await import("@/services/platform/secrets.ts");
    const { serviceCredentials } = await import("@/services/iot/credentials.ts");
    const credentials = await serviceCredentials(await loadAppSecret(config), "svc-ingest");
    const mqttUrl = config.MQTT_URL ?? `mqtt://127.0.0.1:${config.MQTT_PORT}`;
    // Several ingest processes sharing the load need one client id each (the same id would take
    // the other's session over): INGEST_CLIENT_ID=sd-ingest-sd-2 and so on.
    const clientId = Deno.env.get("INGEST_CLIENT_ID") || undefined;
    if (clientId && !/^sd-ingest-[A-Za-z0-9_-]{1,60}$/.test(clientId)) {
      console.error("[ingest] INGEST_CLIENT_ID must be sd-ingest-… (letters, digits, - and _)");
      Deno.exit(1);
    }
    const worker = await startIngest({
      sql: db.sql,
      dbKind: db.kind,
      mqttUrl,
      credentials,
      clientId,
      retentionDays: config.TELEMETRY_RETENTION_DAYS,
    });
    console.info(`[ingest] connecting to ${mqttUrl}`);
    await worker.ready;
    console.info(
      `[ingest] subscribed (${worker.stats().shared ? "shared" : "plain"} subscription)`,
    );
    return {
      stop: () => worker.stop(),
      // The broker check of /readyz: connected, and the session not lost lately.
      readiness: () => ({ broker: worker.health().ok }),
      details: () => {
        const s = worker.stats();
        return { broker: worker.health().detail, shared: s.shared, committed: s.committed };
      },
    };
  }, { migrate: false, args });
}

if (import.meta.main) await main();
