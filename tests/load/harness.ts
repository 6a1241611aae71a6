/**
 * The benchmark harness: figures, HTTP load through wrk (Debian's package) or a small built-in
 * generator, and page weights. Groups live in their own files and return Figure lists.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The same measure for the baseline, measured in the same run. */
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
}

export function figure(name: string, value: number, unit: string, baseline?: number): Figure {
  const f: Figure = { name, value: round(value), unit };
  if (baseline !== undefined) {
    f.baseline = round(baseline);
    f.ratio = baseline ? round(value / baseline, 3) : undefined;
  }
  return f;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export interface LoadResult {
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

const hasWrk = (() => {
  try {
    return new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync() !== null;
  } catch {
    return false;
  }
})();

function parseDuration(v: string, unit: string): number {
  const n = Number(v);
  return unit === "us" ? n / 1000 : unit === "ms" ? n : unit === "s" ? n * 1000 : n / 1e6;
}

/** Loads `url` for `seconds` with `connections` keep-alive connections (and request headers). */
export async function load(
  url: string,
  opts: { seconds?: number; connections?: number; headers?: Record<string, string> } = {},
): Promise<LoadResult> {
  const seconds = opts.seconds ?? 5;
  const connections = opts.connections ?? 32;
  const headers = Object.entries(opts.headers ?? {});
  if (hasWrk) {
    const out = await new Deno.Command("wrk", {
      args: [
        "-t1",
        `-c${connections}`,
        `-d${seconds}s`,
        "--latency",
        ...headers.flatMap(([k, v]) => ["-H", `${k}: ${v}`]),
        url,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    const rps = Number(text.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? 0);
    const pct = (p: string) => {
      const m = text.match(new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`));
      return m ? parseDuration(m[1], m[2]) : NaN;
    };
    const non2xx = Number(text.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
    const sockErr = text.match(/Socket errors:.*?(\d+).*?(\d+).*?(\d+).*?(\d+)/);
    const errors = non2xx + (sockErr ? sockErr.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
    return { rps, p50ms: pct("50"), p99ms: pct("99"), errors };
  }
  return await builtinLoad(url, seconds, connections, opts.headers ?? {});
}

/** A fallback load generator in a subprocess, so it does not share the server's event loop. */
async function builtinLoad(
  url: string,
  seconds: number,
  connections: number,
  headers: Record<string, string>,
) {
  const script = new URL("./loadgen.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      script,
      url,
      String(seconds),
      String(connections),
      JSON.stringify(headers),
    ],
    stdout: "piped",
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)) as LoadResult;
}

/** Percentile of a sorted-or-not list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

async function gzipSize(body: Uint8Array): Promise<number> {
  const stream = new Blob([body as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** Compressed weight of a page's first load: HTML, linked CSS and every module script. */
export async function pageWeight(
  fetchFn: (url: string) => Promise<Response>,
  url: string,
): Promise<{ html: number; css: number; js: number }> {
  const get = async (u: string) => new Uint8Array(await (await fetchFn(u)).arrayBuffer());
  const htmlBytes = await get(url);
  const html = new TextDecoder().decode(htmlBytes);
  let css = 0, js = 0;
  for (const m of html.matchAll(/<link[^>]+rel="?stylesheet"?[^>]*href="([^"]+)"/g)) {
    css += await gzipSize(await get(new URL(m[1], url).href));
  }
  const queue = [
    ...[...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/import(?:[^"']*?from)?\s*["']([^"']+\.m?js)["']/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link[^>]+rel="?modulepreload"?[^>]*href="([^"]+)"/g)].map((m) => m[1]),
  ].map((u) => new URL(u, url).href);
  const seen = new Set<string>();
  while (queue.length) {
    const u = queue.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    const body = await get(u);
    js += await gzipSize(body);
    const text = new TextDecoder().decode(body);
    for (const m of text.matchAll(/(?:import|from)\s*\(?\s*["']([^"']+\.m?js)["']/g)) {
      queue.push(new URL(m[1], u).href);
    }
  }
  return { html: await gzipSize(htmlBytes), css, js };
}

/** What a browser sends: the compressed figures are measured with it. */
export const BROWSER_HEADERS = { "accept-encoding": "gzip, deflate, br" };

/**
 * A bare Deno.serve (the baseline) answering, for each path, the very bytes the app answered:
 * a request with the browser's Accept-Encoding gets the app's compressed answer (same bytes, same
 * Content-Encoding), one without gets the plain page. The bytes are taken from `app` in-process.
 */
export async function bareTwin(
  app: { fetch(req: Request): Promise<Response> },
  base: string,
  paths: string[],
  signal: AbortSignal,
): Promise<{ server: Deno.HttpServer; base: string }> {
  const plain = new Map<string, Uint8Array<ArrayBuffer>>();
  const packed = new Map<string, { body: Uint8Array<ArrayBuffer>; encoding: string | null }>();
  for (const path of paths) {
    const p = await app.fetch(new Request(`${base}${path}`));
    plain.set(path, new Uint8Array(await p.arrayBuffer()));
    const c = await app.fetch(new Request(`${base}${path}`, { headers: BROWSER_HEADERS }));
    packed.set(path, {
      body: new Uint8Array(await c.arrayBuffer()),
      encoding: c.headers.get("content-encoding"),
    });
  }
  const html = { "content-type": "text/html; charset=utf-8" };
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal, onListen: () => {} },
    (req) => {
      const u = new URL(req.url);
      const path = u.pathname + u.search;
      if (req.headers.has("accept-encoding")) {
        const c = packed.get(path);
        if (!c) return new Response(null, { status: 404 });
        return new Response(c.body, {
          headers: c.encoding
            ? { ...html, "content-encoding": c.encoding, vary: "accept-encoding" }
            : html,
        });
      }
      return new Response(plain.get(path) ?? null, { headers: html });
    },
  );
  return { server, base: `http://127.0.0.1:${server.addr.port}` };
}

/** The round with the median request rate. */
function median(rs: LoadResult[]): LoadResult {
  return [...rs].sort((a, b) => a.rps - b.rps)[Math.floor(rs.length / 2)];
}

/**
 * The app's URL against the baseline's, plain and with the browser's Accept-Encoding: warmed
 * up, then short alternating rounds (so that a passing load on the machine does not land on one
 * side only), keeping the median round of each.
 */
export async function compareWithBare(
  fullUrl: string,
  bareUrl: string,
  seconds: number,
): Promise<
  { plain: { f: LoadResult; b: LoadResult }; compressed: { f: LoadResult; b: LoadResult } }
> {
  const measure = async (headers: Record<string, string>) => {
    await load(fullUrl, { seconds: 1, headers });
    await load(bareUrl, { seconds: 1, headers });
    const bs: LoadResult[] = [], fs: LoadResult[] = [];
    for (let i = 0; i < 3; i++) {
      bs.push(await load(bareUrl, { seconds: seconds / 3, headers }));
      fs.push(await load(fullUrl, { seconds: seconds / 3, headers }));
    }
    return { f: median(fs), b: median(bs) };
  };
  const plain = await measure({});
  const compressed = await measure(BROWSER_HEADERS);
  return { plain, compressed };
}

/** The figures of one page's comparison: plain, then compressed (what browsers get). */
export function comparisonFigures(
  name: string,
  r: Awaited<ReturnType<typeof compareWithBare>>,
): Figure[] {
  const out: Figure[] = [];
  for (const [suffix, { f, b }] of [["", r.plain], [".compressed", r.compressed]] as const) {
    out.push(figure(`${name}${suffix}.requests_per_second`, f.rps, "req/s", b.rps));
    out.push(figure(`${name}${suffix}.p50_latency`, f.p50ms, "ms", b.p50ms));
    out.push(figure(`${name}${suffix}.p99_latency`, f.p99ms, "ms", b.p99ms));
    if (f.errors) out.push(figure(`${name}${suffix}.errors`, f.errors, "count"));
  }
  return out;
}
