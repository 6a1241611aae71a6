/**
 * `staticFiles(dir)`: files from `static/`, read into memory when the middleware is made, with a
 * content hash each, text files also compressed once (brotli and gzip) and served in the coding
 * the client prefers. `asset()` gives a cache-busting URL (`/logo.svg?v=<hash>`) that is served
 * with an immutable cache header; other requests revalidate with the coding's ETag. Requests for
 * anything else go on down the chain. Put it before the middlewares that only routes need (sessions,
 * bodies, CSRF), after those every response needs (csp(), compress()).
 */
import { encodeAll, type Encoded, serveEncoded } from "../encoding.ts";
import { join, relative, SEPARATOR } from "../path.ts";
import type { Middleware } from "../types.ts";

interface StaticFile {
  encoded: Encoded;
  type: string;
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
        const type = TYPES[ext] ?? "application/octet-stream";
        files.set(path, { encoded: await encodeAll(body, type), type, hash });
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
  const cacheControl = NO_CACHE.has(url.pathname)
    ? "no-cache"
    : url.searchParams.get("v") === f.hash
    ? "public, max-age=31536000, immutable"
    : "public, max-age=300, must-revalidate";
  return serveEncoded(req, f.encoded, f.type, cacheControl);
}
