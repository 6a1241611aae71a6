/**
 * The shop's shared pages as a browser gets them: stored once compressed, the same bytes for
 * every anonymous visitor (per coding), 304 on revalidation, inline code allowed by CSP hashes;
 * a guest's form posts are checked by their origin, a signed-in customer's need the token.
 */
import { deepStrictEqual as equal, match, ok } from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { pageForm, post, variantId, withShop } from "./_helpers.ts";

const BROWSER = { "accept-encoding": "gzip, deflate, br" };

async function cspHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

Deno.test("shared pages: identical compressed bytes for every guest, ETag and 304", async () => {
  await withShop(async (s) => {
    for (const path of ["/", "/shop", "/shop/products/fresh-milk"]) {
      const seen: Record<string, { bytes: string; etag: string }> = {};
      for (const headers of [BROWSER, { "accept-encoding": "gzip" }, {}, BROWSER, {}]) {
        const res = await s.fetch(path, { headers });
        equal(res.status, 200, path);
        const coding = res.headers.get("content-encoding") ?? "identity";
        const bytes = new Uint8Array(await res.arrayBuffer());
        const etag = res.headers.get("etag")!;
        match(etag, /^"[^"]+"$/);
        equal(res.headers.get("vary"), "accept-encoding");
        equal(res.headers.getSetCookie().filter((c) => /csrf/.test(c)), [], "no CSRF cookie");
        const prev = seen[coding];
        if (prev) {
          equal(bytes.join(","), prev.bytes, `${path} ${coding}: the same bytes`);
          equal(etag, prev.etag);
        }
        seen[coding] = { bytes: bytes.join(","), etag };
        const html = new TextDecoder().decode(
          coding === "br"
            ? brotliDecompressSync(bytes)
            : coding === "gzip"
            ? gunzipSync(bytes)
            : bytes,
        );
        match(html, /^<!DOCTYPE html>/);
        const again = await s.fetch(path, { headers: { ...headers, "if-none-match": etag } });
        equal(again.status, 304, `${path} ${coding}`);
        await again.body?.cancel();
      }
      equal(Object.keys(seen).sort(), ["br", "gzip", "identity"], path);
    }
  });
});

Deno.test("shared pages: the CSP names the hash of every inline script and style they carry", async () => {
  await withShop(async (s) => {
    for (const path of ["/", "/shop", "/shop/products/fresh-milk", "/shop/faq"]) {
      const res = await s.fetch(path);
      const html = await res.text();
      const policy = res.headers.get("content-security-policy")!;
      equal(/unsafe-inline/.test(policy), false);
      const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
        ok(nonce && tag.includes(`nonce="${nonce}"`), `${path}: ${tag}`);
      }
      const allowed = (d: string) => policy.match(new RegExp(`${d} ([^;]*)`))![1].split(" ");
      const scripts = [...html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/g)]
        .filter((m) => !/\ssrc=|type="application\/(ld\+)?json"/.test(m[1] ?? ""));
      const styles = [...html.matchAll(/<style(\s[^>]*)?>([\s\S]*?)<\/style>/g)];
      ok(styles.length > 0, path);
      for (const m of scripts) ok(allowed("script-src").includes(await cspHash(m[2])), path);
      for (const m of styles) ok(allowed("style-src").includes(await cspHash(m[2])), path);
    }
  });
});

Deno.test("guest posts: same-origin works without a token; cross-site is refused", async () => {
  await withShop(async (s) => {
    const ghee = String(await variantId(s.sql, "GHEE-500"));
    const fields = { action: "add", variantId: ghee, qty: "1" };
    const page = await pageForm(s, "/shop/products/pure-ghee", "");
    equal(page.token, "", "the shared page carries no token");
    const added = await post(s, "/shop/cart", fields, page);
    equal(added.status, 303);
    ok(added.headers.getSetCookie().some((c) => c.startsWith("sd_cart=")));
    const send = (headers: Record<string, string>) =>
      s.fetch("/shop/cart", {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams(fields),
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      });
    const foreign: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { origin: "https://evil.example" },
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      {},
    ];
    for (const headers of foreign) {
      const res = await send(headers);
      equal(res.status, 403, JSON.stringify(headers));
      equal(res.headers.getSetCookie().filter((c) => c.startsWith("sd_cart=")), []);
      await res.body?.cancel();
    }
    const sameOrigin = await send({ "sec-fetch-site": "same-origin" });
    equal(sameOrigin.status, 303);
  });
});

Deno.test("signed-in posts: the page is their own, with the token; without it, 403", async () => {
  await withShop(async (s) => {
    const ghee = String(await variantId(s.sql, "GHEE-500"));
    const fields = { action: "add", variantId: ghee, qty: "1" };
    const { cookie } = await s.user();
    const page = await pageForm(s, "/shop/products/pure-ghee", cookie);
    ok(page.token.length > 20, "a signed-in page carries the token");
    equal((await post(s, "/shop/cart", fields, { ...page, token: "" })).status, 403);
    equal((await post(s, "/shop/cart", fields, { ...page, token: "forged" })).status, 403);
    equal((await post(s, "/shop/cart", fields, page)).status, 303);
  });
});

Deno.test("shared pages: a stored page is answered before the middlewares, with the same headers", async () => {
  await withShop(async (s) => {
    const first = await s.fetch("/shop", { headers: { "accept-encoding": "br" } });
    const firstBytes = new Uint8Array(await first.arrayBuffer());
    const again = await s.fetch("/shop", { headers: { "accept-encoding": "br" } });
    equal(again.status, 200);
    equal(new Uint8Array(await again.arrayBuffer()).join(","), firstBytes.join(","));
    for (
      const h of [
        "content-security-policy",
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
        "content-type",
        "etag",
        "vary",
      ]
    ) equal(again.headers.get(h), first.headers.get(h), h);
    ok(again.headers.get("x-request-id"), "a request id like every answer");
    // Each hit is a copy of one stored answer: a 304 or a HEAD between them takes nothing away.
    const etag = again.headers.get("etag")!;
    const revalidated = await s.fetch("/shop", {
      headers: { "accept-encoding": "br", "if-none-match": etag },
    });
    equal([revalidated.status, await revalidated.text()], [304, ""]);
    const head = await s.fetch("/shop", { method: "HEAD", headers: { "accept-encoding": "br" } });
    equal([head.status, head.headers.get("etag"), await head.text()], [200, etag, ""]);
    const third = await s.fetch("/shop", { headers: { "accept-encoding": "br" } });
    equal(new Uint8Array(await third.arrayBuffer()).join(","), firstBytes.join(","));
    ok(third.headers.get("x-request-id") !== again.headers.get("x-request-id"), "an id per hit");
    const traced = await s.fetch("/shop", { headers: { "x-request-id": "trace-42" } });
    await traced.body?.cancel();
    equal(traced.headers.get("x-request-id"), "trace-42", "or the caller's own");
    // The language chosen on this device picks its own stored page.
    const bn = await (await s.fetch("/shop", { headers: { cookie: "lang=bn" } })).text();
    match(bn, /<html lang="bn"/);
    // A guest with a cart is not served another visitor's page: the header counts their cart.
    const ghee = String(await variantId(s.sql, "GHEE-500"));
    const page = await pageForm(s, "/shop/products/pure-ghee", "");
    const added = await post(s, "/shop/cart", { action: "add", variantId: ghee, qty: "2" }, page);
    const cart = added.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const mine = await (await s.fetch("/shop", { headers: { cookie: cart } })).text();
    match(mine, /data-testid="cart-count">2</);
    const others = await (await s.fetch("/shop")).text();
    ok(!/data-testid="cart-count">2</.test(others), "a new visitor's page shows no cart of theirs");
  });
});
