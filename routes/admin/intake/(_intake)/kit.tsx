/**
 * The milk-intake staff screens' pieces (not a route): the tabs and notice around a screen, a
 * form posting one action, inputs that keep the posted values, and a plain table.
 */
import type { ComponentChildren } from "preact";
import { Field, inputClass, ListTable, PostForm, selectClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { one, type Screen } from "./screen.ts";

/** The tabs of the intake screens, the screen's title and intro, and the page's notice. */
export function IntakeFrame(
  props: { state: State; url: URL; screen: Screen<unknown>; children: ComponentChildren },
) {
  const m = props.state.t.intake;
  const words: { title: string; intro?: string } = m[props.screen.section];
  const notice = props.screen.notice;
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
              props.url.pathname.startsWith(href)
                ? "bg-brand-600 text-white border-brand-600"
                : "bg-white border-gray-300"
            }`}
          >
            {label}
          </a>
        ))}
      </nav>
      <h1 class="text-2xl font-semibold mb-1">{words.title}</h1>
      {words.intro && <p class="text-gray-700 mb-3 max-w-3xl">{words.intro}</p>}
      {notice && (
        <div
          role={notice.kind === "error" ? "alert" : "status"}
          class={`rounded border p-3 mb-4 ${
            notice.kind === "error"
              ? "border-red-300 bg-red-50 text-red-900"
              : "border-green-300 bg-green-50 text-green-900"
          }`}
        >
          {notice.lines.map((l) => <p>{l}</p>)}
        </div>
      )}
      {props.children}
    </div>
  );
}

/**
 * A form that posts one action of the screen (with the CSRF token and hidden fields); `card`
 * makes it a white box (with more classes when given as a string).
 */
export function ActionForm(
  props: {
    screen: Screen<unknown>;
    action: string;
    card?: boolean | string;
    class?: string;
    hidden?: Record<string, string | number>;
    children: ComponentChildren;
  },
) {
  const card = props.card === undefined || props.card === false
    ? undefined
    : `bg-white border rounded p-4 ${props.card === true ? "" : props.card}`;
  return (
    <PostForm csrf={props.screen.csrf} class={card ?? props.class} novalidate>
      <input type="hidden" name="action" value={props.action} />
      {Object.entries(props.hidden ?? {}).map(([k, v]) => (
        <input
          type="hidden"
          name={k}
          value={v}
        />
      ))}
      {props.children}
    </PostForm>
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

/** A checkbox with its label that keeps the posted choice (`value`: one of a repeated field). */
export function Check(
  props: {
    name: string;
    label: string;
    screen: Screen<unknown>;
    value?: string;
    on?: boolean;
    class?: string;
  },
) {
  const posted = props.screen.values[props.name];
  const checked = posted === undefined ? props.on : [posted].flat().includes(props.value ?? "on");
  return (
    <label class={props.class ?? "flex items-center gap-2 mb-4"}>
      <input type="checkbox" name={props.name} value={props.value} checked={checked} />
      {props.label}
    </label>
  );
}

/** The back office's list table (components/ui.tsx) fed with rows of cells, or a line when empty. */
export function Table(props: { head: string[]; rows: ComponentChildren[][]; empty: string }) {
  if (props.rows.length === 0) return <p class="text-gray-600 mb-4">{props.empty}</p>;
  return (
    <ListTable heads={props.head} class="mb-6">
      {props.rows.map((r) => (
        <tr class="border-t border-gray-100 align-top">
          {r.map((c) => <td class="px-3 py-2">{c}</td>)}
        </tr>
      ))}
    </ListTable>
  );
}
