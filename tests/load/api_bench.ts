/**
 * The public API under load: authenticated GET /api/v1/products (key lookup, scope, the hourly
 * count in PostgreSQL, the call log) against the HTML catalog serving the same products
 * (/shop?category=…) in the same run — goal: at least 0.5× the page's rate. Measured as a browser
 * asks (`Accept-Encoding: gzip, deflate, br`), and without compression too.
 * On the embedded database every query shares one connection; set TEST_DATABASE_URL for a server.
 */
import { type Figure, figure, load } from "./harness.ts";
import { withShop } from "../shop/_helpers.ts";
import { partnerKey } from "../api/_helpers.ts";

export async function benchApi(opts: { seconds?: number } = {}): Promise<Figure[]> {
  const seconds = opts.seconds ?? 5;
  return await withShop(async (s) => {
    const figures: Figure[] = [];
    // A key whose limit does not stop the bench (the default is 1,000 an hour).
    const { key } = await partnerKey(s, ["catalog:read"], { limit: 1_000_000 });
    const ac = new AbortController();
    const server = Deno.serve({
      port: 0,
      hostname: "127.0.0.1",
      signal: ac.signal,
      onListen: () => {},
    }, s.app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const html = `${base}/shop?category=milk`;
    const apiUrl = `${base}/api/v1/products?category=milk`;
    const auth = { authorization: `Bearer ${key}` };
    try {
      // Both answer with the same products.
      const page = await (await fetch(html)).text();
      const body = await (await fetch(apiUrl, { headers: auth })).json();
      if (!body.data?.length || !body.data.every((p: { slug: string }) => page.includes(p.slug))) {
        throw new Error("the API and the catalog page do not show the same products");
      }
      for (const [label, enc] of [["gzip", "gzip, deflate, br"], ["identity", null]] as const) {
        const encHeaders: Record<string, string> = enc ? { "accept-encoding": enc } : {};
        // Warm both, then measure.
        await load(html, { seconds: 1, headers: encHeaders });
        await load(apiUrl, { seconds: 1, headers: { ...encHeaders, ...auth } });
        const h = await load(html, { seconds, headers: encHeaders });
        const a = await load(apiUrl, { seconds, headers: { ...encHeaders, ...auth } });
        if (a.errors) throw new Error(`${a.errors} failed API requests (${label})`);
        figures.push(
          figure(`api GET /api/v1/products (${label})`, a.rps, "req/s", h.rps),
          figure(`html /shop catalog (${label})`, h.rps, "req/s"),
          figure(`api p99 (${label})`, a.p99ms, "ms", h.p99ms),
        );
      }
    } finally {
      ac.abort();
      await server.finished;
    }
    return figures;
  });
}
