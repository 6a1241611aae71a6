/** Factories and waiting helpers for the IoT tests. */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { Queryable } from "@/services/platform/db.ts";
import { type DeviceType, type Topics, topicsFor } from "@/services/iot/contract.ts";
import { createDevice } from "@/services/iot/devices.ts";
import { createTank } from "@/services/iot/tanks.ts";
import { emptyBatch, writeBatch } from "@/services/iot/telemetry.ts";
import type { Database, Sql } from "@/services/platform/db.ts";
import {
  type EmbeddedBroker,
  type EmbeddedBrokerOptions,
  startEmbeddedBroker,
} from "@/services/iot/broker.ts";
import { serviceCredentials } from "@/services/iot/credentials.ts";
import { type IngestOptions, type IngestWorker, startIngest } from "@/workers/ingest.ts";
import { withTestDb } from "@/tests/helpers/db.ts";

export const MOSQUITTO_URL = "mqtt://127.0.0.1:1883";
export const APP_SECRET = "test-app-secret-0123456789abcdef0123456789";
/** Is CI's Mosquitto listening? (Its tests skip themselves without it.) */
export const mosquittoUp = await reachable("127.0.0.1", 1883);
/** Broker tests leave the sockets and timers of what they stop to the broker and the ingest. */
export const brokerTestOpts = { sanitizeOps: false, sanitizeResources: false };

/** A random topic namespace, so that tests sharing a broker never see each other's messages. */
export function testNamespace(): string {
  return `t${crypto.randomUUID().slice(0, 8)}/sd`;
}

/** The embedded broker on a free port (unless `extra.port`) for the test's topic namespace. */
export function startTestBroker(
  db: Database,
  ns: string,
  extra: Partial<EmbeddedBrokerOptions> = {},
) {
  return startEmbeddedBroker({
    port: 0,
    sql: db.sql,
    appSecret: APP_SECRET,
    topicNamespace: ns,
    ...extra,
  });
}

/** An ingest worker signed in to `mqttUrl` as svc-ingest. */
export async function startTestIngest(
  db: Database,
  mqttUrl: string,
  ns: string,
  extra: Partial<IngestOptions> = {},
) {
  return startIngest({
    sql: db.sql,
    dbKind: db.kind,
    mqttUrl,
    credentials: await serviceCredentials(APP_SECRET, "svc-ingest"),
    topicNamespace: ns,
    ...extra,
  });
}

/** A test database, a broker (embedded, or CI's Mosquitto) and an ingest on a fresh namespace. */
export interface IngestRig {
  db: Database;
  ns: string;
  topics: Topics;
  /** The broker's address. */
  url: string;
  /** The embedded broker (null on Mosquitto). */
  broker: EmbeddedBroker | null;
  worker: IngestWorker;
}

/**
 * Runs `fn` on an `IngestRig`: `setup` first (devices, tanks: what it returns is `fn`'s second
 * argument), then the broker (`broker`: the embedded one's options, or "mosquitto", where the
 * ingest connects anonymously) and the ingest (`ingest`: its options, given the namespace),
 * ready before `fn` and stopped after it.
 */
export async function withIngestRig<T>(
  rig: {
    setup?: (db: Database) => Promise<T>;
    broker?: Partial<EmbeddedBrokerOptions> | "mosquitto";
    ingest?: (ns: string) => Partial<IngestOptions>;
  },
  fn: (rig: IngestRig, made: T) => Promise<void>,
): Promise<void> {
  await withTestDb(async (db) => {
    const ns = testNamespace();
    const made = (await rig.setup?.(db)) as T;
    const extra = rig.ingest?.(ns);
    const broker = rig.broker === "mosquitto" ? null : await startTestBroker(db, ns, rig.broker);
    const url = broker?.url ?? MOSQUITTO_URL;
    const worker = broker ? await startTestIngest(db, url, ns, extra) : await startIngest({
      sql: db.sql,
      dbKind: db.kind,
      mqttUrl: url,
      topicNamespace: ns,
      ...extra,
    });
    try {
      await worker.ready;
      await fn({ db, ns, topics: topicsFor(ns), url, broker, worker }, made);
    } finally {
      await worker.stop();
      await broker?.close();
    }
  });
}

let seq = 0;
export async function makeDevice(
  sql: Queryable,
  type: DeviceType,
  extra: { id?: string; animalTag?: string; tankId?: string; name?: string } = {},
) {
  const id = extra.id ??
    `${type.replace(/_/g, "-").slice(0, 10)}-${++seq}-${crypto.randomUUID().slice(0, 4)}`;
  return await createDevice(sql, {
    id,
    type,
    name: extra.name ?? id,
    animalTag: extra.animalTag,
    tankId: extra.tankId,
  });
}

export async function makeTank(sql: Queryable, id = `tank-${++seq}`) {
  return await createTank(sql, { id, name: `Tank ${id}`, capacityL: 5000 });
}

/** A tank `tankId` with a thermometer in it (`extra`: the thermometer's id, name). */
export async function makeTankWithThermometer(
  sql: Queryable,
  tankId: string,
  extra: { id?: string; name?: string } = {},
) {
  await makeTank(sql, tankId);
  return await makeDevice(sql, "tank_thermometer", { ...extra, tankId });
}

/** Writes readings straight to the database (alarm and rollup tests walk time this way). */
export async function putReadings(
  sql: Sql,
  rows: {
    deviceId: string;
    metric: string;
    at: Date;
    value: number;
    animalTag?: string | null;
    tankId?: string | null;
  }[],
): Promise<number> {
  const w = emptyBatch();
  for (const r of rows) {
    w.rows.push(
      r.deviceId,
      r.metric,
      r.at.getTime(),
      r.value,
      r.animalTag ?? null,
      r.tankId ?? null,
    );
    const s = w.seen.get(r.deviceId) ?? { seenAt: r.at.getTime(), readingAt: r.at.getTime() };
    s.seenAt = Math.max(s.seenAt, r.at.getTime());
    s.readingAt = Math.max(s.readingAt ?? 0, r.at.getTime());
    w.seen.set(r.deviceId, s);
    w.dirty.deviceId.push(r.deviceId);
    w.dirty.bucket.push(Math.floor(r.at.getTime() / 3_600_000) * 3_600_000);
  }
  return await sql.begin((tx) => writeBatch(tx, w));
}

/**
 * A client id the broker lets `username` use (client ids are bound to identities): a device's
 * own id with a random suffix (so that two connections of one device do not take each other
 * over), a service's prefix; anonymous (Mosquitto in CI): mqtt.js's random id.
 */
export function clientIdFor(username?: string): string | undefined {
  const suffix = crypto.randomUUID().slice(0, 8);
  if (!username) return undefined;
  if (username === "svc-ingest") return `sd-ingest-test-${suffix}`;
  if (username === "svc-live") return `sd-live-test-${suffix}`;
  return `${username}:test-${suffix}`;
}

export async function connectClient(url: string, opts: IClientOptions = {}): Promise<MqttClient> {
  return await mqtt.connectAsync(url, {
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...opts,
    clientId: opts.clientId ?? clientIdFor(opts.username),
  });
}

/**
 * Polls until check() is truthy; throws with the last value after timeoutMs. A check that throws
 * counts as "not yet" (a connection cut on purpose fails the query that was on it).
 */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err instanceof Error ? err.message : err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export async function count(sql: Queryable, table: string): Promise<number> {
  const [r] = await sql.unsafe(`select count(*)::int as n from ${table}`);
  return r.n;
}

/** Is something listening on host:port? (Mosquitto tests skip themselves without it.) */
export async function reachable(host: string, port: number): Promise<boolean> {
  try {
    const c = await Deno.connect({ hostname: host, port });
    c.close();
    return true;
  } catch {
    return false;
  }
}

/** A registered device (as `makeDevice` returns it) connected under its own credentials. */
export function connectDevice(
  url: string,
  made: { device: { id: string }; secret: string },
  opts: IClientOptions = {},
): Promise<MqttClient> {
  return connectClient(url, { username: made.device.id, password: made.secret, ...opts });
}

/** Publishes `payload` as JSON at QoS 1 (resolves once the broker acknowledged it). */
export async function publishJson(client: MqttClient, topic: string, payload: unknown) {
  await client.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
}

/** Waits until `table` holds exactly `n` rows. */
export async function waitForRows(sql: Queryable, table: string, n: number, what: string) {
  await waitFor(async () => (await count(sql, table)) === n, what);
}

/** The ingest's own client id in a test namespace (what a takeover would borrow). */
export function ingestClientId(ns: string): string {
  return `sd-ingest-${ns.replace(/\W/g, "-")}`;
}
