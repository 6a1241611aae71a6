/**
 * Content codings for bodies compressed once and served many times (cached pages, static files,
 * island bundles): the body kept as identity, gzip and brotli, the one the client prefers chosen
 * from its `Accept-Encoding` (with q-values, `*` and `identity;q=0`), each with its own strong
 * ETag (RFC 9110 §8.8.3: different bytes, different validator), and `304 Not Modified` when
 * `If-None-Match` names the chosen one. Serving is then a copy, never a compression.
 */
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

export type Coding = "br" | "gzip" | "identity";

/** Our preference when the client rates codings equally: smallest first. */
const PREFERENCE: readonly Coding[] = ["br", "gzip", "identity"];

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** One body in every coding, with the ETag of each (quoted, strong). */
export interface Encoded {
  identity: Uint8Array<ArrayBuffer>;
  /** Absent when the body is too small or not worth compressing. */
  gzip?: Uint8Array<ArrayBuffer>;
  br?: Uint8Array<ArrayBuffer>;
  etags: Record<Coding, string>;
  /** The compressed codings present (empty: identity only). */
  codings: readonly Coding[];
}

/** Text worth compressing; images and fonts are compressed already. */
export const COMPRESSIBLE =
  /^(text\/|application\/(json|javascript|xml|manifest\+json)|image\/svg\+xml)/;
/** Below this a compressed body saves less than its headers cost. */
export const MIN_COMPRESS_BYTES = 1024;

/**
 * Compresses `body` with brotli (quality 11) and gzip (level 9) off the main thread when its
 * type is compressible, and names every coding's bytes with an ETag derived from the identity
 * body's SHA-256 (`"<hash>"`, `"<hash>-br"`, `"<hash>-gz"`).
 */
export async function encodeAll(
  body: Uint8Array<ArrayBuffer>,
  contentType: string,
): Promise<Encoded> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  const hash = [...digest.slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const etags = { identity: `"${hash}"`, gzip: `"${hash}-gz"`, br: `"${hash}-br"` };
  if (body.length < MIN_COMPRESS_BYTES || !COMPRESSIBLE.test(contentType)) {
    return { identity: body, etags, codings: [] };
  }
  const [br, gz] = await Promise.all([
    brotliAsync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gzipAsync(body, { level: 9 }),
  ]);
  return {
    identity: body,
    gzip: new Uint8Array(gz),
    br: new Uint8Array(br),
    etags,
    codings: ["br", "gzip"],
  };
}

/** Accept-Encoding values seen so far → their parsed q-values (browsers send a handful). */
const parsed = new Map<string, Map<string, number>>();

function qualities(header: string): Map<string, number> {
  let q = parsed.get(header);
  if (q) return q;
  q = new Map();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    let value = 1;
    for (const p of params) {
      const m = p.trim().match(/^q=([01](?:\.\d{0,3})?)$/);
      if (m) value = Math.min(1, Number(m[1]));
    }
    q.set(name === "x-gzip" ? "gzip" : name, value);
  }
  if (parsed.size > 200) parsed.clear();
  parsed.set(header, q);
  return q;
}

/**
 * The coding to answer with, among those `available` (identity always is): the client's
 * highest-rated, ours on a tie. Codings not named take `*`'s rating (identity: acceptable unless
 * excluded, after any named coding). When the client excludes everything, identity all the same (RFC 9110 §12.5.3 allows
 * it rather than a 406).
 */
export function negotiate(req: Request, available: readonly Coding[] = PREFERENCE): Coding {
  const header = req.headers.get("accept-encoding");
  if (!header) return "identity";
  const q = qualities(header);
  const star = q.get("*");
  let best: Coding = "identity";
  let bestQ = 0;
  for (const coding of PREFERENCE) {
    if (coding !== "identity" && !available.includes(coding)) continue;
    // Identity, unless named, is the fallback: acceptable, but after any coding the client names.
    const v = q.get(coding) ?? star ?? (coding === "identity" ? 0.0001 : 0);
    if (v > bestQ) {
      best = coding;
      bestQ = v;
    }
  }
  return best;
}

/** Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 §13.1.2 asks). */
export function notModified(req: Request, etag: string): boolean {
  const inm = req.headers.get("if-none-match");
  if (!inm) return false;
  if (inm.trim() === "*") return true;
  for (const t of inm.split(",")) {
    const tag = t.trim();
    if (tag === etag || tag === `W/${etag}`) return true;
  }
  return false;
}

/** The body and ETag for this request's coding. */
export function select(
  req: Request,
  encoded: Encoded,
): { coding: Coding; body: Uint8Array<ArrayBuffer>; etag: string } {
  const coding = encoded.codings.length ? negotiate(req, encoded.codings) : "identity";
  return { coding, body: encoded[coding]!, etag: encoded.etags[coding] };
}

/**
 * A precompressed body (static file, bundle) in the client's coding, or 304: a copy of the
 * answer made once per file, coding and kind (building a Response checks every header anew).
 */
export function serveEncoded(
  req: Request,
  encoded: Encoded,
  contentType: string,
  cacheControl: string,
): Response {
  const { coding, body, etag } = select(req, encoded);
  const status = notModified(req, etag) ? 304 : 200;
  const head = req.method === "HEAD";
  let made = answers.get(encoded);
  if (!made) answers.set(encoded, made = new Map());
  const key = `${coding}|${status}|${head}|${contentType}|${cacheControl}`;
  let answer = made.get(key);
  if (!answer) {
    const headers = new Headers({
      "content-type": contentType,
      "cache-control": cacheControl,
      etag,
    });
    if (encoded.gzip) headers.set("vary", "accept-encoding");
    if (coding !== "identity") headers.set("content-encoding", coding);
    if (status === 200) headers.set("content-length", String(body.length));
    answer = new Response(status === 304 || head ? null : body, { status, headers });
    made.set(key, answer);
  }
  return answer.clone();
}

const answers = new WeakMap<Encoded, Map<string, Response>>();
