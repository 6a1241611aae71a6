/**
 * The framework through its fetch handler, on a small fixture project: routing order, middleware
 * and layout nesting, islands, errors, the page cache and bundles (the middleware parts have their
 * own tests in middlewares/).
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import type { FreshApp } from "@/framework/mod.ts";
import { parse } from "@/framework/serializer.ts";
import { signal } from "@preact/signals";
import { fixtureApp, postForm } from "./fixture_app.ts";

let appPromise: Promise<FreshApp> | null = null;
const app = () => appPromise ??= fixtureApp();
const get = async (path: string, init?: RequestInit) =>
  (await app()).fetch(new Request(`http://localhost${path}`, init));

Deno.test("routes: static beats param beats rest; groups leave no trace", async () => {
  assertEquals(await (await get("/docs/new")).text().then((t) => /static new/.test(t)), true);
  match(await (await get("/docs/intro")).text(), /param <!-- -->intro|param intro/);
  match(await (await get("/docs/a/b/c")).text(), /rest a\/b\/c/);
  match(await (await get("/docs")).text(), /docs index/);
  match(await (await get("/promo")).text(), /promo in a group/);
});

Deno.test("middlewares run outer to inner and layouts nest", async () => {
  const res = await get("/docs/new");
  assertEquals(res.headers.get("x-trail"), "root,docs");
  const html = await res.text();
  ok(html.indexOf('id="root-layout"') < html.indexOf('id="docs-layout"'));
  ok(html.startsWith("<!DOCTYPE html>"));
  assertEquals((await get("/")).headers.get("x-trail"), "root");
});

Deno.test("a page without islands ships no script, only nonce'd inline CSS", async () => {
  const res = await get("/");
  const html = await res.text();
  assertEquals(/<script/.test(html), false);
  const nonce = res.headers.get("content-security-policy")!.match(/nonce-([^' ]+)/)![1];
  match(html, new RegExp(`<style nonce="${nonce}">`));
  match(html, /\.font-bold\{font-weight:700\}/);
  // Only the CSS the page uses: a class it does not use is absent.
  assertEquals(html.includes(".text-red-700"), false);
});

Deno.test("islands: outermost marked, props keep signals and dates, slots kept", async () => {
  const res = await get("/islands");
  const html = await res.text();
  const nonce = res.headers.get("content-security-policy")!.match(/nonce-([^' ]+)/)![1];
  // Every inline script carries the nonce.
  const scripts = html.match(/<script[^>]*>/g)!;
  ok(scripts.length >= 2);
  for (const s of scripts) match(s, new RegExp(`nonce="${nonce}"`));
  // Three outermost islands: two Counters and Outer; the Counter inside Outer is not marked.
  assertEquals(html.match(/<!--frsh:island:/g)!.length, 3);
  match(html, /<!--frsh:island:Outer:2:-->/);
  match(
    html,
    /<frsh-slot data-frsh-slot="0:children"><b id="slot-a">server slot<\/b><\/frsh-slot>/,
  );
  const state = html.match(/<script id="__FRSH_STATE"[^>]*>(.*?)<\/script>/)![1];
  const parsed = parse(state, { signal }) as {
    islands: [string, Record<string, unknown>, string[]][];
  };
  const [a, b] = parsed.islands;
  assertEquals(a[0], "Counter");
  assertEquals(a[2], ["children"]);
  ok(a[1].count === b[1].count, "one client signal for one server signal");
  assertEquals((a[1].when as Date).toISOString(), "2026-01-02T03:04:05.000Z");
  // The boot script imports the runtime and the islands from the build-id path, with preloads.
  match(html, /<link rel="modulepreload" href="\/_frsh\/js\/[0-9a-f]{16}\/runtime-/);
  const entry = html.match(/import\{boot\}from"(\/_frsh\/js\/[^"]+)"/)![1];
  const js = await get(entry);
  assertEquals(js.status, 200);
  assertEquals(js.headers.get("cache-control"), "public, max-age=31536000, immutable");
  match(js.headers.get("content-type")!, /javascript/);
  await js.body?.cancel();
});

Deno.test("a function prop is refused with an error naming the island and the prop", async () => {
  const errors: unknown[] = [];
  const a = await fixtureApp({ onError: (e) => errors.push(e) });
  const res = await a.fetch(new Request("http://localhost/bad_island"));
  assertEquals(res.status, 500);
  const html = await res.text();
  assertEquals(html.includes("onPick"), false, "details stay out of the page");
  match(String(errors[0]), /Island Counter \(islands\/Counter\.tsx\).*"onPick"/);
});

Deno.test("errors: HttpError keeps its status, 404 page, unexpected errors hide details", async () => {
  const teapot = await get("/fail?teapot");
  assertEquals(teapot.status, 418);
  match(await teapot.text(), /error 418: short and stout/);
  const missing = await get("/fail?missing");
  assertEquals(missing.status, 404);
  match(await missing.text(), /custom not found/);
  const boom = await get("/fail");
  assertEquals(boom.status, 500);
  const text = await boom.text();
  assertEquals(text.includes("secret internal detail"), false);
  match(text, /error 500/);
  const nowhere = await get("/no/such/page");
  assertEquals(nowhere.status, 404);
  assertEquals(nowhere.headers.get("x-trail"), "root", "root middleware runs for 404s");
  match(await nowhere.text(), /custom not found/);
});

Deno.test("JSON APIs: Zod errors become 422 with field messages; 405 lists allowed methods", async () => {
  const form = await get("/form");
  const cookie = form.headers.getSetCookie()[0].split(";")[0];
  const token = (await form.text()).match(/name="_csrf" value="([^"]+)"/)![1];
  const bad = await get("/api/items", {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": token, cookie },
    body: JSON.stringify({ name: "x", qty: 0 }),
  });
  assertEquals(bad.status, 422);
  const body = await bad.json();
  ok(body.error.fields.name);
  ok(body.error.fields.qty);
  const good = await get("/api/items", {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": token, cookie },
    body: JSON.stringify({ name: "milk", qty: 2 }),
  });
  assertEquals(good.status, 201);
  await good.body?.cancel();
  const del = await get("/api/items", {
    method: "DELETE",
    headers: { "x-csrf-token": token, cookie },
  });
  assertEquals(del.status, 405);
  match(del.headers.get("allow")!, /GET/);
  await del.body?.cancel();
});

Deno.test("island class hints: classes an island may switch to on the client get their CSS", async () => {
  const { classHintsOf } = await import("@/framework/islands.ts");
  const hints = classHintsOf(
    'const c = open ? "bg-red-100 text-red-700" : `p-2 hover:underline`; const id = "count";',
  ).split(" ");
  for (const w of ["bg-red-100", "text-red-700", "p-2", "hover:underline"]) ok(hints.includes(w));
  assertEquals(hints.includes("count"), false);
});

Deno.test("page cache: one render serves many visitors, each with their own nonce and token", async () => {
  const cached = await fixtureApp({ pageCacheKey: () => "anonymous" });
  const visit = async () => {
    const res = await cached.fetch(new Request("http://localhost/cached"));
    const html = await res.text();
    return {
      html,
      cookie: res.headers.getSetCookie()[0].split(";")[0],
      token: html.match(/name="_csrf" value="([^"]+)"/)![1],
      nonce: res.headers.get("content-security-policy")!.match(/nonce-([^' ]+)/)![1],
    };
  };
  const a = await visit(), b = await visit();
  match(a.html, /render 1/);
  match(b.html, /render 1/, "the second visitor got the cached render");
  ok(a.token !== b.token && a.cookie !== b.cookie, "each visitor has their own token");
  ok(a.html.includes(`nonce="${a.nonce}"`) && b.html.includes(`nonce="${b.nonce}"`));
  ok(a.nonce !== b.nonce);
  // The token from the cached page is accepted with its visitor's cookie, not another's.
  const post = (cookie: string, token: string) =>
    postForm(cached, "/form", cookie, `_csrf=${token}&name=Karim`);
  const good = await post(b.cookie, b.token);
  assertEquals(good.status, 200);
  await good.body?.cancel();
  const crossed = await post(a.cookie, b.token);
  assertEquals(crossed.status, 403);
  await crossed.body?.cancel();
});

Deno.test("page cache: gzip clients get the stored compressed page with their own nonce and token", async () => {
  const cached = await fixtureApp({ pageCacheKey: () => "anonymous" });
  const visit = (headers: HeadersInit = {}) =>
    cached.fetch(new Request("http://localhost/cached", { headers }));
  const plain = await (await visit()).text();
  const res = await visit({ "accept-encoding": "gzip, br" });
  assertEquals(res.headers.get("content-encoding"), "gzip");
  match(res.headers.get("vary")!, /accept-encoding/);
  const nonce = res.headers.get("content-security-policy")!.match(/nonce-([^' ]+)/)![1];
  const html = await new Response(res.body!.pipeThrough(new DecompressionStream("gzip"))).text();
  const n = plain.match(/render (\d+)/)![1];
  match(html, new RegExp(`render ${n}<`), "served from the cache");
  ok(html.includes(`nonce="${nonce}"`));
  const token = html.match(/name="_csrf" value="([^"]+)"/)![1];
  ok(token.length > 20 && !html.includes("csrf" + "placeholder"));
  const strip = (t: string) =>
    t.replace(/nonce="[^"]+"/g, "").replace(/name="_csrf" value="[^"]+"/g, "");
  assertEquals(strip(html), strip(plain));
  // The token in the compressed page is accepted with this visitor's cookie.
  const cookie = res.headers.getSetCookie()[0].split(";")[0];
  const post = await postForm(cached, "/form", cookie, `_csrf=${token}&name=Karim`);
  assertEquals(post.status, 200);
  await post.body?.cancel();
});
