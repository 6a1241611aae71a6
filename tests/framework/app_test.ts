/**
 * The framework through its fetch handler, on a small fixture project: routing order, middleware
 * and layout nesting, islands, errors, the page cache and bundles (the middleware parts have their
 * own tests in middlewares/).
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import type { FreshApp } from "@/framework/mod.ts";
import { parse } from "@/framework/serializer.ts";
import { signal } from "@preact/signals";
import { fixtureApp, SESSION_COOKIE, sha256 } from "./fixture_app.ts";

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

Deno.test("a page without islands ships no script, only inline CSS allowed by its hash", async () => {
  const res = await get("/");
  const html = await res.text();
  assertEquals(/<script/.test(html), false);
  const css = html.match(/<style[^>]*>([^<]*)<\/style>/)![1];
  const policy = res.headers.get("content-security-policy")!;
  ok(policy.includes(`style-src 'self' ${await sha256(css)};`), policy);
  match(policy, /script-src 'self';/);
  match(html, /\.font-bold\{font-weight:700\}/);
  // Only the CSS the page uses: a class it does not use is absent.
  assertEquals(html.includes(".text-red-700"), false);
});

Deno.test("islands: outermost marked, props keep signals and dates, slots kept", async () => {
  const res = await get("/islands");
  const html = await res.text();
  // The boot script is allowed by its hash (the JSON state is data, not script).
  const policy = res.headers.get("content-security-policy")!;
  const boot = html.match(/<script type="module"[^>]*>(.*?)<\/script>/)![1];
  ok(policy.includes(` ${await sha256(boot)};`), policy);
  // …and every script element carries the render's nonce, named in the policy too.
  const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(policy)![1];
  assertEquals(html.match(/<script\b[^>]*>/g)!.every((t) => t.includes(`nonce="${nonce}"`)), true);
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
  const form = await get("/form", { headers: { cookie: SESSION_COOKIE } });
  const cookie = `${SESSION_COOKIE}; ${form.headers.getSetCookie()[0].split(";")[0]}`;
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
