/** Small pieces shared by the manage screens (not a route). */
import type { ComponentChildren } from "preact";
import type { FarmMessages } from "@/services/farm/messages.ts";

export function ManageHeader(props: { m: FarmMessages; title: string }) {
  return (
    <div class="mb-3">
      <a href="/farm/manage" class="text-sm text-brand-700 underline">
        ← {props.m.manage.title}
      </a>
      <h1 class="text-xl font-bold mt-1">{props.title}</h1>
    </div>
  );
}

/** The "saved" notice, and the summary of a form's errors (a rule with no field shows here). */
export function Notices(
  props: { m: FarmMessages; saved: boolean; errors: Record<string, string> },
) {
  const { m, errors } = props;
  return (
    <>
      {props.saved && (
        <p role="status" class="rounded bg-green-100 text-green-900 p-2 mb-3 text-sm">
          {m.common.saved}
        </p>
      )}
      {Object.keys(errors).length > 0 && (
        <p role="alert" class="rounded bg-red-100 text-red-900 p-2 mb-3 text-sm">
          {errors.form ?? m.common.fixErrors}
        </p>
      )}
    </>
  );
}

export function FormBox(props: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section id={props.id} class="bg-white rounded-lg border border-gray-200 p-3 mb-4">
      <h2 class="font-semibold mb-2">{props.title}</h2>
      {props.children}
    </section>
  );
}

export const selectClass = (invalid?: boolean) =>
  `w-full rounded border px-3 py-2 bg-white ${invalid ? "border-red-600" : "border-gray-300"}`;
