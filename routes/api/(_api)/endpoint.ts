/**
 * One API operation, declared once: its method and path, the scope it needs, the Zod schemas of
 * its path, query, body and response, and what it does (one call of a context's door). `handle()`
 * turns a declaration into the route's handler — authenticate and count, parse and validate
 * (problem+json with field pointers), Idempotency-Key, cursor pages, sparse fields, ETag and 304,
 * RateLimit and Deprecation/Sunset headers — and `openapi.ts` turns the same declarations into
 * the OpenAPI document. The schema is the code.
 */
import { z } from "@/services/api/mod.ts";
import type { Context, HandlerFn, Handlers } from "@/framework/mod.ts";
import type { ApiPrincipal, ApiScope } from "@/services/api/mod.ts";
import type { AppDeps, State } from "@/state.ts";
import { type FieldProblem, fieldProblem, pointerOf, ProblemError, problemFor } from "./problem.ts";

type Method = "GET" | "POST" | "DELETE";
type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface Page {
  limit: number;
  /** The sort key of the last item of the previous page (decoded cursor), null: from the start. */
  after: string | null;
}

export interface Paged<T> {
  items: T[];
  /** The sort key of the last item, when more may follow. */
  nextAfter: string | null;
}

export interface Call<P, Q, B> {
  deps: AppDeps;
  principal: ApiPrincipal;
  params: P;
  query: Q;
  body: B;
  page: Page;
  req: Request;
}

export interface Deprecation {
  /** When the operation became deprecated (RFC 9745 `Deprecation: @<seconds>`). */
  since: Date;
  /** When it stops answering (RFC 8594 `Sunset`). */
  sunset?: Date;
  /** The operation that replaces it (`Link: <…>; rel="successor-version"`). */
  successor?: string;
}

export interface EndpointSpec<
  P extends AnyObject,
  Q extends AnyObject,
  B extends z.ZodType,
  R extends z.ZodType,
  L extends boolean,
> {
  id: string;
  method: Method;
  /** OpenAPI style: /api/v1/orders/{id}. */
  path: string;
  scope: ApiScope;
  tag: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The response (for a list: one item). */
  response: R;
  status?: 200 | 201;
  /** A cursor-paginated list of `response` items; `fields=` picks their properties. */
  list?: L;
  /** Creating calls: an `Idempotency-Key` header is required and the first answer is replayed. */
  idempotent?: boolean;
  /**
   * The answer depends only on the URL (not on the caller): shared by every caller for this many
   * seconds, as the HTML catalog is for anonymous visitors.
   */
  sharedSeconds?: number;
  deprecated?: Deprecation;
  /** Error statuses this operation may answer besides 400, 401, 403, 429. */
  errors?: number[];
  run(
    call: Call<z.output<P>, z.output<Q>, z.output<B>>,
  ): Promise<L extends true ? Paged<z.input<R>> : z.input<R>>;
}

export type Endpoint = EndpointSpec<AnyObject, AnyObject, z.ZodType, z.ZodType, boolean>;

export function endpoint<
  P extends AnyObject = z.ZodObject<Record<never, never>>,
  Q extends AnyObject = z.ZodObject<Record<never, never>>,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodType,
  L extends boolean = false,
>(spec: EndpointSpec<P, Q, B, R, L>): Endpoint {
  return spec as unknown as Endpoint;
}

export const PAGE_LIMIT_MAX = 100;
export const PAGE_LIMIT_DEFAULT = 25;

/** The query parameters every list takes. */
export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT)
    .describe("Items per page (1–100)"),
  cursor: z.string().max(200).optional().describe("The `nextCursor` of the previous page"),
  fields: z.string().max(500).optional().describe(
    "Comma-separated properties to return for each item (sparse fieldset), e.g. `id,name`",
  ),
});

export function encodeCursor(after: string): string {
  return btoa(JSON.stringify({ a: after })).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function decodeCursor(cursor: string): string {
  try {
    const b64 = cursor.replaceAll("-", "+").replaceAll("_", "/");
    const v = JSON.parse(atob(b64));
    if (typeof v?.a === "string" && v.a.length <= 200) return v.a;
  } catch { /* below */ }
  throw fieldProblem(400, "The cursor is not one this API gave", [
    { location: "query", pointer: "/cursor", detail: "Unknown cursor" },
  ]);
}

/** Where a list paged by position starts: the cursor carries the offset (0 from the start). */
export function offsetOf(page: Page): number {
  return page.after === null ? 0 : Math.max(0, Number(page.after) || 0);
}

/**
 * A page of a list its door pages by offset and counts: `load` gets the limit and the offset;
 * the next page's cursor is the offset after these rows, while rows remain.
 */
export async function pageByOffset<T>(
  page: Page,
  load: (limit: number, offset: number) => Promise<{ rows: T[]; total: number }>,
): Promise<Paged<T>> {
  const offset = offsetOf(page);
  const { rows, total } = await load(page.limit, offset);
  const next = offset + rows.length;
  return { items: rows, nextAfter: next < total ? String(next) : null };
}

/**
 * A page of a list a door returned whole, sorted by `key` (numeric keys compare as numbers):
 * the items after the cursor's key, `limit` of them.
 */
export function pageOf<T>(
  all: readonly T[],
  key: (t: T) => string | number,
  page: Page,
): Paged<T> {
  const numeric = all.length > 0 && typeof key(all[0]) === "number";
  const cmp = (a: string | number, b: string | number) =>
    numeric ? Number(a) - Number(b) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  const sorted = [...all].sort((a, b) => cmp(key(a), key(b)));
  const rest = page.after === null
    ? sorted
    : sorted.filter((t) => cmp(key(t), numeric ? Number(page.after) : page.after!) > 0);
  const items = rest.slice(0, page.limit);
  return {
    items,
    nextAfter: rest.length > page.limit ? String(key(items[items.length - 1])) : null,
  };
}

function issuesToProblems(
  location: FieldProblem["location"],
  error: z.ZodError,
): FieldProblem[] {
  return error.issues.map((i) => ({
    location,
    pointer: location === "header" ? String(i.path[0] ?? "") : pointerOf(i.path),
    detail: i.message,
  }));
}

function parsePart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: FieldProblem["location"],
  status: 400 | 422,
): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw fieldProblem(
    status,
    location === "body" ? "The request body has errors" : `The request's ${location} has errors`,
    issuesToProblems(location, r.error),
  );
}

/** Query parameters: each once; unknown ones refused (a typo must not silently do nothing). */
function queryObject(url: URL, known: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const errors: FieldProblem[] = [];
  for (const [k, v] of url.searchParams) {
    if (!known.has(k)) {
      errors.push({ location: "query", pointer: pointerOf([k]), detail: "Unknown parameter" });
    } else if (k in out) {
      errors.push({ location: "query", pointer: pointerOf([k]), detail: "Given more than once" });
    } else out[k] = v;
  }
  if (errors.length) throw fieldProblem(400, "The query string has errors", errors);
  return out;
}

async function readJson(req: Request): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new ProblemError({
      type: "https://smartdairy.com.bd/docs/api#problem-media-type",
      title: "Unsupported media type",
      status: 415,
      detail: "Send the body as application/json",
    });
  }
  const text = await req.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw fieldProblem(400, "The body is not valid JSON", [
      { location: "body", pointer: "", detail: (e as Error).message.slice(0, 200) },
    ]);
  }
}

/** The keys of an object schema (for `fields=`). */
function keysOf(schema: z.ZodType): Set<string> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return new Set(shape ? Object.keys(shape) : []);
}

function pickFields(items: Record<string, unknown>[], fields: string[]) {
  return items.map((it) =>
    Object.fromEntries(fields.filter((f) => f in it).map((f) => [f, it[f]]))
  );
}

const encoder = new TextEncoder();

async function etagOf(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return `"${btoa(String.fromCharCode(...d.subarray(0, 16))).replace(/=+$/, "")}"`;
}

function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => {
    const v = t.trim();
    return v === "*" || v.replace(/^W\//, "") === bare;
  });
}

function deprecationHeaders(d: Deprecation | undefined): Record<string, string> {
  if (!d) return {};
  const h: Record<string, string> = { Deprecation: `@${Math.floor(d.since.getTime() / 1000)}` };
  if (d.sunset) h.Sunset = d.sunset.toUTCString();
  if (d.successor) h.Link = `<${d.successor}>; rel="successor-version"`;
  return h;
}

/** Bodies shared by every caller for a while (per process; like the HTML page cache). */
interface Shared {
  until: number;
  body: Uint8Array;
  gzip: Uint8Array;
  etag: string;
}
const sharedByApp = new WeakMap<AppDeps, Map<string, Shared>>();
const SHARED_MAX = 500;

async function gzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function respond(
  req: Request,
  status: number,
  body: Uint8Array,
  etag: string | null,
  headers: Record<string, string>,
  gzip?: Uint8Array,
): Response {
  const h = new Headers(headers);
  h.set("cache-control", "private, no-cache");
  h.append("vary", "authorization");
  if (etag) {
    h.set("etag", gzip ? `W/${etag}` : etag);
    if (matches(req.headers.get("if-none-match"), etag)) {
      return new Response(null, { status: 304, headers: h });
    }
  }
  h.set("content-type", "application/json");
  if (gzip && /\bgzip\b/.test(req.headers.get("accept-encoding") ?? "")) {
    h.set("content-encoding", "gzip");
    h.append("vary", "accept-encoding");
    return new Response(gzip as BodyInit, { status, headers: h });
  }
  return new Response(body as BodyInit, { status, headers: h });
}

/** The route handler of one endpoint. */
export function handlerOf(e: Endpoint): HandlerFn<unknown, State> {
  const knownQuery = new Set([
    ...(e.query ? Object.keys(e.query.shape) : []),
    ...(e.list ? Object.keys(listQuery.shape) : []),
  ]);
  const itemKeys = keysOf(e.response);
  return async (ctx: Context<State>) => {
    const deps = ctx.state.deps;
    let rateHeaders: Record<string, string> = {};
    try {
      const auth = await deps.api.authenticateApiRequest(ctx.req, { scope: e.scope });
      rateHeaders = { ...auth.headers, ...deprecationHeaders(e.deprecated) };
      const params = e.params ? parsePart(e.params, ctx.params, "path", 400) : {};
      const rawQuery = queryObject(ctx.url, knownQuery);
      const query = e.query ? parsePart(e.query, rawQuery, "query", 400) : {};
      let page: Page = { limit: PAGE_LIMIT_DEFAULT, after: null };
      let fields: string[] | null = null;
      if (e.list) {
        const lq = parsePart(
          listQuery,
          {
            limit: rawQuery.limit,
            cursor: rawQuery.cursor,
            fields: rawQuery.fields,
          },
          "query",
          400,
        );
        page = { limit: lq.limit, after: lq.cursor ? decodeCursor(lq.cursor) : null };
        if (lq.fields !== undefined) {
          fields = lq.fields.split(",").map((f) => f.trim()).filter(Boolean);
          const unknown = fields.filter((f) => !itemKeys.has(f));
          if (unknown.length || fields.length === 0) {
            throw fieldProblem(400, "Unknown fields", [{
              location: "query",
              pointer: "/fields",
              detail: `Not a property: ${unknown.join(", ") || "(none named)"}`,
            }]);
          }
        }
      }
      // Shared answers: the same bytes for every caller until they expire.
      const sharedKey = e.sharedSeconds ? `${e.id}|${ctx.url.pathname}?${ctx.url.search}` : null;
      let shared = sharedByApp.get(deps);
      if (!shared) sharedByApp.set(deps, shared = new Map());
      if (sharedKey) {
        const hit = shared.get(sharedKey);
        if (hit && hit.until > Date.now()) {
          return respond(ctx.req, 200, hit.body, hit.etag, rateHeaders, hit.gzip);
        }
      }
      let body: unknown = undefined;
      let idemKey: string | null = null;
      if (e.body) {
        const raw = await readJson(ctx.req);
        if (e.idempotent) {
          idemKey = ctx.req.headers.get("idempotency-key");
          if (!idemKey) {
            throw fieldProblem(400, "Creating calls need an Idempotency-Key header", [
              { location: "header", pointer: "Idempotency-Key", detail: "Required" },
            ]);
          }
          const claim = await deps.api.claimIdempotency(auth.principal.clientId, idemKey, raw)
            .catch((err) => {
              if ((err as { fieldErrors?: unknown }).fieldErrors) {
                throw fieldProblem(422, (err as Error).message, [{
                  location: "header",
                  pointer: "Idempotency-Key",
                  detail: Object.values(
                    (err as { fieldErrors: Record<string, string> })
                      .fieldErrors,
                  )[0],
                }]);
              }
              throw err;
            });
          if (claim.kind === "replay") {
            const bytes = encoder.encode(JSON.stringify(claim.body));
            return respond(ctx.req, claim.status, bytes, null, {
              ...rateHeaders,
              "idempotent-replayed": "true",
            });
          }
        }
        try {
          body = parsePart(e.body, raw, "body", 422);
        } catch (err) {
          if (idemKey) await deps.api.releaseIdempotency(auth.principal.clientId, idemKey);
          throw err;
        }
      }
      let result: unknown;
      try {
        result = await e.run({
          deps,
          principal: auth.principal,
          params: params as never,
          query: query as never,
          body: body as never,
          page,
          req: ctx.req,
        });
      } catch (err) {
        if (idemKey) await deps.api.releaseIdempotency(auth.principal.clientId, idemKey);
        throw err;
      }
      let out: unknown = result;
      if (e.list) {
        const paged = result as Paged<Record<string, unknown>>;
        out = {
          data: fields ? pickFields(paged.items, fields) : paged.items,
          nextCursor: paged.nextAfter === null ? null : encodeCursor(paged.nextAfter),
        };
      }
      const status = e.status ?? 200;
      if (idemKey) {
        await deps.api.completeIdempotency(auth.principal.clientId, idemKey, status, out);
      }
      if (e.method !== "GET") {
        await deps.api.auditCall(auth.principal, {
          action: `api.${e.id}`,
          entity: e.tag,
          entityId: (out as { id?: string | number })?.id ?? null,
          data: { path: ctx.url.pathname },
        });
      }
      const bytes = encoder.encode(JSON.stringify(out));
      const etag = e.method === "GET" ? await etagOf(bytes) : null;
      if (sharedKey && etag) {
        const entry = {
          until: Date.now() + e.sharedSeconds! * 1000,
          body: bytes,
          gzip: await gzipBytes(bytes),
          etag,
        };
        if (shared.size >= SHARED_MAX) shared.clear();
        shared.set(sharedKey, entry);
        return respond(ctx.req, status, bytes, etag, rateHeaders, entry.gzip);
      }
      return respond(ctx.req, status, bytes, etag, rateHeaders);
    } catch (err) {
      const res = problemFor(err, ctx.req);
      for (const [k, v] of Object.entries(rateHeaders)) {
        if (!res.headers.has(k)) res.headers.set(k, v);
      }
      return res;
    }
  };
}

/** The handlers of a route file: its endpoints by method. */
export function handlers(...es: Endpoint[]): Handlers<unknown, State> {
  const out: Handlers<unknown, State> = {};
  for (const e of es) out[e.method] = handlerOf(e);
  return out;
}
