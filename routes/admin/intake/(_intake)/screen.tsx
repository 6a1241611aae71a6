/**
 * The milk-intake staff screens' one pattern (not a route): GET shows a page to staff with
 * inventory.manage; POST runs the form's `action` through one use case, then redirects (303) with
 * a notice, or gives the page back with the posted values and the messages (4xx).
 */
import type { ComponentChildren } from "preact";
import { type Context, type Handlers, HttpError } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import { type IntakeActor, intakeError } from "@/services/intake/mod.ts";
import { Field, inputClass, selectClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";

export const PERMISSION = "inventory.manage" as const;

/** Form values: one string per field, or a list when the field repeats (checkboxes). */
export type Values = Record<string, string | string[]>;
export type Errors = Record<string, string[]>;

export interface Screen<D> {
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
  load: (ctx: Context<State>) => Promise<D>,
  extra: Partial<Screen<D>>,
): Promise<Screen<D>> {
  const ok = ctx.url.searchParams.get("ok");
  return {
    csrf: await ctx.csrfToken(),
    page: await load(ctx),
    values: {},
    errors: {},
    notice: ok ? { kind: "ok", lines: [ok.slice(0, 300)] } : null,
    ...extra,
  };
}

/** The handlers of one staff screen: `load` builds the page, `actions` handle its forms. */
export function intakeScreen<D>(
  title: (t: State["t"]) => string,
  load: (ctx: Context<State>) => Promise<D>,
  actions: Record<string, Action> = {},
): Handlers<Screen<D>, State> {
  return {
    async GET(ctx) {
      requirePermission(ctx, PERMISSION);
      ctx.state.title = title(ctx.state.t);
      return { data: await show(ctx, load, {}) };
    },
    async POST(ctx) {
      const user = requirePermission(ctx, PERMISSION);
      ctx.state.title = title(ctx.state.t);
      const v = formValues(ctx);
      const action = actions[String(v.action ?? "")];
      if (!action) throw new HttpError(400, "Unknown action");
      const actor = { id: user.id, name: user.displayName, roles: user.roles };
      try {
        const r = await action(ctx, v, actor);
        if (typeof r === "string") return ctx.redirect(r);
        return { status: r.status, data: await show(ctx, load, { values: v, notice: r.notice }) };
      } catch (e) {
        const err = intakeError(ctx.state.t, e);
        if (err.status === 404) throw new HttpError(404, err.message);
        const notice = { kind: "error" as const, lines: [err.message] };
        return {
          status: err.status,
          data: await show(ctx, load, { values: v, errors: err.fields, notice }),
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

/** The tabs of the intake screens and the page's notice. */
export function IntakeFrame(
  props: {
    state: State;
    path: string;
    title: string;
    intro?: string;
    notice: Screen<unknown>["notice"];
    children: ComponentChildren;
  },
) {
  const m = props.state.t.intake;
  const tabs: [string, string][] = [
    ["/admin/intake/tanks", m.nav.tanks],
    ["/admin/intake/deliveries", m.nav.deliveries],
    ["/admin/intake/farmers", m.nav.farmers],
    ["/admin/intake/points", m.nav.points],
    ["/admin/intake/chart", m.nav.chart],
    ["/admin/intake/statements", m.nav.statements],
  ];
  return (
    <div>
      <nav class="flex flex-wrap gap-2 mb-3 text-sm" aria-label={m.title}>
        {tabs.map(([href, label]) => (
          <a
            href={href}
            class={`rounded px-3 py-1 border ${
              props.path.startsWith(href)
                ? "bg-brand-600 text-white border-brand-600"
                : "bg-white border-gray-300"
            }`}
          >
            {label}
          </a>
        ))}
      </nav>
      <h1 class="text-2xl font-semibold mb-1">{props.title}</h1>
      {props.intro && <p class="text-gray-700 mb-3 max-w-3xl">{props.intro}</p>}
      {props.notice && (
        <div
          role={props.notice.kind === "error" ? "alert" : "status"}
          class={`rounded border p-3 mb-4 ${
            props.notice.kind === "error"
              ? "border-red-300 bg-red-50 text-red-900"
              : "border-green-300 bg-green-50 text-green-900"
          }`}
        >
          {props.notice.lines.map((l) => <p>{l}</p>)}
        </div>
      )}
      {props.children}
    </div>
  );
}

/** A form that posts one action of the screen (with the CSRF token and hidden fields). */
export function ActionForm(
  props: {
    csrf: string;
    action: string;
    class?: string;
    hidden?: Record<string, string | number>;
    children: ComponentChildren;
  },
) {
  return (
    <form method="post" class={props.class} novalidate>
      <input type="hidden" name="_csrf" value={props.csrf} />
      <input type="hidden" name="action" value={props.action} />
      {Object.entries(props.hidden ?? {}).map(([k, v]) => (
        <input
          type="hidden"
          name={k}
          value={v}
        />
      ))}
      {props.children}
    </form>
  );
}

/** A labelled input that keeps the posted value and shows its messages. */
export function Input(
  props: {
    name: string;
    label: string;
    screen: Screen<unknown>;
    type?: string;
    value?: string;
    step?: string;
    required?: boolean;
    inputMode?: "decimal" | "numeric" | "tel" | "text";
    hint?: string;
  },
) {
  const { screen: s, name } = props;
  const err = s.errors[name];
  const posted = s.values[name];
  return (
    <Field id={name} label={props.label} error={err} hint={props.hint}>
      <input
        id={name}
        name={name}
        type={props.type ?? "text"}
        step={props.step}
        inputMode={props.inputMode}
        required={props.required}
        value={posted !== undefined ? one(posted) : props.value ?? ""}
        aria-describedby={err ? `${name}-error` : undefined}
        class={inputClass(!!err)}
      />
    </Field>
  );
}

/** A labelled select that keeps the posted choice. */
export function Select(
  props: {
    name: string;
    label: string;
    screen: Screen<unknown>;
    options: [string, string][];
    value?: string;
  },
) {
  const err = props.screen.errors[props.name];
  const chosen = one(props.screen.values[props.name]) || props.value || "";
  return (
    <Field id={props.name} label={props.label} error={err}>
      <select id={props.name} name={props.name} class={`${selectClass} w-full`}>
        {props.options.map(([v, l]) => <option value={v} selected={v === chosen}>{l}</option>)}
      </select>
    </Field>
  );
}

/** A simple table: header cells and rows of cells. */
export function Table(props: { head: string[]; rows: ComponentChildren[][]; empty: string }) {
  if (props.rows.length === 0) return <p class="text-gray-600 mb-4">{props.empty}</p>;
  return (
    <div class="overflow-x-auto bg-white border border-gray-200 rounded-lg mb-6">
      <table class="w-full text-sm">
        <thead class="bg-gray-100 text-left">
          <tr>{props.head.map((h) => <th class="px-3 py-2">{h}</th>)}</tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr class="border-t border-gray-100 align-top">
              {r.map((c) => <td class="px-3 py-2">{c}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
