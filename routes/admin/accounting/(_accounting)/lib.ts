/**
 * Helpers of the accounting pages (not a route: "(_accounting)" keeps it out of the router): the
 * acting person, posted form values, service errors as messages in the page's language.
 */
import { type Context, HttpError, type PageResult } from "@/framework/mod.ts";
import { fillParams, type Lang } from "@/services/i18n/mod.ts";
import {
  AccountingError,
  accountingMessages,
  ConflictError,
  NotFoundError,
  OpeningImportError,
  ValidationError,
} from "@/services/accounting/mod.ts";
import { requireFreshSecondFactor, requirePermission } from "@/plugins/session.ts";
import { formSaver, seeOtherWithin } from "@/routes/admin/(_admin)/form_flow.ts";
import type { State } from "@/state.ts";
import { actorOf, formLines, formValues } from "@/plugins/forms.ts";

export type Errors = Record<string, string[]>;

/**
 * A service error a person can fix as messages by field ("_" for the whole form). Unknown entry
 * → 404; anything else not theirs to fix is re-thrown (the framework answers 500).
 */
export function serviceErrors(e: unknown, lang: Lang): Errors {
  const m = accountingMessages[lang];
  if (e instanceof OpeningImportError) {
    return {
      csv: e.problems.map((p) => {
        const text = fillParams(m.csv[p.code] ?? p.message, p.params);
        return p.line ? `${fillParams(m.opening.line, { line: p.line })}: ${text}` : text;
      }),
    };
  }
  if (e instanceof AccountingError) {
    if (e.code === "entry_unknown" || e.code === "period_unknown") {
      throw new HttpError(404, e.message);
    }
    const text = e.code === "invalid"
      ? m.fields[e.message] ?? e.message
      : m.errors[e.code] ?? e.message;
    return { [e.field ?? "_"]: [fillParams(text, e.params)] };
  }
  if (e instanceof ValidationError) {
    const out: Errors = {};
    for (const [k, v] of Object.entries(e.fieldErrors)) (out[k] ??= []).push(m.fields[v] ?? v);
    return out;
  }
  if (e instanceof ConflictError) return { [e.field ?? "_"]: [e.message] };
  if (e instanceof NotFoundError) throw new HttpError(404, e.message);
  throw e;
}

/** 303 See Other to a same-site path (else to the accounting home). */
export const seeOther = seeOtherWithin("/admin/accounting");

/** Runs a form's `save` then redirects; a refusal a person can fix gives the page back. */
export const saveOr = formSaver(seeOther, (e, lang) => ({
  errors: serviceErrors(e, lang),
  status: e instanceof AccountingError ? e.status : 422,
}));

/**
 * A close or reopen of a period or a fiscal year: `v.action` is "close" or "reopen" (anything else
 * 400), `target` reads what it acts on (400 when unusable). Both are sensitive (docs/security.md,
 * 3.7.1): the permission, then a second factor at most 5 minutes old, before anything changes.
 * `change` does it and names the page to go back to; a refusal gives `page` back with its errors.
 */
export async function closeOrReopen<T, D>(
  ctx: Context<State>,
  v: Record<string, string>,
  o: {
    target: (v: Record<string, string>) => T;
    change: (target: T, done: "closed" | "reopened") => Promise<string>;
    page: (errors: Errors) => Promise<D>;
  },
): Promise<Response | { status: number; data: D }> {
  if (v.action !== "close" && v.action !== "reopen") throw new HttpError(400, "Unknown action");
  const target = o.target(v);
  requirePermission(ctx, "accounting.manage");
  await requireFreshSecondFactor(ctx);
  return await saveOr(
    ctx,
    () => o.change(target, v.action === "close" ? "closed" : "reopened"),
    o.page,
  );
}

/** What every page with a form carries: its CSRF token, the posted values and the refusals. */
export interface FormData {
  csrf: string;
  values: Record<string, string>;
  errors: Errors;
}

/** The form part of a page's data before anything is posted: its CSRF token, no values, no refusals. */
export async function blankForm(ctx: Context<State>): Promise<FormData> {
  return { csrf: await ctx.csrfToken(), values: {}, errors: {} };
}

/** A page with a form: GET shows `page`; POST hands the posted values to `post`. */
export function formPage<D>(
  page: (ctx: Context<State>) => Promise<D>,
  post: (ctx: Context<State>, v: Record<string, string>) => Promise<Response | PageResult<D>>,
) {
  return {
    GET: async (ctx: Context<State>) => ({ data: await page(ctx) }),
    POST: (ctx: Context<State>) => post(ctx, formValues(ctx)),
  };
}

/** A date from the query string, or the fallback when absent or not a real date. */
export function queryDate(ctx: Context<State>, name: string, fallback: string): string {
  const v = ctx.url.searchParams.get(name) ?? "";
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
      new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v
    ? v
    : fallback;
}

export { actorOf, formLines, formValues };
