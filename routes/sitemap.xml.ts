import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

/** Public pages for search engines (and for the page-weight check). */
export const PUBLIC_PATHS = ["/", "/about", "/delivery", "/contact"];

export const handler: Handlers<unknown, State> = {
  GET(ctx) {
    const base = ctx.state.deps.config.PUBLIC_URL ?? ctx.url.origin;
    const urls = PUBLIC_PATHS.map((p) => `<url><loc>${new URL(p, base).href}</loc></url>`).join("");
    return new Response(
      `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>\n`,
      { headers: { "content-type": "application/xml; charset=utf-8" } },
    );
  },
};
