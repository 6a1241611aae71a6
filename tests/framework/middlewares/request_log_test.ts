/**
 * requestLog(): a request id from X-Request-Id (when well-formed) or a fresh one, returned in the
 * response, known inside the chain, and one log entry per request with route, status and duration.
 */
import { deepStrictEqual as assertEquals, match, notEqual, ok } from "node:assert/strict";
import { createApp, requestLog, type RequestLogEntry } from "@/framework/mod.ts";
import { defineConfig } from "@twind/core";
import { AsyncLocalStorage } from "node:async_hooks";

const root = new URL("../fixture/", import.meta.url).pathname;

async function setup() {
  const entries: RequestLogEntry[] = [];
  const seen: (string | undefined)[] = [];
  const als = new AsyncLocalStorage<string>();
  const app = await createApp<{ trail: string[]; user?: { id: string } }>({
    root,
    twind: defineConfig({ hash: false }),
    createState: () => ({ trail: [] }),
  });
  app.use(
    requestLog({
      context: (id, fn) => als.run(id, fn),
      log: (e) => entries.push(e),
      userId: (s) => s.user?.id,
    }),
    (ctx) => {
      seen.push(als.getStore());
      if (ctx.req.headers.get("x-user")) ctx.state.user = { id: ctx.req.headers.get("x-user")! };
      return ctx.next();
    },
  );
  const get = (path: string, headers: HeadersInit = {}) =>
    app.fetch(new Request(`http://localhost${path}`, { headers }));
  return { entries, seen, get };
}

Deno.test("requestLog: a well-formed X-Request-Id is kept, returned and seen inside the chain", async () => {
  const { entries, seen, get } = await setup();
  const res = await get("/", { "x-request-id": "abc-123.X:9_z", "x-user": "u-1" });
  await res.body?.cancel();
  assertEquals(res.status, 200);
  assertEquals(res.headers.get("x-request-id"), "abc-123.X:9_z");
  assertEquals(seen, ["abc-123.X:9_z"]);
  assertEquals(entries.length, 1);
  const e = entries[0];
  assertEquals([e.requestId, e.method, e.path, e.route, e.status, e.userId], [
    "abc-123.X:9_z",
    "GET",
    "/",
    "/",
    200,
    "u-1",
  ]);
  ok(e.durationMs >= 0);
});

Deno.test("requestLog: a missing or malformed id is replaced by a fresh UUID", async () => {
  const { entries, get } = await setup();
  for (const bad of [undefined, "", "has space", "x".repeat(129), "<script>", "a\u00e9b"]) {
    const res = await get("/", bad === undefined ? {} : { "x-request-id": bad });
    await res.body?.cancel();
    const id = res.headers.get("x-request-id")!;
    match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    notEqual(id, bad);
  }
  assertEquals(new Set(entries.map((e) => e.requestId)).size, 6, "each request its own id");
  assertEquals(entries.every((e) => e.userId === null), true, "anonymous");
});

Deno.test("requestLog: errors and 404s are logged with their status and still carry the id", async () => {
  const { entries, get } = await setup();
  const failed = await get("/fail", { "x-request-id": "req-500" });
  await failed.body?.cancel();
  assertEquals(failed.status, 500);
  assertEquals(failed.headers.get("x-request-id"), "req-500");
  const missing = await get("/nothing-here", { "x-request-id": "req-404" });
  await missing.body?.cancel();
  assertEquals(missing.status, 404);
  assertEquals(missing.headers.get("x-request-id"), "req-404");
  assertEquals(entries.map((e) => [e.requestId, e.status, e.route]), [
    ["req-500", 500, "/fail"],
    ["req-404", 404, null],
  ]);
});
