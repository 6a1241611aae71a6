/**
 * Scheduled IoT jobs: the full alarm evaluation (durations, silence, per-animal baselines — the
 * ingest only runs the cheap rules per batch), the fallback rollups (under continuous aggregates:
 * the refresh of late readings' windows) and the retention job. Each
 * job runs on its own timer and never overlaps itself; a failure is logged and retried on the
 * next tick. Alarm changes are published on `{ns}/alarms/v1` for live screens when an MQTT URL
 * is given.
 */
import mqtt, { type MqttClient } from "mqtt";
import type { Sql } from "@/services/platform/db.ts";
import { jobSucceeded, metrics } from "@/services/platform/metrics.ts";
import {
  type AlarmChange,
  createIot,
  DEFAULT_TOPIC_NAMESPACE,
  type EvaluateResult,
  type MqttCredentials,
  type RetentionResult,
  type RollupResult,
  topicsFor,
} from "@/services/iot/mod.ts";

export interface IotJobsOptions {
  sql: Sql;
  retentionDays: number;
  mqttUrl?: string;
  credentials?: MqttCredentials;
  topicNamespace?: string;
  alarmsEveryMs?: number;
  rollupsEveryMs?: number;
  retentionEveryMs?: number;
  log?: (level: "info" | "warn" | "error", msg: string) => void;
}

export interface IotJobs {
  /** Runs every job once now (tests, `deno task worker iot_jobs --once`). */
  runOnce(now?: Date): Promise<{
    alarms: EvaluateResult;
    rollups: RollupResult;
    retention: RetentionResult;
  }>;
  stop(): Promise<void>;
}

const runs = metrics.counter("iot_jobs_runs_total", "Scheduled IoT job runs, by job and outcome");

export function startIotJobs(opts: IotJobsOptions): IotJobs {
  const log = opts.log ?? ((level, msg) => console[level](`[iot_jobs] ${msg}`));
  const iot = createIot({ sql: opts.sql });
  const topics = topicsFor(opts.topicNamespace ?? DEFAULT_TOPIC_NAMESPACE);
  let stopped = false;
  let client: MqttClient | undefined;
  if (opts.mqttUrl) {
    client = mqtt.connect(opts.mqttUrl, {
      clientId: `sd-iot-jobs-${crypto.randomUUID().slice(0, 8)}`,
      username: opts.credentials?.username,
      password: opts.credentials?.password,
      protocolVersion: 4,
      reconnectPeriod: 2000,
    });
    client.on("error", (err) => log("warn", `mqtt: ${err.message}`));
  }

  const publish = (changes: AlarmChange[]) => {
    if (!client?.connected) return;
    for (const c of changes) client.publish(topics.alarms, JSON.stringify(c), { qos: 1 });
  };

  const jobs = {
    alarms: async (now?: Date) => {
      const r = await iot.evaluateAlarms({ now });
      for (const e of r.errors) log("error", `alarm rule ${e.ruleId}: ${e.message}`);
      publish(r.changes);
      return r;
    },
    rollups: () => iot.runRollups(),
    retention: (now?: Date) => iot.runRetention({ retentionDays: opts.retentionDays, now }),
  };

  const timers: ReturnType<typeof setTimeout>[] = [];
  const running = new Set<Promise<unknown>>();
  function schedule(name: keyof typeof jobs, everyMs: number, firstMs: number) {
    const tick = async () => {
      if (stopped) return;
      const p = jobs[name]().then(
        () => (runs.inc({ job: name, outcome: "ok" }), jobSucceeded(`iot_${name}`)),
        (err) => {
          runs.inc({ job: name, outcome: "error" });
          log("error", `${name} failed: ${err.message}`);
        },
      );
      running.add(p);
      await p;
      running.delete(p);
      if (!stopped) timers.push(setTimeout(tick, everyMs));
    };
    timers.push(setTimeout(tick, firstMs));
  }
  schedule("alarms", opts.alarmsEveryMs ?? 60_000, 5_000);
  schedule("rollups", opts.rollupsEveryMs ?? 60_000, 10_000);
  schedule("retention", opts.retentionEveryMs ?? 3_600_000, 60_000);

  return {
    async runOnce(now?: Date) {
      const alarms = await jobs.alarms(now);
      const rollups = await jobs.rollups();
      const retention = await jobs.retention(now);
      return { alarms, rollups, retention };
    },
    async stop() {
      stopped = true;
      timers.forEach(clearTimeout);
      await Promise.all(running);
      if (client) await new Promise<void>((r) => client!.end(false, {}, () => r()));
    },
  };
}
