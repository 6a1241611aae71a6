/**
 * `compress()`: gzip for text responses made per request (pages that are not cached, JSON) when
 * the client accepts it (Deno.serve sends bodies as they are), streamed through a
 * CompressionStream. Small bodies, images, HEAD answers and already-encoded responses are left
 * alone — cached pages, static files and island bundles arrive precompressed (framework/
 * encoding.ts) and pass through untouched.
 */
import { COMPRESSIBLE, MIN_COMPRESS_BYTES as MIN_BYTES, negotiate } from "../encoding.ts";
import type { Middleware } from "../types.ts";

const GZIP_ONLY = ["gzip"] as const;

function acceptsGzip(req: Request): boolean {
  return negotiate(req, GZIP_ONLY) === "gzip";
}

function compressible(res: Response): boolean {
  if (!res.body || res.status === 204 || res.status === 304) return false;
  if (res.headers.has("content-encoding")) return false;
  // Server-sent events must reach the client as they are written (a gzip stream holds them back).
  if ((res.headers.get("content-type") ?? "").startsWith("text/event-stream")) return false;
  const length = Number(res.headers.get("content-length") ?? MIN_BYTES);
  return length >= MIN_BYTES && COMPRESSIBLE.test(res.headers.get("content-type") ?? "");
}

/** The response gzipped when the request allows it and the body is worth it. */
export function maybeCompress(req: Request, res: Response): Response {
  if (req.method === "HEAD" || !acceptsGzip(req) || !compressible(res)) return res;
  const headers = new Headers(res.headers);
  headers.set("content-encoding", "gzip");
  headers.append("vary", "accept-encoding");
  headers.delete("content-length");
  // The bytes differ from the identity encoding's, so a strong validator becomes weak.
  const etag = headers.get("etag");
  if (etag && !etag.startsWith("W/")) headers.set("etag", `W/${etag}`);
  return new Response(res.body!.pipeThrough(new CompressionStream("gzip")), {
    status: res.status,
    statusText: res.statusText,
    headers,
  });
}

export function compress(): Middleware {
  return async (ctx) => maybeCompress(ctx.req, await ctx.next());
}
