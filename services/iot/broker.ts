/**
 * The embedded MQTT broker (aedes 1.x, MQTT 3.1.1) for the no-setup default. Production may use
 * Mosquitto instead with the same rules (docs/mqtt.md):
 * - only registered, non-revoked devices connect: username = device id, password = its secret;
 *   service accounts (svc-ingest, svc-live) use passwords derived from APP_SECRET;
 * - a device publishes only to `{ns}/v1/{its id}/telemetry|status|event` and subscribes only to
 *   its own `{ns}/v1/{id}/cmd`; svc-ingest reads every device topic and writes the live and alarm
 *   topics; svc-live only reads those;
 * - a client id belongs to the identity that signed in (credentials.ts `mayUseClientId`): a
 *   device connects as its own id (or `{id}:…`), the services as `sd-ingest-…`, `sd-live-…`; any
 *   other CONNECT is refused with "identifier rejected", before the broker touches the session
 *   of a client already using that id (the ingest's persistent session cannot be taken over).
 * Device rows are cached for `cacheMs`; a sweep every `cacheMs` disconnects devices revoked since.
 * aedes keeps sessions in memory: a persistent (clean: false) subscriber such as the ingest gets
 * its unacknowledged QoS 1 messages again after a reconnect, as long as this process runs.
 */
import net from "node:net";
import { Aedes } from "aedes";
import { metrics } from "@/services/platform/metrics.ts";
import { DEFAULT_TOPIC_NAMESPACE, parseTopic, type Topics, topicsFor } from "./contract.ts";
import {
  hashSecret,
  mayUseClientId,
  sameBytes,
  SERVICE_ACCOUNTS,
  type ServiceAccount,
  serviceCredentials,
} from "./credentials.ts";
import type { Db } from "@/services/platform/tx.ts";
import { activeDeviceIds } from "./devices.ts";

export interface EmbeddedBrokerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  host?: string;
  sql: Db;
  appSecret: string;
  topicNamespace?: string;
  cacheMs?: number;
}

export interface EmbeddedBroker {
  url: string;
  port: number;
  /** Connected clients' usernames (tests and the admin page). */
  connectedUsers(): string[];
  close(): Promise<void>;
}

type Identity = { kind: "device"; id: string } | { kind: "service"; account: ServiceAccount };

const authFailures = metrics.counter(
  "iot_broker_auth_failures_total",
  "MQTT connections refused by the embedded broker, by reason",
);
const connections = metrics.gauge("iot_broker_connections", "Clients connected to the broker");

/** Does an MQTT topic filter match a topic (for the subscription checks)? */
export function filterMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length) return false;
    if (f[i] !== "+" && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Whether `id` may publish to `topic`. Pure, shared with the tests and docs. */
export function mayPublish(topics: Topics, who: Identity, topic: string): boolean {
  if (who.kind === "device") return parseTopic(topics, topic)?.deviceId === who.id;
  if (who.account === "svc-ingest") {
    return topic.startsWith(`${topics.namespace}/live/v1/`) || topic === topics.alarms;
  }
  return false;
}

/**
 * Whether `who` may subscribe to `filter`. Shared subscriptions are refused on purpose: aedes
 * does not implement them, and the refusal tells the ingest to subscribe plainly.
 */
export function maySubscribe(topics: Topics, who: Identity, filter: string): boolean {
  if (filter.startsWith("$")) return false;
  if (who.kind === "device") return filter === topics.commands(who.id);
  const ns = topics.namespace;
  // Whole namespaces, or any narrower filter without '#'.
  const within = (wide: string) => filterMatches(wide, filter) && !filter.includes("#");
  if (who.account === "svc-ingest") return filter === `${ns}/v1/#` || within(topics.ingestFilter);
  return filter === topics.alarms || filter === `${ns}/live/v1/#` || within(topics.liveFilter);
}

interface CachedDevice {
  hash: Uint8Array;
  revoked: boolean;
  expires: number;
}

/** Starts the broker on host:port; fails with a message naming MQTT_PORT when it is taken. */
export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = opts.host ?? "127.0.0.1";
  const cacheMs = opts.cacheMs ?? 10_000;
  const topics = topicsFor(opts.topicNamespace ?? DEFAULT_TOPIC_NAMESPACE);
  const servicePasswords = new Map<string, Uint8Array>();
  for (const account of SERVICE_ACCOUNTS) {
    const c = await serviceCredentials(opts.appSecret, account);
    servicePasswords.set(account, await hashSecret(c.password));
  }
  const cache = new Map<string, CachedDevice>();

  async function deviceRow(id: string): Promise<CachedDevice | null> {
    const hit = cache.get(id);
    if (hit && hit.expires > Date.now()) return hit;
    const [row] = await opts.sql`
      select secret_hash, revoked_at is not null as revoked from devices where id = ${id}`;
    if (!row) {
      cache.delete(id);
      return null;
    }
    const entry = {
      hash: new Uint8Array(row.secret_hash),
      revoked: row.revoked,
      expires: Date.now() + cacheMs,
    };
    cache.set(id, entry);
    return entry;
  }

  const refuse = (reason: string, code: number) => {
    authFailures.inc({ reason });
    return Object.assign(new Error(`Connection refused: ${reason}`), { returnCode: code });
  };

  const broker = await Aedes.createBroker({
    authenticate: (client: any, username: string | undefined, password: Buffer | undefined, cb) => {
      (async () => {
        if (!username || !password) return cb(refuse("no credentials", 4), false);
        const given = await hashSecret(new TextDecoder().decode(password));
        // aedes calls this before it looks at (and takes over) a session with the same id.
        const bind = (who: Identity) => {
          if (!mayUseClientId(who, String(client.id))) {
            return cb(refuse("client id not allowed", 2), false);
          }
          client.sdIdentity = who;
          cb(null, true);
        };
        const service = servicePasswords.get(username);
        if (service) {
          if (!sameBytes(service, given)) return cb(refuse("bad service password", 4), false);
          return bind({ kind: "service", account: username as ServiceAccount });
        }
        const row = await deviceRow(username);
        if (!row) return cb(refuse("unknown device", 4), false);
        if (row.revoked) return cb(refuse("revoked device", 5), false);
        if (!sameBytes(row.hash, given)) return cb(refuse("bad device secret", 4), false);
        bind({ kind: "device", id: username });
      })().catch((err) => cb(refuse(`registry unavailable: ${err.message}`, 3), false));
    },
    authorizePublish: (client: any, packet: any, cb: (err?: Error | null) => void) => {
      const who: Identity | undefined = client?.sdIdentity;
      if (who && mayPublish(topics, who, packet.topic)) return cb(null);
      cb(new Error(`Publishing to ${packet.topic} is not allowed for ${client?.id}`));
    },
    authorizeSubscribe: (client: any, sub: any, cb: (err: Error | null, sub: any) => void) => {
      const who: Identity | undefined = client?.sdIdentity;
      cb(null, who && maySubscribe(topics, who, sub.topic) ? sub : null);
    },
  });

  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") {
        reject(
          new Error(
            `MQTT port ${opts.port} on ${host} is already in use (another broker, such as ` +
              `Mosquitto?). Set MQTT_PORT to a free port, or set MQTT_URL to use that broker.`,
          ),
        );
      } else reject(err);
    });
    server.listen(opts.port, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  const clients = () => Object.values((broker as any).clients ?? {}) as any[];
  broker.on("client", () => connections.set(clients().length));
  broker.on("clientDisconnect", () => connections.set(clients().length));

  // Drop devices revoked while connected (and forget cached secrets, so rotation takes effect).
  const sweep = setInterval(async () => {
    cache.clear();
    const devices = clients().filter((c) => c.sdIdentity?.kind === "device");
    if (!devices.length) return;
    try {
      const active = await activeDeviceIds(opts.sql, devices.map((c) => c.sdIdentity.id));
      for (const c of devices) if (!active.has(c.sdIdentity.id)) c.close();
    } catch { /* database briefly unavailable: try again next time */ }
  }, cacheMs);

  let closing: Promise<void> | undefined;
  return {
    url: `mqtt://${host}:${port}`,
    port,
    connectedUsers: () =>
      clients().map((c) =>
        c.sdIdentity?.kind === "device" ? c.sdIdentity.id : c.sdIdentity?.account ?? "?"
      ),
    close: () =>
      closing ??= (async () => {
        clearInterval(sweep);
        for (const c of clients()) c.close();
        await new Promise<void>((r) => server.close(() => r()));
        await new Promise<void>((r) => broker.close(() => r()));
      })(),
  };
}
