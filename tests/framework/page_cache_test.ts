/**
 * The page cache: a `config.cache` page is rendered once per cache key, stored already
 * compressed, and every visitor gets the very same bytes for their coding, with a strong ETag per
 * coding, 304 on If-None-Match, a CSP that allows its inline code by hash, and forms that post
 * without a token (anonymous posts are checked by origin).
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { FreshApp } from "@/framework/mod.ts";
import { fixtureApp, sha256 } from "./fixture_app.ts";

let cachedApp: Promise<FreshApp> | null = null;
const app = () => cachedApp ??= fixtureApp({ pageCacheKey: () => "anonymous" });
const visit = async (headers: HeadersInit = {}, path = "/cached") =>
  (await app()).fetch(new Request(`http://localhost${path}`, { headers }));
const bytes = async (res: Response) => new Uint8Array(await res.arrayBuffer());
const decode = (b: Uint8Array, coding: string | null) =>
  new TextDecoder().decode(
    coding === "br" ? brotliDecompressSync(b) : coding === "gzip" ? gunzipSync(b) : b,
  );

const BROWSER = "gzip, deflate, br";

Deno.test("page cache: every visitor gets the same bytes for their coding, rendered once", async () => {
  const plain = await visit();
  const html = decode(await bytes(plain), null);
  const n = html.match(/render (\d+)/)![1];
  const seen = new Map<string, string>();
  for (const accept of [BROWSER, "gzip", "", BROWSER, "gzip", "identity", ""]) {
    const res = await visit(accept ? { "accept-encoding": accept } : {});
    const coding = res.headers.get("content-encoding");
    const body = await bytes(res);
    const key = coding ?? "identity";
    const hex = body.join(",");
    if (seen.has(key)) assertEquals(hex, seen.get(key), `${key}: identical bytes every time`);
    seen.set(key, hex);
    assertEquals(decode(body, coding), html, "the same page in every coding");
    match(html, new RegExp(`render ${n}<`), "served from the one render");
    assertEquals(res.headers.get("set-cookie"), null, "no per-visitor cookie");
  }
  assertEquals([...seen.keys()].sort(), ["br", "gzip", "identity"]);
  ok(seen.get("br")!.length < seen.get("identity")!.length / 2);
});

Deno.test("page cache: Accept-Encoding with q-values picks the coding; Vary says so", async () => {
  const cases: [string, string | null][] = [
    [BROWSER, "br"],
    ["br", "br"],
    ["gzip", "gzip"],
    ["x-gzip", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["gzip;q=0.5, br;q=0.4", "gzip"],
    ["gzip;q=0, br;q=0", null],
    ["*", "br"],
    ["*;q=0, identity", null],
    ["deflate", null],
    ["identity", null],
    ["", null],
  ];
  for (const [accept, coding] of cases) {
    const res = await visit({ "accept-encoding": accept });
    assertEquals(res.headers.get("content-encoding"), coding, accept);
    assertEquals(res.headers.get("vary"), "accept-encoding");
    match(await decode(await bytes(res), coding), /render \d+/);
  }
});

Deno.test("page cache: a strong ETag per coding, and 304 Not Modified on If-None-Match", async () => {
  const etags = new Map<string, string>();
  for (const accept of [BROWSER, "gzip", "identity"]) {
    const res = await visit({ "accept-encoding": accept });
    await res.body?.cancel();
    const etag = res.headers.get("etag")!;
    match(etag, /^"[^"]+"$/, "strong");
    etags.set(accept, etag);
    const again = await visit({ "accept-encoding": accept });
    await again.body?.cancel();
    assertEquals(again.headers.get("etag"), etag, "same bytes, same ETag");
    const cond = await visit({ "accept-encoding": accept, "if-none-match": etag });
    assertEquals(cond.status, 304);
    assertEquals(await cond.text(), "");
    assertEquals(cond.headers.get("etag"), etag);
    assertEquals(cond.headers.get("vary"), "accept-encoding");
    const weak = await visit({ "accept-encoding": accept, "if-none-match": `"x", W/${etag}` });
    assertEquals(weak.status, 304, "If-None-Match compares weakly, in a list");
  }
  assertEquals(new Set(etags.values()).size, 3, "different bytes, different ETag");
  // The gzip ETag does not validate the brotli answer.
  const other = await visit({ "accept-encoding": BROWSER, "if-none-match": etags.get("gzip")! });
  assertEquals(other.status, 200);
  assertEquals(other.headers.get("content-encoding"), "br");
  await other.body?.cancel();
});

Deno.test("page cache: the CSP allows exactly the page's inline scripts and styles, by hash", async () => {
  const res = await visit({ "accept-encoding": BROWSER });
  const html = decode(await bytes(res), "br");
  const policy = res.headers.get("content-security-policy")!;
  assertEquals(/unsafe-inline/.test(policy), false, policy);
  // The render's one nonce is on the page's own elements (the bytes are the cached render's);
  // the injected script carries none and its hash is not in the policy.
  const nonce = /'nonce-([^']+)'/.exec(policy)![1];
  const own = (e: { attrs: string }) => e.attrs.includes(`nonce="${nonce}"`);
  ok(html.includes("<script>window.injected=1</script>"), "the injected markup is there");
  ok(!policy.includes(await sha256("window.injected=1")), "…and not allowed");
  const sources = (directive: string) =>
    policy.match(new RegExp(`${directive} ([^;]*)`))![1].split(" ")
      .filter((s) => s !== "'self'" && !s.startsWith("'nonce-"));
  // Parse the page: executable inline scripts (not data blocks, not src=), and styles.
  const doc = new DOMParserLike(html);
  const scripts = doc.inline("script").filter((e) =>
    own(e) && !/\ssrc=/.test(e.attrs) && !/type="application\/(json|ld\+json)"/.test(e.attrs)
  );
  const styles = doc.inline("style").filter(own);
  ok(scripts.length >= 2, "the island boot script and the page's own script");
  ok(styles.length >= 2, "the page's CSS and its own style");
  const want = async (list: { text: string }[]) =>
    [...new Set(await Promise.all(list.map((e) => sha256(e.text))))].sort();
  assertEquals(sources("script-src").sort(), await want(scripts));
  assertEquals(sources("style-src").sort(), await want(styles));
  // Same policy for the next visitor (it is part of the cached page).
  const next = await visit();
  await next.body?.cancel();
  assertEquals(next.headers.get("content-security-policy"), policy);
});

Deno.test("page cache: its form carries no token, and an anonymous same-origin post works", async () => {
  const html = await (await visit()).text();
  match(html, /name="_csrf" value(="")?\/>/);
  const a = await app();
  const post = (headers: Record<string, string>) =>
    a.fetch(
      new Request("http://localhost/form", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: "name=Karim",
      }),
    );
  const ok1 = await post({ origin: "http://localhost", "sec-fetch-site": "same-origin" });
  assertEquals(ok1.status, 200);
  match(await ok1.text(), /<output>Karim<\/output>/);
  const foreign: Record<string, string>[] = [
    { "sec-fetch-site": "cross-site" },
    { origin: "https://evil.example" },
  ];
  for (const h of foreign) {
    const refused = await post(h);
    assertEquals(refused.status, 403, JSON.stringify(h));
    await refused.body?.cancel();
  }
});

Deno.test("page cache: clearPageCache() forgets the pages; the next visit renders anew", async () => {
  const a = await app();
  const first = await visit({ "accept-encoding": BROWSER });
  const n = Number(decode(await bytes(first), "br").match(/render (\d+)/)![1]);
  a.clearPageCache();
  const fresh = await visit({ "accept-encoding": BROWSER });
  match(decode(await bytes(fresh), "br"), new RegExp(`render ${n + 1}<`));
  const again = await visit({ "accept-encoding": BROWSER });
  match(decode(await bytes(again), "br"), new RegExp(`render ${n + 1}<`), "cached again");
});

/** Just enough HTML parsing for inline elements: their attributes and exact text. */
class DOMParserLike {
  constructor(private html: string) {}
  inline(tag: string): { attrs: string; text: string }[] {
    const re = new RegExp(`<${tag}(\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "g");
    return [...this.html.matchAll(re)].map((m) => ({ attrs: m[1] ?? "", text: m[2] }));
  }
}
