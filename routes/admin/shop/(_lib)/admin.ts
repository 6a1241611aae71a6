/** Shared bits of the shop's back-office routes. */
import { messages } from "@/services/i18n/mod.ts";
import type { Context } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { CatalogFieldError, dhakaDate, dhakaTime, ShopError } from "@/services/shop/mod.ts";

export type AdminCtx = Context<State>;

/** The text of a refusal staff should read, or null for unexpected errors. */
export function refusal(e: unknown): string | null {
  if (e instanceof ShopError) {
    const text = messages("en").shop.errors[e.code];
    // A service may add a specific explanation to the generic text.
    return e.message !== e.code.replaceAll("_", " ") ? `${text} ${e.message}` : text;
  }
  if (e instanceof CatalogFieldError) return e.message;
  return null;
}

/**
 * Runs a back-office change (a use case, one transaction): null when it went through, else the
 * refusal text staff should read (unexpected errors propagate).
 */
export async function change(fn: () => Promise<unknown>): Promise<string | null> {
  try {
    await fn();
    return null;
  } catch (e) {
    const text = refusal(e);
    if (text === null) throw e;
    return text;
  }
}

/**
 * The result of a shop admin screen with forms: its title, the CSRF token, the refusal to show
 * and whether the last change was saved (`?saved`), around the screen's own data.
 */
export async function formScreen<T extends object>(
  ctx: AdminCtx,
  title: string,
  data: T,
  error: string | null,
  status: number,
) {
  ctx.state.title = `${title} — Smart Dairy admin`;
  return {
    status,
    data: { ...data, csrf: await ctx.csrfToken(), error, saved: ctx.url.searchParams.has("saved") },
  };
}

/**
 * The result of a shop admin screen whose actions report back in `?done=…`: its title, the CSRF
 * token, that notice and the refusal to show, around the screen's own data.
 */
export async function noticeScreen<T extends object>(
  ctx: AdminCtx,
  title: string,
  data: T,
  error: string | null,
  status: number,
) {
  ctx.state.title = `${title} — Smart Dairy admin`;
  return {
    status,
    data: {
      ...data,
      csrf: await ctx.csrfToken(),
      notice: ctx.url.searchParams.get("done"),
      error,
    },
  };
}

/** "2026-03-04 22:00" in Dhaka time. */
export function stamp(d: Date | null | undefined): string {
  return d ? `${dhakaDate(d)} ${dhakaTime(d)}` : "";
}
