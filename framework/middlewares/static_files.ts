/**
 * `staticFiles(dir)`: files from `static/`, read into memory when the middleware is made, with a
 * content hash each. `asset()` gives a cache-busting URL (`/logo.svg?v=<hash>`) that is served
 * with an immutable cache header; other requests revalidate with the ETag. Requests for anything
 * else go on down the chain. Put it before the middlewares that only routes need (sessions,
 * bodies, CSRF), after those every response needs (csp(), compress()).
 */
import { join, relative, SEPARATOR } from "../path.ts";
import type { Middleware } from "../types.ts";

interface StaticFile {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
  hash: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
  ".woff2": "font/woff2",
};

/** Files that must always be revalidated (a service worker must update promptly). */
const NO_CACHE = new Set(["/sw.js", "/manifest.webmanifest"]);

const files = new Map<string, StaticFile>();

async function loadStaticFiles(dir: string): Promise<number> {
  files.clear();
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const full = join(d, e.name);
      if (e.isDirectory) await walk(full);
      else if (e.isFile) {
        const body = await Deno.readFile(full);
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", body));
        const hash = [...digest.slice(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join("");
        const path = "/" + relative(dir, full).split(SEPARATOR).join("/");
        const ext = e.name.slice(e.name.lastIndexOf(".")).toLowerCase();
        files.set(path, {
          body,
          type: TYPES[ext] ?? "application/octet-stream",
          etag: `"${hash}"`,
          hash,
        });
      }
    }
  };
  try {
    await walk(dir);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return files.size;
}

/** The cache-busting URL of a static file (the path itself when the file is unknown). */
export function asset(path: string): string {
  const f = files.get(path);
  return f ? `${path}?v=${f.hash}` : path;
}

export function staticFiles(dir: string): Middleware {
  let loaded = false;
  const loading = loadStaticFiles(dir).then(() => {
    loaded = true;
  });
  const serve: Middleware = (ctx) => {
    if (ctx.req.method !== "GET" && ctx.req.method !== "HEAD") return ctx.next();
    const res = serveStatic(ctx.req, ctx.url);
    if (!res) return ctx.next();
    ctx.route = "static"; // for the request metrics: no route pattern, a static file
    return res;
  };
  return (ctx) => loaded ? serve(ctx) : loading.then(() => serve(ctx));
}

/** Serves a static file, or returns null when `url` names none. */
function serveStatic(req: Request, url: URL): Response | null {
  const f = files.get(url.pathname);
  if (!f) return null;
  const headers = new Headers({
    "content-type": f.type,
    etag: f.etag,
    "content-length": String(f.body.length),
  });
  if (NO_CACHE.has(url.pathname)) headers.set("cache-control", "no-cache");
  else if (url.searchParams.get("v") === f.hash) {
    headers.set("cache-control", "public, max-age=31536000, immutable");
  } else headers.set("cache-control", "public, max-age=300, must-revalidate");
  const inm = req.headers.get("if-none-match");
  if (inm === f.etag || inm === `W/${f.etag}`) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(req.method === "HEAD" ? null : f.body, { headers });
}
