/**
 * The outbox (notify): SMS delivered per second to the fake SSL Wireless gateway by the outbox
 * worker running beside the web server (which keeps answering requests meanwhile), as main.ts
 * runs them, and the time from enqueue (commit) to the gateway's acceptance. Baseline: the same
 * gateway POSTed to directly with the same concurrency, no database. On PostgreSQL with
 * TEST_DATABASE_URL, else the embedded database.
 *
 *   deno task bench --only outbox          OUTBOX_BENCH_N=5000 (messages drained)
 */
import { withServedApp } from "../notify/_helpers.ts";
import { enqueueMessage } from "@/services/notify/outbox.ts";
import { buildTransports } from "@/services/notify/setup.ts";
import { FakeSslWireless } from "@/services/notify/fakes/sms.ts";
import { startOutboxWorker } from "@/workers/outbox.ts";
import { type Figure, figure, percentile } from "./harness.ts";

const N = Number(Deno.env.get("OUTBOX_BENCH_N") ?? 5000);
const BATCH = 100;

/** Waits until `done()`, failing the group after two minutes. */
async function until(done: () => boolean, what: string): Promise<void> {
  const limit = Date.now() + 120_000;
  while (!done()) {
    if (Date.now() > limit) throw new Error(`${what} did not finish in two minutes`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function benchOutbox(): Promise<Figure[]> {
  const figures: Figure[] = [];
  await withServedApp(async (t) => {
    const origin = t.origin;
    const gateway = new FakeSslWireless("bench-token", "SMARTDAIRY");
    // The web server keeps serving while the worker delivers: a client asks /healthz about
    // 50 times a second.
    let webRequests = 0;
    let webBusy = true;
    const web = (async () => {
      while (webBusy) {
        const res = await fetch(`${origin}/healthz`);
        await res.body?.cancel();
        webRequests++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      Object.assign(t.deps.config, {
        SMS_SSLWIRELESS_BASE_URL: gateway.baseUrl,
        SMS_SSLWIRELESS_API_TOKEN: gateway.apiToken,
        SMS_SSLWIRELESS_SID: gateway.sid,
        SMS_SSLWIRELESS_WEBHOOK_TOKEN: "bench-webhook-token-0001",
        NOTIFY_SMS_ORDER: "sslwireless",
        NOTIFY_FAKES: "off",
      });
      const built = buildTransports(t.deps.config, { sql: t.db.sql, origin, env: {} });
      const sms = { sms: built.transports.sms! };

      // Baseline: the gateway alone, BATCH requests at a time.
      const direct = Math.min(N, 2000);
      const b0 = performance.now();
      for (let i = 0; i < direct; i += BATCH) {
        await Promise.all(
          Array.from(
            { length: Math.min(BATCH, direct - i) },
            (_, k) =>
              fetch(`${gateway.baseUrl}/api/v3/send-sms`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({
                  api_token: gateway.apiToken,
                  sid: gateway.sid,
                  msisdn: "8801712000000",
                  sms: "baseline",
                  csms_id: `B${i + k}`,
                }),
              }).then((r) => r.body?.cancel()),
          ),
        );
      }
      const baseline = direct / ((performance.now() - b0) / 1000);
      gateway.accepted.length = 0;

      // 1. Throughput: N queued messages drained by the worker.
      const body = "Smart Dairy: your order SD-1001 is on its way. Call 09610-000000 for help.";
      for (let i = 0; i < N; i += 500) {
        await t.db.sql.begin(async (tx) => {
          for (let k = i; k < Math.min(N, i + 500); k++) {
            await enqueueMessage(tx, {
              channel: "sms",
              to: `+88017${String(10_000_000 + k).slice(-8)}`,
              body,
            });
          }
        });
      }
      const webBefore = webRequests;
      const t0 = performance.now();
      const worker = startOutboxWorker({
        sql: t.db.sql,
        transports: sms,
        delivery: { batch: BATCH },
      });
      await until(() => gateway.accepted.length >= N, "the drain");
      const seconds = (performance.now() - t0) / 1000;
      figures.push(
        figure(
          "messages delivered to the fake SMS gateway per second (drain)",
          N / seconds,
          "msg/s",
          baseline,
        ),
      );
      figures.push(figure("web requests meanwhile", (webRequests - webBefore) / seconds, "req/s"));

      // 2. Latency: a steady stream (about half the drained rate) with the worker polling as
      // main.ts runs it; enqueue commit → the gateway's acceptance.
      const rate = Math.max(50, Math.min(400, Math.floor(N / seconds / 2)));
      const enqueuedAt = new Map<string, number>();
      const start = gateway.accepted.length;
      const stream = rate * 5;
      const s0 = performance.now();
      for (let i = 0; i < stream; i++) {
        const due = s0 + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const { id } = await enqueueMessage(t.db.sql, {
          channel: "sms",
          to: "+8801712345678",
          body: `Smart Dairy: order SD-${i} is on its way.`,
        });
        enqueuedAt.set(`SD${id}`, Date.now());
      }
      await until(() => gateway.accepted.length >= start + stream, "the stream");
      await worker.stop();
      const lat = gateway.accepted.slice(start).map((a) =>
        a.at - (enqueuedAt.get(String(a.raw.csms_id)) ?? a.at)
      );
      figures.push(figure(`outbox enqueue→accepted p50 (${rate}/s)`, percentile(lat, 50), "ms"));
      figures.push(figure(`outbox enqueue→accepted p99 (${rate}/s)`, percentile(lat, 99), "ms"));
      built.close();
    } finally {
      webBusy = false;
      await web.catch(() => {});
      await gateway.stop();
    }
  });
  return figures;
}
