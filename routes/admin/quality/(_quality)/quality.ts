/**
 * Helpers of the quality pages (not a route: the "(_quality)" folder keeps it out of the router):
 * who acts, and the quality service's refusals as form messages in the page's language.
 */
import { type Context, HttpError } from "@/framework/mod.ts";
import {
  type Actor,
  ConflictError,
  NotFoundError,
  qualityText,
  ValidationError,
} from "@/services/quality/mod.ts";
import type { State } from "@/state.ts";
import { type Errors, formValues } from "@/routes/admin/iot/(_iot)/iot.ts";

export type { Errors };
/** The posted form's fields: the back office's one reader (the IoT pages' helper). */
export { formValues };

/** The signed-in person as the services' actor. */
export function actorOf(ctx: Context<State>): Actor {
  const u = ctx.state.user!;
  return { id: u.id, name: u.displayName };
}

/**
 * A refusal a person can fix as field messages ("_" for the whole form) with its status (422 bad
 * input, 409 conflict); not found → 404; anything else is re-thrown.
 */
export function refusal(
  e: unknown,
  ctx: Context<State>,
  field: (f: string) => string = (f) => f,
): { status: number; errors: Errors } {
  const lang = ctx.state.lang;
  if (e instanceof ValidationError) {
    const errors: Errors = {};
    for (const [k, v] of Object.entries(e.fieldErrors)) {
      (errors[k === "form" ? "_" : field(k)] ??= []).push(qualityText(lang, v));
    }
    return { status: 422, errors };
  }
  if (e instanceof ConflictError) {
    return {
      status: 409,
      errors: { [e.field ? field(e.field) : "_"]: [qualityText(lang, e.message)] },
    };
  }
  if (e instanceof NotFoundError) throw new HttpError(404, qualityText(lang, e.message));
  throw e;
}
