/** Shared bits of the shop's back-office routes. */
import type { Context } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import type { Tx } from "@/services/platform/db.ts";
import { ShopError } from "@/services/shop/errors.ts";
import { shopMessages } from "@/services/shop/messages.ts";
import { CatalogFieldError } from "@/services/shop/catalog.ts";

export type AdminCtx = Context<State>;

/** The text of a refusal staff should read, or null for unexpected errors. */
export function refusal(e: unknown): string | null {
  if (e instanceof ShopError) {
    const text = shopMessages("en").errors[e.code];
    // A service may add a specific explanation to the generic text.
    return e.message !== e.code.replaceAll("_", " ") ? `${text} ${e.message}` : text;
  }
  if (e instanceof CatalogFieldError) return e.message;
  return null;
}

/**
 * Runs a back-office change in one transaction: null when it went through, else the refusal
 * text staff should read (unexpected errors propagate).
 */
export async function change(
  ctx: AdminCtx,
  fn: (tx: Tx) => Promise<unknown>,
): Promise<string | null> {
  try {
    await ctx.state.deps.db!.sql.begin(fn);
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

export function see(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

export function stamp(d: Date | null | undefined): string {
  if (!d) return "";
  return new Date(d.getTime() + 6 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
}
