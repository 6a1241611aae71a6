/** trailingSlashes(): one canonical URL per page. */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { trailingSlashes } from "@/framework/mod.ts";
import { bareFixture, fixtureGet } from "../fixture_app.ts";

const get = fixtureGet;

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
  const a = await bareFixture(trailingSlashes("always"));
  const res = await a.fetch(new Request("http://localhost/docs/new?x=1"));
  assertEquals(res.status, 308);
  assertEquals(res.headers.get("location"), "/docs/new/?x=1");
  const file = await a.fetch(new Request("http://localhost/hello.txt"));
  assertEquals(file.status === 308, false);
  await file.body?.cancel();
});
