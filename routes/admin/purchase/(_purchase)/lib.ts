/**
 * Helpers of the purchasing pages (not a route: "(_purchase)" keeps it out of the router): the
 * acting person, posted form values, service errors as messages in the page's language.
 */
import { type Context, type HandlerFn, type Handlers, HttpError } from "@/framework/mod.ts";
import { fillParams, type Lang } from "@/services/i18n/mod.ts";
import {
  ConflictError,
  NotFoundError,
  purchaseMessages,
  ValidationError,
} from "@/services/purchase/mod.ts";
import { inventoryCatalogs } from "@/services/inventory/mod.ts";
import { formSaver, seeOtherWithin } from "@/routes/admin/(_admin)/form_flow.ts";
import type { State } from "@/state.ts";
import { actorOf, formLines, formValues } from "@/plugins/forms.ts";

export type Errors = Record<string, string[]>;

/**
 * Form rows `lines.0.qty`, `lines.1.qty`… as an array of objects (at most 100), each with every
 * field of `keys` ("" when not posted).
 */
function fieldText(lang: Lang, msg: string): string {
  return purchaseMessages[lang].fields[msg] ?? msg;
}

/**
 * A service error a person can fix as field messages ("_" for the whole form). Not found → 404;
 * anything else is re-thrown (the framework answers 500).
 */
export function serviceErrors(e: unknown, lang: Lang): Errors {
  const m = purchaseMessages[lang];
  if (e instanceof ValidationError) {
    const out: Errors = {};
    for (const [k, v] of Object.entries(e.fieldErrors)) {
      (out[k] ??= []).push(fieldText(lang, v || m.errors.invalid));
    }
    return out;
  }
  const err = e as Error & Record<string, unknown>;
  if (err?.name === "PurchaseError" && err.code === "order_unknown") {
    throw new HttpError(404, err.message);
  }
  if (
    (err?.name === "PurchaseError" || err?.name === "InventoryError") &&
    typeof err.code === "string"
  ) {
    const catalog = err.name === "PurchaseError"
      ? m.errors
      : inventoryCatalogs[lang].errors as Record<string, string>;
    const known = catalog[err.code] ?? err.message;
    const field = typeof err.field === "string" ? err.field : "_";
    return { [field]: [fillParams(known, err.params as Record<string, unknown>)] };
  }
  if (e instanceof ConflictError) return { [e.field ?? "_"]: [fieldText(lang, e.message)] };
  if (e instanceof NotFoundError) throw new HttpError(404, e.message);
  throw e;
}

/** 303 See Other to a same-site path (else to the purchasing home). */
export const seeOther = seeOtherWithin("/admin/purchase");

/** Runs a form's `save` then redirects; a refusal a person can fix gives the page back (422). */
export const saveOr = formSaver(seeOther, (e, lang) => ({
  errors: serviceErrors(e, lang),
  status: 422,
}));

/** Base units as the line's unit, e.g. 2500 g in kg → "2.5". */
export { fromBase } from "@/services/purchase/mod.ts";

/** What every page with a form carries: its CSRF token, the posted values and the refusals. */
export interface FormData {
  csrf: string;
  values: Record<string, string>;
  errors: Errors;
}

/** A page built by `pageData` (GET) with the forms `post` handles (POST). */
export function formPage<D>(
  pageData: (ctx: Context<State>) => Promise<D>,
  post: HandlerFn<D, State>,
): Handlers<D, State> {
  return { GET: async (ctx) => ({ data: await pageData(ctx) }), POST: post };
}

export { actorOf, formLines, formValues };
