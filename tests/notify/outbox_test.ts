import assert from "node:assert/strict";
import { withTestDb } from "@/tests/helpers/db.ts";
import type { Sql } from "@/services/platform/db.ts";
import {
  backoffSeconds,
  deliverDue,
  devTransport,
  enqueueMessage,
  getMessage,
  listMessages,
  type OutboxMessage,
  requeueMessage,
  type Transport,
} from "@/services/notify/outbox.ts";
import { startOutboxWorker } from "@/workers/outbox.ts";

const sms = (to = "+8801712345678", body = "Your order SD-1001 is on its way.") => ({
  channel: "sms" as const,
  to,
  body,
});

function failing(message = "gateway 503"): Transport & { calls: number } {
  const t = {
    name: "flaky-sms",
    calls: 0,
    send(): Promise<{ providerId?: string }> {
      t.calls++;
      return Promise.reject(new Error(message));
    },
  };
  return t;
}

function recording(): Transport & { sent: OutboxMessage[] } {
  const t = {
    name: "recorder",
    sent: [] as OutboxMessage[],
    async send(m: OutboxMessage) {
      await new Promise((r) => setTimeout(r, 5));
      t.sent.push(m);
      return { providerId: `rec-${m.id}` };
    },
  };
  return t;
}

Deno.test("outbox: enqueue checks the recipient against the channel", async () => {
  await withTestDb(async ({ sql }) => {
    await assert.rejects(() => enqueueMessage(sql, sms("rahim@example.com")), /international form/);
    await assert.rejects(
      () => enqueueMessage(sql, { channel: "email", to: "+8801712345678", body: "x" }),
      /email address/,
    );
    await assert.rejects(() => enqueueMessage(sql, { ...sms(), body: "" }), /needs a body/);
    assert.equal((await listMessages(sql)).total, 0);
  });
});

Deno.test("outbox: a message exists only if its transaction commits; dedupe keys hold", async () => {
  await withTestDb(async ({ sql }) => {
    await assert.rejects(() =>
      sql.begin(async (tx) => {
        await enqueueMessage(tx, sms());
        throw new Error("order could not be saved");
      })
    );
    assert.equal((await listMessages(sql)).total, 0);
    const a = await enqueueMessage(sql, { ...sms(), dedupeKey: "order:1001:shipped" });
    const b = await enqueueMessage(sql, { ...sms(), dedupeKey: "order:1001:shipped" });
    assert.deepEqual(b, { id: a.id, duplicate: true });
    assert.equal(a.duplicate, false);
    assert.equal((await listMessages(sql)).total, 1);
  });
});

Deno.test("outbox: the development transport marks messages sent and the list shows them", async () => {
  await withTestDb(async ({ sql }) => {
    await enqueueMessage(sql, sms("+8801712345678", "Smart Dairy: your code is 123456"));
    await enqueueMessage(sql, {
      channel: "email",
      to: "nusrat@example.com",
      subject: "Invoice",
      body: "Your invoice",
    });
    const dev = devTransport();
    const r = await deliverDue(sql, { sms: dev, email: dev });
    assert.deepEqual(r, { claimed: 2, sent: 2, retried: 0, dead: 0 });
    const { rows, total } = await listMessages(sql, { status: "sent", channel: "sms" });
    assert.equal(total, 1);
    assert.equal(rows[0].transport, "dev");
    assert.equal(rows[0].providerId, `dev-${rows[0].id}`);
    assert.match(rows[0].body, /123456/);
    assert.ok(rows[0].sentAt);
    assert.equal((await deliverDue(sql, { sms: dev, email: dev })).claimed, 0, "sent once");
  });
});

Deno.test("outbox: failures back off exponentially, then the message is dead", async () => {
  await withTestDb(async ({ sql }) => {
    // Due from the test's own time, not the database's now(): the two clocks need not agree.
    const start = new Date();
    const { id } = await enqueueMessage(sql, { ...sms(), notBefore: start });
    const t = failing();
    const opts = { maxAttempts: 3, baseDelaySeconds: 30, random: () => 0.5 };
    let now = new Date(start.getTime() + 1000);

    assert.deepEqual(await deliverDue(sql, { sms: t }, { ...opts, now }), {
      claimed: 1,
      sent: 0,
      retried: 1,
      dead: 0,
    });
    let m = (await getMessage(sql, id))!;
    assert.equal(m.status, "failed");
    assert.equal(m.attempts, 1);
    assert.equal(m.lastError, "gateway 503");
    assert.equal(m.nextAttemptAt.getTime() - now.getTime(), 30_000);

    // Not due yet: nothing happens.
    assert.equal(
      (await deliverDue(sql, { sms: t }, { ...opts, now: new Date(now.getTime() + 29_000) }))
        .claimed,
      0,
    );
    assert.equal(t.calls, 1);

    now = new Date(now.getTime() + 30_000);
    await deliverDue(sql, { sms: t }, { ...opts, now });
    m = (await getMessage(sql, id))!;
    assert.equal(m.attempts, 2);
    assert.equal(m.nextAttemptAt.getTime() - now.getTime(), 60_000, "doubled");

    now = new Date(now.getTime() + 60_000);
    assert.equal((await deliverDue(sql, { sms: t }, { ...opts, now })).dead, 1);
    m = (await getMessage(sql, id))!;
    assert.equal(m.status, "dead");
    assert.equal(m.attempts, 3);
    assert.equal(
      (await deliverDue(sql, { sms: t }, { ...opts, now: new Date(now.getTime() + 86400_000) }))
        .claimed,
      0,
    );
    assert.equal(t.calls, 3);

    // An administrator puts it back (due now, by the database's clock, as the worker reads it
    // without an injected time); a working transport then delivers it.
    assert.equal(await requeueMessage(sql, id), true);
    assert.equal((await deliverDue(sql, { sms: devTransport() })).sent, 1);
    assert.equal((await getMessage(sql, id))!.status, "sent");
  });
});

Deno.test("outbox: backoff doubles, is capped and jittered", () => {
  const mid = () => 0.5;
  assert.deepEqual([1, 2, 3, 4].map((a) => backoffSeconds(a, { random: mid })), [30, 60, 120, 240]);
  assert.equal(backoffSeconds(20, { random: mid }), 3600);
  assert.equal(backoffSeconds(1, { random: () => 0 }), 24);
  assert.ok(backoffSeconds(1, { random: () => 0.999999 }) < 36);
});

Deno.test("outbox: a message left 'sending' by a stopped worker is taken again after its lease", async () => {
  await withTestDb(async ({ sql }) => {
    const { id } = await enqueueMessage(sql, sms());
    const now = new Date(Date.now() + 1000);
    // A worker claims it and dies before recording the result.
    await sql`update outbox_messages set status = 'sending', attempts = 1,
              next_attempt_at = ${new Date(now.getTime() + 300_000)} where id = ${id}::bigint`;
    const t = recording();
    assert.equal((await deliverDue(sql, { sms: t }, { now })).claimed, 0, "lease still held");
    assert.equal(
      (await deliverDue(sql, { sms: t }, { now: new Date(now.getTime() + 301_000) })).sent,
      1,
    );
    assert.equal(t.sent.length, 1);
    assert.equal((await getMessage(sql, id))!.attempts, 2);
  });
});

Deno.test("outbox: concurrent deliveries send each message once; channels without transport wait", async () => {
  await withTestDb(async ({ sql }) => {
    for (let i = 0; i < 12; i++) {
      await enqueueMessage(sql, sms(`+88017123456${String(i).padStart(2, "0")}`));
    }
    await enqueueMessage(sql, { channel: "whatsapp", to: "+8801712345678", body: "hello" });
    const t = recording();
    const [a, b] = await Promise.all([
      deliverDue(sql, { sms: t }, { batch: 8 }),
      deliverDue(sql, { sms: t }, { batch: 8 }),
    ]);
    const more = await deliverDue(sql, { sms: t }, { batch: 8 });
    assert.equal(a.sent + b.sent + more.sent, 12);
    const ids = t.sent.map((m) => m.id);
    assert.equal(new Set(ids).size, 12, "no message sent twice");
    assert.equal((await listMessages(sql, { channel: "whatsapp", status: "queued" })).total, 1);
  });
});

/** The pool, except that its first `failures` queries throw (a database that is down). */
function flaky(sql: Sql, failures: number): Sql {
  let left = failures;
  return new Proxy(sql, {
    apply(target, thisArg, args) {
      if (left > 0) {
        left--;
        throw new Error("connection refused");
      }
      return Reflect.apply(target, thisArg, args);
    },
  });
}

Deno.test("outbox worker: survives errors and delivers once the database answers", async () => {
  await withTestDb(async ({ sql }) => {
    const { id } = await enqueueMessage(sql, sms());
    const errors: unknown[] = [];
    const worker = startOutboxWorker({
      sql: flaky(sql, 2),
      transports: { sms: devTransport() },
      intervalMs: 5,
      onError: (e) => errors.push(e),
    });
    try {
      for (let i = 0; i < 400 && (await getMessage(sql, id))!.status !== "sent"; i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await worker.stop();
    }
    assert.equal((await getMessage(sql, id))!.status, "sent");
    assert.equal(errors.length, 2);
  });
});
