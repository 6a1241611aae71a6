/**
 * Helpers of the farm pages (not a route: the "(_farm)" folder keeps it out of the router):
 * the guard that every farm page calls, the actor for the services, and service errors turned
 * into form messages in the user's language.
 */
import { type Context, type Handlers, HttpError, type PageResult } from "@/framework/mod.ts";
import { requirePermission, userCan } from "@/plugins/session.ts";
import {
  type Actor,
  ConflictError,
  type Farm,
  type FarmMessages,
  FarmRuleError,
  NotFoundError,
  ValidationError,
} from "@/services/farm/mod.ts";
import { type Messages, translateError } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import { formValues } from "@/plugins/forms.ts";

/** A permission of the identity context's role table, as the session plugin checks it. */
export type Permission = Parameters<typeof requirePermission>[1];

/** The CSRF token of signed-in farm pages, for the layout's sign-out button. */
export const layoutCsrf = new WeakMap<object, string>();

export interface FarmCtx {
  farm: Farm;
  actor: Actor;
  /** Whether the signed-in user holds a permission. */
  can(permission: Permission): boolean;
  m: FarmMessages;
  lang: "en" | "bn";
  today: string;
}

/** Guards a farm page with a permission and gathers what its handler needs. */
export function farmGuard(ctx: Context<State>, permission: Permission): FarmCtx {
  const user = requirePermission(ctx, permission);
  const farm = ctx.state.deps.farm;
  return {
    farm,
    actor: { userId: user.id, roles: user.roles },
    can: (p) => userCan(ctx, p),
    m: ctx.state.t.farm,
    lang: ctx.state.lang,
    today: farm.today(),
  };
}

/** Sets the page title "X — Smart Dairy farm". */
export function title(ctx: Context<State>, text: string): void {
  ctx.state.title = `${text} — ${ctx.state.t.farm.app}`;
}

/** The posted form's fields as strings. */
/** What the data of every farm page with forms has besides its own. */
export interface FormBase {
  csrf: string;
  /** Field messages: flat, or per posted `action` on pages with several forms. */
  errors: Record<string, string> | Record<string, Record<string, string>>;
  values: Record<string, string>;
  saved: boolean;
}

/**
 * GET and POST of a farm page with forms (guarded by farm.record). `load` gives the page's own
 * data (it sets the title); GET renders it. POST runs `act`, which answers with the page to go to
 * (303) or a page of its own (`page(extra)` renders this one with `extra`); a refusal a person can
 * fix re-renders the page with the messages and the values typed (422), the messages grouped
 * under the posted `action` when `byAction` (pages with several forms).
 */
export function farmFormHandlers<D extends FormBase>(opts: {
  load: (f: FarmCtx, ctx: Context<State>) => Promise<Omit<D, keyof FormBase>>;
  act: (
    f: FarmCtx,
    v: Record<string, string>,
    ctx: Context<State>,
    page: (extra: Partial<D>) => Promise<D>,
  ) => Promise<string | PageResult<D>>;
  byAction?: boolean;
}): Handlers<D, State> {
  const page = async (ctx: Context<State>, extra: Partial<D> = {}): Promise<D> => {
    const f = farmGuard(ctx, "farm.record");
    const own = await opts.load(f, ctx);
    const base: FormBase = {
      csrf: await ctx.csrfToken(),
      errors: {},
      values: {},
      saved: ctx.url.searchParams.has("saved"),
    };
    return { ...base, ...own, ...extra } as D;
  };
  return {
    async GET(ctx) {
      return { data: await page(ctx) };
    },
    async POST(ctx) {
      const f = farmGuard(ctx, "farm.record");
      const v = formValues(ctx);
      try {
        const r = await opts.act(f, v, ctx, (extra) => page(ctx, extra));
        if (typeof r !== "string") return r;
        return new Response(null, { status: 303, headers: { location: r } });
      } catch (e) {
        const errors = formErrors(ctx.state.t, e);
        // D's errors are flat, or per action when byAction: the page declares which.
        const extra = { errors: opts.byAction ? { [v.action]: errors } : errors, values: v };
        return { status: 422, data: await page(ctx, extra as unknown as Partial<D>) };
      }
    },
  };
}

/**
 * A service error a person can fix (invalid input, a farm rule, a conflict) as field messages in
 * the reader's language (key "form" for the whole form), through translateError; a missing row
 * is a 404, other errors are rethrown.
 */
export function formErrors(t: Messages, e: unknown): Record<string, string> {
  if (e instanceof NotFoundError) throw new HttpError(404);
  const fixable = e instanceof ValidationError || e instanceof FarmRuleError ||
    e instanceof ConflictError;
  const err = fixable ? translateError(t, e) : null;
  if (!err) throw e;
  return Object.fromEntries(Object.entries(err.fields).map(([field, texts]) => [field, texts[0]]));
}

/**
 * The form again after a refused save (422): a fresh CSRF token, the posted `values` and the
 * error as field messages (formErrors), with the page's `extra` data.
 */
export async function refusedForm<V, E extends object>(
  ctx: Context<State>,
  values: V,
  e: unknown,
  extra: E,
) {
  const errors = formErrors(ctx.state.t, e);
  return { status: 422, data: { csrf: await ctx.csrfToken(), values, errors, ...extra } };
}

/** A positive integer route parameter or 404. */
export function intParam(v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > 2_147_483_647) throw new HttpError(404);
  return n;
}

export { formValues };
