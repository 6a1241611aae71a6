/**
 * csrf(): unsafe requests must not come from another site; with a session they also need the
 * token (pages get ctx.csrfToken()); anonymous ones, from cached pages, need no token but must
 * show they come from our origin.
 */
import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { createApp, csrf } from "@/framework/mod.ts";
import { defineConfig } from "@twind/core";
import {
  bareFixture,
  fixtureGet,
  fixtureRoot,
  hasSession,
  SESSION_COOKIE,
} from "../fixture_app.ts";

const get = fixtureGet;
const post = (headers: Record<string, string>, body: string, path = "/form") =>
  get(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
const status = async (res: Promise<Response>) => {
  const r = await res;
  await r.body?.cancel();
  return r.status;
};

Deno.test("CSRF: a signed-in session's unsafe requests need our origin and the form token", async () => {
  const page = await get("/form", { headers: { cookie: SESSION_COOKIE } });
  const setCookie = page.headers.getSetCookie()[0];
  match(setCookie, /HttpOnly/);
  match(setCookie, /SameSite=Lax/);
  const cookie = `${SESSION_COOKIE}; ${setCookie.split(";")[0]}`;
  const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1];
  const ok1 = await post({ cookie, origin: "http://localhost" }, `_csrf=${token}&name=Rahim`);
  assertEquals(ok1.status, 200);
  match(await ok1.text(), /<output>Rahim<\/output>/);
  assertEquals(
    await status(post({ cookie, origin: "http://evil.example" }, `_csrf=${token}`)),
    403,
  );
  assertEquals(
    await status(post({ cookie, "sec-fetch-site": "cross-site" }, `_csrf=${token}`)),
    403,
  );
  // Same origin, but no token: refused for a session.
  assertEquals(await status(post({ cookie, origin: "http://localhost" }, "name=x")), 403);
  assertEquals(
    await status(post({ cookie, "sec-fetch-site": "same-origin" }, "name=x")),
    403,
  );
  const wrongCookie = `${SESSION_COOKIE}; sd_csrf=somebody-elses-cookie-value`;
  assertEquals(
    await status(post({ cookie: wrongCookie, origin: "http://localhost" }, `_csrf=${token}`)),
    403,
  );
});

Deno.test("CSRF: an anonymous same-origin form post works without a token; cross-site ones are refused", async () => {
  // Anonymous pages hand out no token and set no cookie (they may be cached and shared).
  const page = await get("/form");
  assertEquals(page.headers.getSetCookie(), []);
  match(await page.text(), /name="_csrf" value(="")?\/>/);
  const byOrigin = await post({ origin: "http://localhost" }, "name=Rahim");
  assertEquals(byOrigin.status, 200);
  match(await byOrigin.text(), /<output>Rahim<\/output>/);
  const byFetchMetadata = await post({ "sec-fetch-site": "same-origin" }, "name=Karim");
  assertEquals(byFetchMetadata.status, 200);
  match(await byFetchMetadata.text(), /<output>Karim<\/output>/);
  // A browser on another site: its Origin, or its Fetch Metadata, gives it away.
  assertEquals(await status(post({ origin: "http://evil.example" }, "name=x")), 403);
  assertEquals(await status(post({ "sec-fetch-site": "cross-site" }, "name=x")), 403);
  assertEquals(await status(post({ "sec-fetch-site": "same-site" }, "name=x")), 403);
  assertEquals(
    await status(post({ origin: "http://localhost", "sec-fetch-site": "cross-site" }, "name=x")),
    403,
  );
  assertEquals(await status(post({ origin: "null" }, "name=x")), 403);
  // Nothing saying where it comes from: refused (no token could vouch for an anonymous post).
  assertEquals(await status(post({}, "name=x")), 403);
});

Deno.test("csrf: a cross-site post is refused before any route runs, even where none matches", async () => {
  for (const path of ["/form", "/no/such/page", "/upload"]) {
    for (const cookie of ["", SESSION_COOKIE]) {
      const res = post({ origin: "http://evil.example", cookie }, "name=x", path);
      assertEquals(await status(res), 403, `${path} ${cookie}`);
    }
  }
});

Deno.test("csrf: exempt requests pass without a token, and GETs set no cookie until asked", async () => {
  const a = await bareFixture(
    csrf({
      secret: "fixture-secret-fixture-secret-fixture",
      secure: false,
      hasSession,
      exempt: (u) => u.pathname === "/upload",
    }),
  );
  const res = await a.fetch(
    new Request("http://localhost/upload", {
      method: "POST",
      body: "abc",
      headers: { cookie: SESSION_COOKIE },
    }),
  );
  assertEquals(await res.json(), { bytes: 3 });
  const home = await a.fetch(
    new Request("http://localhost/", { headers: { cookie: SESSION_COOKIE } }),
  );
  assertEquals(home.headers.getSetCookie(), []);
  await home.body?.cancel();
});

Deno.test("csrf: the secure cookie carries the __Host- prefix and Secure", async () => {
  const a = await bareFixture(
    csrf({ secret: "fixture-secret-fixture-secret-fixture", secure: true, hasSession }),
  );
  const res = await a.fetch(
    new Request("https://localhost/form", { headers: { cookie: SESSION_COOKIE } }),
  );
  const cookie = res.headers.getSetCookie()[0];
  match(cookie, /^__Host-sd_csrf=/);
  match(cookie, /Secure/);
  await res.body?.cancel();
});

Deno.test("csrf: without the part, a page asking for a token fails with a clear error", async () => {
  const errors: unknown[] = [];
  const a = await createApp<{ trail: string[] }>({
    root: fixtureRoot,
    twind: defineConfig({ hash: false }),
    createState: () => ({ trail: [] }),
    onError: (e) => errors.push(e),
  });
  const res = await a.fetch(new Request("http://localhost/form"));
  assertEquals(res.status, 500);
  await res.body?.cancel();
  match(String(errors[0]), /needs the csrf\(\) middleware/);
});
