/** csp(): the security headers, with the page's inline code allowed by hash, on every response. */
import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { csp } from "@/framework/mod.ts";
import { bareFixture, fixtureGet, sha256 } from "../fixture_app.ts";

const get = fixtureGet;

Deno.test("security headers on every response", async () => {
  for (const path of ["/", "/hello.txt", "/nope"]) {
    const res = await get(path);
    await res.body?.cancel();
    match(res.headers.get("content-security-policy")!, /frame-ancestors 'none'/);
    assertEquals(res.headers.get("x-content-type-options"), "nosniff");
    assertEquals(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
  }
});

Deno.test("responses with immutable headers still get the security headers", async () => {
  const res = await get("/go");
  assertEquals(res.status, 302);
  assertEquals(res.headers.get("location"), "http://localhost/docs");
  assertEquals(res.headers.get("x-content-type-options"), "nosniff");
  match(res.headers.get("content-security-policy")!, /frame-ancestors 'none'/);
});

Deno.test("csp: the policy names the hash of the page's inline style; HSTS only on HTTPS", async () => {
  const res = await get("/");
  const css = (await res.text()).match(/<style[^>]*>([^<]*)<\/style>/)![1];
  const policy = res.headers.get("content-security-policy")!;
  match(policy, /script-src 'self';/);
  match(policy, new RegExp(`style-src 'self' ${(await sha256(css)).replace(/[+/]/g, "\\$&")};`));
  assertEquals(/unsafe-(eval|inline)/.test(policy), false);
  match(res.headers.get("permissions-policy")!, /camera=\(\), microphone=\(\)/);
  assertEquals(res.headers.get("strict-transport-security"), null);
  const a = await bareFixture(csp({ hsts: true }));
  const secure = await a.fetch(new Request("http://localhost/"));
  match(secure.headers.get("strict-transport-security")!, /max-age=63072000/);
  await secure.body?.cancel();
});

Deno.test("csp: responses that are not pages allow no inline code at all", async () => {
  const res = await get("/hello.txt");
  await res.body?.cancel();
  match(res.headers.get("content-security-policy")!, /script-src 'self'; style-src 'self';/);
});

Deno.test("csp: error responses from other parts get the headers too", async () => {
  const refused = await get("/form", {
    method: "POST",
    headers: { origin: "http://evil.example" },
  });
  assertEquals(refused.status, 403);
  assertEquals(refused.headers.get("x-frame-options"), "DENY");
  await refused.body?.cancel();
});
