/**
 * Outbound webhooks (issue 16 §4) against a local HTTP receiver: signed Standard-Webhooks style
 * (checked here with WebCrypto, independently of the sender's code), retried with exponential
 * back-off, every attempt logged with its status code and duration, disabled after repeated
 * failures with a notice to the partner, redelivered by hand; and an event emitted by an owning
 * context (identity's new customer) reaches a subscriber.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import { type TestClock, testClock } from "../helpers/app.ts";
import type { Sql } from "@/services/platform/db.ts";
import { createWebhooks } from "@/services/webhooks/mod.ts";
import { listMessages } from "@/services/notify/outbox.ts";
import { makeUser, testKeyring } from "../identity/_fixtures.ts";

interface Received {
  headers: Headers;
  body: string;
}

/** A receiver on a free port answering with the statuses given in turn (then the last one). */
function receiver(statuses: number[]) {
  const got: Received[] = [];
  let i = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    got.push({ headers: req.headers, body: await req.text() });
    const status = statuses[Math.min(i++, statuses.length - 1)];
    return new Response(status < 300 ? "ok" : "nope", { status });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/hooks`,
    got,
    close: () => server.shutdown(),
  };
}

/** The receiver's own check: HMAC-SHA256 of `id.timestamp.body` with the whsec_ key's bytes. */
async function signatureOk(secret: string, r: Received): Promise<boolean> {
  const raw = Uint8Array.from(atob(secret.slice(6)), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [
    "verify",
  ]);
  const id = r.headers.get("webhook-id")!;
  const ts = r.headers.get("webhook-timestamp")!;
  const sigs = r.headers.get("webhook-signature")!.split(" ");
  for (const s of sigs) {
    const [v, b64] = s.split(",");
    if (v !== "v1") continue;
    const mac = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new TextEncoder().encode(`${id}.${ts}.${r.body}`);
    if (await crypto.subtle.verify("HMAC", key, mac, data)) return true;
  }
  return false;
}

const START = new Date("2026-03-10T04:00:00Z");
const keyring = await testKeyring();

type Receiver = ReturnType<typeof receiver>;

/**
 * A test database with the webhooks door on `clock` (START unless given; `delivery` its retry
 * settings) and a receiver answering `statuses`, closed afterwards.
 */
async function withHooks(
  opts: {
    statuses: number[];
    clock?: TestClock;
    delivery?: Parameters<typeof createWebhooks>[0]["delivery"];
  },
  fn: (
    w: { sql: Sql; hooks: ReturnType<typeof createWebhooks>; clock: TestClock; rx: Receiver },
  ) => Promise<void>,
) {
  await withTestDb(async (db) => {
    const rx = receiver(opts.statuses);
    try {
      const clock = opts.clock ?? testClock(START);
      const hooks = createWebhooks({ sql: db.sql, keyring, clock, delivery: opts.delivery });
      await fn({ sql: db.sql, hooks, clock, rx });
    } finally {
      await rx.close();
    }
  });
}

Deno.test("a webhook is delivered signed, and a tampered body would not verify", async () => {
  await withHooks({ statuses: [200] }, async ({ sql, hooks, rx }) => {
    const { subscription, secret } = await hooks.create("partner-1", {
      url: rx.url,
      eventTypes: ["order.created", "lot.on_hold"],
    });
    ok(secret.startsWith("whsec_"));
    // Kept encrypted: the database does not hold the secret in the clear.
    const [stored] = await sql`select secret_enc from webhook_subscriptions`;
    ok(!JSON.stringify(stored).includes(secret.slice(6)));
    const e = await hooks.emit({ type: "order.created", data: { number: "SD-2026-000001" } });
    assertEquals(e.deliveries, 1);
    // Not subscribed: no delivery.
    assertEquals((await hooks.emit({ type: "alarm.raised", data: {} })).deliveries, 0);
    const r = await hooks.deliverDue();
    assertEquals(r.succeeded, 1);
    assertEquals(rx.got.length, 1);
    const got = rx.got[0];
    assertEquals(got.headers.get("webhook-id"), e.messageId);
    assertEquals(
      got.headers.get("webhook-timestamp"),
      String(Math.floor(START.getTime() / 1000)),
    );
    ok(await signatureOk(secret, got), "the signature verifies with the partner's secret");
    ok(!(await signatureOk(secret, { ...got, body: got.body.replace("000001", "000002") })));
    const body = JSON.parse(got.body);
    assertEquals(body.type, "order.created");
    assertEquals(body.data, { number: "SD-2026-000001" });
    // The log: one attempt, 200, with a duration.
    const log = await hooks.attempts({ subscriptionId: subscription.id });
    assertEquals(log.length, 1);
    assertEquals(log[0].statusCode, 200);
    ok(log[0].durationMs >= 0);
    const [d] = await hooks.deliveries({ subscriptionId: subscription.id });
    assertEquals(d.status, "succeeded");
    // Nothing more is due.
    assertEquals((await hooks.deliverDue()).claimed, 0);
  });
});

Deno.test("a failing receiver is retried with growing delays, each attempt logged", async () => {
  await withHooks({
    statuses: [500, 503, 200],
    delivery: { baseDelaySeconds: 10, random: () => 0.5 },
  }, async ({ hooks, clock, rx }) => {
    const { subscription, secret } = await hooks.create("partner-2", {
      url: rx.url,
      eventTypes: ["payment.confirmed"],
    });
    await hooks.emit({ type: "payment.confirmed", data: { paymentId: "7", amountMinor: 5000 } });
    assertEquals((await hooks.deliverDue()).retried, 1);
    let [d] = await hooks.deliveries({ subscriptionId: subscription.id });
    assertEquals([d.status, d.attempts, d.lastStatus], ["failed", 1, 500]);
    const first = d.nextAttemptAt.getTime() - clock.now().getTime();
    ok(first > 8_000 && first <= 10_500, `first retry after ~10 s, was ${first} ms`);
    // Not yet due: nothing is sent.
    assertEquals((await hooks.deliverDue()).claimed, 0);
    clock.set(new Date(d.nextAttemptAt.getTime() + 1));
    assertEquals((await hooks.deliverDue()).retried, 1);
    [d] = await hooks.deliveries({ subscriptionId: subscription.id });
    const second = d.nextAttemptAt.getTime() - clock.now().getTime();
    ok(second > 18_000 && second <= 20_500, `second retry after ~20 s (doubled), was ${second}`);
    clock.set(new Date(d.nextAttemptAt.getTime() + 1));
    assertEquals((await hooks.deliverDue()).succeeded, 1);
    [d] = await hooks.deliveries({ subscriptionId: subscription.id });
    assertEquals([d.status, d.attempts, d.lastStatus], ["succeeded", 3, 200]);
    // The same message id on every try, each signed afresh.
    assertEquals(new Set(rx.got.map((g) => g.headers.get("webhook-id"))).size, 1);
    for (const g of rx.got) ok(await signatureOk(secret, g));
    const log = await hooks.attempts({ subscriptionId: subscription.id });
    assertEquals(log.map((a) => a.statusCode), [200, 503, 500]);
    // A success resets the failures in a row.
    assertEquals((await hooks.get(subscription.id))!.consecutiveFailures, 0);
  });
});

Deno.test("a subscription failing N times in a row is disabled and its partner told; redelivery by hand", async () => {
  await withHooks({
    statuses: [500, 500, 500, 200],
    delivery: { baseDelaySeconds: 1, disableAfter: 3, random: () => 0.5 },
  }, async ({ sql, hooks, clock, rx }) => {
    const { subscription } = await hooks.create("partner-3", {
      url: rx.url,
      eventTypes: ["alarm.raised"],
      contactEmail: "ops@partner.example",
      contactPhone: "+8801712345678",
      locale: "bn",
    });
    await hooks.emit({ type: "alarm.raised", data: { alarmId: "1" } });
    for (let i = 0; i < 3; i++) {
      await hooks.deliverDue();
      clock.set(new Date(clock.now().getTime() + 60_000));
    }
    const s = (await hooks.get(subscription.id))!;
    assertEquals(s.status, "disabled");
    assertEquals(s.consecutiveFailures, 3);
    // A disabled subscription gets nothing more, not even new events.
    assertEquals(
      (await hooks.emit({ type: "alarm.raised", data: { alarmId: "2" } })).deliveries,
      0,
    );
    assertEquals((await hooks.deliverDue()).claimed, 0);
    assertEquals(rx.got.length, 3);
    // The partner's notice, in their language, by email and SMS (notify's outbox).
    const email = await listMessages(sql, { recipient: "ops@partner.example" });
    const sms = await listMessages(sql, { recipient: "+8801712345678" });
    assertEquals(email.total, 1);
    assertEquals(sms.total, 1);
    ok(email.rows[0].body.includes(rx.url) && email.rows[0].body.includes("স্মার্ট ডেইরি"));
    // Redelivery by hand: sent now, logged as manual, the delivery succeeds.
    const [d] = await hooks.deliveries({ subscriptionId: subscription.id });
    const a = await hooks.redeliver(d.id);
    assertEquals([a?.statusCode, a?.manual], [200, true]);
    assertEquals(rx.got.length, 4);
    const [after] = await hooks.deliveries({ subscriptionId: subscription.id });
    assertEquals(after.status, "succeeded");
    // Another partner cannot redeliver it.
    assertEquals(await hooks.redeliver(d.id, "partner-other"), null);
    // Enabled again: failures count from zero.
    const again = await hooks.update(subscription.id, { status: "active" });
    assertEquals([again?.status, again?.consecutiveFailures], ["active", 0]);
  });
});

Deno.test("an unreachable receiver is logged without a status code", async () => {
  await withTestDb(async (db) => {
    const rx = receiver([200]);
    const url = rx.url;
    await rx.close(); // nobody listens there now
    const hooks = createWebhooks({
      sql: db.sql,
      keyring,
      clock: testClock(START),
    });
    const { subscription } = await hooks.create("p", { url, eventTypes: ["lot.on_hold"] });
    await hooks.emit({ type: "lot.on_hold", data: { lot: "L1" } });
    assertEquals((await hooks.deliverDue()).retried, 1);
    const [a] = await hooks.attempts({ subscriptionId: subscription.id });
    assertEquals(a.statusCode, null);
    ok(a.error && a.error.length > 0);
  });
});

Deno.test("bad subscriptions are refused: not a URL, remote plain http, unknown event", async () => {
  await withTestDb(async (db) => {
    const hooks = createWebhooks({
      sql: db.sql,
      keyring,
      clock: testClock(START),
    });
    for (
      const input of [
        { url: "not a url", eventTypes: ["order.created"] },
        { url: "http://partner.example/hook", eventTypes: ["order.created"] },
        { url: "https://partner.example/hook", eventTypes: ["order.eaten"] },
        { url: "https://partner.example/hook", eventTypes: [] },
      ]
    ) {
      let refused = false;
      try {
        await hooks.create("p", input as never);
      } catch (e) {
        refused = (e as Error).name === "ZodError";
      }
      ok(refused, `refused: ${JSON.stringify(input)}`);
    }
    assertEquals((await hooks.list()).length, 0);
  });
});

Deno.test("a new customer (identity's door) reaches a customer.registered subscriber", async () => {
  // makeUser stamps the event with the system clock: the worker runs on it too.
  await withHooks({ statuses: [200], clock: testClock() }, async ({ sql, hooks, rx }) => {
    await hooks.create("crm", { url: rx.url, eventTypes: ["customer.registered"] });
    const user = await makeUser(sql, await testKeyring(), { roles: ["customer"] });
    await makeUser(sql, await testKeyring(), { roles: ["warehouse"] }); // staff: no event
    assertEquals((await hooks.deliverDue()).succeeded, 1);
    const body = JSON.parse(rx.got[0].body);
    assertEquals(body.type, "customer.registered");
    assertEquals(body.data.customerId, user.id);
  });
});

Deno.test("the verification code in docs/api.md accepts our deliveries and refuses tampering", async () => {
  const doc = await Deno.readTextFile(new URL("../../docs/api.md", import.meta.url));
  const code = doc.match(/```ts\n(\/\*\* True when the request[\s\S]*?)\n\/\/ For example/)?.[1];
  ok(code, "the guide's verification function");
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(file, code!);
  const { verifySmartDairyWebhook } = await import(`file://${file}`);
  try {
    await withHooks({ statuses: [200], clock: testClock() }, async ({ hooks, rx }) => {
      const { secret } = await hooks.create("p", { url: rx.url, eventTypes: ["lot.on_hold"] });
      await hooks.emit({ type: "lot.on_hold", data: { lot: "L-7" } });
      await hooks.deliverDue();
      const got = rx.got[0];
      ok(await verifySmartDairyWebhook(secret, got.headers, got.body));
      ok(!(await verifySmartDairyWebhook(secret, got.headers, got.body.replace("L-7", "L-8"))));
      const other = (await hooks.create("q", { url: rx.url, eventTypes: ["lot.on_hold"] })).secret;
      ok(!(await verifySmartDairyWebhook(other, got.headers, got.body)));
    });
  } finally {
    await Deno.remove(file);
  }
});
