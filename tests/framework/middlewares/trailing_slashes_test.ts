/** trailingSlashes(): one canonical URL per page. */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { createApp, type FreshApp, type Middleware, trailingSlashes } from "@/framework/mod.ts";
import { defineConfig } from "@twind/core";
import { fixtureApp, fixtureRoot } from "../fixture_app.ts";

let appPromise: Promise<FreshApp> | null = null;
const app = () => appPromise ??= fixtureApp();
const get = async (path: string, init?: RequestInit) =>
  (await app()).fetch(new Request(`http://localhost${path}`, init));

/** The fixture with only the given parts. */
const bare = async (...parts: Middleware[]) =>
  (await createApp<{ trail: string[] }>({
    root: fixtureRoot,
    twind: defineConfig({ hash: false }),
    createState: () => ({ trail: [] }),
  })).use(...parts);

Deno.test("trailing slashes redirect to the canonical URL", async () => {
  const res = await get("/docs/new/");
  assertEquals(res.status, 308);
  assertEquals(res.headers.get("location"), "/docs/new");
});

Deno.test("trailingSlashes: the query is kept and no path becomes a redirect off-site", async () => {
  const q = await get("/docs/new/?a=1");
  assertEquals(q.headers.get("location"), "/docs/new?a=1");
  for (const path of ["//evil.example/", "/\\evil.example/", "///evil.example//"]) {
    const res = await get(path);
    assertEquals(res.status, 308);
    const to = res.headers.get("location")!;
    ok(/^\/[^/\\]/.test(to), `${path} → ${to}`);
    assertEquals(new URL(to, "http://localhost").host, "localhost");
  }
  const root = await get("/");
  assertEquals(root.status, 200);
  await root.body?.cancel();
});

Deno.test("trailingSlashes('always'): folders get the slash, files do not", async () => {
  const a = await bare(trailingSlashes("always"));
  const res = await a.fetch(new Request("http://localhost/docs/new?x=1"));
  assertEquals(res.status, 308);
  assertEquals(res.headers.get("location"), "/docs/new/?x=1");
  const file = await a.fetch(new Request("http://localhost/hello.txt"));
  assertEquals(file.status === 308, false);
  await file.body?.cancel();
});
