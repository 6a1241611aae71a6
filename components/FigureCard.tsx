/**
 * A figure on a dashboard: one big value, what it is, an optional line under it, the whole card a
 * link to the screen behind the figure. Red when the figure needs attention. Language-agnostic:
 * callers pass the words and the formatted value.
 */
import type { ComponentChildren } from "preact";

export function FigureCard(
  props: {
    href: string;
    label: string;
    value: string;
    note?: string;
    alert?: boolean;
    id?: string;
  },
) {
  return (
    <a
      href={props.href}
      data-figure={props.id}
      class={`flex flex-col h-full bg-white border rounded-lg p-3 sm:p-4 hover:border-brand-600 ${
        props.alert ? "border-red-300" : "border-gray-200"
      }`}
    >
      <span class="text-sm text-gray-700 leading-snug">{props.label}</span>
      <span
        class={`text-2xl sm:text-3xl font-bold break-words ${
          props.alert ? "text-red-700" : "text-brand-700"
        }`}
        data-count
      >
        {props.value}
      </span>
      {props.note && <span class="text-xs text-gray-600 mt-1 leading-snug">{props.note}</span>}
    </a>
  );
}

/** Figure cards in a grid that wraps: two across on a phone, more on wider screens. */
export function FigureGrid(props: { children: ComponentChildren }) {
  return <ul class="grid gap-3 grid-cols-2 md:grid-cols-3 xl:grid-cols-4">{props.children}</ul>;
}
