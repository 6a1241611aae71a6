/**
 * The web application: the framework configured for Smart Dairy (state, Twind, CSRF exemptions,
 * page cache rule and request metrics). main.ts and the tests both build it from here.
 */
import { createApp, type FreshApp } from "@/framework/mod.ts";
import { messages } from "@/services/i18n/mod.ts";
import { metrics } from "@/services/platform/metrics.ts";
import type { AppDeps, State } from "@/state.ts";
import twindConfig from "@/twind.config.ts";

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
  const publicUrl = config.PUBLIC_URL ? new URL(config.PUBLIC_URL) : null;
  return await createApp<State>({
    root: import.meta.dirname!,
    dev: config.dev,
    twind: twindConfig,
    secret: deps.appSecret,
    secureCookies: publicUrl?.protocol === "https:",
    allowedOrigins: publicUrl ? [publicUrl.origin] : [],
    // Webhooks authenticate with the provider's own verification; MQTT never comes here.
    csrfExempt: (url) => url.pathname.startsWith("/webhooks/"),
    createState: () => ({ deps, lang: "en", t: messages("en") }),
    // Signed-in visitors see their own header: never share their renders.
    // Shared renders only for anonymous visitors; the shop header shows the guest's cart size.
    pageCacheKey: (ctx) => {
      if (ctx.state.user) return null;
      const cart = (ctx.state as State & { cartCount?: number }).cartCount;
      return cart ? `${ctx.state.lang}|cart:${cart}` : ctx.state.lang;
    },
    maxBodyBytes: 2 * 1024 * 1024,
    onResponse: ({ route, status, seconds, method }) => {
      const group = routeGroup(route);
      requests.inc(labelsFor(`${group} ${method} ${status}`, () => ({
        group,
        method,
        status: String(status),
      })));
      latency.observe(seconds, labelsFor(group, () => ({ group })));
    },
    onError: (error, req) => {
      console.error(`[${new Date().toISOString()}] ${req.method} ${req.url}:`, error);
    },
  });
}
