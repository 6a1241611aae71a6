/**
 * The application: file-system routes, islands, bundles, the page cache and error pages, behind
 * one `fetch(Request) → Response`. Everything else is a middleware part composed with
 * `app.use()` (framework/middlewares/: csp(), compress(), trailingSlashes(), staticFiles(),
 * bodyLimit(), csrf()), as in Fresh 2. It knows nothing about dairies; the app passes its state
 * factory, Twind config and hooks in `AppOptions`.
 */
import { type ComponentType, h, type VNode } from "preact";
import { Hono } from "hono";
import { type Twind, twind, type TwindConfig, type TwindUserConfig, virtual } from "@twind/core";
import { buildBundle, type Bundle } from "./bundler.ts";
import { classifyError, errorJson, errorProblem, wantsJson } from "./errors.ts";
import { type RouteFile, type RouteTree, scanRoutes } from "./fs_routes.ts";
import { HttpError } from "./http_error.ts";
import { type IslandInfo, loadIslands } from "./islands.ts";
import { join, toFileUrl } from "./path.ts";
import { renderDocument } from "./render.ts";
import { type CachedPage, PageCache } from "./page_cache.ts";
import { withHeaders } from "./headers.ts";
import { notModified, select, serveEncoded } from "./encoding.ts";
import { REQUEST_ID_HEADER, validRequestId } from "./middlewares/request_log.ts";
import { requestInfo, type ServeInfo, TrustedProxies } from "./client_info.ts";
import { redirectTo } from "./redirect.ts";
import type {
  Context,
  HandlerFn,
  Handlers,
  InlineHashes,
  Middleware,
  PageProps,
  PageResult,
  RouteModule,
} from "./types.ts";

export interface ResponseInfo {
  method: string;
  /** The matched pattern ("/shop/:slug"), "static", or null when nothing matched. */
  route: string | null;
  status: number;
  seconds: number;
}

export interface AppOptions<State> {
  /** Project root holding routes/, islands/ and static/. */
  root: string;
  dev?: boolean;
  twind: TwindConfig<any> | TwindUserConfig<any>;
  createState: (req: Request) => State;
  /** For pages with `config.cache`: a key when the render may be shared, null otherwise. */
  pageCacheKey?: (ctx: Context<State>) => string | null;
  /**
   * The fast path for shared pages: from the request alone (before any middleware), the
   * `pageCacheKey` this visitor would get — only when nothing about the visitor can change it
   * (no session, no cart) — else null. A stored page under that key is answered at once, with
   * `sharedHeaders` added (the security headers the chain would add), and counted by
   * `onResponse`; a miss goes through the chain as usual.
   */
  sharedPageKey?: (req: Request, url: URL) => string | null;
  sharedHeaders?: (headers: Headers, page: { hashes: InlineHashes }) => void;
  onResponse?: (info: ResponseInfo) => void;
  onError?: (error: unknown, req: Request) => void;
  /**
   * Which URLs answer errors as RFC 9457 problem details (application/problem+json) instead of
   * the `{ error }` JSON or an error page; none by default.
   */
  problemDetails?: (url: URL) => boolean;
  /**
   * Peers (IPs and CIDR ranges) whose X-Forwarded-For is believed for `ctx.info.clientIp`;
   * by default none, so the client is always the connection's peer.
   */
  trustedProxies?: readonly string[];
}

export interface FreshApp {
  /** Deno.serve's handler: `Deno.serve(app.fetch)` passes the connection info along. */
  fetch(req: Request, info?: ServeInfo): Promise<Response>;
  /**
   * Adds middlewares that run for every request, in the order added, before routing and the
   * routes' own middlewares. An error thrown below a middleware reaches it as the rendered error
   * response from `ctx.next()`, so outer parts (csp(), compress()) decorate error pages too.
   */
  use(...middlewares: Middleware[]): FreshApp;
  routes: RouteTree;
  islands: IslandInfo[];
  bundle: Bundle;
  /** Empties the page cache (what cached pages show has changed). */
  clearPageCache(): void;
}

interface Loaded {
  file: RouteFile;
  module: RouteModule;
  middlewares: Middleware[];
  layouts: ComponentType<PageProps>[];
}

interface RequestEnv {
  ctx: Context<any>;
}

const noCsrf = () =>
  Promise.reject(new Error("ctx.csrfToken() needs the csrf() middleware: app.use(csrf({…}))"));

export async function createApp<State>(opts: AppOptions<State>): Promise<FreshApp> {
  const routesDir = join(opts.root, "routes");
  const tree = await scanRoutes(routesDir);
  const modules = new Map<string, RouteModule>();
  const load = async (file: string) => {
    if (!modules.has(file)) {
      modules.set(file, await import(toFileUrl(join(routesDir, file)).href));
    }
    return modules.get(file)!;
  };
  const loadEntry = async (file: RouteFile): Promise<Loaded> => {
    const module = await load(file.file);
    const middlewares: Middleware[] = [];
    for (const m of file.middlewares) {
      const h = (await load(m)).handler as Middleware | Middleware[] | undefined;
      if (!h) throw new Error(`routes/${m} exports no handler`);
      middlewares.push(...(Array.isArray(h) ? h : [h]));
    }
    const layouts: ComponentType<PageProps>[] = [];
    if (!module.config?.skipInheritedLayouts) {
      for (const l of file.layouts) {
        const c = (await load(l)).default;
        if (c) layouts.push(c as ComponentType<PageProps>);
      }
    }
    return { file, module, middlewares, layouts };
  };
  const routes = await Promise.all(tree.routes.map(loadEntry));
  const notFound = tree.notFound ? await loadEntry(tree.notFound) : null;
  const errorPage = tree.error ? await loadEntry(tree.error) : null;
  const AppShell = tree.app ? (await load(tree.app)).default : null;
  // The root middlewares still run for requests that match no route (404s).
  const rootMiddlewares = notFound?.middlewares ??
    (await Promise.all(
      buildRootChain(tree).map(async (m) => (await load(m)).handler as Middleware),
    ));

  const islands = await loadIslands(join(opts.root, "islands"), opts.root);
  const bundle = await buildBundle(islands, { root: opts.root, dev: opts.dev });
  const tw = twind(opts.twind as TwindConfig<any>, virtual(true)) as unknown as Twind;
  const cssCache = new Map<string, string>();
  const pageCache = new PageCache();
  const trusted = new TrustedProxies(opts.trustedProxies);
  /** Middlewares added with use(): they run for every request, before routing. */
  const globals: Middleware[] = [];

  function renderTree(
    entry: Loaded,
    ctx: Context<State>,
    data: unknown,
    status: number,
  ): VNode {
    const Page = entry.module.default;
    if (!Page) throw new Error(`routes/${entry.file.file} has no page component to render`);
    const props: Omit<PageProps, "Component"> = {
      data,
      url: ctx.url,
      params: ctx.params,
      state: ctx.state,
      route: ctx.route,
      error: ctx.error,
      status,
    };
    type Inner = ComponentType<Record<string, never>>;
    let inner: Inner = () => h(Page, props as PageProps);
    for (const Layout of [...entry.layouts].reverse()) {
      const Child: Inner = inner;
      inner = () => h(Layout, { ...props, Component: Child } as PageProps);
    }
    if (AppShell && !entry.module.config?.skipAppWrapper) {
      return h(AppShell, { ...props, Component: inner } as PageProps) as VNode;
    }
    return h(inner, {}) as VNode;
  }

  async function renderPage(
    entry: Loaded,
    ctx: Context<State>,
    data: unknown,
    init: ResponseInit = {},
  ): Promise<Response> {
    const status = init.status ?? 200;
    const headers = new Headers(init.headers);
    headers.set("content-type", "text/html; charset=utf-8");
    if (!headers.has("cache-control")) headers.set("cache-control", "no-cache");
    const key = status === 200 ? pageCacheKey(entry, ctx) : null;
    const generation = pageCache.generation;
    const { html, hashes } = renderDocument(renderTree(entry, ctx, data, status), {
      bundle,
      tw,
      cssCache,
    });
    if (key) return servePage(await pageCache.store(key, html, headers, hashes, generation), ctx);
    ctx.inlineHashes = hashes;
    return new Response(html, { status, headers });
  }

  /** The page-cache key of a GET for a page with `config.cache`, or null when not cacheable. */
  function pageCacheKey(entry: Loaded, ctx: Context<State>): string | null {
    if (!entry.module.config?.cache || opts.dev || ctx.req.method !== "GET") return null;
    const k = opts.pageCacheKey?.(ctx);
    return k ? `${k}|${ctx.url.pathname}${ctx.url.search}` : null;
  }

  /** A cached page in the coding the client prefers, or 304 when it has those bytes. */
  function servePage(page: CachedPage, ctx: Context<State>): Response {
    ctx.inlineHashes = page.hashes;
    const { coding, body, etag } = select(ctx.req, page.encoded);
    const headers = page.answers[coding] ??= answerHeaders(page.headers, coding, etag);
    if (notModified(ctx.req, etag)) return new Response(null, { status: 304, headers });
    return new Response(body, { headers });
  }

  async function callHandler(entry: Loaded, ctx: Context<State>): Promise<Response> {
    const method = ctx.req.method;
    // A cached page skips its handler: its output depends only on the URL and the cache key.
    const key = pageCacheKey(entry, ctx);
    if (key) {
      const hit = pageCache.get(key);
      if (hit) return servePage(hit, ctx);
      // A shared render carries no visitor's token: anonymous forms are checked by their origin.
      ctx.csrfToken = noToken;
    }
    const handler = entry.module.handler;
    let fn: HandlerFn | undefined;
    if (typeof handler === "function") fn = handler;
    else if (handler) {
      const hs = handler as Handlers;
      fn = hs[method as keyof Handlers] ?? (method === "HEAD" ? hs.GET : undefined);
      if (!fn) {
        const allow = Object.keys(hs).concat(entry.module.default && !hs.GET ? ["GET"] : []);
        if (!(entry.module.default && (method === "GET" || method === "HEAD"))) {
          throw new HttpError(405, undefined, { headers: { allow: allow.join(", ") } });
        }
      }
    }
    if (!fn) {
      if (entry.module.default && (method === "GET" || method === "HEAD")) return ctx.render();
      throw new HttpError(405, undefined, { headers: { allow: "GET, HEAD" } });
    }
    const result = await fn(ctx as Context<any>);
    if (result instanceof Response) return result;
    const r = (result ?? {}) as PageResult;
    return ctx.render(r.data, { status: r.status, headers: r.headers });
  }

  async function renderError(ctx: Context<State>, e: unknown): Promise<Response> {
    if (e instanceof HttpError && e.status >= 300 && e.status < 400) {
      return new Response(null, { status: e.status, headers: e.options.headers });
    }
    const info = classifyError(e);
    if (info.unexpected) opts.onError?.(e, ctx.req);
    const extra = e instanceof HttpError ? new Headers(e.options.headers) : new Headers();
    let res: Response;
    if (opts.problemDetails?.(ctx.url)) res = errorProblem(info, ctx.url.pathname);
    else if (wantsJson(ctx.req, ctx.url)) {
      res = errorJson(info, ctx.responseHeaders.get(REQUEST_ID_HEADER) ?? crypto.randomUUID());
    } else {
      const page = info.status === 404 && notFound ? notFound : errorPage;
      try {
        if (!page) throw e;
        ctx.error = e;
        res = await renderPage(page, ctx, info, { status: info.status });
      } catch (e2) {
        if (e2 !== e) opts.onError?.(e2, ctx.req);
        res = new Response(`${info.status} ${info.message}`, {
          status: info.status,
          headers: { "content-type": "text/plain; charset=utf-8" },
        });
      }
    }
    extra.forEach((v, k) => res.headers.set(k, v));
    return res;
  }

  /** The route's own chain (its folders' _middleware files, then the handler or page). */
  async function runRoute(
    ctx: Context<State>,
    params: Record<string, string>,
    entry: Loaded | null,
  ): Promise<Response> {
    ctx.params = params;
    ctx.route = entry?.file.pattern ?? null;
    ctx.render = (data, init) => {
      if (!entry) throw new HttpError(404);
      return renderPage(entry, ctx, data, init);
    };
    const chain = entry ? entry.middlewares : rootMiddlewares;
    let i = 0;
    ctx.next = async () => {
      const mw = chain[i++];
      if (mw) return await mw(ctx);
      if (!entry) {
        // Inside the chain, so that middlewares see (and may decorate) the 404 response.
        return notFound
          ? await renderPage(notFound, ctx, { status: 404, message: "Page not found" }, {
            status: 404,
          })
          : new Response("404 Page not found", { status: 404 });
      }
      return await callHandler(entry, ctx);
    };
    try {
      return await ctx.next();
    } catch (e) {
      return await renderError(ctx, e);
    }
  }

  const router = new Hono<{ Bindings: RequestEnv }>();
  for (const entry of routes) {
    router.all(entry.file.pattern, (c) => {
      return runRoute(c.env.ctx, c.req.param() as Record<string, string>, entry);
    });
  }
  router.notFound((c) => runRoute(c.env.ctx, {}, null));

  /** After the app's middlewares: the islands' bundles, else the routes. */
  function dispatch(ctx: Context<State>): Promise<Response> | Response {
    if (ctx.url.pathname.startsWith("/_frsh/js/")) {
      const file = bundle.files.get(ctx.url.pathname);
      if (file) {
        ctx.route = "static";
        return serveEncoded(ctx.req, file.encoded, file.contentType, IMMUTABLE);
      }
    }
    return router.fetch(ctx.req, { ctx });
  }

  /** A stored shared page for this request, answered before the chain (sharedPageKey). */
  function sharedHit(req: Request, started: number): Response | null {
    if (!opts.sharedPageKey || opts.dev || (req.method !== "GET" && req.method !== "HEAD")) {
      return null;
    }
    const url = new URL(req.url);
    const k = opts.sharedPageKey(req, url);
    const page = k === null ? null : pageCache.get(`${k}|${url.pathname}${url.search}`);
    if (!page) return null;
    const { coding, body, etag } = select(req, page.encoded);
    const status = notModified(req, etag) ? 304 : 200;
    const empty = status === 304 || req.method === "HEAD";
    // One answer per page, coding and kind, made once; each hit is its copy. (Copying skips the
    // checks of every header name and value that building a Response repeats, which cost more
    // than the rest of the hit.)
    const res = (page.shared[empty ? `${coding}|${status}|empty` : coding] ??= (() => {
      const h = new Headers(page.answers[coding] ??= answerHeaders(page.headers, coding, etag));
      opts.sharedHeaders?.(h, page);
      return new Response(empty ? null : body, { status, headers: h });
    })()).clone();
    res.headers.set(
      REQUEST_ID_HEADER,
      validRequestId(req.headers.get(REQUEST_ID_HEADER)) ?? crypto.randomUUID(),
    );
    opts.onResponse?.({
      method: req.method,
      route: url.pathname,
      status,
      seconds: (performance.now() - started) / 1000,
    });
    return res;
  }

  async function fetch(req: Request, serve?: ServeInfo): Promise<Response> {
    const started = performance.now();
    const shared = sharedHit(req, started);
    if (shared) return shared;
    const ctx: Context<State> = {
      req,
      url: new URL(req.url),
      info: requestInfo(req, serve, trusted),
      params: {},
      state: opts.createState(req),
      inlineHashes: null,
      route: null,
      form: null,
      responseHeaders: new Headers(),
      csrfToken: noCsrf,
      redirect: redirectTo,
      render: () => Promise.reject(new HttpError(404)),
      next: () => Promise.resolve(new Response(null, { status: 500 })),
    };
    let g = 0;
    const failed = (e: unknown) => renderError(ctx, e);
    const next = (): Promise<Response> => {
      const mw = globals[g++];
      if (!mw) return Promise.resolve(dispatch(ctx));
      // The middleware above gets a response, never an exception: errors are rendered here.
      try {
        return Promise.resolve(mw(ctx)).catch(failed);
      } catch (e) {
        return failed(e);
      }
    };
    ctx.next = next;
    let res = await next();
    if (ctx.responseHeaders.keys().next().done !== true) {
      res = withHeaders(res, (h) => {
        for (const [k, v] of ctx.responseHeaders) {
          if (k === "set-cookie") h.append(k, v);
          else h.set(k, v);
        }
      });
    }
    if (req.method === "HEAD" && res.body) res = new Response(null, res);
    opts.onResponse?.({
      method: req.method,
      route: ctx.route,
      status: res.status,
      seconds: (performance.now() - started) / 1000,
    });
    return res;
  }

  const app: FreshApp = {
    fetch,
    use(...mws) {
      globals.push(...mws);
      return app;
    },
    routes: tree,
    islands,
    bundle,
    clearPageCache: () => pageCache.clear(),
  };
  return app;
}

const noToken = () => Promise.resolve("");
const IMMUTABLE = "public, max-age=31536000, immutable";

/** A cached page's headers for one coding: its ETag, and Vary since the coding was chosen. */
function answerHeaders(
  base: [string, string][],
  coding: string,
  etag: string,
): [string, string][] {
  const headers: [string, string][] = [...base, ["etag", etag], ["vary", "accept-encoding"]];
  if (coding !== "identity") headers.push(["content-encoding", coding]);
  return headers;
}

function buildRootChain(tree: RouteTree): string[] {
  const root = tree.routes.find((r) => r.middlewares.length)?.middlewares[0];
  return root && !root.includes("/") ? [root] : [];
}
