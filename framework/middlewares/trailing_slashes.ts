/**
 * `trailingSlashes(mode)`: one canonical URL per page, as Fresh 2's middleware of the same name.
 * "never" (our default) answers "/about/" with a 308 to "/about"; "always" answers "/about" with
 * a 308 to "/about/" (paths with a file extension, like "/robots.txt", are left alone). The
 * query string is kept; leading slashes are collapsed, so "//evil.example/" never becomes a
 * protocol-relative redirect to another site.
 */
import type { Middleware } from "../types.ts";

export function trailingSlashes(mode: "never" | "always" = "never"): Middleware {
  return (ctx) => {
    const path = ctx.url.pathname;
    if (path.length > 1) {
      if (mode === "never" && path.endsWith("/")) {
        return moved((path.replace(/\/+$/, "") || "/") + ctx.url.search);
      }
      if (mode === "always" && !path.endsWith("/") && !/\.[a-z0-9]+$/i.test(path)) {
        return moved(path + "/" + ctx.url.search);
      }
    }
    return ctx.next();
  };
}

const moved = (location: string) =>
  new Response(null, { status: 308, headers: { location: location.replace(/^[/\\]+/, "/") } });
