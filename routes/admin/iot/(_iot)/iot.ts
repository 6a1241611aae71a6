/**
 * Helpers of the back office's IoT pages (not a route: the "(_iot)" folder keeps it out of the
 * router): form values, service errors as form messages in the page's language, redirects.
 */
import { type Context, type HandlerFn, type Handlers, HttpError } from "@/framework/mod.ts";
import { ConflictError, iotFieldText, NotFoundError, ValidationError } from "@/services/iot/mod.ts";
import { requirePermission, safeNext } from "@/plugins/session.ts";
import type { Permission } from "@/services/identity/mod.ts";
import type { State } from "@/state.ts";
import { formValues } from "@/plugins/forms.ts";

export type Errors = Record<string, string[]>;

/**
 * The handlers of a back-office IoT page built by `pageData`: GET shows it to staff with
 * `permission`; POST handles the page's forms.
 */
export function iotPage<D>(
  permission: Permission,
  pageData: (ctx: Context<State>) => Promise<D>,
  post: HandlerFn<D, State>,
): Handlers<D, State> {
  return {
    async GET(ctx) {
      requirePermission(ctx, permission);
      return { data: await pageData(ctx) };
    },
    POST: post,
  };
}

/**
 * A service error a person can fix as field messages ("_" for the whole form; `rename` maps the
 * services' field names to the form's). Not found → 404; anything else is re-thrown.
 */
export function serviceErrors(
  e: unknown,
  ctx: Context<State>,
  rename: (field: string) => string = (f) => f,
): Errors {
  const lang = ctx.state.lang;
  if (e instanceof ValidationError) {
    const out: Errors = {};
    for (const [k, v] of Object.entries(e.fieldErrors)) {
      // (A message may be missing: say at least which field needs attention.)
      (out[rename(k)] ??= []).push(v ? iotFieldText(lang, v) : ctx.state.t.iot.common.checkField);
    }
    return out;
  }
  if (e instanceof ConflictError) {
    return { [e.field ? rename(e.field) : "_"]: [iotFieldText(lang, e.message)] };
  }
  if (e instanceof NotFoundError) throw new HttpError(404, e.message);
  throw e;
}

/** 303 See Other to a same-site path (anything else falls back to `fallback`). */
export function seeOther(to: string, fallback: string): Response {
  return new Response(null, { status: 303, headers: { location: safeNext(to, fallback) } });
}

/**
 * Runs a form's `save`, then sends the browser to `done`; a refusal a person can fix gives the
 * form back (422) with the posted values and the messages, around the page's own `data`.
 */
export async function saveForm<D extends object>(
  ctx: Context<State>,
  save: () => Promise<unknown>,
  done: string,
  data: D,
  rename?: (field: string) => string,
) {
  try {
    await save();
    return new Response(null, { status: 303, headers: { location: done } });
  } catch (e) {
    const errors = serviceErrors(e, ctx, rename);
    return {
      status: 422,
      data: { ...data, csrf: await ctx.csrfToken(), values: formValues(ctx), errors },
    };
  }
}

export { formValues };
