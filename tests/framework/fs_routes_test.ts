import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import {
  buildRouteTree,
  comparePatterns,
  listRouteFiles,
  pathToPattern,
} from "@/framework/fs_routes.ts";

Deno.test("route files map to URL patterns with Fresh's conventions", () => {
  assertEquals(pathToPattern("index"), "/");
  assertEquals(pathToPattern("about"), "/about");
  assertEquals(pathToPattern("shop/index"), "/shop");
  assertEquals(pathToPattern("shop/[slug]"), "/shop/:slug");
  assertEquals(pathToPattern("docs/[...rest]"), "/docs/:rest{.+}");
  assertEquals(pathToPattern("(marketing)/promo/index"), "/promo");
  assertEquals(pathToPattern("sitemap.xml"), "/sitemap.xml");
  throws(() => pathToPattern("bad/[oops"), /Unsupported route segment/);
});

Deno.test("static segments beat params, params beat rest", () => {
  const patterns = ["/docs/:rest{.+}", "/docs/:slug", "/docs/new", "/", "/docs"];
  assertEquals([...patterns].sort(comparePatterns), [
    "/",
    "/docs",
    "/docs/new",
    "/docs/:slug",
    "/docs/:rest{.+}",
  ]);
  assertEquals(
    ["/:a/b", "/a/:b"].sort(comparePatterns),
    ["/a/:b", "/:a/b"],
  );
});

Deno.test("pages carry the middlewares and layouts above them, outermost first", () => {
  const tree = buildRouteTree([
    "_app.tsx",
    "_middleware.ts",
    "_layout.tsx",
    "_404.tsx",
    "_error.tsx",
    "index.tsx",
    "admin/_middleware.ts",
    "admin/_layout.tsx",
    "admin/users/_middleware.ts",
    "admin/users/[id].tsx",
    "(shop)/_layout.tsx",
    "(shop)/cart.tsx",
  ]);
  assertEquals(tree.app, "_app.tsx");
  assertEquals(tree.notFound?.file, "_404.tsx");
  assertEquals(tree.error?.file, "_error.tsx");
  const byPattern = Object.fromEntries(tree.routes.map((r) => [r.pattern, r]));
  assertEquals(byPattern["/admin/users/:id"].middlewares, [
    "_middleware.ts",
    "admin/_middleware.ts",
    "admin/users/_middleware.ts",
  ]);
  assertEquals(byPattern["/admin/users/:id"].layouts, ["_layout.tsx", "admin/_layout.tsx"]);
  assertEquals(byPattern["/cart"].layouts, ["_layout.tsx", "(shop)/_layout.tsx"]);
  assertEquals(byPattern["/"].middlewares, ["_middleware.ts"]);
});

Deno.test("two files for the same URL are refused with both names", () => {
  throws(
    () => buildRouteTree(["about.tsx", "about/index.tsx"]),
    /about\.tsx and about\/index\.tsx both match \/about/,
  );
});

Deno.test("(_name) folders hold route-private modules: no routes, no middlewares", () => {
  const tree = buildRouteTree([
    "farm/index.tsx",
    "farm/(_farm)/farm.ts",
    "farm/(_farm)/ui.tsx",
    "farm/(_farm)/_middleware.ts",
    "farm/(_farm)/[id].tsx",
    "(public)/about.tsx",
    "shop/_lib/web.ts",
  ]);
  assertEquals(tree.routes.map((r) => r.pattern), ["/about", "/farm"]);
  assertEquals(tree.routes.flatMap((r) => r.middlewares), []);
});

Deno.test("a stray _x.ts file is refused with its name and the way out", () => {
  throws(
    () => buildRouteTree(["farm/index.tsx", "farm/_farm.ts"]),
    (e: Error) =>
      /routes\/farm\/_farm\.ts/.test(e.message) && /\(_name\)\/" folder/.test(e.message),
  );
  throws(() => buildRouteTree(["manage/_ui.tsx"]), /routes\/manage\/_ui\.tsx/);
  // The reserved names stay special.
  const tree = buildRouteTree([
    "_app.tsx",
    "_404.tsx",
    "_error.tsx",
    "a/_layout.tsx",
    "a/_middleware.ts",
    "a/index.tsx",
  ]);
  assertEquals(tree.routes.map((r) => r.file), ["a/index.tsx"]);
});

Deno.test("the loader walks past (_name) folders on disk", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/farm/(_farm)`, { recursive: true });
    await Deno.writeTextFile(`${dir}/farm/index.tsx`, "");
    await Deno.writeTextFile(`${dir}/farm/(_farm)/farm.ts`, "");
    assertEquals(await listRouteFiles(dir), ["farm/index.tsx"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
