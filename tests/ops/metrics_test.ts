/**
 * /metrics: closed without the bearer token (web app and a worker run as its own process), and
 * with it the figures an operator alerts on: database latency and pool use, outbox lag and dead
 * letters, job last-success times.
 */
import { equal, ok } from "node:assert/strict";
import { withTestApp } from "@/tests/helpers/app.ts";
import { withEmptyDb } from "@/tests/helpers/db.ts";
import { createNotify } from "@/services/notify/mod.ts";
import { metrics } from "@/services/platform/metrics.ts";
import { registerOutboxMetrics } from "@/services/ops/mod.ts";
import { freePort } from "@/services/ops/app_probe.ts";
import { loop } from "@/services/platform/loop.ts";
import { ROOT } from "./_helpers.ts";

const TOKEN = "test-metrics-token-0123456789";

/** One sample's value from a Prometheus text body (`name{labels} value`). */
function sample(body: string, series: string): number | null {
  for (const line of body.split("\n")) {
    if (line.startsWith(series + " ")) return Number(line.slice(series.length + 1));
  }
  return null;
}

Deno.test("web /metrics: 401 without or with a wrong token, the figures with it", async () => {
  await withTestApp(async (t) => {
    const none = await t.fetch("/metrics");
    equal(none.status, 401);
    equal(none.headers.get("www-authenticate"), 'Bearer realm="metrics"');
    ok(!(await none.text()).includes("http_requests_total"), "no figures without the token");
    const wrong = await t.fetch("/metrics", { headers: { authorization: `Bearer ${TOKEN}x` } });
    equal(wrong.status, 401);
    await wrong.body?.cancel();

    await t.fetch("/").then((r) => r.body?.cancel()); // a request and some queries to count
    const res = await t.fetch("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
    equal(res.status, 200);
    const body = await res.text();
    ok(body.includes("http_requests_total{"), "request counter");
    ok((sample(body, "db_query_duration_seconds_count") ?? 0) > 0, "query latency observed");
    ok(sample(body, "db_pool_size") !== null, "pool size");
    ok(sample(body, "db_pool_connections_in_use") !== null, "pool use");
  }, { config: { METRICS_TOKEN: TOKEN } });
});

Deno.test("web /metrics without METRICS_TOKEN: a token generated in DATA_DIR opens it", async () => {
  await withTestApp(async (t) => {
    const res = await t.fetch("/metrics");
    equal(res.status, 401);
    await res.body?.cancel();
    const token = (await Deno.readTextFile(`${t.deps.config.DATA_DIR}/metrics_token`)).trim();
    ok(token.length >= 32);
    const open = await t.fetch("/metrics", { headers: { authorization: `Bearer ${token}` } });
    equal(open.status, 200);
    await open.body?.cancel();
  });
});

Deno.test("db metrics: a held transaction shows as pool use; queries add latency samples", async () => {
  await withTestApp(async (t) => {
    const inUse = metrics.gauge("db_pool_connections_in_use", "");
    const count = () => sample(metrics.render(), "db_query_duration_seconds_count") ?? 0;
    const before = count();
    const baseline = inUse.get();
    let release!: () => void;
    const held = new Promise<void>((r) => release = r);
    let entered!: () => void;
    const inside = new Promise<void>((r) => entered = r);
    const tx = t.db.sql.begin(async (tx) => {
      await tx`select 1`;
      entered();
      await held;
    });
    await inside;
    equal(inUse.get(), baseline + 1, "the transaction holds a connection");
    release();
    await tx;
    equal(inUse.get(), baseline, "and gives it back");
    for (let i = 0; i < 3; i++) await t.db.sql`select ${i}::int`;
    ok(count() >= before + 4, `latency samples grew (${before} → ${count()})`);
  });
});

Deno.test("outbox gauges: lag of the oldest due message and dead letters", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const notify = createNotify({ sql });
    const a = await notify.enqueue(sql, { channel: "sms", to: "+8801711000001", body: "one" });
    const b = await notify.enqueue(sql, { channel: "sms", to: "+8801711000002", body: "two" });
    // Arrange what only time and a failing provider make: one message due for 10 minutes, one
    // whose attempts are exhausted.
    await sql`update outbox_messages set next_attempt_at = now() - interval '10 minutes'
              where id = ${a.id}::bigint`;
    await sql`update outbox_messages set status = 'dead' where id = ${b.id}::bigint`;
    const clock = { now: () => new Date() };
    const unregister = registerOutboxMetrics(sql, clock);
    await metrics.collect();
    unregister();
    const body = metrics.render();
    const lag = sample(body, "outbox_queue_lag_seconds")!;
    ok(lag >= 590 && lag < 1200, `lag ${lag}`);
    equal(sample(body, "outbox_dead_letters"), 1);
    equal(sample(body, "outbox_queued"), 1);
  });
});

Deno.test("job last-success: a named loop records each successful run, not a failed one", async () => {
  const gauge = metrics.gauge("job_last_success_timestamp_seconds", "");
  let fail = true;
  let runs = 0;
  const w = loop(
    10,
    () => {
      runs++;
      if (fail) return Promise.reject(new Error("first run fails"));
      return Promise.resolve();
    },
    () => {},
    "ops_test_job",
  );
  while (runs < 1) await new Promise((r) => setTimeout(r, 5));
  equal(gauge.get({ job: "ops_test_job" }), 0, "a failed run records nothing");
  fail = false;
  const t0 = Math.floor(Date.now() / 1000);
  while (gauge.get({ job: "ops_test_job" }) === 0) await new Promise((r) => setTimeout(r, 5));
  await w.stop();
  ok(gauge.get({ job: "ops_test_job" }) >= t0);
});

Deno.test({
  name: "a worker run as its own process serves /metrics: 401 without the token, 200 with it",
  // Starts `deno task worker outbox` on a fresh database of its own (it applies the migrations).
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await withEmptyDb(async (db, url) => {
    const dataDir = await Deno.makeTempDir({ prefix: "sd_ops_worker_" });
    await db.close(); // embedded: the worker opens DATA_DIR/pg itself
    const port = freePort();
    const env: Record<string, string> = {
      ...Deno.env.toObject(),
      DATA_DIR: dataDir,
      KV_PATH: ":memory:",
      METRICS_PORT: String(port),
      METRICS_TOKEN: TOKEN,
      NO_COLOR: "1",
    };
    delete env.TEST_DATABASE_URL;
    if (url) env.DATABASE_URL = url;
    else delete env.DATABASE_URL;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/worker.ts", "outbox"],
      cwd: ROOT,
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let out = "";
    const dec = new TextDecoder();
    const pump = async (s: ReadableStream<Uint8Array>) => {
      for await (const c of s) out += dec.decode(c, { stream: true });
    };
    const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
    try {
      const deadline = Date.now() + 120_000;
      let anon: Response | null = null;
      while (Date.now() < deadline && !anon) {
        anon = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => null);
        if (!anon) await new Promise((r) => setTimeout(r, 250));
      }
      ok(anon, `the worker's metrics listener never answered:\n${out}`);
      equal(anon.status, 401);
      await anon.body?.cancel();
      // The first delivery round records the outbox job's success.
      let body = "";
      while (
        Date.now() < deadline && !body.includes('job_last_success_timestamp_seconds{job="outbox"}')
      ) {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        equal(res.status, 200);
        body = await res.text();
        await new Promise((r) => setTimeout(r, 250));
      }
      ok(body.includes('job_last_success_timestamp_seconds{job="outbox"}'), body.slice(0, 2000));
      ok(body.includes("outbox_queue_lag_seconds"), "outbox gauges in the worker's process");
      ok(body.includes("db_query_duration_seconds_count"), "database latency in the worker");
      const other = await fetch(`http://127.0.0.1:${port}/`);
      equal(other.status, 404);
      await other.body?.cancel();
      // Liveness and readiness beside it, without the token (probes of an orchestrator).
      const live = await fetch(`http://127.0.0.1:${port}/healthz`);
      equal(live.status, 200);
      equal(await live.text(), "ok\n");
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      equal(ready.status, 200);
      const r = await ready.json();
      equal(r.ok, true);
      equal(r.checks.database, true);
    } finally {
      child.kill("SIGTERM");
      await child.status;
      await pumps;
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
    ok(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/.test(out), out);
  });
});
