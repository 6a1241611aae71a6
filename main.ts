/**
 * The composition root: configuration → database → migrations → seed → KV → broker → workers →
 * web server. With no DATABASE_URL and no MQTT_URL everything runs embedded in this process.
 */
import { ConfigError, loadConfig, publicOrigin } from "@/services/platform/config.ts";
import { openDatabase } from "@/services/platform/db.ts";
import { migrate } from "@/services/platform/migrate.ts";
import { openKv } from "@/services/platform/kv.ts";
import { loadAppSecret } from "@/services/platform/secrets.ts";
import { loadKeyring } from "@/services/crypto/field_crypto.ts";
import { createWebApp } from "@/server.ts";
import { seedOnFirstStart } from "@/scripts/first_start.ts";
import { startOutboxWorker } from "@/workers/outbox.ts";
import { startWebhookWorker } from "@/workers/webhooks.ts";
import { seedDemoData } from "@/scripts/seed_demo.ts";
import {
  checkStorage,
  describeStorage,
  serviceCredentials,
  startEmbeddedBroker,
  StorageDowngradeError,
  StorageUnsupportedError,
} from "@/services/iot/mod.ts";
import { startIngest } from "@/workers/ingest.ts";
import { needsFakeProviders, startFakeProviders } from "@/services/payments/mod.ts";
import { needsFakeSocial, startFakeSocial } from "@/services/identity/mod.ts";
import { startSchedulers } from "@/workers/schedulers.ts";
import { runAsLeader } from "@/services/platform/leader.ts";
import { listenPageChanges } from "@/services/platform/page_changes.ts";
import { startPhotoWorker } from "@/workers/shop_photos.ts";
import { setLogLevel } from "@/services/platform/log.ts";
import { buildTransports, needsFakeMessaging, startFakeMessaging } from "@/services/notify/mod.ts";
import { notifyHousekeeping } from "@/services/notify/housekeeping.ts";
import { needsFakeCouriers, startFakeCouriers } from "@/services/delivery/mod.ts";
import { createAppDeps, iotStorageDetails } from "@/contexts.ts";
import type { EmbeddedDatabase } from "@/services/platform/db.ts";
import { metricsToken, serveMetrics } from "@/services/platform/metrics_http.ts";
import {
  registerDatabaseMetrics,
  registerEmbeddedBackupMetrics,
  registerOutboxMetrics,
  registerServerBackupMetrics,
  startEmbeddedBackups,
} from "@/services/ops/mod.ts";

/**
 * `deno task start`: everything in this process (the embedded default). `deno task web`
 * (`main.ts --web`): the web server alone, for running several instances behind a balancer next to
 * the workers run alone (`deno task worker ingest|outbox|schedulers|shop_photos`); it needs a
 * PostgreSQL server (DATABASE_URL) and shared KV (KV_URL, or one KV_PATH every instance opens).
 */
async function main() {
  const webOnly = Deno.args.includes("--web");
  let config;
  try {
    config = loadConfig(Deno.env.toObject(), { dev: Deno.args.includes("--dev"), server: true });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      Deno.exit(2);
    }
    throw e;
  }
  setLogLevel(config.LOG_LEVEL);
  if (webOnly && !config.DATABASE_URL) {
    console.error(
      "deno task web needs DATABASE_URL: the embedded database serves one process " +
        "(use deno task start for everything in one).",
    );
    Deno.exit(2);
  }
  await Deno.mkdir(config.DATA_DIR, { recursive: true });
  const appSecret = await loadAppSecret(config);
  const keyring = await loadKeyring(config);

  const db = await openDatabase(config);
  const { applied } = await migrate(db.sql);
  if (applied.length) console.log(`Applied ${applied.length} migration(s): ${applied.join(", ")}`);
  // Which IoT storage plan runs and why; one below (unless accepted) or above what the server
  // allows stops the start.
  const storage = await checkStorage(db.sql, { allowFallback: config.IOT_ALLOW_FALLBACK })
    .catch((e) => {
      if (!(e instanceof StorageDowngradeError || e instanceof StorageUnsupportedError)) throw e;
      console.error(e.message);
      Deno.exit(1);
    });
  console.log(describeStorage(storage));
  const firstStart = await seedOnFirstStart(db, keyring, config);
  if (firstStart) console.log(firstStart);
  const kv = await openKv(config);

  // The embedded default is a demo and a developer's machine: it comes with demo data.
  if (db.kind === "embedded") {
    await seedDemoData(db, appSecret, console.log, { kv, keyring, config });
  }

  // Devices: an embedded broker unless MQTT_URL names one (the web alone starts none).
  const broker = config.MQTT_URL || webOnly ? null : await startEmbeddedBroker({
    port: config.MQTT_PORT,
    host: "127.0.0.1",
    sql: db.sql,
    appSecret,
  });
  const mqttUrl = config.MQTT_URL ?? broker?.url ?? `mqtt://127.0.0.1:${config.MQTT_PORT}`;
  const ingestCredentials = await serviceCredentials(appSecret, "svc-ingest");
  const ingest = webOnly ? null : await startIngest({
    sql: db.sql,
    dbKind: db.kind,
    mqttUrl,
    credentials: ingestCredentials,
    retentionDays: config.TELEMETRY_RETENTION_DAYS,
  });
  const clock = { now: () => new Date() };
  // Couriers: with none configured, local fakes of Pathao, Steadfast and Paperfly (like the
  // payment fakes below), so that booking, webhooks and polling work on the embedded default.
  const courierFakes = needsFakeCouriers(config) ? startFakeCouriers() : null;
  if (courierFakes) {
    Object.assign(config, courierFakes.config);
    console.log(
      `Couriers: local fakes (Pathao ${courierFakes.pathao.baseUrl}, Steadfast ${courierFakes.steadfast.baseUrl}, Paperfly ${courierFakes.paperfly.baseUrl})`,
    );
  }
  const deps = createAppDeps({
    sql: db.sql,
    config,
    kv,
    appSecret,
    keyring,
    mqttUrl,
    clock,
    demoAccounts: db.kind === "embedded",
    async readiness() {
      const checks: Record<string, boolean> = {};
      checks.database = await db.sql`select 1`.then(() => true, () => false);
      checks.kv = await kv.get(["health"]).then(() => true, () => false);
      // Connected, and its session not lost lately (the web alone runs no ingest).
      if (ingest) checks.broker = ingest.health().ok;
      return checks;
    },
    // Which IoT storage plan runs and why (informative: an accepted downgrade is still ready).
    readinessDetails: () => iotStorageDetails(db.sql),
  });
  // Farmers' numbers written before migration 0441 are encrypted now: no plaintext after start.
  const sealedFarmers = await deps.intake.sealFarmerNumbers();
  if (sealedFarmers) console.log(`[intake] encrypted the numbers of ${sealedFarmers} farmers`);

  // Payments: with no provider configured, local fakes that speak each provider's API (and show
  // a "customer" payment page) so that every method can be tried on the embedded default.
  const fakes = needsFakeProviders(config) ? startFakeProviders() : null;
  if (fakes) {
    Object.assign(config, fakes.config);
    console.log(
      `Payment providers: local fakes (bKash ${fakes.urls.bkash}, Nagad ${fakes.urls.nagad}, ` +
        `SSLCommerz ${fakes.urls.sslcommerz})`,
    );
  }
  // Sign-in with Google / Facebook on the demo: local providers that ask who signs in.
  const socialFakes = db.kind === "embedded" && needsFakeSocial(config) ? startFakeSocial() : null;
  if (socialFakes) {
    Object.assign(config, socialFakes.config);
    console.log(
      `Google/Facebook sign-in: local demo providers (${socialFakes.issuers.google}, ` +
        `${socialFakes.issuers.facebook})`,
    );
  }
  // The timed jobs, run by one leader among the instances (workers/schedulers.ts).
  const schedulers = webOnly ? null : runAsLeader(db, "schedulers", () =>
    startSchedulers({
      sql: db.sql,
      kv,
      keyring,
      config,
      clock,
      contexts: deps,
      mqttUrl,
      credentials: ingestCredentials,
    }), { databaseUrl: config.DATABASE_URL });
  // Product photos: their AVIF/WebP/JPEG sizes are made here, off the request (a few seconds each).
  const photos = webOnly ? null : startPhotoWorker({
    sql: db.sql,
    onDone: (r) =>
      console.log(`Product photo ${r.photoId}: ${r.ok ? "sizes made" : "failed"} in ${r.ms} ms`),
  });

  // Operations: queue and backup gauges for /metrics; embedded snapshots on their schedule.
  registerOutboxMetrics(db.sql, clock);
  registerDatabaseMetrics(db.sql);
  if (db.kind === "embedded") registerEmbeddedBackupMetrics(config);
  else registerServerBackupMetrics(config);
  const backups = db.kind === "embedded"
    ? startEmbeddedBackups({ db: db as EmbeddedDatabase, kv, config, clock })
    : null;
  // /metrics on a separate internal listener too, when METRICS_PORT is set.
  const metricsServer = config.METRICS_PORT === undefined ? null : await serveMetrics({
    hostname: config.METRICS_HOST,
    port: config.METRICS_PORT,
    token: await metricsToken(config),
  });
  if (metricsServer) console.log(`Metrics on ${metricsServer.url} (bearer token)`);

  const app = await createWebApp(deps);
  // A change to what cached pages show (prices, products, zones) empties the page cache of every
  // instance: PostgreSQL NOTIFY from the tables' triggers, LISTEN here.
  const pageChanges = await listenPageChanges(db, () => app.clearPageCache());
  // Messages: the configured providers per channel; channels with none get local fakes that speak
  // the providers' APIs (receipts back to our webhooks) and show codes on /admin/outbox, or, with
  // NOTIFY_FAKES=off, the development transport. Neither starts in production unless forced.
  const messaging = !webOnly && needsFakeMessaging(config)
    ? await startFakeMessaging(config, { origin: publicOrigin(config) })
    : null;
  if (messaging) Object.assign(config, messaging.config);
  const built = webOnly
    ? null
    : buildTransports(config, { sql: db.sql, origin: publicOrigin(config) });
  if (built) console.log(`Messages: ${built.summary}`);
  const outbox = built && startOutboxWorker({
    sql: db.sql,
    transports: built.transports,
    clock,
    housekeeping: notifyHousekeeping(db.sql, config, built, clock),
  });
  // Partners' webhooks: signed deliveries with retries (services/webhooks).
  const webhookWorker = webOnly ? null : startWebhookWorker({ sql: db.sql, keyring, clock });
  const ac = new AbortController();
  // Slow clients: request bodies that stall or drag are cut off by the bodyLimit() middleware
  // (408/413, see server.ts). Deno.serve itself has no header-read or idle-connection timeout and
  // no hook before a request's headers are complete (denoland/deno#3515, open; a connection that
  // sends half a request line stays open indefinitely), and an in-process TCP front that enforced
  // one would put a second copy of every byte on the hot path. So in production the app runs
  // behind a reverse proxy (nginx, Caddy, a load balancer) that bounds header time and idle
  // connections, and TRUSTED_PROXIES names it so that its X-Forwarded-For is believed.
  const server = Deno.serve({
    port: config.PORT,
    hostname: config.HOST,
    signal: ac.signal,
    onListen: ({ hostname, port }) => {
      const shown = hostname === "0.0.0.0" ? "localhost" : hostname;
      console.log(
        `Smart Dairy on http://${shown}:${port}/ (database: ${db.kind}, data: ${config.DATA_DIR})`,
      );
    },
  }, app.fetch);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log("Shutting down…");
    ac.abort();
    await server.finished.catch(() => {});
    await metricsServer?.stop();
    await backups?.stop();
    await pageChanges.stop();
    await outbox?.stop();
    await webhookWorker?.stop();
    built?.close();
    await messaging?.stop();
    await schedulers?.stop();
    await photos?.stop();
    await fakes?.stop();
    await socialFakes?.stop();
    await courierFakes?.stop();
    await ingest?.stop();
    await broker?.close();
    kv.close();
    await db.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", shutdown);
  Deno.addSignalListener("SIGTERM", shutdown);
}

if (import.meta.main) await main();
