/**
 * Structured logs: a sign-up request (which queues its code by SMS) and the outbox worker's
 * delivery of that SMS log JSON lines carrying the same request id — the client's X-Request-Id.
 */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import { formSession, withTestApp } from "@/tests/helpers/app.ts";
import { devTransport } from "@/services/notify/mod.ts";
import { startOutboxWorker } from "@/workers/outbox.ts";
import { logLevel, setLogLevel, setLogSink } from "@/services/platform/log.ts";

type Line = Record<string, unknown>;

async function captureLogs<T>(fn: (lines: Line[]) => Promise<T>): Promise<T> {
  const lines: Line[] = [];
  const level = logLevel();
  setLogLevel("info");
  const prev = setLogSink((l) => lines.push(JSON.parse(l)));
  try {
    return await fn(lines);
  } finally {
    setLogSink(prev);
    setLogLevel(level);
  }
}

Deno.test("request id: web request → outbox row → worker log line, all the same id", async () => {
  await withTestApp((t) =>
    captureLogs(async (lines) => {
      const s = await formSession(t, "/signup");
      const res = await t.fetch("/signup", {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({
          _csrf: s.token,
          name: "Rina Akter",
          identifier: "01712-345678",
          password: "shonali gaabhi 7",
        }),
        headers: {
          cookie: s.cookie,
          origin: "http://localhost",
          "content-type": "application/x-www-form-urlencoded",
          "x-request-id": "trace-4711",
        },
      });
      equal(res.status, 303);
      equal(res.headers.get("x-request-id"), "trace-4711");

      const [row] = await t.db.sql`
        select request_id from outbox_messages where recipient = '+8801712345678'`;
      equal(row.request_id, "trace-4711", "the queued SMS remembers the request");

      const web = lines.find((l) => l.msg === "request" && l.method === "POST");
      ok(web, "the request is logged");
      equal(
        [web.request_id, web.path, web.route, web.status, web.level, web.component],
        ["trace-4711", "/signup", "/signup", 303, "info", "web"],
      );
      ok(typeof web.duration_ms === "number" && typeof web.time === "string");

      // The worker, as it runs in main.ts or alone (`deno task worker outbox`).
      const worker = startOutboxWorker({
        sql: t.db.sql,
        transports: { sms: devTransport() },
        intervalMs: 20,
      });
      try {
        for (let i = 0; i < 200 && !lines.some((l) => l.msg === "outbox message sent"); i++) {
          await new Promise((r) => setTimeout(r, 25));
        }
      } finally {
        await worker.stop();
      }
      const sent = lines.find((l) => l.msg === "outbox message sent");
      ok(sent, "the worker logs the delivery");
      equal([sent.request_id, sent.component, sent.channel], ["trace-4711", "outbox", "sms"]);

      // Every line is one JSON object with a time and a level (the sink parsed each).
      ok(lines.every((l) => typeof l.time === "string" && typeof l.level === "string"));
    })
  );
});

Deno.test("request id: anonymous requests carry no user id; LOG_LEVEL=warn drops info lines", async () => {
  await withTestApp((t) =>
    captureLogs(async (lines) => {
      const anon = await t.fetch("/");
      await anon.body?.cancel();
      const line = lines.find((l) => l.msg === "request" && l.path === "/");
      ok(line);
      equal(line.user_id, undefined, "anonymous: no user id");
      ok(typeof line.request_id === "string" && (line.request_id as string).length === 36);

      setLogLevel("warn");
      const before = lines.length;
      const res = await t.fetch("/", { headers: { "x-request-id": "bad id with spaces" } });
      await res.body?.cancel();
      equal(lines.length, before, "info lines are below LOG_LEVEL=warn");
      ok(res.headers.get("x-request-id") !== "bad id with spaces", "a malformed id is replaced");
    })
  );
});

Deno.test("request id: a signed-in customer's request line names their user id", async () => {
  const { withShop } = await import("@/tests/shop/_helpers.ts");
  await withShop((s) =>
    captureLogs(async (lines) => {
      const { user, cookie } = await s.user(["customer"]);
      const res = await s.fetch("/account", { headers: { cookie, "x-request-id": "acct-1" } });
      await res.body?.cancel();
      equal(res.status, 200);
      const line = lines.find((l) => l.msg === "request" && l.request_id === "acct-1");
      ok(line);
      equal([line.user_id, line.route, line.status], [user.id, "/account", 200]);
    })
  );
});
