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

/** Loads `url` for `seconds` with `connections` keep-alive connections. */
export async function load(
  url: string,
  opts: {
    seconds?: number;
    connections?: number;
    /** Request headers (e.g. Authorization, Accept-Encoding as a browser sends it). */
    headers?: Record<string, string>;
  } = {},
): Promise<LoadResult> {
  const seconds = opts.seconds ?? 5;
  const connections = opts.connections ?? 32;
  const headerArgs = Object.entries(opts.headers ?? {}).flatMap(([k, v]) => ["-H", `${k}: ${v}`]);
  if (hasWrk) {
    const out = await new Deno.Command("wrk", {
      args: ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", ...headerArgs, url],
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
  return await builtinLoad(url, seconds, connections, opts.headers);
}

/** A fallback load generator in a subprocess, so it does not share the server's event loop. */
async function builtinLoad(
  url: string,
  seconds: number,
  connections: number,
  headers: Record<string, string> = {},
) {
  const script = new URL("./loadgen.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, url, String(seconds), String(connections), JSON.stringify(headers)],
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
