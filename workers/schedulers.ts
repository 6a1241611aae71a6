/**
 * The schedulers: every timed job of the system in one part — daily-milk orders (subscriptions),
 * payment sweeps and reconciliation, the IoT jobs (full alarm rules, rollups, telemetry
 * retention), the farm's jobs, the cold chain, expiry alerts, the ledger's totals and numbers,
 * payment reminders and data retention.
 *
 * Several instances may run them (`deno task start` on two hosts, or `deno task worker schedulers`
 * twice): they elect one leader through a PostgreSQL advisory lock (services/platform/leader.ts)
 * and only the leader runs the jobs; when it dies another takes over within seconds. The daily
 * jobs also claim their Asia/Dhaka day in `platform_job_days`, so a new leader (or a restart) does
 * not run a day's job again. The embedded database serves one process: there it simply runs.
 *
 * Inside main.ts: `runAsLeader(db, "schedulers", () => startSchedulers(deps), { databaseUrl })`;
 * alone: `deno task worker schedulers` (serves /healthz, /readyz and /metrics like every worker).
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Config } from "@/services/platform/config.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import type { createContexts } from "@/contexts.ts";
import type { MqttCredentials } from "@/services/iot/mod.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { log } from "@/services/platform/log.ts";
import { startSubscriptionWorker } from "./subscriptions.ts";
import { loop } from "@/services/platform/loop.ts";
import { startReconciliationWorker } from "./reconciliation.ts";
import { startIotJobs } from "./iot_jobs.ts";

type Contexts = ReturnType<typeof createContexts>;

/**
 * A job-loop step that runs `fn` at most once per Asia/Dhaka day of `clock` (again after a
 * failure). With `claim`, the day is claimed in PostgreSQL first: another instance, a restarted
 * one or a new leader that finds the day claimed (or done) skips it; a claim left by a run that
 * died is taken over after an hour.
 */
export function oncePerDay(
  clock: { now(): Date },
  fn: () => Promise<void>,
  claim?: { sql: Sql; job: string },
): () => Promise<void> {
  let done: string | null = null;
  return async () => {
    const day = dhakaDate(clock.now());
    if (day === done) return;
    if (claim) {
      const { sql, job } = claim;
      const mine = await sql`
        insert into platform_job_days (job, day) values (${job}, ${day})
        on conflict (job, day) do update set started_at = now()
          where platform_job_days.finished_at is null
            and platform_job_days.started_at < now() - interval '1 hour'
        returning job`;
      if (!mine.length) {
        done = day; // done (or running) elsewhere
        return;
      }
      try {
        await fn();
      } catch (e) {
        await sql`delete from platform_job_days
          where job = ${job} and day = ${day} and finished_at is null`.catch(() => {});
        throw e;
      }
      await sql`update platform_job_days set finished_at = now()
        where job = ${job} and day = ${day}`;
      done = day;
      return;
    }
    await fn();
    done = day;
  };
}

export interface SchedulerDeps {
  sql: Sql;
  kv: Deno.Kv;
  keyring: Keyring;
  /** With the payment fakes' URLs merged in, when they run in this process. */
  config: Config;
  clock: { now(): Date };
  contexts: Pick<
    Contexts,
    "farm" | "quality" | "inventory" | "accounting" | "privacy" | "delivery" | "b2b"
  >;
  /** The broker the IoT jobs publish alarm changes on. */
  mqttUrl: string;
  credentials?: MqttCredentials;
}

export interface Schedulers {
  stop(): Promise<void>;
}

/** Starts every scheduled job (run it under `runAsLeader`, so that one instance runs them). */
export function startSchedulers(d: SchedulerDeps): Schedulers {
  const { sql, config, clock, contexts } = d;
  const { farm, quality, inventory, accounting, privacy } = contexts;
  const daily = (job: string, fn: () => Promise<void>) => oncePerDay(clock, fn, { sql, job });
  const jobsAbort = new AbortController();
  // The milkings IoT publishes become milk records; calves grow into heifers.
  const farmJobs = farm.startJobs({ signal: jobsAbort.signal });
  const loops = [
    // Daily-milk orders at each delivery's cut-off (idempotent per subscription and date).
    startSubscriptionWorker({ sql, keyring: d.keyring }),
    // Payment sweeps (every minute) and reconciliation (hourly).
    startReconciliationWorker({ sql, keyring: d.keyring, config, kv: d.kv }),
    startIotJobs({
      sql,
      retentionDays: config.TELEMETRY_RETENTION_DAYS,
      mqttUrl: d.mqttUrl,
      credentials: d.credentials,
    }),
    // Critical temperature alarms hold the lots stored where they fired.
    loop(
      60_000,
      async () => {
        const r = await quality.runColdChain();
        if (r.lotsHeld) {
          console.log(`[quality] cold chain: ${r.lotsHeld} lots held (${r.alarms} alarms)`);
        }
      },
      (e) => console.error(`quality cold-chain job: ${(e as Error).message}`),
      "quality_cold_chain",
    ),
    // Lots near their expiry: the warehouse staff are told once a day.
    loop(
      15 * 60_000,
      daily("inventory_expiry", async () => {
        const r = await inventory.sendExpiryAlerts();
        if (r.lots) {
          console.log(`[inventory] expiry alerts: ${r.lots} lots, ${r.messages} messages`);
        }
      }),
      (e) => console.error(`inventory expiry job: ${(e as Error).message}`),
      "inventory_expiry",
    ),
    // The ledger's per-day movement rows fold into its daily totals (the trial balance stays
    // fast even when nobody opens a report for a while); also the journal numbers of the entries
    // committed since (journal_numbers.ts).
    loop(
      60_000,
      async () => {
        await accounting.compactTotals();
        await accounting.numberEntries();
      },
      (e) => console.error(`accounting totals job: ${(e as Error).message}`),
      "accounting_totals",
    ),
    // Payment reminders to overdue customers (each at most once per their interval: the log is
    // in the database, so a restart or a second instance sends nothing twice).
    loop(
      15 * 60_000,
      daily("accounting_dunning", async () => {
        const sent = await accounting.runDunning();
        if (sent.length) console.log(`[accounting] payment reminders: ${sent.length} customers`);
      }),
      (e) => console.error(`accounting dunning job: ${(e as Error).message}`),
    ),
    // Retention: transactions and audit past 7 years archived (compressed exports), delivered
    // messages' bodies erased after OUTBOX_BODY_DAYS, deletion requests left open finished.
    loop(
      60 * 60_000,
      daily("privacy_retention", async () => {
        await privacy.completeOpenDeletions();
        const r = await privacy.retention({
          dataDir: config.DATA_DIR,
          outboxBodyDays: config.OUTBOX_BODY_DAYS,
        });
        log.info("retention run", { ...r });
      }),
      (e) => log.error("retention job failed", { error: e }),
      "privacy_retention",
    ),
    // B2B standing orders: each due delivery day's orders once its cut-off has passed (one run
    // per standing order and day in the database, so a restart or a second leader places nothing
    // twice).
    loop(
      10 * 60_000,
      async () => {
        const r = await contexts.b2b.runStandingOrders();
        if (r.ordered || r.failed || r.holiday) {
          log.info("b2b standing orders", { ...r });
        }
      },
      (e) => log.error("b2b standing orders job failed", { error: e }),
      "b2b_standing_orders",
    ),
    // Couriers without webhooks (Paperfly): open parcels polled, each every few minutes.
    loop(
      60_000,
      async () => {
        const r = await contexts.delivery.couriers.poll();
        if (r.changed) log.info("courier parcels polled", { ...r });
      },
      (e) => log.error("courier polling failed", { error: e }),
      "delivery_courier_poll",
    ),
  ];
  return {
    async stop() {
      jobsAbort.abort();
      await Promise.all([farmJobs, ...loops.map((l) => l.stop())]);
    },
  };
}

// (Imported here, next to its one use, so that this bootstrap part stays apart from the rest.)
import { runWorker } from "./bootstrap.ts";

/**
 * `deno task worker schedulers`: the jobs as their own process, run only while this instance
 * leads (`/readyz` answers 200 on the others too: a standby is ready to take over).
 */
export function main(args: string[] = Deno.args): Promise<void> {
  return runWorker("schedulers", async ({ config, db }) => {
    const { loadKeyring } = await import("@/services/crypto/field_crypto.ts");
    const { loadAppSecret } = await import("@/services/platform/secrets.ts");
    const { openKv } = await import("@/services/platform/kv.ts");
    const { serviceCredentials } = await import("@/services/iot/credentials.ts");
    const { createContexts } = await import("@/contexts.ts");
    const { runAsLeader } = await import("@/services/platform/leader.ts");
    const keyring = await loadKeyring(config);
    const appSecret = await loadAppSecret(config);
    const kv = await openKv(config);
    const clock = { now: () => new Date() };
    const mqttUrl = config.MQTT_URL ?? `mqtt://127.0.0.1:${config.MQTT_PORT}`;
    const contexts = createContexts({
      sql: db.sql,
      kv,
      keyring,
      config,
      clock,
      appSecret,
      mqttUrl: () => mqttUrl,
    });
    const credentials = await serviceCredentials(appSecret, "svc-ingest");
    const leadership = runAsLeader(
      db,
      "schedulers",
      () =>
        startSchedulers({
          sql: db.sql,
          kv,
          keyring,
          config,
          clock,
          contexts,
          mqttUrl,
          credentials,
        }),
      {
        databaseUrl: config.DATABASE_URL,
      },
    );
    return {
      // Informative: a standby (not the leader) is as ready as the leader.
      readiness: async () => ({ kv: await kv.get(["health"]).then(() => true, () => false) }),
      details: () => ({ leader: leadership.isLeader() }),
      async stop() {
        await leadership.stop();
        kv.close();
      },
    };
  }, { args });
}

if (import.meta.main) await main();
