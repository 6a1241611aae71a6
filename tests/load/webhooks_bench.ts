/**
 * Outbound webhooks (services/webhooks): signed deliveries per second from the delivery worker's
 * passes to a local receiver, with the receiver checking every signature, and the time from the
 * event's commit to its receipt. Baseline: the same receiver POSTed to directly with the same
 * concurrency (no database, no signing). On PostgreSQL with TEST_DATABASE_URL, else embedded.
 *
 *   deno task bench --only webhooks          WEBHOOKS_BENCH_N=2000 (events delivered)
 */
import { withTestApp } from "../helpers/app.ts";
import { createWebhooks, verifyWebhook } from "@/services/webhooks/mod.ts";
import { type Figure, figure, percentile } from "./harness.ts";

const N = Number(Deno.env.get("WEBHOOKS_BENCH_N") ?? 2000);
const BATCH = 50;
/** Subscriptions share the events: deliveries to different subscriptions go in parallel. */
const SUBSCRIPTIONS = 10;

export async function benchWebhooks(): Promise<Figure[]> {
  const figures: Figure[] = [];
  let received = 0;
  let badSignatures = 0;
  const latencies: number[] = [];
  const secrets = new Map<string, string>();
  const ac = new AbortController();
  const receiver = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
    async (req) => {
      const body = await req.text();
      const path = new URL(req.url).pathname;
      const secret = secrets.get(path);
      if (secret) {
        if (!(await verifyWebhook(secret, req.headers, body, { now: new Date() }))) badSignatures++;
        const sent = JSON.parse(body).data?.sentAt;
        if (typeof sent === "number" && sent > 0) latencies.push(performance.now() - sent);
      }
      received++;
      return new Response("ok");
    },
  );
  const base = `http://127.0.0.1:${(receiver.addr as Deno.NetAddr).port}`;
  try {
    // Baseline: the receiver alone, BATCH requests at a time.
    const direct = Math.min(N, 2000);
    const b0 = performance.now();
    for (let i = 0; i < direct; i += BATCH) {
      await Promise.all(
        Array.from({ length: Math.min(BATCH, direct - i) }, async () => {
          const r = await fetch(`${base}/baseline`, { method: "POST", body: "{}" });
          await r.body?.cancel();
        }),
      );
    }
    const directRate = direct / ((performance.now() - b0) / 1000);
    received = 0;

    await withTestApp(async (t) => {
      const hooks = createWebhooks({
        sql: t.db.sql,
        keyring: t.deps.keyring,
        clock: { now: () => new Date() },
      });
      for (let s = 0; s < SUBSCRIPTIONS; s++) {
        const r = await hooks.create(`bench-${s}`, {
          url: `${base}/in/${s}`,
          eventTypes: ["order.created"],
        });
        secrets.set(`/in/${s}`, r.secret);
      }
      const events = Math.ceil(N / SUBSCRIPTIONS);
      // The events first (as committed business changes would), then the worker's passes drain them.
      for (let i = 0; i < events; i++) {
        await hooks.emit({ type: "order.created", data: { number: `B-${i}`, sentAt: 0 } });
      }
      const total = events * SUBSCRIPTIONS;
      const t0 = performance.now();
      while (received < total) {
        const r = await hooks.deliverDue({ batch: BATCH });
        if (r.claimed === 0 && received < total) await new Promise((res) => setTimeout(res, 5));
        if (performance.now() - t0 > 180_000) throw new Error("deliveries did not finish in 3 min");
      }
      const rate = total / ((performance.now() - t0) / 1000);
      figures.push(
        figure(
          "webhook deliveries (signed, logged)",
          Math.round(rate),
          "deliveries/s",
          Math.round(directRate),
        ),
      );
      if (badSignatures) throw new Error(`${badSignatures} deliveries failed verification`);

      // One at a time: from the event's commit to the receiver (a worker pass every 50 ms).
      const one = Math.min(50, N);
      for (let i = 0; i < one; i++) {
        const before = received;
        await hooks.emit({
          type: "order.created",
          data: { number: `L-${i}`, sentAt: performance.now() },
        });
        while (received < before + SUBSCRIPTIONS) {
          await hooks.deliverDue({ batch: BATCH });
          if (received < before + SUBSCRIPTIONS) await new Promise((r) => setTimeout(r, 2));
        }
      }
      figures.push(figure("event → receiver p50", Math.round(percentile(latencies, 50)), "ms"));
      figures.push(figure("event → receiver p95", Math.round(percentile(latencies, 95)), "ms"));
    });
  } finally {
    ac.abort();
    await receiver.finished;
  }
  return figures;
}
