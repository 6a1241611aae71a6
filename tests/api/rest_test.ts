/**
 * REST /api/v1 over the app: products with cursor pages, sparse fields, ETag/304, problem+json
 * errors, scopes per route, 429 with Retry-After, the OAuth token endpoint and the JWKS.
 */
import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { withShop } from "@/tests/shop/_helpers.ts";
import { api, partnerKey } from "./_helpers.ts";

Deno.test("api v1: products paginate by cursor, pick fields, answer 304 to a matching ETag", async () => {
  await withShop(async (s) => {
    const { key } = await partnerKey(s, ["catalog:read"]);
    const first = await api(s, key, "/api/v1/products?limit=2");
    equal(first.status, 200);
    equal(first.headers.get("ratelimit-limit"), "1000");
    equal(first.headers.get("ratelimit-remaining"), "999");
    const page1 = await first.json();
    equal(page1.data.length, 2);
    ok(page1.nextCursor);
    ok(page1.data[0].variants[0].priceMinor > 0);
    const page2 = await (await api(s, key, `/api/v1/products?limit=2&cursor=${page1.nextCursor}`))
      .json();
    ok(page2.data.length > 0);
    ok(page2.data[0].id > page1.data[1].id, "the next page continues after the last item");
    // All pages together are every product once.
    const all = [];
    let cursor: string | null = null;
    do {
      const r: { data: { id: number }[]; nextCursor: string | null } = await (await api(
        s,
        key,
        `/api/v1/products?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      )).json();
      all.push(...r.data.map((p) => p.id));
      cursor = r.nextCursor;
    } while (cursor);
    equal(new Set(all).size, all.length);
    const [{ n }] = await s.sql`select count(*)::int as n from shop_products where active`;
    equal(all.length, n);

    const sparse = await (await api(s, key, "/api/v1/products?limit=1&fields=id,slug")).json();
    deepStrictEqual(Object.keys(sparse.data[0]).sort(), ["id", "slug"]);

    const etag = first.headers.get("etag")!;
    ok(etag);
    const again = await api(s, key, "/api/v1/products?limit=2", {
      headers: { "if-none-match": etag },
    });
    equal(again.status, 304);

    const one = await api(s, key, `/api/v1/products/${page1.data[0].slug}`);
    equal(one.status, 200);
    equal((await one.json()).id, page1.data[0].id);
    const avail = await (await api(s, key, `/api/v1/products/${page1.data[0].slug}/availability`))
      .json();
    ok(avail.data[0].lots.length > 0 && avail.data[0].available > 0);
  });
});

Deno.test("api v1: every error is problem+json with field pointers; scopes per route", async () => {
  await withShop(async (s) => {
    const { key } = await partnerKey(s, ["catalog:read"]);
    const expectProblem = async (res: Response, status: number) => {
      equal(res.status, status);
      equal(res.headers.get("content-type"), "application/problem+json");
      const p = await res.json();
      equal(p.status, status);
      ok(p.title && p.detail && p.type);
      return p;
    };
    await expectProblem(await s.fetch("/api/v1/products"), 401);
    await expectProblem(await api(s, "sd_live_" + "A".repeat(32), "/api/v1/products"), 401);
    const bad = await expectProblem(await api(s, key, "/api/v1/products?limit=0&colour=red"), 400);
    deepStrictEqual(bad.errors.map((e: { pointer: string }) => e.pointer), ["/colour"]);
    const lim = await expectProblem(await api(s, key, "/api/v1/products?limit=1000"), 400);
    equal(lim.errors[0].pointer, "/limit");
    await expectProblem(await api(s, key, "/api/v1/products?cursor=nonsense"), 400);
    await expectProblem(await api(s, key, "/api/v1/products?fields=id,colour"), 400);
    await expectProblem(await api(s, key, "/api/v1/products/no-such-thing"), 404);
    await expectProblem(await api(s, key, "/api/v1/nothing/here"), 404);
    // Scopes: the key reads the catalog only.
    const denied = await expectProblem(await api(s, key, "/api/v1/orders"), 403);
    match(denied.detail, /orders:read/);
    await expectProblem(await api(s, key, "/api/v1/farm/animals"), 403);
    await expectProblem(await api(s, key, "/api/v1/iot/devices"), 403);
    await expectProblem(
      await api(s, key, "/api/v1/farm/milk-records", { method: "POST", json: {} }),
      403,
    );
  });
});

Deno.test("api v1: over the hourly limit, 429 with Retry-After", async () => {
  await withShop(async (s) => {
    const { key } = await partnerKey(s, ["catalog:read"], { limit: 2 });
    equal((await api(s, key, "/api/v1/products?limit=1")).status, 200);
    equal((await api(s, key, "/api/v1/products?limit=1")).status, 200);
    const res = await api(s, key, "/api/v1/products?limit=1");
    equal(res.status, 429);
    equal(res.headers.get("content-type"), "application/problem+json");
    ok(Number(res.headers.get("retry-after")) > 0);
    equal(res.headers.get("ratelimit-remaining"), "0");
  });
});

Deno.test("api oauth: token endpoint, then the token calls the API; JWKS published", async () => {
  await withShop(async (s) => {
    const c = await s.deps.api.createClient(
      { name: "BI tool", kind: "partner", scopes: ["catalog:read", "iot:read"] },
      { id: null, name: "t" },
    );
    const { clientId, clientSecret } = await s.deps.api.issueClientSecret(c.id, {
      id: null,
      name: "t",
    });
    const wrong = await s.fetch("/api/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: "nope",
      }),
    });
    equal(wrong.status, 401);
    equal((await wrong.json()).error, "invalid_client");
    const res = await s.fetch("/api/oauth/token", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: "catalog:read" }),
    });
    equal(res.status, 200);
    const t = await res.json();
    equal(t.token_type, "Bearer");
    equal((await api(s, t.access_token, "/api/v1/products?limit=1")).status, 200);
    equal((await api(s, t.access_token, "/api/v1/iot/devices")).status, 403);
    const jwks = await (await s.fetch("/api/jwks.json")).json();
    equal(jwks.keys.length, 1);
    equal(jwks.keys[0].kty, "EC");
    ok(!("d" in jwks.keys[0]), "no private part published");
  });
});
