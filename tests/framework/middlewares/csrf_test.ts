/** csrf(): unsafe requests need our origin and the token; pages get ctx.csrfToken(). */
import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { createApp, csrf } from "@/framework/mod.ts";
import { defineConfig } from "@twind/core";
import { bareFixture, fixtureGet, fixtureRoot } from "../fixture_app.ts";

const get = fixtureGet;

Deno.test("CSRF: unsafe requests need our origin and the form token", async () => {
  const page = await get("/form");
  const setCookie = page.headers.getSetCookie()[0];
  match(setCookie, /HttpOnly/);
  match(setCookie, /SameSite=Lax/);
  const cookie = setCookie.split(";")[0];
  const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1];
  const post = (headers: Record<string, string>, body: string) =>
    get("/form", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body,
    });
  const ok1 = await post({ cookie, origin: "http://localhost" }, `_csrf=${token}&name=Rahim`);
  assertEquals(ok1.status, 200);
  match(await ok1.text(), /<output>Rahim<\/output>/);
  const cross = await post({ cookie, origin: "http://evil.example" }, `_csrf=${token}&name=x`);
  assertEquals(cross.status, 403);
  await cross.body?.cancel();
  const site = await post({ cookie, "sec-fetch-site": "cross-site" }, `_csrf=${token}`);
  assertEquals(site.status, 403);
  await site.body?.cancel();
  const noToken = await post({ cookie, origin: "http://localhost" }, "name=x");
  assertEquals(noToken.status, 403);
  await noToken.body?.cancel();
  const wrongCookie = await post(
    { cookie: "sd_csrf=somebody-elses-cookie-value", origin: "http://localhost" },
    `_csrf=${token}`,
  );
  assertEquals(wrongCookie.status, 403);
  await wrongCookie.body?.cancel();
});

Deno.test("csrf: a cross-site post is refused before any route runs, even where none matches", async () => {
  for (const path of ["/form", "/no/such/page", "/upload"]) {
    const res = await get(path, {
      method: "POST",
      headers: {
        origin: "http://evil.example",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "name=x",
    });
    assertEquals(res.status, 403, path);
    await res.body?.cancel();
  }
});

Deno.test("csrf: exempt requests pass without a token, and GETs set no cookie until asked", async () => {
  const a = await bareFixture(
    csrf({
      secret: "fixture-secret-fixture-secret-fixture",
      secure: false,
      exempt: (u) => u.pathname === "/upload",
    }),
  );
  const res = await a.fetch(
    new Request("http://localhost/upload", { method: "POST", body: "abc" }),
  );
  assertEquals(await res.json(), { bytes: 3 });
  const home = await a.fetch(new Request("http://localhost/"));
  assertEquals(home.headers.getSetCookie(), []);
  await home.body?.cancel();
});

Deno.test("csrf: the secure cookie carries the __Host- prefix and Secure", async () => {
  const a = await bareFixture(
    csrf({ secret: "fixture-secret-fixture-secret-fixture", secure: true }),
  );
  const res = await a.fetch(new Request("https://localhost/form"));
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
