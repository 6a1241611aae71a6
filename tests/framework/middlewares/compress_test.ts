/** compress(): gzip for text bodies made per request and worth it, when the client accepts it. */
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
  // The same page but for the nonce of its render (this page is rendered per request).
  const unNonced = (html: string) => html.replaceAll(/ nonce="[^"]*"/g, "");
  assertEquals(unNonced(body), unNonced(plain));
  // Island bundles come compressed once at build: brotli for browsers, gzip for gzip-only ones.
  const url = body.match(/import\{boot\}from"([^"]+)"/)![1];
  const js = await get(url, { headers: { "accept-encoding": "gzip, deflate, br" } });
  assertEquals(js.headers.get("content-encoding"), "br");
  assertEquals(js.headers.get("cache-control"), "public, max-age=31536000, immutable");
  await js.body?.cancel();
  const gz = await get(url, { headers: { "accept-encoding": "gzip" } });
  assertEquals(gz.headers.get("content-encoding"), "gzip");
  const same = await get(url, {
    headers: { "accept-encoding": "gzip", "if-none-match": gz.headers.get("etag")! },
  });
  assertEquals(same.status, 304);
  const js2 = await new Response(gz.body!.pipeThrough(new DecompressionStream("gzip"))).text();
  assertEquals(js2, await (await get(url)).text());
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
