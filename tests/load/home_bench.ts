/**
 * The home page through the full stack (routing, middlewares, security headers, page cache)
 * against a bare Deno.serve answering the same pre-rendered HTML, in the same run; and the
 * compressed weight of every public page.
 */
import { withTestApp } from "../helpers/app.ts";
import { PUBLIC_PATHS } from "@/routes/sitemap.xml.ts";
import { type Figure, figure, load, type LoadResult, pageWeight } from "./harness.ts";

/** The round with the median request rate. */
function median(rs: LoadResult[]): LoadResult {
  return [...rs].sort((a, b) => a.rps - b.rps)[Math.floor(rs.length / 2)];
}

export async function benchHome(opts: { seconds?: number } = {}): Promise<Figure[]> {
  const seconds = opts.seconds ?? 9;
  return await withTestApp(async ({ app }) => {
    const figures: Figure[] = [];
    const ac = new AbortController();
    const full = Deno.serve(
      { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen: () => {} },
      app.fetch,
    );
    const base = `http://127.0.0.1:${full.addr.port}`;
    const html = await (await fetch(`${base}/`)).text();
    const bare = Deno.serve(
      { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen: () => {} },
      () => new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } }),
    );
    try {
      // Warm both up, then alternate short rounds and keep the median of each, so that a
      // passing load on the machine does not land on one side only.
      const bareUrl = `http://127.0.0.1:${bare.addr.port}/`;
      await load(`${base}/`, { seconds: 1 });
      await load(bareUrl, { seconds: 1 });
      const rounds = 3;
      const bs: LoadResult[] = [], fs: LoadResult[] = [];
      for (let i = 0; i < rounds; i++) {
        bs.push(await load(bareUrl, { seconds: seconds / rounds }));
        fs.push(await load(`${base}/`, { seconds: seconds / rounds }));
      }
      const b = median(bs), f = median(fs);
      figures.push(figure("home.requests_per_second", f.rps, "req/s", b.rps));
      figures.push(figure("home.p50_latency", f.p50ms, "ms", b.p50ms));
      figures.push(figure("home.p99_latency", f.p99ms, "ms", b.p99ms));
      if (f.errors) figures.push(figure("home.errors", f.errors, "count"));
      for (const path of PUBLIC_PATHS) {
        const w = await pageWeight(fetch, `${base}${path}`);
        const name = path === "/" ? "home" : path.slice(1).replace(/\//g, "_");
        figures.push(figure(`page_weight.${name}`, w.html + w.css + w.js, "bytes gz"));
        figures.push(figure(`page_weight.${name}.js`, w.js, "bytes gz"));
      }
    } finally {
      ac.abort();
      await full.finished;
      await bare.finished;
    }
    return figures;
  });
}
