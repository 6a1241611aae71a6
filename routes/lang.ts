import { type Handlers, setCookie } from "@/framework/mod.ts";
import { isLang } from "@/services/i18n/mod.ts";

/** The language switch: remembers the choice in a cookie and goes back to the page. Works without JS. */
export const handler: Handlers = {
  GET(ctx) {
    const to = ctx.url.searchParams.get("to");
    const next = ctx.url.searchParams.get("next") ?? "/";
    // Only same-site paths, never "//evil.example".
    const target = next.startsWith("/") && !next.startsWith("//") ? next : "/";
    const headers = new Headers({ location: target });
    if (isLang(to)) {
      setCookie(headers, "lang", to, { maxAge: 60 * 60 * 24 * 365, httpOnly: false });
    }
    return new Response(null, { status: 303, headers });
  },
};
