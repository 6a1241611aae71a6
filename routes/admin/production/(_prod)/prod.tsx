/**
 * Helpers of the production pages (not a route: the "(_prod)" folder keeps it out of the
 * router): the permission check, the actor, form values, service errors as messages in the
 * page's language, numbers, and the small page parts the screens share.
 */
import type { ComponentChildren } from "preact";
import { type Context, type Handlers, HttpError } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { toBanglaDigits, translateError } from "@/services/i18n/mod.ts";
import { type InvActor, pathId } from "@/services/production/mod.ts";
import type { State } from "@/state.ts";
import { Field, inputClass, linkClass, ListTable } from "@/components/ui.tsx";
import { formValues } from "@/plugins/forms.ts";

export type Errors = Record<string, string[]>;

/** The signed-in person with `production.manage`, as production's actor (403 otherwise). */
export function productionActor(ctx: Context<State>): InvActor {
  const user = requirePermission(ctx, "production.manage");
  return { id: user.id, name: user.displayName };
}

/** A service error as field messages in the page's language; not found → 404; others re-thrown. */
export function serviceErrors(ctx: Context<State>, e: unknown): { status: number; errors: Errors } {
  const err = translateError(ctx.state.t, e);
  if (!err) throw e;
  if (err.status === 404) throw new HttpError(404, err.message);
  return { status: err.status, errors: err.fields };
}

/** A 303 to a page of ours. */
export function seeOther(to: string): Response {
  return new Response(null, { status: 303, headers: { location: to } });
}

/**
 * The handlers of a page with a form: GET shows the page; POST runs the form's use case and goes
 * to the page it names (`/admin/production/orders/7?started`), or gives the page back with the
 * refusals and the status of the error. `key` reads the path first (`pathId` → 404).
 */
export function productionForm<D, K = undefined>(f: {
  key?: (ctx: Context<State>) => K;
  page: (ctx: Context<State>, key: K) => Promise<D>;
  run: (ctx: Context<State>, key: K, v: Record<string, string>, actor: InvActor) => Promise<string>;
  again: (ctx: Context<State>, key: K, v: Record<string, string>, errors: Errors) => Promise<D>;
}): Handlers<D, State> {
  const keyOf = (ctx: Context<State>) => (f.key ? f.key(ctx) : undefined) as K;
  return {
    async GET(ctx) {
      productionActor(ctx);
      return { data: await f.page(ctx, keyOf(ctx)) };
    },
    async POST(ctx) {
      const actor = productionActor(ctx);
      const key = keyOf(ctx);
      const v = formValues(ctx);
      try {
        return seeOther(await f.run(ctx, key, v, actor));
      } catch (e) {
        const { status, errors } = serviceErrors(ctx, e);
        return { status, data: await f.again(ctx, key, v, errors) };
      }
    },
  };
}

/** The order of the path (`/admin/production/orders/:id/…`). */
export const orderKey = (ctx: Context<State>) => pathId(ctx.params.id);

/** A number in the page's language (Bangla digits for bn), grouped by thousands. */
export function num(lang: string, n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  const s = n.toLocaleString("en-US", {
    minimumFractionDigits: 0,
    maximumFractionDigits: digits,
  });
  return lang === "bn" ? toBanglaDigits(s) : s;
}

/** Basis points as a percentage ("1.5 %"). */
export function pct(lang: string, bp: number | null | undefined): string {
  return bp === null || bp === undefined ? "—" : `${num(lang, bp / 100, 2)} %`;
}

/** A date for the page (Bangla digits for bn). */
export function day(lang: string, d: string | null | undefined): string {
  if (!d) return "—";
  return lang === "bn" ? toBanglaDigits(d) : d;
}

export function PageTitle(props: { title: string; intro?: string; children?: ComponentChildren }) {
  return (
    <div class="mb-4 flex flex-wrap items-end gap-3">
      <div class="grow">
        <h1 class="text-2xl font-bold">{props.title}</h1>
        {props.intro && <p class="text-gray-700 mt-1 max-w-3xl">{props.intro}</p>}
      </div>
      {props.children}
    </div>
  );
}

export function Notice(props: { kind?: "ok" | "error"; children: ComponentChildren }) {
  const cls = props.kind === "error"
    ? "border-red-300 bg-red-50 text-red-900"
    : "border-green-300 bg-green-50 text-green-900";
  return (
    <p
      class={`rounded border px-3 py-2 mb-4 ${cls}`}
      role={props.kind === "error" ? "alert" : "status"}
    >
      {props.children}
    </p>
  );
}

/** Messages of the whole form ("form" and any field the form does not show). */
export function FormErrors(props: { errors: Errors; shown?: string[] }) {
  const rest = Object.entries(props.errors).filter(([k]) => !(props.shown ?? []).includes(k));
  if (rest.length === 0) return null;
  return (
    <div class="rounded border border-red-300 bg-red-50 text-red-900 px-3 py-2 mb-4" role="alert">
      {rest.flatMap(([, v]) =>
        v
      ).map((m) => <p>{m}</p>)}
    </div>
  );
}

/** A plain table: header cells and rows of cells. */
export function Table(props: { head: ComponentChildren[]; children: ComponentChildren }) {
  return <ListTable heads={props.head} class="mb-6">{props.children}</ListTable>;
}

export const td = "px-3 py-2 border-t border-gray-100 align-top";

/** A labelled one-line input of a form, with its messages (the UI kit's Field around it). */
export function Input(props: {
  id: string;
  label: string;
  values: Record<string, string>;
  errors: Errors;
  type?: string;
  inputMode?: "numeric" | "decimal";
}) {
  const err = props.errors[props.id];
  return (
    <Field id={props.id} label={props.label} error={err}>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? "text"}
        inputMode={props.inputMode}
        value={props.values[props.id] ?? ""}
        aria-describedby={err ? `${props.id}-error` : undefined}
        class={inputClass(!!err)}
      />
    </Field>
  );
}

/** The note of a form. */
export function NoteInput(
  props: { label: string; values: Record<string, string>; errors: Errors },
) {
  return (
    <Field id="note" label={props.label} error={props.errors.note}>
      <textarea id="note" name="note" rows={2} maxLength={1000} class={inputClass()}>
        {props.values.note ?? ""}
      </textarea>
    </Field>
  );
}

/** An order page reached in a status where its form does not apply. */
export function NotNow(props: {
  title: string;
  order: { id: number; status: string };
  m: { statuses: Record<string, string>; common: { back: string } };
}) {
  return (
    <>
      <PageTitle title={props.title} />
      <p>{props.m.statuses[props.order.status]}</p>
      <a href={`/admin/production/orders/${props.order.id}`} class={linkClass}>
        {props.m.common.back}
      </a>
    </>
  );
}

export { formValues };
