/**
 * Serving /metrics: always behind a bearer token (METRICS_TOKEN, or the one generated in
 * `${DATA_DIR}/metrics_token`), on the web port (routes/metrics.ts) and, when METRICS_PORT is
 * set, on a separate listener on METRICS_HOST (127.0.0.1 by default). A worker run as its own
 * process (workers/bootstrap.ts) always serves this listener, on METRICS_PORT or a free port.
 *
 * Prometheus: `authorization: { credentials_file: <DATA_DIR>/metrics_token }` in the scrape job.
 */
import type { Config } from "./config.ts";
import { metrics, type Registry } from "./metrics.ts";
import { loadOrCreateSecret } from "./secrets.ts";

/** The token scrapes must present: METRICS_TOKEN or the generated one. */
export function metricsToken(config: Pick<Config, "DATA_DIR" | "METRICS_TOKEN">): Promise<string> {
  if (config.METRICS_TOKEN) return Promise.resolve(config.METRICS_TOKEN);
  let token = generated.get(config.DATA_DIR);
  if (!token) {
    token = loadOrCreateSecret(config.DATA_DIR, "metrics_token");
    token.catch(() => generated.delete(config.DATA_DIR));
    generated.set(config.DATA_DIR, token);
  }
  return token;
}
const generated = new Map<string, Promise<string>>();

function sameText(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a), y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** 401 without `Authorization: Bearer <token>`; the registry (collected first) with it. */
export async function metricsResponse(
  req: Request,
  token: string,
  registry: Registry = metrics,
): Promise<Response> {
  const auth = req.headers.get("authorization") ?? "";
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (!m || !sameText(m[1], token)) {
    return new Response("401 Unauthorized: /metrics needs Authorization: Bearer <token>\n", {
      status: 401,
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "www-authenticate": 'Bearer realm="metrics"',
        "cache-control": "no-store",
      },
    });
  }
  await registry.collect();
  return new Response(registry.render(), {
    headers: { "content-type": "text/plain; version=0.0.4", "cache-control": "no-store" },
  });
}

export interface MetricsServer {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** What a process run alone answers on /readyz: named checks, and informative details. */
export interface ProcessHealth {
  readiness(): Promise<Record<string, boolean>>;
  details?(): Record<string, unknown>;
}

/** `/readyz`: 200 when every check passes, 503 naming the failing ones (no token needed). */
export async function readyzResponse(health: ProcessHealth): Promise<Response> {
  const checks = await health.readiness();
  const ok = Object.values(checks).every(Boolean);
  return Response.json({ ok, checks, details: health.details?.() ?? {} }, {
    status: ok ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}

/**
 * The internal listener: GET /metrics (with the token); with `health` (a worker run alone) also
 * /healthz (the process is up) and /readyz (its checks); everything else 404.
 */
export function serveMetrics(
  opts: {
    hostname: string;
    port: number;
    token: string;
    registry?: Registry;
    health?: ProcessHealth;
  },
): Promise<MetricsServer> {
  const ac = new AbortController();
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: opts.hostname,
      port: opts.port,
      signal: ac.signal,
      onListen: ({ hostname, port }) => {
        const host = hostname.includes(":") ? `[${hostname}]` : hostname;
        resolve({
          port,
          url: `http://${host}:${port}/metrics`,
          async stop() {
            ac.abort();
            await server.finished.catch(() => {});
          },
        });
      },
    }, (req) => {
      const path = new URL(req.url).pathname;
      if (opts.health && path === "/healthz") {
        return new Response("ok\n", {
          headers: { "content-type": "text/plain", "cache-control": "no-store" },
        });
      }
      if (opts.health && path === "/readyz") return readyzResponse(opts.health);
      if (path !== "/metrics") return new Response("not found\n", { status: 404 });
      return metricsResponse(req, opts.token, opts.registry);
    });
  });
}
