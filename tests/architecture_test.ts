/**
 * The house's one rule for routes (docs/architecture.md, DESIGN.md §3): a route reaches a bounded
 * context only through its door, `services/<context>/mod.ts`. So every `@/services/…` module that
 * routes/ imports is a `mod.ts`, and routes reach at most as many service modules as there are
 * contexts.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";

const root = new URL("../", import.meta.url);
const SPECIFIER = /(?:from\s+|import\s*\(\s*)"@\/services\/([a-z_]+\/[a-z0-9_/]+\.tsx?)"/g;

async function* sources(dir: URL): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) yield* sources(url);
    else if (/\.(tsx?|jsx?)$/.test(e.name)) yield url;
  }
}

/** Every `@/services/<ctx>/<file>` imported from routes/, with the route files importing it. */
async function serviceImports(): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const routes = new URL("routes/", root);
  for await (const file of sources(routes)) {
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(SPECIFIER)) {
      const list = found.get(m[1]) ?? [];
      list.push(file.pathname.slice(routes.pathname.length));
      found.set(m[1], list);
    }
  }
  return found;
}

async function doors(): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(new URL("services/", root))) {
    if (!e.isDirectory) continue;
    try {
      await Deno.stat(new URL(`services/${e.name}/mod.ts`, root));
      out.push(`${e.name}/mod.ts`);
    } catch { /* no door (yet) */ }
  }
  return out.sort();
}

Deno.test({
  name: "routes reach the contexts only through their doors (services/<context>/mod.ts)",
  fn: async () => {
    const imports = await serviceImports();
    const notDoors = [...imports].filter(([spec]) => !spec.endsWith("/mod.ts"))
      .map(([spec, files]) => `services/${spec} (from ${files.slice(0, 3).join(", ")})`);
    assertEquals(notDoors, [], "routes import service modules that are not doors");
    const ds = await doors();
    ok(
      imports.size <= ds.length,
      `routes reach ${imports.size} service modules, more than the ${ds.length} contexts`,
    );
  },
});

Deno.test("the door count finds the doors and the routes' service imports", async () => {
  // Guards the test above against a broken pattern that would find nothing and pass.
  const imports = await serviceImports();
  ok(imports.size > 0, "no @/services/ import found in routes/");
  ok((await doors()).includes("i18n/mod.ts"));
});
