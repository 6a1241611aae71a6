import type { ComponentChildren } from "preact";

/** A back-office list's filter bar: a GET form whose controls sit in a wrapping row. */
export function FilterForm(props: { action: string; submit: string; children: ComponentChildren }) {
  return (
    <form method="get" action={props.action} class="flex flex-wrap gap-2 items-end mb-4">
      {props.children}
      <button
        type="submit"
        class="rounded border border-brand-600 text-brand-700 bg-white px-4 py-2"
      >
        {props.submit}
      </button>
    </form>
  );
}

/**
 * A labelled drop-down of the filter bar; `options` are [value, text] pairs (or values shown as
 * they are), `any` the text of a first "no filter" choice (value "").
 */
export function FilterSelect(props: {
  label: string;
  name: string;
  value: string;
  any?: string;
  options: readonly (string | readonly [string, string])[];
}) {
  return (
    <label class="flex flex-col text-sm">
      {props.label}
      <select name={props.name} class="rounded border border-gray-300 px-2 py-2 bg-white">
        {props.any !== undefined && <option value="">{props.any}</option>}
        {props.options.map((o) => {
          const [v, text] = typeof o === "string" ? [o, o] : o;
          return <option value={v} selected={props.value === v}>{text}</option>;
        })}
      </select>
    </label>
  );
}

/** A labelled text box of the filter bar (`width`: its width class on wider screens). */
export function FilterText(props: {
  label: string;
  name: string;
  value: string;
  placeholder?: string;
  width?: string;
}) {
  return (
    <label class="flex flex-col text-sm grow sm:grow-0">
      {props.label}
      <input
        name={props.name}
        value={props.value}
        placeholder={props.placeholder}
        class={`rounded border border-gray-300 px-3 py-2 ${props.width ?? "sm:w-64"}`}
      />
    </label>
  );
}

/** This list's URL on another page (other query parameters kept, `drop` ones removed). */
export function pageHref(url: URL, page: number, drop: readonly string[] = []): string {
  const u = new URL(url);
  u.searchParams.set("page", String(page));
  for (const k of drop) u.searchParams.delete(k);
  return u.pathname + u.search;
}

/**
 * Previous / next links under a paged list of `url` (other query parameters kept, `drop` ones
 * removed); `labels` gives the two words.
 */
export function Pager(props: {
  url: URL;
  page: number;
  hasNext: boolean;
  labels: { prev: string; next: string };
  drop?: readonly string[];
}) {
  const href = (page: number) => pageHref(props.url, page, props.drop);
  return (
    <nav class="flex gap-3 mt-4" aria-label="Pages">
      {props.page > 1 && (
        <a href={href(props.page - 1)} class="text-brand-700 underline">{props.labels.prev}</a>
      )}
      {props.hasNext && (
        <a href={href(props.page + 1)} class="text-brand-700 underline">{props.labels.next}</a>
      )}
    </nav>
  );
}
