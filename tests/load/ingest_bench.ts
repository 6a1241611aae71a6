/**
 * IoT ingest benchmark: readings per second from MQTT publish to committed row in PostgreSQL,
 * against the broker's bare publish→subscribe rate for the same messages measured in the same
 * run (the baseline: an ingest cannot beat the broker that feeds it).
 *
 * Devices buffer readings, so each message carries `readingsPerMessage` readings (50 by
 * default: 25 envelopes of temperature and humidity from a room sensor). Publishers keep at most
 * `window` messages ahead of what has been committed, so the figures describe a steady state
 * rather than a queue filling up. Runs on a throwaway database of the PostgreSQL server in
 * TEST_DATABASE_URL / DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), with
 * the embedded aedes broker on a free port. About 25 s in all.
 *
 * `deno run -A tests/load/ingest_bench.ts` prints the figures; tests/load/bench.ts imports it.
 */
import mqtt, { type MqttClient } from "mqtt";
import postgres from "postgres";
import { migrate } from "@/services/platform/migrate.ts";
import { startEmbeddedBroker } from "@/services/iot/broker.ts";
import { topicsFor } from "@/services/iot/contract.ts";
import { hashSecret, serviceCredentials } from "@/services/iot/credentials.ts";
import { startIngest } from "@/workers/ingest.ts";
import { type Figure, figure } from "./harness.ts";

export type { Figure };

export interface BenchIngestOptions {
  databaseUrl?: string;
  /** Length of each measured phase (default 8 s). */
  seconds?: number;
  devices?: number;
  readingsPerMessage?: number;
  /** Messages in flight between publish and commit (default 200). */
  window?: number;
  log?: (msg: string) => void;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;

export async function benchIngest(opts: BenchIngestOptions = {}): Promise<Figure[]> {
  const seconds = opts.seconds ?? 8;
  const deviceCount = opts.devices ?? 100;
  const perMessage = opts.readingsPerMessage ?? 50;
  const envelopes = Math.max(1, Math.floor(perMessage / 2));
  const window = opts.window ?? 200;
  const log = opts.log ?? (() => {});
  const serverUrl = opts.databaseUrl ?? Deno.env.get("TEST_DATABASE_URL") ??
    Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";

  const dbName = `sd_bench_ingest_${Date.now().toString(36)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const sql = postgres(url.toString(), { max: 4, onnotice: () => {} });
  const appSecret = crypto.randomUUID() + crypto.randomUUID();
  const ns = "bench/sd";
  const topics = topicsFor(ns);
  let broker: Awaited<ReturnType<typeof startEmbeddedBroker>> | undefined;
  const clients: MqttClient[] = [];
  try {
    await migrate(sql);
    const secret = "bench-device-secret";
    const hash = await hashSecret(secret);
    const ids = Array.from({ length: deviceCount }, (_, i) => `bench-${i}`);
    await sql`
      insert into devices (id, type, name, secret_hash)
      select id, 'room_sensor', id, ${hash} from unnest(${ids}::text[]) as u(id)`;
    broker = await startEmbeddedBroker({ port: 0, sql, appSecret, topicNamespace: ns });
    for (const id of ids) {
      clients.push(
        await mqtt.connectAsync(broker.url, {
          // A device may connect only under its own id (the broker binds client ids).
          clientId: id,
          username: id,
          password: secret,
          protocolVersion: 4,
          reconnectPeriod: 0,
        }),
      );
    }
    let lastTs = new Map<string, number>();
    const publishedAt = new Map<string, number>();
    /**
     * One device's buffered message: envelopes 1 ms apart, continuing the device's clock, which
     * starts a minute back so that a fast phase never runs it into the future.
     */
    const payload = (id: string, now: number) => {
      const first = Math.max(now - 60_000, (lastTs.get(id) ?? 0) + 1);
      lastTs.set(id, first + envelopes - 1);
      publishedAt.set(`${id}:${first + envelopes - 1}`, now);
      let s = "[";
      for (let i = 0; i < envelopes; i++) {
        s += `${i ? "," : ""}{"ts":${first + i},"values":{"temperature_c":${
          (28 + (i % 7) / 10).toFixed(1)
        },"humidity_pct":${60 + (i % 20)}}}`;
      }
      return s + "]";
    };

    /**
     * Publishes round-robin over the devices for `seconds`, keeping at most `window` messages
     * ahead of `done()`; returns how many messages were published.
     */
    const drive = async (done: () => number) => {
      let sent = 0;
      let i = 0;
      const until = performance.now() + seconds * 1000;
      while (performance.now() < until) {
        if (sent - done() >= window) {
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        const id = ids[i % deviceCount];
        clients[i % deviceCount].publish(topics.device(id, "telemetry"), payload(id, Date.now()), {
          qos: 1,
        });
        sent++;
        i++;
        if (i % 50 === 0) await new Promise((r) => setTimeout(r, 0)); // let the I/O run
      }
      return sent;
    };

    // Baseline: the same messages through the same broker to a bare QoS 1 subscriber.
    const sub = await mqtt.connectAsync(broker.url, {
      ...(await serviceCredentials(appSecret, "svc-ingest")),
      clientId: "sd-ingest-bench-baseline",
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    let received = 0;
    sub.on("message", () => received++);
    await sub.subscribeAsync(topics.ingestFilter, { qos: 1 });
    const b0 = performance.now();
    const bSent = await drive(() => received);
    while (received < bSent) await new Promise((r) => setTimeout(r, 2));
    const baseline = (received * envelopes * 2) / ((performance.now() - b0) / 1000);
    await sub.endAsync();
    log(`baseline: ${Math.round(baseline)} readings/s`);

    // The ingest: publish → validate → batch → commit.
    lastTs = new Map();
    publishedAt.clear();
    let committedMsgs = 0;
    let committedRows = 0;
    const lags: number[] = [];
    const worker = await startIngest({
      sql,
      dbKind: "server",
      mqttUrl: broker.url,
      credentials: await serviceCredentials(appSecret, "svc-ingest"),
      topicNamespace: ns,
      log: () => {},
      onCommit: (c) => {
        committedMsgs += c.newestAt.length;
        committedRows += c.inserted;
        c.newestAt.forEach((t, i) => {
          const key = `${c.deviceIds[i]}:${t}`;
          lags.push(c.committedAt - publishedAt.get(key)!);
          publishedAt.delete(key);
        });
      },
    });
    await worker.ready;
    const t0 = performance.now();
    const sent = await drive(() => committedMsgs);
    while (committedMsgs < sent) await new Promise((r) => setTimeout(r, 2));
    const elapsed = (performance.now() - t0) / 1000;
    const rate = committedRows / elapsed;
    const stats = worker.stats();
    await worker.stop();
    const [{ n }] = await sql`select count(*)::int as n from telemetry`;
    if (n !== committedRows || stats.deadLettered) {
      throw new Error(`bench data check failed: ${n} rows vs ${committedRows} committed`);
    }
    lags.sort((a, b) => a - b);
    log(`ingest: ${Math.round(rate)} readings/s, ${stats.batches} batches`);
    return [
      figure("iot.ingest.committed", rate, "readings/s", baseline),
      figure("iot.ingest.latency_p50", percentile(lags, 0.5), "ms"),
      figure("iot.ingest.latency_p99", percentile(lags, 0.99), "ms"),
      figure("iot.ingest.batch_size", committedRows / Math.max(1, stats.batches), "readings"),
      figure("iot.broker.publish_subscribe", baseline, "readings/s"),
    ];
  } finally {
    await Promise.all(clients.map((c) => c.endAsync().catch(() => {})));
    await broker?.close();
    await sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

if (import.meta.main) {
  for (const f of await benchIngest({ log: (m) => console.error(`# ${m}`) })) {
    console.log(JSON.stringify(f));
  }
  Deno.exit(0);
}
