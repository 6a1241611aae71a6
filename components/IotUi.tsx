/** Small server-rendered pieces shared by the IoT pages (badges, notices, form controls). */
import type { ComponentChildren } from "preact";
import type { IotMessages } from "@/services/iot/mod.ts";
import { inputClass, selectClass } from "./ui.tsx";

export const SEVERITY_CLASS: Record<string, string> = {
  critical: "bg-red-100 text-red-900 border-red-300",
  warning: "bg-amber-100 text-amber-900 border-amber-300",
  info: "bg-blue-50 text-blue-900 border-blue-200",
};

const STATE_CLASS: Record<string, string> = {
  open: "bg-red-700 text-white",
  acknowledged: "bg-amber-200 text-amber-900",
  resolved: "bg-green-100 text-green-900",
};

export function SeverityBadge(props: { severity: string; m: IotMessages }) {
  return (
    <span
      class={`inline-block rounded border px-2 py-0.5 text-xs font-semibold uppercase ${
        SEVERITY_CLASS[props.severity] ?? ""
      }`}
    >
      {props.m.severity[props.severity] ?? props.severity}
    </span>
  );
}

export function AlarmStateBadge(props: { state: string; m: IotMessages }) {
  return (
    <span class={`inline-block rounded px-2 py-0.5 text-xs ${STATE_CLASS[props.state] ?? ""}`}>
      {props.m.alarmState[props.state] ?? props.state}
    </span>
  );
}

export function DeviceBadge(
  props: { online: boolean; revoked: boolean; m: IotMessages },
) {
  const { m } = props;
  if (props.revoked) {
    return (
      <span class="inline-block rounded px-2 py-0.5 text-xs bg-gray-700 text-white">
        {m.live.revokedBadge}
      </span>
    );
  }
  return props.online
    ? (
      <span class="inline-block rounded px-2 py-0.5 text-xs bg-green-100 text-green-900">
        {m.live.onlineBadge}
      </span>
    )
    : (
      <span class="inline-block rounded px-2 py-0.5 text-xs bg-gray-200 text-gray-800">
        {m.live.offlineBadge}
      </span>
    );
}

export function Notice(props: { kind?: "ok" | "error"; children: ComponentChildren }) {
  const cls = props.kind === "error"
    ? "bg-red-100 text-red-900 border-red-300"
    : "bg-green-50 text-green-900 border-green-300";
  return (
    <p role={props.kind === "error" ? "alert" : "status"} class={`rounded border p-3 mb-4 ${cls}`}>
      {props.children}
    </p>
  );
}

/** The notice over a form that came back with errors: its form-wide message, else "fix the fields". */
export function FormErrors(props: { m: IotMessages; errors: Record<string, string[]> }) {
  if (Object.keys(props.errors).length === 0) return null;
  const general = props.errors._ ?? [];
  return (
    <Notice kind="error">{general.length ? general.join(" ") : props.m.common.fixErrors}</Notice>
  );
}

/** A labelled control with its messages; `errors` keyed by field name. */
export function Field(
  props: {
    id: string;
    label: string;
    hint?: string;
    errors?: Record<string, string[]>;
    children: ComponentChildren;
    class?: string;
  },
) {
  const errs = props.errors?.[props.id] ?? [];
  return (
    <div class={props.class ?? "mb-4"}>
      <label for={props.id} class="block text-sm font-medium mb-1">{props.label}</label>
      {props.children}
      {props.hint && <p id={`${props.id}-hint`} class="text-xs text-gray-600 mt-1">{props.hint}</p>}
      {errs.map((e) => <p class="text-sm text-red-700 mt-1" role="alert">{e}</p>)}
    </div>
  );
}

/**
 * What every control of an IoT form takes: its name (and id), label and hint, the form's
 * values and errors.
 */
interface FormControl {
  id: string;
  label: string;
  hint?: string;
  values: Readonly<Record<string, string | undefined>>;
  errors: Record<string, string[]>;
}

/** A checkbox of a form, ticked when `values` has it "on"; its label follows it on the line. */
export function CheckField(
  props: Pick<FormControl, "id" | "label" | "values"> & { class?: string },
) {
  return (
    <label class={`flex items-center gap-2 ${props.class ?? "mb-4"}`}>
      <input type="checkbox" name={props.id} checked={props.values[props.id] === "on"} />
      {props.label}
    </label>
  );
}

/**
 * A labelled one-line text box of an IoT form: named `id`, filled from `values`, marked invalid
 * (with its messages) when `errors` has any for it.
 */
export function TextField(
  props: FormControl & {
    maxLength?: number;
    type?: "text" | "time" | "number";
    min?: number;
    placeholder?: string;
    inputMode?: "decimal";
  },
) {
  const { id, hint, errors } = props;
  const bad = !!errors[id]?.length;
  return (
    <Field id={id} label={props.label} hint={hint} errors={errors}>
      <input
        id={id}
        name={id}
        type={props.type}
        min={props.min}
        value={props.values[id] ?? ""}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        class={inputClass(bad)}
        aria-invalid={bad ? "true" : undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
    </Field>
  );
}

/**
 * A labelled drop-down of an IoT form: named `id`, its choice from `values` (else `fallback`),
 * `options` as [value, text] pairs after an optional first "none" choice (`none`, value "").
 */
export function SelectField(
  props: FormControl & {
    options: readonly (readonly [string, string])[];
    none?: string;
    fallback?: string;
    required?: boolean;
    class?: string;
  },
) {
  const { id, hint } = props;
  const chosen = props.values[id] || props.fallback;
  return (
    <Field id={id} label={props.label} hint={hint} errors={props.errors} class={props.class}>
      <select
        id={id}
        name={id}
        required={props.required}
        class={`${selectClass} w-full`}
        aria-describedby={hint ? `${id}-hint` : undefined}
      >
        {props.none !== undefined && <option value="">{props.none}</option>}
        {props.options.map(([v, text]) => <option value={v} selected={chosen === v}>{text}
        </option>)}
      </select>
    </Field>
  );
}

export function PageTitle(props: { title: string; intro?: string; children?: ComponentChildren }) {
  return (
    <div class="mb-4">
      <div class="flex flex-wrap items-center gap-3">
        <h1 class="text-2xl font-bold">{props.title}</h1>
        <div class="ml-auto flex flex-wrap gap-2">{props.children}</div>
      </div>
      {props.intro && <p class="mt-1 text-gray-700 max-w-3xl">{props.intro}</p>}
    </div>
  );
}
