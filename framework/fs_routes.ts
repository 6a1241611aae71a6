/**
 * File-system routes with Fresh's conventions. `scanRoutes` walks `routes/` and returns the pages
 * sorted so that static segments beat params and params beat rest segments; each page carries the
 * `_middleware` and `_layout` files of the folders above it, outermost first.
 *
 * Route-private modules live in `(_name)/` folders (as in Fresh 2): the loader skips them, so
 * `routes/farm/(_farm)/farm.ts` is importable by the farm routes but is no route. Any other file
 * whose name starts with `_` and is not one of `_app`, `_layout`, `_middleware`, `_404`, `_error`
 * (`_500`) is refused with an error naming it, as Fresh 2's loader does.
 */
import { join, relative, SEPARATOR } from "./path.ts";

export interface RouteFile {
  /** Path relative to the routes folder, with forward slashes: "shop/[slug].tsx". */
  file: string;
  /** URL pattern in the router's syntax: "/shop/:slug", "/docs/:rest{.+}". */
  pattern: string;
  /** Middlewares and layouts that apply, outermost first (relative paths). */
  middlewares: string[];
  layouts: string[];
}

export interface RouteTree {
  routes: RouteFile[];
  app: string | null;
  notFound: RouteFile | null;
  error: RouteFile | null;
}

const EXT = /\.(tsx|ts|jsx|js)$/;
const SPECIAL = new Set(["_app", "_layout", "_middleware", "_404", "_error", "_500"]);

/** `(_name)` folders hold route-private modules (Fresh 2); `_name` and hidden folders too. */
function isPrivateFolder(name: string): boolean {
  return /^\(_[^)]*\)$/.test(name) || name.startsWith("_") || name.startsWith(".");
}

function strayError(file: string): Error {
  return new Error(
    `routes/${file}: files starting with "_" are reserved for _app, _layout, _middleware, _404 ` +
      `and _error. Move a route-private module into a "(_name)/" folder ` +
      `(e.g. routes/farm/(_farm)/farm.ts), which the router skips.`,
  );
}

/** Converts a file path (relative, forward slashes, no extension) to a URL pattern. */
export function pathToPattern(path: string): string {
  const parts: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "index" || seg === "") continue;
    if (/^\(.+\)$/.test(seg)) continue; // (group) folders leave no trace in the URL
    const rest = seg.match(/^\[\.\.\.([A-Za-z_][A-Za-z0-9_]*)\]$/);
    if (rest) {
      parts.push(`:${rest[1]}{.+}`);
      continue;
    }
    const param = seg.match(/^\[([A-Za-z_][A-Za-z0-9_]*)\]$/);
    if (param) {
      parts.push(`:${param[1]}`);
      continue;
    }
    if (/[\[\]]/.test(seg)) throw new Error(`Unsupported route segment "${seg}" in ${path}`);
    parts.push(seg);
  }
  return "/" + parts.join("/");
}

/** 0 = static, 1 = param, 2 = rest: lower ranks are tried first. */
function segmentRank(seg: string): number {
  if (seg.startsWith(":") && seg.endsWith("{.+}")) return 2;
  if (seg.startsWith(":")) return 1;
  return 0;
}

/** Orders patterns so that the most specific one matches first. */
export function comparePatterns(a: string, b: string): number {
  const as = a.split("/").filter(Boolean), bs = b.split("/").filter(Boolean);
  const n = Math.max(as.length, bs.length);
  for (let i = 0; i < n; i++) {
    if (as[i] === undefined) return -1;
    if (bs[i] === undefined) return 1;
    const d = segmentRank(as[i]) - segmentRank(bs[i]);
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

async function walk(dir: string, root: string, out: string[]) {
  const entries: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(dir)) entries.push(e);
  entries.sort((x, y) => x.name.localeCompare(y.name));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory) {
      if (isPrivateFolder(e.name)) continue;
      await walk(full, root, out);
    } else if (EXT.test(e.name) && !/_test\.|\.test\./.test(e.name)) {
      out.push(relative(root, full).split(SEPARATOR).join("/"));
    }
  }
}

/** Lists the route files under `dir` (relative paths with forward slashes). */
export async function listRouteFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  await walk(dir, dir, out);
  return out;
}

/**
 * Builds the route tree from a list of relative file paths. Files in private folders are skipped;
 * stray `_x` files throw, as in Fresh 2.
 */
export function buildRouteTree(files: string[]): RouteTree {
  const special = new Map<string, string>(); // "dir/_layout" → file
  const pages: string[] = [];
  for (const f of files) {
    const noExt = f.replace(EXT, "");
    const segments = noExt.split("/");
    const base = segments.pop()!;
    if (segments.some(isPrivateFolder)) continue;
    if (base.startsWith("_")) {
      if (SPECIAL.has(base)) special.set(noExt, f);
      else throw strayError(f);
    } else pages.push(f);
  }
  const chain = (file: string, kind: "_middleware" | "_layout") => {
    const dirs = file.split("/").slice(0, -1);
    const out: string[] = [];
    for (let i = 0; i <= dirs.length; i++) {
      const key = [...dirs.slice(0, i), kind].join("/");
      const hit = special.get(key);
      if (hit) out.push(hit);
    }
    return out;
  };
  const entry = (file: string, pattern: string): RouteFile => ({
    file,
    pattern,
    middlewares: chain(file, "_middleware"),
    layouts: chain(file, "_layout"),
  });
  const routes = pages.map((f) => entry(f, pathToPattern(f.replace(EXT, ""))));
  const seen = new Map<string, string>();
  for (const r of routes) {
    const clash = seen.get(r.pattern);
    if (clash) throw new Error(`Routes ${clash} and ${r.file} both match ${r.pattern}`);
    seen.set(r.pattern, r.file);
  }
  routes.sort((a, b) => comparePatterns(a.pattern, b.pattern));
  const notFound = special.get("_404");
  const error = special.get("_error") ?? special.get("_500");
  return {
    routes,
    app: special.get("_app") ?? null,
    notFound: notFound ? entry(notFound, "") : null,
    error: error ? entry(error, "") : null,
  };
}

export async function scanRoutes(dir: string): Promise<RouteTree> {
  return buildRouteTree(await listRouteFiles(dir));
}
