/** Shared bits of the shop's back-office routes. */
import { messages, translateError } from "@/services/i18n/mod.ts";
import type { Context, Handlers, PageResult } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import type { Permission, SessionUser } from "@/services/identity/mod.ts";
import { CatalogFieldError, dhakaDate, dhakaTime, ShopError } from "@/services/shop/mod.ts";

export type AdminCtx = Context<State>;

type Reply<D> = Response | PageResult<D> | Promise<Response | PageResult<D>>;

/**
 * The handlers of a shop admin screen kept to staff with `permission`: GET shows it (`show`), POST
 * runs `act` for the signed-in member of staff.
 */
export function staffScreen<D>(
  permission: Permission,
  show: (ctx: AdminCtx) => Reply<D>,
  act: (ctx: AdminCtx, user: SessionUser) => Reply<D>,
): Handlers<D, State> {
  return {
    GET(ctx) {
      requirePermission(ctx, permission);
      return show(ctx);
    },
    POST(ctx) {
      return act(ctx, requirePermission(ctx, permission));
    },
  };
}

/** The text of a refusal staff should read, or null for unexpected errors. */
export function refusal(e: unknown): string | null {
  if (e instanceof ShopError) {
    const text = messages("en").shop.errors[e.code];
    // A service may add a specific explanation to the generic text.
    return e.message !== e.code.replaceAll("_", " ") ? `${text} ${e.message}` : text;
  }
  if (e instanceof CatalogFieldError) return e.message;
  // Inventory's refusals (receiving stock): its catalog has the words.
  if ((e as Error)?.name === "InventoryError") return translateError(messages("en"), e)!.message;
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

/** The result of a shop admin screen: its title and the CSRF token around the screen's data. */
async function screen<T extends object>(ctx: AdminCtx, title: string, data: T, status: number) {
  ctx.state.title = `${title} — Smart Dairy admin`;
  return { status, data: { ...data, csrf: await ctx.csrfToken() } };
}

/**
 * The result of a shop admin screen with forms: the refusal to show and whether the last change
 * was saved (`?saved`), around the screen's own data.
 */
export function formScreen<T extends object>(
  ctx: AdminCtx,
  title: string,
  data: T,
  error: string | null,
  status: number,
) {
  return screen(ctx, title, { ...data, error, saved: ctx.url.searchParams.has("saved") }, status);
}

/**
 * The result of a shop admin screen whose actions report back in `?done=…`: that notice and the
 * refusal to show, around the screen's own data.
 */
export function noticeScreen<T extends object>(
  ctx: AdminCtx,
  title: string,
  data: T,
  error: string | null,
  status: number,
) {
  const notice = ctx.url.searchParams.get("done");
  return screen(ctx, title, { ...data, notice, error }, status);
}

/** "2026-03-04 22:00" in Dhaka time. */
export function stamp(d: Date | null | undefined): string {
  return d ? `${dhakaDate(d)} ${dhakaTime(d)}` : "";
}
