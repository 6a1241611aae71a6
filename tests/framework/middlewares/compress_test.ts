/** compress(): gzip for text bodies worth it, when the client accepts it. */
import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { compress, type Middleware } from "@/framework/mod.ts";
import { bareFixture, fixtureGet } from "../fixture_app.ts";

const get = fixtureGet;

Deno.test("compression: text responses are gzipped for clients that accept it", async () => {
  const plain = await (await get("/islands")).text();
  const res = await get("/islands", { headers: { "accept-encoding": "gzip, deflate, br" } });
  assertEquals(res.headers.get("content-encoding"), "gzip");
  match(res.headers.get("vary")!, /accept-encoding/);
  const body = await new Response(res.body!.pipeThrough(new DecompressionStream("gzip"))).text();
  // Same page apart from the per-request nonce.
  assertEquals(body.replace(/nonce="[^"]+"/g, ""), plain.replace(/nonce="[^"]+"/g, ""));
  const js = await get(body.match(/import\{boot\}from"([^"]+)"/)![1], {
    headers: { "accept-encoding": "gzip" },
  });
  assertEquals(js.headers.get("content-encoding"), "gzip");
  await js.body?.cancel();
  // Tiny bodies are not worth it.
  const small = await get("/hello.txt", { headers: { "accept-encoding": "gzip" } });
  assertEquals(small.headers.get("content-encoding"), null);
  assertEquals(await small.text(), "hello static\n");
});

Deno.test("compress: HEAD, identity clients and already-encoded responses are left alone", async () => {
  const head = await get("/islands", { method: "HEAD", headers: { "accept-encoding": "gzip" } });
  assertEquals(head.headers.get("content-encoding"), null);
  assertEquals(await head.text(), "");
  const plain = await get("/islands", { headers: { "accept-encoding": "identity" } });
  assertEquals(plain.headers.get("content-encoding"), null);
  match(await plain.text(), /^<!DOCTYPE html>/);
  const encoded: Middleware = () =>
    new Response("x".repeat(4096), {
      headers: { "content-type": "text/plain", "content-encoding": "br" },
    });
  const a = await bareFixture(compress(), encoded);
  const res = await a.fetch(
    new Request("http://localhost/", { headers: { "accept-encoding": "gzip" } }),
  );
  assertEquals(res.headers.get("content-encoding"), "br");
  assertEquals((await res.text()).length, 4096);
});
