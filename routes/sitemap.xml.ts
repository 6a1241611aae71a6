import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { publicOrigin } from "@/services/platform/mod.ts";

/** Public pages for search engines (and for the page-weight check). */
export const PUBLIC_PATHS = ["/", "/about", "/delivery", "/contact", "/shop", "/shop/faq"];

const escXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    // PUBLIC_URL (or the listen address), never the request's Host header.
    const base = publicOrigin(ctx.state.deps.config);
    const loc = (p: string) => `<loc>${escXml(new URL(p, base).href)}</loc>`;
    const urls = PUBLIC_PATHS.map((p) => `<url>${loc(p)}</url>`);
    // Every product on sale, with its last change.
    for (const p of await ctx.state.deps.site.productSlugs()) {
      urls.push(
        `<url>${loc(`/shop/products/${p.slug}`)}<lastmod>${
          p.updatedAt.toISOString().slice(0, 10)
        }</lastmod></url>`,
      );
    }
    return new Response(
      `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${
        urls.join("")
      }</urlset>\n`,
      { headers: { "content-type": "application/xml; charset=utf-8" } },
    );
  },
};
