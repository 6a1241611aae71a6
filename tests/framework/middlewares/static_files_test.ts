/** staticFiles(): static/ served from memory with ETags and cache-busted URLs. */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { asset, createApp, staticFiles } from "@/framework/mod.ts";
import { defineConfig } from "@twind/core";
import { fixtureGet, fixtureRoot } from "../fixture_app.ts";

const get = fixtureGet;
Deno.test("static files: ETag revalidation and immutable cache-busted URLs", async () => {
  const res = await get("/hello.txt");
  assertEquals(await res.text(), "hello static\n");
  const etag = res.headers.get("etag")!;
  ok(etag);
  const again = await get("/hello.txt", { headers: { "if-none-match": etag } });
  assertEquals(again.status, 304);
  const busted = await get(asset("/hello.txt"));
  assertEquals(busted.headers.get("cache-control"), "public, max-age=31536000, immutable");
  await busted.body?.cancel();
});

Deno.test("static files: text compressed once at start (br, gzip), chosen by Accept-Encoding", async () => {
  const plain = await get("/site.css");
  const css = await plain.text();
  assertEquals(plain.headers.get("content-encoding"), null);
  assertEquals(plain.headers.get("vary"), "accept-encoding");
  const decode = async (res: Response, coding: "br" | "gzip") => {
    const { brotliDecompressSync, gunzipSync } = await import("node:zlib");
    const bytes = new Uint8Array(await res.arrayBuffer());
    return new TextDecoder().decode(
      coding === "br" ? brotliDecompressSync(bytes) : gunzipSync(bytes),
    );
  };
  const etags = new Set([plain.headers.get("etag")]);
  for (
    const [accept, coding] of [
      ["gzip, deflate, br", "br"],
      ["gzip", "gzip"],
      ["br;q=0, gzip;q=0.5", "gzip"],
    ] as const
  ) {
    const res = await get(asset("/site.css"), { headers: { "accept-encoding": accept } });
    assertEquals(res.headers.get("content-encoding"), coding, accept);
    assertEquals(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    etags.add(res.headers.get("etag"));
    ok(Number(res.headers.get("content-length")) < css.length / 2);
    assertEquals(await decode(res, coding), css);
    const again = await get("/site.css", {
      headers: { "accept-encoding": accept, "if-none-match": res.headers.get("etag")! },
    });
    assertEquals(again.status, 304);
  }
  assertEquals(etags.size, 3, "one ETag per coding");
});

Deno.test("staticFiles: asset() busts the cache; other paths and methods go on to the routes", async () => {
  await (await fixtureGet("/hello.txt")).body?.cancel(); // (the shared app has loaded static/)
  match(asset("/hello.txt"), /^\/hello\.txt\?v=[0-9a-f]{12}$/);
  assertEquals(asset("/nope.txt"), "/nope.txt");
  const routes: (string | null)[] = [];
  const a = (await createApp<{ trail: string[] }>({
    root: fixtureRoot,
    twind: defineConfig({ hash: false }),
    createState: () => ({ trail: [] }),
    onResponse: (r) => routes.push(r.route),
  })).use(staticFiles(fixtureRoot + "static"));
  const file = await a.fetch(new Request("http://localhost/hello.txt"));
  assertEquals(await file.text(), "hello static\n");
  const head = await a.fetch(new Request("http://localhost/hello.txt", { method: "HEAD" }));
  assertEquals(head.headers.get("content-length"), "13");
  assertEquals(await head.text(), "");
  const page = await a.fetch(new Request("http://localhost/"));
  await page.body?.cancel();
  assertEquals(routes, ["static", "static", "/"]);
  const put = await a.fetch(new Request("http://localhost/hello.txt", { method: "PUT" }));
  assertEquals(put.status, 404);
  await put.body?.cancel();
});
