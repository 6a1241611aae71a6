/** csp(): the security headers, with this request's nonce, on every response. */
import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { csp } from "@/framework/mod.ts";
import { bareFixture, fixtureGet } from "../fixture_app.ts";

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

Deno.test("csp: the policy names the nonce the page's inline styles carry; HSTS only on HTTPS", async () => {
  const res = await get("/");
  const nonce = res.headers.get("content-security-policy")!.match(/'nonce-([0-9a-f]{32})'/)![1];
  match(await res.text(), new RegExp(`<style nonce="${nonce}">`));
  const policy = res.headers.get("content-security-policy")!;
  match(policy, /script-src 'self' 'nonce-[0-9a-f]{32}';/);
  assertEquals(/unsafe-(eval|inline)/.test(policy), false);
  match(res.headers.get("permissions-policy")!, /camera=\(\), microphone=\(\)/);
  assertEquals(res.headers.get("strict-transport-security"), null);
  const a = await bareFixture(csp({ hsts: true }));
  const secure = await a.fetch(new Request("http://localhost/"));
  match(secure.headers.get("strict-transport-security")!, /max-age=63072000/);
  await secure.body?.cancel();
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
