/**
 * The whole app at its HTTP edge (issue 9): the request body limit on real routes, absolute URLs
 * from PUBLIC_URL and never from the Host header (page cache included), the open-redirect guard
 * on /lang and the cart, robots.txt, Secure cookies behind a TLS proxy, and the configuration
 * that drives them.
 */
import { deepStrictEqual as assertEquals, match, ok, throws } from "node:assert/strict";
import { pageForm, post, variantId, withShop } from "@/tests/shop/_helpers.ts";
import { withTestApp } from "@/tests/helpers/app.ts";
import { ConfigError, loadConfig, publicOrigin } from "@/services/platform/config.ts";
import { MAX_BODY_BYTES } from "@/server.ts";

const PUBLIC = "https://shop.example";

/** A chunked body of `total` bytes that records how much of it was read. */
function chunked(total: number) {
  const pulled = { bytes: 0 };
  const chunk = new TextEncoder().encode("message=" + "a".repeat(64 * 1024 - 8));
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (pulled.bytes >= total) return c.close();
      pulled.bytes += chunk.length;
      c.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  return { stream, pulled };
}

Deno.test("edge: chunked posts over 2 MB are refused with 413 without being read", async () => {
  await withTestApp(async ({ app }) => {
    const ac = new AbortController();
    const server = Deno.serve(
      { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen: () => {} },
      app.fetch,
    );
    try {
      const total = 40 * 1024 * 1024;
      const origin = `http://127.0.0.1:${server.addr.port}`;
      for (const path of ["/contact", "/webhooks/sslcommerz/ipn", "/webhooks/bkash/ipn"]) {
        const { stream, pulled } = chunked(total);
        const res = await fetch(`${origin}${path}`, {
          method: "POST",
          body: stream,
          headers: { "content-type": "application/x-www-form-urlencoded", origin },
        });
        assertEquals(res.status, 413, path);
        await res.body?.cancel();
        // The server stopped at the limit: what the client got to send is the limit plus
        // what the sockets buffer, far from the 40 MB it offered.
        ok(pulled.bytes < total / 4, `${path}: ${pulled.bytes} bytes sent`);
      }
      // A normal form still goes through.
      const small = await fetch(`${origin}/contact`, {
        method: "POST",
        body: "name=A",
        headers: { "content-type": "application/x-www-form-urlencoded", origin },
      });
      assertEquals(small.status, 422, "reaches the contact form (which wants more fields)");
      await small.body?.cancel();
    } finally {
      ac.abort();
      await server.finished;
    }
  });
  assertEquals(MAX_BODY_BYTES, 2 * 1024 * 1024);
});

Deno.test("edge: Host: evil.example never reaches a page, the page cache or the sitemap", async () => {
  await withShop(async (s) => {
    const evil = (path: string) =>
      s.fetch(`http://evil.example${path}`, { headers: { host: "evil.example" } });
    const poisoned = await (await evil("/shop/products/fresh-milk?x=1")).text();
    ok(!poisoned.includes("evil.example"), "no evil.example in the page");
    ok(poisoned.includes(`<link rel="canonical" href="${PUBLIC}/shop/products/fresh-milk"/>`));
    const ld = JSON.parse(poisoned.match(/application\/ld\+json[^>]*>(.*?)<\/script>/s)![1]);
    assertEquals(ld.offers[0].url, `${PUBLIC}/shop/products/fresh-milk`);
    // The next anonymous visitor gets the cached render: still clean.
    const next = await s.fetch("/shop/products/fresh-milk?x=1");
    const html = await next.text();
    ok(!html.includes("evil.example"));
    ok(html.includes(`href="${PUBLIC}/shop/products/fresh-milk"`));
    const map = await (await evil("/sitemap.xml")).text();
    ok(!map.includes("evil.example"));
    ok(map.includes(`<loc>${PUBLIC}/shop/products/fresh-milk</loc>`));
    const robots = await (await evil("/robots.txt")).text();
    ok(!robots.includes("evil.example"));
  }, { config: { PUBLIC_URL: PUBLIC } });
});

Deno.test("edge: without PUBLIC_URL (development) absolute URLs use the listen address", async () => {
  await withShop(async (s) => {
    const html = await (await s.fetch("http://evil.example/shop/products/fresh-milk", {
      headers: { host: "evil.example" },
    })).text();
    ok(!html.includes("evil.example"));
    ok(html.includes('href="http://localhost:8000/shop/products/fresh-milk"'));
  }, { config: { PUBLIC_URL: undefined, HOST: "0.0.0.0", PORT: 8000 } });
});

Deno.test("edge: robots.txt names the sitemap by its absolute URL and keeps crawlers out", async () => {
  await withTestApp(async (t) => {
    const res = await t.fetch("/robots.txt");
    assertEquals(res.status, 200);
    match(res.headers.get("content-type")!, /^text\/plain/);
    const text = await res.text();
    const lines = text.split("\n");
    ok(lines.includes(`Sitemap: ${PUBLIC}/sitemap.xml`), text);
    for (const p of ["/account", "/webhooks", "/admin", "/farm", "/signin", "/shop/checkout"]) {
      ok(lines.includes(`Disallow: ${p}`), p);
    }
    ok(lines.includes("User-agent: *"));
  }, { config: { PUBLIC_URL: PUBLIC } });
});

Deno.test("edge: /lang goes back only to paths on this site", async () => {
  await withTestApp(async (t) => {
    const go = async (next: string) => {
      const res = await t.fetch(`/lang?to=en&next=${next}`, { redirect: "manual" });
      assertEquals(res.status, 303);
      return res.headers.get("location");
    };
    assertEquals(await go("/%5Cevil.example/"), "/");
    assertEquals(await go("/%09/evil.example/"), "/");
    assertEquals(await go("//evil.example/"), "/");
    assertEquals(await go("https://evil.example/"), "/");
    assertEquals(await go("/%0d%0a/evil.example"), "/");
    assertEquals(await go(encodeURIComponent("/shop?q=milk")), "/shop?q=milk");
    const res = await t.fetch("/lang?to=bn&next=/about", { redirect: "manual" });
    assertEquals(res.headers.get("location"), "/about");
    match(res.headers.get("set-cookie")!, /lang=bn/);
  });
});

Deno.test("edge: the cart's back field goes back only to paths on this site", async () => {
  await withShop(async (s) => {
    const ghee = String(await variantId(s.sql, "GHEE-500"));
    let page = await pageForm(s, "/shop/products/pure-ghee", "");
    const add = async (back: string) => {
      const res = await post(
        s,
        "/shop/cart",
        { action: "add", variantId: ghee, qty: "1", back },
        page,
      );
      await res.body?.cancel();
      page = { ...page, cookie: mergeCookies(page.cookie, res) };
      assertEquals(res.status, 303);
      return res.headers.get("location");
    };
    // The query says what the cart holds now (n: the line's quantity after each add).
    const to = (path: string, n: number) => `${path}?added=1&v=${ghee}&n=${n}`;
    assertEquals(await add("/\\evil.example/"), to("/shop/cart", 1));
    assertEquals(await add("/\t/evil.example/"), to("/shop/cart", 2));
    assertEquals(await add("//evil.example/"), to("/shop/cart", 3));
    assertEquals(await add("https://evil.example/x"), to("/shop/cart", 4));
    assertEquals(await add("/shop/products/pure-ghee"), to("/shop/products/pure-ghee", 5));
    // A fragment (the card or form the button was on) is kept, after the query.
    assertEquals(
      await add("/shop?q=ghee#p-pure-ghee"),
      `/shop?q=ghee&added=1&v=${ghee}&n=6#p-pure-ghee`,
    );
    assertEquals(await add("//evil.example/#x"), to("/shop/cart", 7));
  });
});

function mergeCookies(cookie: string, res: Response): string {
  const jar = new Map(cookie.split("; ").filter(Boolean).map((c) => [c.split("=")[0], c]));
  for (const c of res.headers.getSetCookie().map((c) => c.split(";")[0])) {
    jar.set(c.split("=")[0], c);
  }
  return [...jar.values()].join("; ");
}

Deno.test("edge: behind a TLS proxy (PUBLIC_URL https, request http) cookies are Secure", async () => {
  await withShop(async (s) => {
    // The proxy speaks plain HTTP to us: the request URL is http://.
    const page = await s.fetch("http://localhost/shop/products/pure-ghee");
    await page.body?.cancel();
    // A signed-in visitor's page hands out the CSRF token: its cookie is __Host- and Secure.
    const { cookie } = await s.user();
    const session = cookie.replace(/^sd_session=/, "__Host-sd_session=");
    const mine = await s.fetch("http://localhost/shop/products/pure-ghee", {
      headers: { cookie: session },
    });
    await mine.body?.cancel();
    const csrf = mine.headers.getSetCookie().find((c) => c.startsWith("__Host-sd_csrf="));
    ok(csrf, "the CSRF cookie has the __Host- prefix");
    match(csrf, /; Secure/);
    // A guest (no session: the page was a shared one, without a token) posts from our origin.
    const res = await s.fetch("http://localhost/shop/cart", {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({
        action: "add",
        variantId: String(await variantId(s.sql, "GHEE-500")),
        qty: "1",
      }),
      headers: { origin: PUBLIC, "content-type": "application/x-www-form-urlencoded" },
    });
    assertEquals(res.status, 303);
    const cart = res.headers.getSetCookie().find((c) => c.startsWith("sd_cart="));
    ok(cart, "the guest cart cookie is set");
    match(cart, /; Secure/, "the guest cart cookie is Secure too");
    match(page.headers.get("strict-transport-security") ?? "", /max-age=/);
  }, { config: { PUBLIC_URL: PUBLIC } });
});

Deno.test("config: TRUSTED_PROXIES are IPs and CIDR ranges; none by default", () => {
  assertEquals(loadConfig({}).TRUSTED_PROXIES, []);
  assertEquals(
    loadConfig({ TRUSTED_PROXIES: " 127.0.0.1, 10.0.0.0/8 ,::1" }).TRUSTED_PROXIES,
    ["127.0.0.1", "10.0.0.0/8", "::1"],
  );
  throws(
    () => loadConfig({ TRUSTED_PROXIES: "10.0.0.0/8,proxy.internal" }),
    (e: unknown) => e instanceof ConfigError && /TRUSTED_PROXIES.*proxy\.internal/.test(e.message),
  );
});

Deno.test("config: PUBLIC_URL is an origin, required by the production server", () => {
  throws(() => loadConfig({ PUBLIC_URL: "https://shop.example/app" }), ConfigError);
  const prod = { DATABASE_URL: "postgres://db.internal/dairy" };
  throws(
    () => loadConfig(prod, { server: true }),
    (e: unknown) => e instanceof ConfigError && /PUBLIC_URL/.test(e.message),
  );
  // The embedded default, --dev, and scripts (migrate, workers) start without it.
  loadConfig({}, { server: true });
  loadConfig(prod, { server: true, dev: true });
  loadConfig(prod);
  loadConfig({ ...prod, PUBLIC_URL: PUBLIC }, { server: true });
  // Absolute URLs: PUBLIC_URL's origin, else the listen address.
  assertEquals(publicOrigin(loadConfig({ PUBLIC_URL: "https://shop.example/" })), PUBLIC);
  assertEquals(publicOrigin(loadConfig({ PORT: "8080" })), "http://localhost:8080");
  assertEquals(publicOrigin(loadConfig({ HOST: "127.0.0.1", PORT: "80" })), "http://127.0.0.1");
  assertEquals(publicOrigin(loadConfig({ HOST: "::1", PORT: "8000" })), "http://[::1]:8000");
});
