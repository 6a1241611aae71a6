/**
 * How the back office's form pages answer a POST (not a route): a 303 to a page of the section,
 * or the page again with the refusals a person can fix.
 */
import type { Context } from "@/framework/mod.ts";
import type { Lang } from "@/services/i18n/mod.ts";
import { safeNext } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

/** 303 See Other to a same-site path; anything else goes to the section's `home`. */
export function seeOtherWithin(home: string): (to: string) => Response {
  return (to) => new Response(null, { status: 303, headers: { location: safeNext(to, home) } });
}

/**
 * A section's `saveOr(ctx, save, page)`: runs a form's `save` then 303s to the path it returns;
 * an error `refusal` turns into field messages (it re-throws what is not the person's to fix)
 * gives the page back with them and the status it names.
 */
export function formSaver<E>(
  seeOther: (to: string) => Response,
  refusal: (e: unknown, lang: Lang) => { errors: E; status: number },
) {
  return async function saveOr<D>(
    ctx: Context<State>,
    save: () => Promise<string>,
    page: (errors: E) => Promise<D>,
  ): Promise<Response | { status: number; data: D }> {
    try {
      return seeOther(await save());
    } catch (e) {
      const { errors, status } = refusal(e, ctx.state.lang);
      return { status, data: await page(errors) };
    }
  };
}
