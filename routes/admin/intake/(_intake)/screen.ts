/**
 * The milk-intake staff screens' one pattern (not a route): GET shows a page to staff with
 * inventory.manage; POST runs the form's `action` through one use case, then redirects (303) with
 * a notice, or gives the page back with the posted values and the messages (4xx).
 */
import { type Context, type Handlers, HttpError, type PageProps } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import { type IntakeActor, intakeError } from "@/services/intake/mod.ts";
import type { State } from "@/state.ts";

export const PERMISSION = "inventory.manage" as const;

/** Form values: one string per field, or a list when the field repeats (checkboxes). */
export type Values = Record<string, string | string[]>;
export type Errors = Record<string, string[]>;

/** The intake screens, by their key in the messages (`t.intake[section]`: title, intro). */
export type Section = "tanks" | "deliveries" | "farmers" | "points" | "chart" | "statements";

export interface Screen<D> {
  section: Section;
  csrf: string;
  page: D;
  values: Values;
  errors: Errors;
  /** Lines to show above the page (a notice after a redirect, or a refusal). */
  notice: { kind: "ok" | "error"; lines: string[] } | null;
}

/** What an action answers: a path to redirect to, or a notice to show on the page. */
export type ActionResult = string | { status: number; notice: Screen<unknown>["notice"] };
export type Action = (
  ctx: Context<State>,
  v: Values,
  actor: IntakeActor,
) => Promise<ActionResult>;

export function formValues(ctx: Context<State>): Values {
  const out: Values = {};
  ctx.form?.forEach((v, k) => {
    if (typeof v !== "string" || k === "_csrf") return;
    const had = out[k];
    out[k] = had === undefined ? v : [...[had].flat(), v];
  });
  return out;
}

async function show<D>(
  ctx: Context<State>,
  section: Section,
  load: (ctx: Context<State>) => Promise<D>,
  extra: Partial<Screen<D>>,
): Promise<Screen<D>> {
  const ok = ctx.url.searchParams.get("ok");
  return {
    section,
    csrf: await ctx.csrfToken(),
    page: await load(ctx),
    values: {},
    errors: {},
    notice: ok ? { kind: "ok", lines: [ok.slice(0, 300)] } : null,
    ...extra,
  };
}

/** A screen's page props (what its default export receives). */
export type ScreenProps<D> = PageProps<Screen<D>, State>;

/**
 * The handlers of one staff screen: `section` names it (its title), `load` builds the page,
 * `actions` handle its forms.
 */
export function intakeScreen<D>(
  section: Section,
  load: (ctx: Context<State>) => Promise<D>,
  actions: Record<string, Action> = {},
): Handlers<Screen<D>, State> {
  return {
    async GET(ctx) {
      requirePermission(ctx, PERMISSION);
      ctx.state.title = ctx.state.t.intake[section].title;
      return { data: await show(ctx, section, load, {}) };
    },
    async POST(ctx) {
      const user = requirePermission(ctx, PERMISSION);
      ctx.state.title = ctx.state.t.intake[section].title;
      const v = formValues(ctx);
      const action = actions[String(v.action ?? "")];
      if (!action) throw new HttpError(400, "Unknown action");
      const actor = { id: user.id, name: user.displayName, roles: user.roles };
      try {
        const r = await action(ctx, v, actor);
        if (typeof r === "string") return ctx.redirect(r);
        return {
          status: r.status,
          data: await show(ctx, section, load, { values: v, notice: r.notice }),
        };
      } catch (e) {
        const err = intakeError(ctx.state.t, e);
        if (err.status === 404) throw new HttpError(404, err.message);
        const notice = { kind: "error" as const, lines: [err.message] };
        return {
          status: err.status,
          data: await show(ctx, section, load, { values: v, errors: err.fields, notice }),
        };
      }
    },
  };
}

/** `?ok=<message>` on a path: the notice the next page shows. */
export function done(path: string, message: string, params: Record<string, unknown> = {}): string {
  const sep = path.includes("?") ? "&" : "?";
  return `${path}${sep}ok=${encodeURIComponent(fillParams(message, params))}`;
}

export const one = (v: string | string[] | undefined): string =>
  (Array.isArray(v) ? v[0] : v) ?? "";
