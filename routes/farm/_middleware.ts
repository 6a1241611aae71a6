import type { Middleware } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { layoutCsrf } from "@/routes/farm/(_farm)/farm.ts";

/**
 * Farm pages are personal (names, tokens): never stored by shared caches. Signed-in pages get a
 * CSRF token for the layout's sign-out button.
 */
export const handler: Middleware<State> = async (ctx) => {
  if (ctx.state.user) layoutCsrf.set(ctx.state, await ctx.csrfToken());
  const res = await ctx.next();
  if (!res.headers.has("cache-control") || res.headers.get("cache-control") === "no-cache") {
    try {
      res.headers.set("cache-control", "private, no-cache");
    } catch { /* immutable headers (a redirect): leave them */ }
  }
  return res;
};
