/**
 * bodyLimit(): bodies are counted as they stream, chunked ones included, and a stalled body is
 * abandoned — in-process and through Deno.serve.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { bodyLimit, createApp, csrf, type FreshApp } from "@/framework/mod.ts";
import { defineConfig } from "@twind/core";
import { hasSession } from "../fixture_app.ts";

const root = new URL("../fixture/", import.meta.url).pathname;
const LIMIT = 64 * 1024;
let appPromise: Promise<FreshApp> | null = null;
const app = () =>
  appPromise ??= createApp<{ trail: string[] }>({
    root,
    twind: defineConfig({ hash: false }),
    createState: () => ({ trail: [] }),
  }).then((a) => a.use(bodyLimit({ maxBytes: LIMIT, idleMs: 100, timeoutMs: 5_000 })));

/** A chunked body of `total` bytes in 16 KiB chunks that records how much was pulled. */
function chunked(total: number, opts: { stallAfter?: number } = {}) {
  const pulled = { bytes: 0, cancelled: false };
  const chunk = new Uint8Array(16 * 1024).fill(97);
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      if (opts.stallAfter !== undefined && pulled.bytes >= opts.stallAfter) {
        await new Promise(() => {}); // never sends another byte
      }
      if (pulled.bytes >= total) return c.close();
      pulled.bytes += chunk.length;
      c.enqueue(chunk);
    },
    cancel() {
      pulled.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, pulled };
}

const post = async (path: string, body: BodyInit, headers: HeadersInit = {}) =>
  (await app()).fetch(
    new Request(`http://localhost${path}`, {
      method: "POST",
      body,
      headers,
      // @ts-ignore: needed for stream bodies
      duplex: "half",
    }),
  );

Deno.test("bodyLimit: bodies within the limit are read as usual", async () => {
  const res = await post("/upload", new Uint8Array(LIMIT));
  assertEquals(res.status, 200);
  assertEquals(await res.json(), { bytes: LIMIT });
  const { stream } = chunked(LIMIT - 16 * 1024);
  const ok2 = await post("/upload", stream);
  assertEquals(await ok2.json(), { bytes: LIMIT - 16 * 1024 });
});

Deno.test("bodyLimit: a declared Content-Length over the limit is refused unread", async () => {
  const res = await post("/upload", new Uint8Array(LIMIT + 1));
  assertEquals(res.status, 413);
  match(await res.text(), /too large/i);
});

Deno.test("bodyLimit: a chunked body is stopped at the limit, not read to the end", async () => {
  const { stream, pulled } = chunked(50 * LIMIT);
  const res = await post("/upload", stream);
  assertEquals(res.status, 413);
  await res.body?.cancel();
  ok(pulled.bytes <= LIMIT + 2 * 16 * 1024, `pulled ${pulled.bytes} bytes of ${50 * LIMIT}`);
  ok(pulled.cancelled, "the rest of the upload was cancelled");
});

Deno.test("bodyLimit: a handler that swallows the read error still answers 413", async () => {
  const { stream } = chunked(4 * LIMIT);
  const res = await post("/upload?swallow", stream);
  assertEquals(res.status, 413);
  await res.body?.cancel();
});

Deno.test("bodyLimit: the CSRF check's form parsing reads through the limit", async () => {
  const a = await createApp<{ trail: string[] }>({
    root,
    twind: defineConfig({ hash: false }),
    createState: () => ({ trail: [] }),
  });
  a.use(
    bodyLimit({ maxBytes: LIMIT }),
    csrf({ secret: "fixture-secret-fixture-secret-fixture", secure: false, hasSession }),
  );
  const { stream, pulled } = chunked(50 * LIMIT);
  const res = await a.fetch(
    new Request("http://localhost/form", {
      method: "POST",
      body: stream,
      headers: { origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" },
      // @ts-ignore: needed for stream bodies
      duplex: "half",
    }),
  );
  assertEquals(res.status, 413, "refused for its size, not as a bad form");
  await res.body?.cancel();
  ok(pulled.bytes <= LIMIT + 2 * 16 * 1024);
});

Deno.test("bodyLimit: a body that stops coming is answered 408", async () => {
  const { stream } = chunked(LIMIT, { stallAfter: 16 * 1024 });
  const res = await post("/upload", stream);
  assertEquals(res.status, 408);
  await res.body?.cancel();
});

Deno.test("bodyLimit: GET requests pass untouched", async () => {
  const res = await (await app()).fetch(new Request("http://localhost/whoami"));
  assertEquals(res.status, 200);
  await res.body?.cancel();
});

Deno.test("bodyLimit: through Deno.serve, a chunked upload is cut off at the limit", async () => {
  const a = await app();
  const ac = new AbortController();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen: () => {} },
    a.fetch,
  );
  try {
    const total = 200 * LIMIT; // 12.5 MiB, far more than the server may hold
    const { stream, pulled } = chunked(total);
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/upload`, {
      method: "POST",
      body: stream,
    }).catch((e) => e as Error);
    if (res instanceof Response) {
      assertEquals(res.status, 413);
      await res.body?.cancel();
    }
    // Whether the client saw the 413 or a closed connection, the server stopped reading early.
    ok(pulled.bytes < total / 4, `the client sent ${pulled.bytes} of ${total} bytes`);
  } finally {
    ac.abort();
    await server.finished;
  }
});
