/**
 * The web application: the framework configured for Smart Dairy (state, Twind, CSRF exemptions,
 * page cache rule and request metrics). main.ts and the tests both build it from here.
 */
import {
  bodyLimit,
  compress,
  createApp,
  csp,
  csrf,
  type FreshApp,
  getCookies,
  type Middleware,
  requestLog,
  securityHeaders,
  staticFiles,
  trailingSlashes,
} from "@/framework/mod.ts";
import { GUEST_COOKIE } from "@/routes/shop/(_lib)/web.ts";
import { hasSessionCookie, secureCookies } from "@/plugins/session.ts";
import { publicOrigin } from "@/services/platform/config.ts";
import { chooseLang, messages } from "@/services/i18n/mod.ts";
import { metrics } from "@/services/platform/metrics.ts";
import type { AppDeps, State } from "@/state.ts";
import twindConfig from "@/twind.config.ts";
import { MAX_PHOTO_BYTES } from "@/services/shop/mod.ts";
import { log, withLogContext } from "@/services/platform/log.ts";

const requests = metrics.counter("http_requests_total", "HTTP requests by route group and status");
const latency = metrics.histogram("http_request_duration_seconds", "HTTP latency by route group");

// Label objects are reused so that the registry can cache their formatted keys.
const labelCache = new Map<string, Record<string, string>>();
function labelsFor(key: string, make: () => Record<string, string>) {
  let labels = labelCache.get(key);
  if (!labels) labelCache.set(key, labels = make());
  return labels;
}

/** "/shop/:slug" → "shop"; static files and bundles → "static"; unmatched → "none". */
function routeGroup(route: string | null): string {
  if (route === null) return "none";
  if (route === "static") return "static";
  return route.split("/")[1]?.replace(/^:.*/, "param") || "home";
}

export async function createWebApp(deps: AppDeps): Promise<FreshApp> {
  const { config } = deps;
  const app = await createApp<State>({
    root: import.meta.dirname!,
    dev: config.dev,
    twind: twindConfig,
    trustedProxies: config.TRUSTED_PROXIES,
    createState: () => ({ deps, lang: "en", t: messages("en") }),
    // Signed-in visitors see their own header: never share their renders.
    // Shared renders only for anonymous visitors; the shop header shows the guest's cart size.
    pageCacheKey: (ctx) => {
      // (A session cookie, even one that turns out stale, means forms that need a CSRF token.)
      if (ctx.state.user || hasSessionCookie(ctx.req, config)) return null;
      const cart = (ctx.state as State & { cartCount?: number }).cartCount;
      return cart ? `${ctx.state.lang}|cart:${cart}` : ctx.state.lang;
    },
    // The same key, from the request alone, for a visitor nothing personal is known of: their
    // stored page is answered before the middlewares (the shared-page fast path).
    sharedPageKey: (req) => {
      if (hasSessionCookie(req, config)) return null;
      const cookies = getCookies(req);
      if (cookies[GUEST_COOKIE]) return null;
      return chooseLang(cookies.lang, req.headers.get("accept-language"));
    },
    sharedHeaders: (headers, page) => securityHeaders(headers, page.hashes, secureCookies(config)),
    onResponse: ({ route, status, seconds, method }) => {
      const group = routeGroup(route);
      requests.inc(labelsFor(`${group} ${method} ${status}`, () => ({
        group,
        method,
        status: String(status),
      })));
      latency.observe(seconds, labelsFor(group, () => ({ group })));
    },
    // The public API answers every error as problem details (routes/api, docs/api.md).
    problemDetails: isApiPath,
    onError: (error, req) => {
      // (Inside the request's log context: the line carries its request id.)
      log.error("request failed", { method: req.method, path: new URL(req.url).pathname, error });
    },
  });
  // TLS may end at a proxy (the request URL is then http://): PUBLIC_URL decides.
  const https = secureCookies(config);
  // The parts, outermost first: every response (static files and error pages too) is compressed
  // and carries the security headers; then the canonical URL, the static files, and for the rest
  // the body limit (bodies are counted as they stream, chunked ones too, and must keep coming)
  // and the CSRF check, which reads forms through that limit.
  return app.use(
    // One JSON log line per request, with its X-Request-Id (services/platform/log.ts).
    requestLog<State>({
      context: (requestId, fn) => withLogContext({ requestId, component: "web" }, fn),
      userId: (state) => state.user?.id,
      log: (e) =>
        log.info("request", {
          user_id: e.userId ?? undefined,
          method: e.method,
          path: e.path,
          route: e.route,
          status: e.status,
          duration_ms: e.durationMs,
        }),
    }),
    compress(),
    csp({ hsts: https }),
    trailingSlashes("never"),
    staticFiles(import.meta.dirname + "/static"),
    photoUploadLimit(bodyLimit({ maxBytes: MAX_BODY_BYTES, idleMs: 15_000, timeoutMs: 60_000 })),
    csrf({
      secret: deps.appSecret,
      secure: https,
      allowedOrigins: [publicOrigin(config)],
      // Signed-in (and signing-in) visitors' forms carry the token; anonymous ones, from cached
      // pages, are checked by Origin and Sec-Fetch-Site alone.
      hasSession: (req) => hasSessionCookie(req, config),
      // Webhooks authenticate with the provider's own verification; MQTT never comes here.
      exempt: (url) => url.pathname.startsWith("/webhooks/") || isApiPath(url),
    }),
  );
}

/**
 * Product photo uploads (one route) may carry a phone photo: their body limit is the photo's plus
 * room for the form around it, still counted as it streams; every other request keeps the default.
 */
const PHOTO_UPLOAD = /^\/admin\/shop\/products\/\d+\/photos$/;
const photoLimit = bodyLimit({
  maxBytes: MAX_PHOTO_BYTES + 64 * 1024,
  idleMs: 15_000,
  timeoutMs: 120_000,
});
function photoUploadLimit(other: Middleware<State>): Middleware<State> {
  return (ctx) => (PHOTO_UPLOAD.test(ctx.url.pathname) ? photoLimit(ctx) : other(ctx));
}

/** The largest request body accepted (forms, JSON, webhooks, CSV imports). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * The public API (issue 16) takes no cookies: callers authenticate with a bearer key or token on
 * every call (services/api), so CSRF does not apply to it.
 */
function isApiPath(url: URL): boolean {
  return url.pathname.startsWith("/api/");
}
