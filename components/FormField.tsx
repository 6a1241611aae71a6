import type { ComponentChildren } from "preact";
import { Field } from "./ui.tsx";

// TODO lead: thin aliases of the one UI kit (components/ui.tsx); fold the call sites into
// `Field` / `inputClass` from "@/components/ui.tsx" and delete this file.
export { inputClass } from "./ui.tsx";

/** A labelled form control with its error messages (alias of ui.tsx `Field`). */
export function FormField(
  props: { id: string; label: string; errors?: string[]; children: ComponentChildren },
) {
  return <Field id={props.id} label={props.label} error={props.errors}>{props.children}</Field>;
}
