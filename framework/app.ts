/**
 * The application: file-system routes, islands, bundles, static files, security headers, CSRF and
 * error pages, behind one `fetch(Request) → Response`. It knows nothing about dairies; the app
 * passes its state factory, Twind config and hooks in `AppOptions`.
 */
import { type ComponentType, h, type VNode } from "preact";
import { Hono } from "hono";
import { type Twind, twind, type TwindConfig, type TwindUserConfig, virtual } from "@twind/core";
import { buildBundle, type Bundle } from "./bundler.ts";
import { Csrf } from "./csrf.ts";
import { classifyError, errorJson, wantsJson } from "./errors.ts";
import { type RouteFile, type RouteTree, scanRoutes } from "./fs_routes.ts";
import { HttpError } from "./http_error.ts";
import { type IslandInfo, loadIslands } from "./islands.ts";
import { join, toFileUrl } from "./path.ts";
import { renderDocument } from "./render.ts";
import { makeNonce, securityHeaders } from "./security.ts";
import { PageCache } from "./page_cache.ts";
import { maybeCompress } from "./compress.ts";
import { loadStaticFiles, serveStatic } from "./static_files.ts";
import { type RequestInfo, requestInfo, type ServeInfo, TrustedProxies } from "./client_info.ts";
import { redirectTo } from "./redirect.ts";
import type {
  Context,
  HandlerFn,
  Handlers,
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
  /** Secret for CSRF tokens. */
  secret: string;
  /** Serve cookies with Secure and the __Host- prefix (the site is on HTTPS). */
  secureCookies: boolean;
  /** Extra origins accepted for unsafe requests (e.g. the public URL behind a proxy). */
  allowedOrigins?: string[];
  /** Paths whose unsafe requests authenticate otherwise (webhooks, token APIs). */
  csrfExempt?: (url: URL, req: Request) => boolean;
  createState: (req: Request) => State;
  /** For pages with `config.cache`: a key when the render may be shared, null otherwise. */
  pageCacheKey?: (ctx: Context<State>) => string | null;
  onResponse?: (info: ResponseInfo) => void;
  onError?: (error: unknown, req: Request) => void;
  /**
   * Peers (IPs and CIDR ranges) whose X-Forwarded-For is believed for `ctx.info.clientIp`;
   * by default none, so the client is always the connection's peer.
   */
  trustedProxies?: readonly string[];
}

export interface FreshApp {
  /** Deno.serve's handler: `Deno.serve(app.fetch)` passes the connection info along. */
  fetch(req: Request, info?: ServeInfo): Promise<Response>;
  /** Adds middlewares that run for every routed request, before the routes' own middlewares. */
  use(...middlewares: Middleware[]): FreshApp;
  routes: RouteTree;
  islands: IslandInfo[];
  bundle: Bundle;
}

interface Loaded {
  file: RouteFile;
  module: RouteModule;
  middlewares: Middleware[];
  layouts: ComponentType<PageProps>[];
}

interface RequestEnv {
  nonce: string;
  route: string | null;
  url: URL;
  info: RequestInfo;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

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
  await loadStaticFiles(join(opts.root, "static"));
  const tw = twind(opts.twind as TwindConfig<any>, virtual(true)) as unknown as Twind;
  const csrf = new Csrf(opts.secret, opts.secureCookies);
  const cssCache = new Map<string, string>();
  const pageCache = new PageCache();
  const trusted = new TrustedProxies(opts.trustedProxies);
  /** Middlewares added with use(): they run before every route's own chain. */
  const globals: Middleware[] = [];

  function renderTree(
    entry: Loaded,
    ctx: Context<State>,
    data: unknown,
    status: number,
    nonce: string,
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
      nonce,
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
    if (key) {
      const placeholder = pageCache.noncePlaceholder;
      const html = renderDocument(renderTree(entry, ctx, data, status, placeholder), placeholder, {
        bundle,
        tw,
        cssCache,
      });
      return await servePage(pageCache.store(key, html, headers), ctx, status);
    }
    const html = renderDocument(renderTree(entry, ctx, data, status, ctx.nonce), ctx.nonce, {
      bundle,
      tw,
      cssCache,
    });
    return new Response(html, { status, headers });
  }

  /** The page-cache key of a GET for a page with `config.cache`, or null when not cacheable. */
  function pageCacheKey(entry: Loaded, ctx: Context<State>): string | null {
    if (!entry.module.config?.cache || opts.dev || ctx.req.method !== "GET") return null;
    const k = opts.pageCacheKey?.(ctx);
    return k ? `${k}|${ctx.url.pathname}${ctx.url.search}` : null;
  }

  /** A cached page with this visitor's nonce and CSRF token (setting the cookie if needed). */
  async function servePage(
    page: ReturnType<PageCache["store"]>,
    ctx: Context<State>,
    status = 200,
  ): Promise<Response> {
    const token = page.usesCsrf ? await csrf.token(ctx.req, ctx.responseHeaders) : "";
    return new Response(pageCache.fill(page, ctx.nonce, token), {
      status,
      headers: page.headers,
    });
  }

  async function callHandler(entry: Loaded, ctx: Context<State>): Promise<Response> {
    const method = ctx.req.method;
    // A cached page skips its handler: its output depends only on the URL and the cache key.
    const key = pageCacheKey(entry, ctx);
    if (key) {
      const hit = pageCache.get(key);
      if (hit) return await servePage(hit, ctx);
      // While rendering for the cache, forms get a placeholder for the visitor's token.
      ctx.csrfToken = () => Promise.resolve(pageCache.csrfPlaceholder);
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
    if (UNSAFE.has(method) && !opts.csrfExempt?.(ctx.url, ctx.req)) {
      // A body that is not a form (JSON, text) reads as an empty form, not as null: handlers that
      // read fields then answer 422, never a TypeError.
      ctx.form = await csrf.check(ctx.req, opts.allowedOrigins ?? []) ?? new FormData();
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
    if (wantsJson(ctx.req, ctx.url)) res = errorJson(info, ctx.nonce);
    else {
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

  async function run(
    req: Request,
    url: URL,
    params: Record<string, string>,
    entry: Loaded | null,
    nonce: string,
    info: RequestInfo,
  ): Promise<Response> {
    const responseHeaders = new Headers();
    let token: Promise<string> | null = null;
    const ctx: Context<State> = {
      req,
      url,
      info,
      params,
      state: opts.createState(req),
      nonce,
      route: entry?.file.pattern ?? null,
      form: null,
      responseHeaders,
      csrfToken: () => (token ??= csrf.token(ctx.req, responseHeaders)),
      redirect: redirectTo,
      render: (data, init) => {
        if (!entry) throw new HttpError(404);
        return renderPage(entry, ctx, data, init);
      },
      next: () => Promise.resolve(new Response(null, { status: 500 })),
    };
    const chain = entry ? entry.middlewares : rootMiddlewares;
    let g = 0, i = 0;
    ctx.next = async () => {
      const mw = g < globals.length ? globals[g++] : chain[i++];
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
    let res: Response;
    try {
      res = await ctx.next();
    } catch (e) {
      res = await renderError(ctx, e);
    }
    return withHeaders(res, (h) => {
      for (const [k, v] of responseHeaders) {
        if (k === "set-cookie") h.append(k, v);
        else h.set(k, v);
      }
    });
  }

  const router = new Hono<{ Bindings: RequestEnv }>();
  for (const entry of routes) {
    router.all(entry.file.pattern, (c) => {
      c.env.route = entry.file.pattern;
      const params = c.req.param() as Record<string, string>;
      return run(c.req.raw, c.env.url, params, entry, c.env.nonce, c.env.info);
    });
  }
  router.notFound((c) => run(c.req.raw, c.env.url, {}, null, c.env.nonce, c.env.info));

  async function fetch(req: Request, serve?: ServeInfo): Promise<Response> {
    const started = performance.now();
    const url = new URL(req.url);
    const nonce = makeNonce();
    const env: RequestEnv = {
      nonce,
      route: "static",
      url,
      info: requestInfo(req, serve, trusted),
    };
    let res: Response;
    const file = url.pathname.startsWith("/_frsh/js/") ? bundle.files.get(url.pathname) : undefined;
    if (url.pathname.length > 1 && url.pathname.endsWith("/")) {
      // One canonical URL per page: "/about/" → "/about".
      const to = url.pathname.replace(/\/+$/, "") || "/";
      res = new Response(null, { status: 308, headers: { location: to + url.search } });
    } else if (file) {
      res = new Response(req.method === "HEAD" ? null : file.body, {
        headers: {
          "content-type": file.contentType,
          "cache-control": "public, max-age=31536000, immutable",
        },
      });
    } else {
      const st = serveStatic(req, url);
      if (st) res = st;
      else {
        env.route = null;
        res = await router.fetch(req, env);
      }
    }
    res = withHeaders(res, (h) => securityHeaders(h, nonce, { hsts: opts.secureCookies }));
    if (req.method === "HEAD" && res.body) res = new Response(null, res);
    else res = maybeCompress(req, res);
    opts.onResponse?.({
      method: req.method,
      route: env.route,
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
  };
  return app;
}

function buildRootChain(tree: RouteTree): string[] {
  const root = tree.routes.find((r) => r.middlewares.length)?.middlewares[0];
  return root && !root.includes("/") ? [root] : [];
}

/**
 * Applies header changes to a response. Responses from Response.redirect() have immutable
 * headers: only then (the set throws) is the response copied, so the common path does no extra
 * header work.
 */
function withHeaders(res: Response, apply: (headers: Headers) => void): Response {
  try {
    apply(res.headers);
    return res;
  } catch {
    const copy = new Response(res.body, {
      status: res.status,
      statusText: res.statusText,
      headers: new Headers(res.headers),
    });
    apply(copy.headers);
    return copy;
  }
}
