/**
 * The one UI kit for server-rendered forms and actions (DESIGN.md §3): button, input and select
 * classes and the labelled field with its hint and error messages. Language-agnostic: callers
 * pass the words.
 */
import type { ComponentChildren, JSX } from "preact";

export type ButtonKind = "primary" | "secondary" | "danger" | "small";

const BUTTON: Record<ButtonKind, string> = {
  primary: "rounded bg-brand-600 text-white font-semibold px-4 py-2 hover:bg-brand-700",
  secondary: "rounded border border-brand-600 text-brand-700 font-semibold px-4 py-2 bg-white",
  danger: "rounded bg-red-700 text-white font-semibold px-4 py-2 hover:bg-red-800",
  small: "rounded border border-gray-400 bg-white px-3 py-1 text-sm",
};

/** Classes of a button (or a link styled as one). */
export const buttonClass = (kind: ButtonKind = "primary"): string => BUTTON[kind];

/** Classes of a text input or textarea; red border when the value was refused. */
export const inputClass = (invalid = false): string =>
  `w-full rounded border px-3 py-2 bg-white ${invalid ? "border-red-600" : "border-gray-300"}`;

/** Classes of a select. */
export const selectClass = "rounded border border-gray-300 px-2 py-2 bg-white";

/** Classes of an inline text link. */
export const linkClass = "text-brand-700 underline";

/** A button: `<Button kind="danger" name="op" value="delete">…</Button>` (type submit). */
export function Button(
  props: {
    kind?: ButtonKind;
    type?: "submit" | "button" | "reset";
    name?: string;
    value?: string;
    class?: string;
    disabled?: boolean;
    children: ComponentChildren;
  },
) {
  return (
    <button
      type={props.type ?? "submit"}
      name={props.name}
      value={props.value}
      disabled={props.disabled}
      class={props.class ? `${buttonClass(props.kind)} ${props.class}` : buttonClass(props.kind)}
    >
      {props.children}
    </button>
  );
}

/**
 * A labelled form control with its hint and error messages, tied together for screen readers:
 * the control should carry `id` and, when refused, `aria-describedby={`${id}-error`}`.
 */
export function Field(
  props: {
    id: string;
    label: string;
    /** One message or several (each its own line). */
    error?: string | string[];
    hint?: string;
    children: ComponentChildren;
  },
) {
  const errors = props.error === undefined ? [] : [props.error].flat().filter(Boolean);
  return (
    <div class="mb-4">
      <label for={props.id} class="block text-sm font-medium mb-1">{props.label}</label>
      {props.children}
      {props.hint && <p class="text-xs text-gray-500 mt-1">{props.hint}</p>}
      {errors.map((e) => (
        <p id={`${props.id}-error`} class="text-sm text-red-700 mt-1" role="alert">{e}</p>
      ))}
    </div>
  );
}

/**
 * A form that posts with the page's CSRF token and, when the page has several forms, the hidden
 * `action` field naming which one it is (`actionField`). Other attributes go to the form.
 */
export function PostForm(
  props: Omit<JSX.IntrinsicElements["form"], "method"> & {
    csrf: string;
    actionField?: string;
  },
) {
  const { csrf, actionField, children, ...form } = props;
  return (
    <form method="post" {...form}>
      <input type="hidden" name="_csrf" value={csrf} />
      {actionField !== undefined && <input type="hidden" name="action" value={actionField} />}
      {children}
    </form>
  );
}

/**
 * A refused form's messages in one alert above it: `intro` ("Please fix the following") then
 * every field's messages as a list; nothing when there are none.
 */
export function FormErrorList(props: { errors: Record<string, string[]>; intro: string }) {
  const all = Object.values(props.errors).flat();
  if (all.length === 0) return null;
  return (
    <div role="alert" class="rounded border p-3 mb-4 bg-red-100 text-red-900 border-red-300">
      <p>{props.intro}</p>
      <ul class="list-disc ml-5">{all.map((e) => <li>{e}</li>)}</ul>
    </div>
  );
}

/**
 * A grid of checkboxes that posts `name` once for every ticked value (a rep's outlets, a zone's
 * thanas, a key's scopes); `class` lays the grid out, `labelClass` each box with its words.
 */
export function CheckboxGrid(props: {
  name: string;
  options: readonly (readonly [value: string | number, label: ComponentChildren])[];
  checked: readonly (string | number)[];
  class: string;
  labelClass?: string;
}) {
  return (
    <div class={props.class}>
      {props.options.map(([value, label]) => (
        <label class={props.labelClass}>
          <input
            type="checkbox"
            name={props.name}
            value={value}
            checked={props.checked.includes(value)}
          />{" "}
          {label}
        </label>
      ))}
    </div>
  );
}

/** A column head of a `ListTable`: its words, or its words and more classes ("hidden sm:table-cell"). */
export type ListHead = ComponentChildren | { label: ComponentChildren; class: string };

/**
 * A list in a white bordered box that scrolls sideways on a phone: the column heads (`cell`: their
 * padding, px-3 py-2 unless given) and the rows.
 */
export function ListTable(
  props: {
    heads: ListHead[];
    cell?: string;
    class?: string;
    /** What an empty list says (e.g. "No orders yet — they appear here when placed"). */
    empty?: ComponentChildren;
    children: ComponentChildren;
  },
) {
  const cell = props.cell ?? "px-3 py-2";
  return (
    <div class={`overflow-x-auto bg-white border border-gray-200 rounded-lg ${props.class ?? ""}`}>
      <table class="w-full text-sm">
        <thead class="bg-gray-100 text-left">
          <tr>
            {props.heads.map((h) =>
              h !== null && typeof h === "object" && "label" in h
                ? <th class={`${cell} ${h.class}`}>{h.label}</th>
                : <th class={cell}>{h}</th>
            )}
          </tr>
        </thead>
        <tbody>{rowsOrEmpty(props.children, props.heads.length, props.empty, cell)}</tbody>
      </table>
    </div>
  );
}

/** No rows at all (nothing, or an empty list of them). */
function noRows(children: ComponentChildren): boolean {
  if (children === null || children === undefined || children === false) return true;
  return Array.isArray(children) && children.every(noRows);
}

/**
 * A table body's rows, or, when there are none, one row across all columns that says so: every
 * list in the product shows an empty state instead of a bare header.
 */
export function rowsOrEmpty(
  children: ComponentChildren,
  columns: number,
  empty: ComponentChildren | undefined,
  cell = "px-3 py-2",
): ComponentChildren {
  if (!noRows(children) || empty === undefined) return children;
  return (
    <tr data-empty>
      <td colSpan={columns} class={`${cell} text-gray-600`}>{empty}</td>
    </tr>
  );
}

/**
 * A status as a small coloured pill: `colors` maps each status to its classes (grey when not
 * listed); `data-status` names it for tests and styles. The kit's one badge: lot, document and
 * order statuses are all this shape.
 */
export function StatusPill(props: {
  status: string;
  label: ComponentChildren;
  colors: Readonly<Record<string, string>>;
  /** Fully rounded (the shop's order statuses). */
  round?: boolean;
}) {
  return (
    <span
      class={`inline-block ${props.round ? "rounded-full" : "rounded"} px-2 py-0.5 text-xs ${
        props.round ? "font-medium" : "font-semibold"
      } ${props.colors[props.status] ?? "bg-gray-100"}`}
      data-status={props.status}
    >
      {props.label}
    </span>
  );
}

/** The colours of a lot's quality status, the same on every page that shows one. */
export const LOT_STATUS_COLORS: Readonly<Record<string, string>> = {
  quarantine: "bg-amber-100 text-amber-900",
  released: "bg-green-100 text-green-900",
  hold: "bg-red-100 text-red-900",
  rejected: "bg-gray-700 text-white",
};

/**
 * A lot's status (quarantine, released, hold, rejected) as one badge across the back office:
 * inventory, purchase receipts, quality. `label` is the status in the page's language.
 */
export function LotStatusBadge(props: { status: string; label: string }) {
  return <StatusPill status={props.status} label={props.label} colors={LOT_STATUS_COLORS} />;
}

/** A back-office section's tabs: one link per screen, the current one marked for all readers. */
export function SectionTabs(
  props: { label: string; current: string; tabs: readonly (readonly [string, string, string])[] },
) {
  return (
    <nav aria-label={props.label} class="flex flex-wrap gap-2 mb-4 print:hidden">
      {props.tabs.map(([href, key, text]) => (
        <a
          href={href}
          aria-current={props.current === key ? "page" : undefined}
          class={`px-3 py-1 rounded border text-sm ${
            props.current === key
              ? "bg-brand-700 text-white border-brand-700"
              : "border-gray-300 text-brand-700"
          }`}
        >
          {text}
        </a>
      ))}
    </nav>
  );
}
