/** ctx.redirect() and safePath(): the one open-redirect guard accepts only same-origin paths. */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { createApp, redirect, safePath } from "@/framework/mod.ts";
import { defineConfig } from "@twind/core";

const HOSTILE = [
  "//evil.example/",
  "/\\evil.example/",
  "\\\\evil.example",
  "/\t/evil.example/",
  "/\n/evil.example/",
  "/\r\n/evil.example/",
  "/\u0000/evil.example",
  "/\x7f/evil.example",
  "https://evil.example/",
  "http:evil.example",
  "javascript:alert(1)",
  "evil.example",
  " /evil",
  "",
  "/" + "a".repeat(3000),
];

Deno.test("safePath: hostile targets fall back", () => {
  for (const t of HOSTILE) assertEquals(safePath(t, "/home"), "/home", JSON.stringify(t));
  assertEquals(safePath(null, "/home"), "/home");
  assertEquals(safePath(undefined), "/");
});

Deno.test("safePath: same-origin paths are kept (normalised)", () => {
  assertEquals(safePath("/shop?q=milk#top"), "/shop?q=milk#top");
  assertEquals(safePath("/shop#p-sweet-doi"), "/shop#p-sweet-doi");
  assertEquals(safePath("/shop/../account"), "/account");
  assertEquals(safePath("/a/./b"), "/a/b");
  // Percent-encoded characters stay encoded: the browser does not decode them before resolving.
  assertEquals(safePath("/%5Cevil.example/"), "/%5Cevil.example/");
  assertEquals(safePath("/search?q=%2F%2Fevil"), "/search?q=%2F%2Fevil");
});

Deno.test("thrown redirect() goes through the same guard", () => {
  assertEquals(new Headers(redirect("//evil.example").options.headers).get("location"), "/");
  assertEquals(
    new Headers(redirect("/signin?next=%2F").options.headers).get("location"),
    "/signin?next=%2F",
  );
});

Deno.test("ctx.redirect: 303 to a same-origin path, else to the fallback", async () => {
  const app = await createApp<{ trail: string[] }>({
    root: new URL("./fixture/", import.meta.url).pathname,
    twind: defineConfig({ hash: false }),
    createState: () => ({ trail: [] }),
  });
  const go = async (to: string) => {
    const res = await app.fetch(
      new Request(`http://localhost/back?to=${encodeURIComponent(to)}`),
    );
    await res.body?.cancel();
    return [res.status, res.headers.get("location")];
  };
  assertEquals(await go("/docs/intro?x=1"), [303, "/docs/intro?x=1"]);
  // A fragment stays: a form brings the shopper back to the card it was on.
  assertEquals(await go("/shop?added=1&v=3#p-sweet-doi"), [303, "/shop?added=1&v=3#p-sweet-doi"]);
  assertEquals(await go("//evil.example/#p-x"), [303, "/safe"]);
  for (const t of HOSTILE) assertEquals(await go(t), [303, "/safe"], JSON.stringify(t));
});
