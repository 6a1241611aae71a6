import type { ComponentChildren } from "preact";
import { PostForm } from "./ui.tsx";

/**
 * The cards of the account pages' lists (sessions, remembered devices, passkeys): what the thing
 * is on the left, a form that ends or removes it on the right.
 */
export function AccountItem(
  props: { children: ComponentChildren; [data: `data-${string}`]: string | boolean | undefined },
) {
  const { children, ...attrs } = props;
  return (
    <li
      class="bg-white border border-gray-200 rounded-lg p-4 flex flex-wrap gap-3 items-start justify-between"
      {...attrs}
    >
      {children}
    </li>
  );
}

/** A line of an item's details: "label: value". */
export function AccountDetail(props: { label: string; children: ComponentChildren }) {
  return <p class="text-sm text-gray-700">{props.label}: {props.children}</p>;
}

/**
 * A one-button form (works without JavaScript) that posts `fields` with the CSRF token to
 * `action`; `name`/`value` mark which button of the page was pressed.
 */
export function RemoveForm(props: {
  action: string;
  csrf: string;
  fields: Record<string, string>;
  name?: string;
  value?: string;
  children: ComponentChildren;
}) {
  return (
    <PostForm csrf={props.csrf} action={props.action}>
      {Object.entries(props.fields).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <button
        type="submit"
        name={props.name}
        value={props.value}
        class="rounded border border-red-700 text-red-800 bg-white px-3 py-1 text-sm"
      >
        {props.children}
      </button>
    </PostForm>
  );
}
