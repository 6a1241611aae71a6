import { type Handlers, setCookie } from "@/framework/mod.ts";
import { isLang } from "@/services/i18n/mod.ts";

/** The language switch: remembers the choice in a cookie and goes back to the page. Works without JS. */
export const handler: Handlers = {
  GET(ctx) {
    const to = ctx.url.searchParams.get("to");
    if (isLang(to)) {
      setCookie(ctx.responseHeaders, "lang", to, { maxAge: 60 * 60 * 24 * 365, httpOnly: false });
    }
    // Back to the page, if `next` is a path on this site (never "//evil" or "/\evil").
    return ctx.redirect(ctx.url.searchParams.get("next"));
  },
};
