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
import { safeNext } from "@/plugins/session.ts";
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

/** 303 See Other to a same-site path. */
export function seeOther(to: string): Response {
  return new Response(null, {
    status: 303,
    headers: { location: safeNext(to, "/admin/accounting") },
  });
}

/** Runs a form's `save` then redirects; a refusal a person can fix gives the page back (422). */
export async function saveOr<D>(
  ctx: Context<State>,
  save: () => Promise<string>,
  page: (errors: Errors) => Promise<D>,
): Promise<Response | { status: number; data: D }> {
  try {
    return seeOther(await save());
  } catch (e) {
    const errors = serviceErrors(e, ctx.state.lang);
    const status = e instanceof AccountingError ? e.status : 422;
    return { status, data: await page(errors) };
  }
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
