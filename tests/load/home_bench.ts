/**
 * The home page through the full stack (routing, middlewares, security headers, page cache)
 * against a bare Deno.serve answering the same bytes, in the same run: plain, and with a
 * browser's `Accept-Encoding: gzip, deflate, br` (the baseline then answers the app's own
 * precompressed bytes); and the compressed weight of every public page.
 */
import { withTestApp } from "../helpers/app.ts";
import { PUBLIC_PATHS } from "@/routes/sitemap.xml.ts";
import {
  bareTwin,
  compareWithBare,
  comparisonFigures,
  type Figure,
  figure,
  pageWeight,
} from "./harness.ts";

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
    const bare = await bareTwin(app, base, ["/"], ac.signal);
    try {
      figures.push(
        ...comparisonFigures("home", await compareWithBare(`${base}/`, `${bare.base}/`, seconds)),
      );
      for (const path of PUBLIC_PATHS) {
        const w = await pageWeight(fetch, `${base}${path}`);
        const name = path === "/" ? "home" : path.slice(1).replace(/\//g, "_");
        figures.push(figure(`page_weight.${name}`, w.html + w.css + w.js, "bytes gz"));
        figures.push(figure(`page_weight.${name}.js`, w.js, "bytes gz"));
      }
    } finally {
      ac.abort();
      await full.finished;
      await bare.server.finished;
    }
    return figures;
  });
}
