/** What the recall pages share: the form's values and a service error in the page's language. */
import type { Context } from "@/framework/mod.ts";
import { NotFoundError, ValidationError } from "@/services/platform/mod.ts";
import type { State } from "@/state.ts";

/** The posted form's fields: the back office's one reader (the IoT pages' helper). */
export { formValues } from "@/routes/admin/iot/(_iot)/iot.ts";

/** Field messages for a validation error or a "no such …" (anything else is thrown on). */
export function recallErrors(ctx: Context<State>, e: unknown): Record<string, string> {
  const words = ctx.state.t.recall.errors;
  if (e instanceof ValidationError) {
    return Object.fromEntries(
      Object.entries(e.fieldErrors).map(([k, v]) => [k, words[v] ?? v]),
    );
  }
  if (e instanceof NotFoundError) return { value: words[e.message] ?? e.message };
  throw e;
}
