/**
 * Helpers of the warehouse pages (not a route: the "(_inv)" folder keeps it out of the router):
 * a page's handlers from its loader and its form actions, the acting person, and the inventory
 * services' refusals as messages in the page's language (always a 4xx, the form given back).
 */
import { type Context, type Handlers, HttpError } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { fillParams, translateError } from "@/services/i18n/mod.ts";
import {
  type Base,
  formatQty,
  type Location,
  StockError,
  UNIT_LABELS,
} from "@/services/inventory/mod.ts";
import type { State } from "@/state.ts";
import { PAGE_SIZE } from "@/components/InventoryUi.tsx";
import { pageParam } from "@/routes/admin/(_admin)/list_query.ts";
import { fieldsOf } from "@/routes/(_lib)/form.ts";

export type Errors = Record<string, string[]>;

/** What every warehouse page gets around its own data. */
export interface PageBase {
  csrf: string;
  /** The posted values when a form came back refused. */
  values: Record<string, string>;
  errors: Errors;
  /** `?done=` after a successful action (a key of the page's notices). */
  done: string | null;
}

export type Action = (
  ctx: Context<State>,
  v: Record<string, string>,
  actor: { id: string; name: string; manager: boolean },
) => Promise<string>;

/** The posted form's text fields (without the CSRF token). */
export function formValues(ctx: Context<State>): Record<string, string> {
  const out: Record<string, string> = {};
  ctx.form?.forEach((v, k) => {
    // (NUL cannot be stored in PostgreSQL text: dropped rather than failing the request.)
    if (typeof v === "string" && k !== "_csrf") out[k] = v.slice(0, 2000).replaceAll("\0", "");
  });
  return out;
}

/** A refusal of the inventory services in the page's language: status and messages per field. */
export function stockErrors(ctx: Context<State>, e: unknown): { status: number; errors: Errors } {
  const t = ctx.state.t;
  if (e instanceof StockError) {
    if (e.status === 404 && e.field === "form") throw new HttpError(404, t.stock.errors.notFound);
    const p: Record<string, unknown> = { ...e.params };
    const base = p.base as Base | undefined;
    if (base && typeof p.available === "number") {
      p.available = formatQty(p.available, base, ctx.state.lang);
    }
    if (base) p.base = UNIT_LABELS[ctx.state.lang][base];
    const text = fillParams(t.stock.errors[e.code] ?? e.code, p);
    return { status: e.status, errors: { [e.field]: [text] } };
  }
  const tr = translateError(t, e);
  if (!tr) throw e;
  if (tr.status === 404) throw new HttpError(404, tr.message);
  return {
    status: tr.status,
    errors: Object.keys(tr.fields).length ? tr.fields : { form: [tr.message] },
  };
}

/**
 * The handlers of a warehouse page: GET shows `load`'s data to staff with inventory.manage; POST
 * runs the action named by the form's `op` and sends the browser where it says (303), or gives
 * the page back with the posted values and the messages (4xx).
 */
export function stockPage<D extends object>(
  load: (ctx: Context<State>) => Promise<D>,
  actions: Record<string, Action> = {},
): Handlers<D & PageBase, State> {
  const page = async (ctx: Context<State>, extra: Partial<PageBase> = {}) => ({
    ...(await load(ctx)),
    csrf: await ctx.csrfToken(),
    values: {},
    errors: {},
    done: ctx.url.searchParams.get("done")?.slice(0, 40) ?? null,
    ...extra,
  });
  return {
    async GET(ctx) {
      requirePermission(ctx, "inventory.manage");
      return { data: await page(ctx) };
    },
    async POST(ctx) {
      const user = requirePermission(ctx, "inventory.manage");
      const v = formValues(ctx);
      const action = actions[v.op ?? ""];
      if (!action) throw new HttpError(400, ctx.state.t.stock.errors.notFound);
      try {
        const to = await action(ctx, v, {
          id: user.id,
          name: user.displayName,
          manager: user.roles.includes("admin"),
        });
        return new Response(null, { status: 303, headers: { location: to } });
      } catch (e) {
        const { status, errors } = stockErrors(ctx, e);
        return { status, data: await page(ctx, { values: v, errors }) };
      }
    },
  };
}

/** A positive whole id from a route parameter, else 404. */
export function idParam(ctx: Context<State>, name = "id"): number {
  const s = ctx.params[name] ?? "";
  if (!/^[1-9][0-9]{0,15}$/.test(s)) throw new HttpError(404, ctx.state.t.stock.errors.notFound);
  return Number(s);
}

/** The page's title in the <head>. */
export function title(ctx: Context<State>, text: string): void {
  ctx.state.title = `${text} — ${ctx.state.t.site.name}`;
}

/** The data of a paged list page: its rows, how many in all, the page, the locations of its form. */
export interface PagedList<R> {
  rows: R[];
  total: number;
  page: number;
  locations: Location[];
}

/**
 * The handlers of a paged list page (`?page=`, PAGE_SIZE rows a page) with the locations for its
 * form: its title, its list, its form actions.
 */
export function listPage<R>(
  heading: (m: State["t"]["stock"]) => string,
  list: (
    inv: State["deps"]["inventory"],
  ) => (q: { limit: number; offset: number }) => Promise<{ rows: R[]; total: number }>,
  actions: Record<string, Action> = {},
  activeLocationsOnly = true,
): Handlers<PagedList<R> & PageBase, State> {
  return stockPage<PagedList<R>>(async (ctx) => {
    title(ctx, heading(ctx.state.t.stock));
    const inv = ctx.state.deps.inventory;
    const page = pageParam(ctx.url.searchParams);
    const [{ rows, total }, locations] = await Promise.all([
      list(inv)({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      inv.locations(activeLocationsOnly),
    ]);
    return { rows, total, page, locations };
  }, actions);
}

/** The posted scrap form (where, how much, why, a note) for the lot coded `lot`. */
export function scrapInput(
  v: Record<string, string>,
  lot: string,
): Parameters<State["deps"]["inventory"]["scrap"]>[0] {
  return {
    lot,
    ...fieldsOf(v, ["location", "qty", "unit", "reason"]),
    note: v.note,
  };
}
