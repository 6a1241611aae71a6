import { getCookies, type Middleware } from "@/framework/mod.ts";
import { chooseLang, isLang, messages } from "@/services/i18n/mod.ts";
import { loadSession } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { assertCleanQuery } from "@/services/platform/mod.ts";

/**
 * Every request: the session (only when a session cookie came: no KV read otherwise), then the
 * language: the `lang` cookie, else the signed-in user's language, else Accept-Language.
 */
export const handler: Middleware<State> = async (ctx) => {
  await loadSession(ctx);
  // The language chosen on this device wins over the profile's; a cookie naming none is ignored.
  const cookieLang = getCookies(ctx.req).lang;
  const lang = chooseLang(
    isLang(cookieLang) ? cookieLang : ctx.state.user?.locale,
    ctx.req.headers.get("accept-language"),
  );
  ctx.state.lang = lang;
  ctx.state.t = messages(lang);
  assertCleanQuery(ctx.url); // no NUL, control character or over-long value reaches a route
  return ctx.next();
};
