import type { ComponentChildren } from "preact";
import { SiteLayout } from "@/components/SiteLayout.tsx";
import type { State } from "@/state.ts";

/** A narrow card on the public site for the sign-in, sign-up and reset steps. */
export function AuthCard(
  props: { state: State; path: string; title: string; children: ComponentChildren },
) {
  return (
    <SiteLayout state={props.state} path={props.path}>
      <div class="max-w-md mx-auto">
        <div class="bg-white border border-gray-200 rounded-lg p-4 sm:p-6 shadow-sm">
          <h1 class="text-2xl font-bold mb-3 text-brand-900">{props.title}</h1>
          {props.children}
        </div>
      </div>
    </SiteLayout>
  );
}

/** A message above a form: `error` for problems (role=alert), `ok` and `info` for news. */
export function AuthNotice(
  props: { kind: "error" | "ok" | "info"; children: ComponentChildren },
) {
  const cls = props.kind === "error"
    ? "bg-red-100 text-red-900"
    : props.kind === "ok"
    ? "bg-green-100 text-green-900"
    : "bg-brand-50 text-brand-900";
  return (
    <div role={props.kind === "error" ? "alert" : "status"} class={`rounded p-3 mb-4 ${cls}`}>
      {props.children}
    </div>
  );
}

/** The form's primary button, full width on phones. */
export function AuthSubmit(props: { children: ComponentChildren; name?: string; value?: string }) {
  return (
    <button
      type="submit"
      name={props.name}
      value={props.value}
      class="w-full sm:w-auto rounded bg-brand-600 hover:bg-brand-700 text-white font-semibold px-5 py-2"
    >
      {props.children}
    </button>
  );
}
