import type { ComponentChildren } from "preact";

/** A labelled form control with its error messages, tied together for screen readers. */
export function FormField(
  props: { id: string; label: string; errors?: string[]; children: ComponentChildren },
) {
  const errs = props.errors ?? [];
  return (
    <div class="mb-4">
      <label for={props.id} class="block text-sm font-medium mb-1">{props.label}</label>
      {props.children}
      {errs.map((e) => (
        <p id={`${props.id}-error`} class="text-sm text-red-700 mt-1" role="alert">{e}</p>
      ))}
    </div>
  );
}

export const inputClass = (invalid: boolean) =>
  `w-full rounded border px-3 py-2 ${invalid ? "border-red-600" : "border-gray-300"}`;
