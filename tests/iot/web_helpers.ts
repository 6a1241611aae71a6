/**
 * Helpers of the IoT web tests: people with a role signed in through the app, the live stack
 * (embedded broker + ingest) wired to a test app, and a reader of server-sent events.
 */
import "@/tests/identity/_fixtures.ts"; // cheap argon2 before any password is hashed
import type { MqttClient } from "mqtt";
import type { TestApp } from "@/tests/helpers/app.ts";
import { Browser, makeUser, PASSWORD, signIn } from "@/tests/identity/_web.ts";
import type { Role } from "@/services/identity/roles.ts";
import { type EmbeddedBroker, startEmbeddedBroker } from "@/services/iot/broker.ts";
import { topicsFor } from "@/services/iot/contract.ts";
import { serviceCredentials } from "@/services/iot/credentials.ts";
import { type IngestWorker, startIngest } from "@/workers/ingest.ts";
import { connectClient } from "./helpers.ts";

export { Browser, PASSWORD };

/** A person with these roles, signed in (no second factor: not for admin or accountant). */
export async function staff(t: TestApp, roles: Role[], email?: string) {
  const user = await makeUser(t.db.sql, t.deps.keyring, {
    email: email ?? `${roles[0]}.${crypto.randomUUID().slice(0, 6)}@example.com`,
    roles,
  });
  const b = new Browser(t);
  const res = await signIn(b, user.email!, PASSWORD);
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${b.html.slice(0, 200)}`);
  return { b, user };
}

export interface LiveStack {
  broker: EmbeddedBroker;
  ingest: IngestWorker;
  /** Publishes telemetry as a device (connects once per device). */
  publish(deviceId: string, secret: string, values: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/**
 * An embedded broker on a free port and the ingest, on the test app's database and secret; the
 * app's live screens are pointed at the broker (deps are shared by reference).
 */
export async function liveStack(t: TestApp): Promise<LiveStack> {
  const sql = t.db.sql;
  const broker = await startEmbeddedBroker({ port: 0, sql, appSecret: t.deps.appSecret });
  t.deps.mqttUrl = broker.url;
  const ingest = await startIngest({
    sql,
    dbKind: t.db.kind,
    mqttUrl: broker.url,
    credentials: await serviceCredentials(t.deps.appSecret, "svc-ingest"),
    liveIntervalMs: 100,
    log: () => {},
  });
  await ingest.ready;
  const clients = new Map<string, MqttClient>();
  const topics = topicsFor();
  return {
    broker,
    ingest,
    async publish(deviceId, secret, values) {
      let c = clients.get(deviceId);
      if (!c) {
        c = await connectClient(broker.url, { username: deviceId, password: secret });
        clients.set(deviceId, c);
      }
      await c.publishAsync(
        topics.device(deviceId, "telemetry"),
        JSON.stringify({ ts: Date.now(), values }),
        { qos: 1 },
      );
    },
    async close() {
      for (const c of clients.values()) await c.endAsync(true);
      await ingest.stop();
      await broker.close();
    },
  };
}

export interface SseEvent {
  event: string;
  data: string;
}

/** Reads server-sent events from a response; `next(pred)` waits for a matching one. */
export function sseReader(res: Response) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const seen: SseEvent[] = [];
  async function read(): Promise<SseEvent | null> {
    while (true) {
      const i = buf.indexOf("\n\n");
      if (i >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const e: SseEvent = { event: "message", data: "" };
        let any = false;
        for (const line of block.split("\n")) {
          if (line.startsWith("event: ")) (e.event = line.slice(7), any = true);
          else if (line.startsWith("data: ")) (e.data += line.slice(6), any = true);
        }
        if (any) return e;
        continue; // a comment or the retry field
      }
      const { value, done } = await reader.read();
      if (done) return null;
      buf += value;
    }
  }
  return {
    seen,
    /** The first event (from now on) for which `pred` holds; throws after `timeoutMs`. */
    async next(pred: (e: SseEvent) => boolean, what: string, timeoutMs = 15_000) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `no ${what} event within ${timeoutMs} ms; saw ${
                  JSON.stringify(seen.map((e) => e.event))
                }`,
              ),
            ),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([
          (async () => {
            while (true) {
              const e = await read();
              if (!e) throw new Error(`the stream ended before a ${what} event`);
              seen.push(e);
              if (pred(e)) return e;
            }
          })(),
          timeout,
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}
