import type { Handlers } from "@/framework/mod.ts";
import { publicOrigin } from "@/services/platform/mod.ts";
import type { State } from "@/state.ts";

/** Paths crawlers have no business in: signed-in areas, forms, providers' callbacks. */
export const PRIVATE_PATHS = [
  "/account",
  "/admin",
  "/api/",
  "/farm",
  "/webhooks",
  "/signin",
  "/signup",
  "/signout",
  "/reset",
  "/lang",
  "/shop/cart",
  "/shop/checkout",
  "/shop/orders",
  "/shop/balance",
  "/shop/subscriptions",
  "/metrics",
  "/healthz",
  "/readyz",
];

/** robots.txt: the sitemap by its absolute URL on PUBLIC_URL (Lighthouse asks for one). */
export const handler: Handlers<unknown, State> = {
  GET(ctx) {
    const origin = publicOrigin(ctx.state.deps.config);
    const body = [
      "User-agent: *",
      ...PRIVATE_PATHS.map((p) => `Disallow: ${p}`),
      "",
      `Sitemap: ${origin}/sitemap.xml`,
      "",
    ].join("\n");
    return new Response(body, {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "public, max-age=3600",
      },
    });
  },
};
